"""Where a training step's time goes, op by op, on ocl and cuda: runs bench_train.py's step (same
options: --model, sizes, --autocast) under a dispatch mode that synchronizes the device after
every ATen op and charges the elapsed time to that op, then prints the ops by ocl time beside
cuda's time for the same op (ms per step, calls per step, ocl/cuda as a rate ratio).

--vision MODEL profiles bench_vision.py's step of that torchvision model instead (its options:
--batch, --image, --nchw, --autocast).

Synchronizing after each op removes the overlap of host and device, so the per-op times add up
to more than the step; they show which kernels take the time, not the step's rate (bench_train.py
measures that). Each device runs in its own process, as in common.py.

    python bench/profile_train.py --dim 768 --heads 12 --layers 12 --vocab 50304 --context 1024 \
        --batch 8 --autocast bf16 --top 25
    python bench/profile_train.py --vision resnet50 --batch 64 --autocast bf16
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time

import torch
from torch.utils._python_dispatch import TorchDispatchMode

import bench_train
import bench_vision


class OpTimer(TorchDispatchMode):
    """Seconds and calls per ATen op (overload packet name), the device synchronized around each."""

    def __init__(self, sync):
        super().__init__()
        self.sync = sync
        self.seconds = collections.defaultdict(float)
        self.calls = collections.defaultdict(int)

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.sync()
        t0 = time.perf_counter()
        out = func(*args, **(kwargs or {}))
        self.sync()
        name = func.overloadpacket.__name__
        self.seconds[name] += time.perf_counter() - t0
        self.calls[name] += 1
        return out


def measure(device, args):
    """{op: [ms per step, calls per step]} over args.iters profiled steps after the warm-up."""
    if device == "ocl":
        import torch_ocl  # noqa: F401

        torch.ocl.init()  # ocl's device name, also where CUDA is available
    sync = torch.ocl.synchronize if device == "ocl" else torch.cuda.synchronize
    step = bench_vision.train_step(device, args.vision, args) if args.vision else bench_train.train_step(device, args)
    for _ in range(args.warmup):
        step()
    sync()
    timer = OpTimer(sync)
    with timer:
        for _ in range(args.iters):
            step()
    return {op: [1e3 * s / args.iters, timer.calls[op] / args.iters] for op, s in timer.seconds.items()}


def main():
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--vision", help="a torchvision model: profile bench_vision.py's step instead")
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                 parents=[pre])
    (bench_vision if pre.parse_known_args()[0].vision else bench_train).add_arguments(ap)
    ap.add_argument("--top", type=int, default=30, help="ops to print, by ocl time")
    ap.add_argument("--device", choices=["ocl", "cuda"], help="profile this device only, in this process")
    ap.add_argument("--json", help="write {op: [ms, calls]} to this file (with --device)")
    args = ap.parse_args()
    args.iters = min(args.iters, 3)
    if args.device:
        rows = measure(args.device, args)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(rows, f)
        return
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for device in ("ocl", "cuda"):
            out = os.path.join(tmp, device + ".json")
            env = dict(os.environ)
            if device == "cuda":
                env["TORCH_DEVICE_BACKEND_AUTOLOAD"] = "0"
            cmd = [sys.executable, __file__, "--device", device, "--json", out] + sys.argv[1:]
            p = subprocess.run(cmd, env=env, stderr=subprocess.PIPE, text=True)
            if p.returncode != 0 or not os.path.exists(out):
                print(f"[profile] {device} failed (exit {p.returncode}): {p.stderr.strip()[-500:]}", file=sys.stderr)
                continue
            with open(out) as f:
                results[device] = json.load(f)
    ocl, cuda = results.get("ocl", {}), results.get("cuda", {})
    print(f"{'op':40} {'ocl ms':>9} {'calls':>6} {'cuda ms':>9} {'calls':>6} {'ocl/cuda':>8}")
    for op, (ms, calls) in sorted(ocl.items(), key=lambda kv: -kv[1][0])[: args.top]:
        c_ms, c_calls = cuda.get(op, [None, 0])
        ratio = f"{c_ms / ms:.2f}" if c_ms else "-"
        print(f"{op:40} {ms:9.2f} {calls:6.0f} {c_ms if c_ms is not None else float('nan'):9.2f} {c_calls:6.0f} {ratio:>8}")
    only_cuda = sorted(((op, v) for op, v in cuda.items() if op not in ocl), key=lambda kv: -kv[1][0])[:8]
    for op, (ms, calls) in only_cuda:
        print(f"{op:40} {'-':>9} {'':>6} {ms:9.2f} {calls:6.0f} {'(cuda only)':>8}")
    for device, rows in results.items():
        print(f"{device}: {sum(ms for ms, _ in rows.values()):.1f} ms per step, op by op")


if __name__ == "__main__":
    main()
