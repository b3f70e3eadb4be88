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

--compile profiles the step with the loss through torch.compile (bench_compile.py's step; --mode
for its mode) generated kernel by generated kernel instead: ocl's OpenCL kernels and cuda's Triton
kernels, paired by the ops they fuse (Inductor names both after them), each synchronized around;
the rest of the compiled graphs' time (extern kernels: products, attention) and the time outside
them (autograd, optimizer) as two rows of their own.
"""

import argparse
import collections
import contextlib
import json
import os
import re
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


def _timed(sync, seconds, calls, key):
    """A wrapper of method fn charging its synchronized time to key(self)."""

    def wrap(fn):
        def timed(self, *a, **kw):
            sync()
            t0 = time.perf_counter()
            out = fn(self, *a, **kw)
            sync()
            name = key(self)
            seconds[name] += time.perf_counter() - t0
            calls[name] += 1
            return out

        return timed

    return wrap


GRAPHS = "(compiled graphs)"
OUTSIDE = "(outside compiled graphs)"
EXTERN = "(extern ops in compiled graphs)"


def _fused_ops(name):
    """ocl_red_fused_add_mean_3 / triton_per_fused_add_mean_7 -> fused_add_mean (kind and number
    differ between backends, the fused ops do not)."""
    return re.sub(r"^(ocl|triton)_[a-z]+_|_\d+$", "", name)


@contextlib.contextmanager
def kernel_timer(device, sync, seconds, calls):
    """Patches the generated kernels' launches and the compiled graphs' calls to be timed."""
    from torch._inductor.output_code import CompiledFxGraph

    if device == "ocl":
        from torch_ocl._inductor.runtime import OclKernel as launcher

        method, name_of = "__call__", lambda k: k.name
    else:
        from torch._inductor.runtime.triton_heuristics import CachingAutotuner as launcher

        method, name_of = "run", lambda k: k.fn.__name__
    patched = [(launcher, method, lambda k: _fused_ops(name_of(k))), (CompiledFxGraph, "__call__", lambda g: GRAPHS)]
    saved = [(cls, name, getattr(cls, name)) for cls, name, _ in patched]
    try:
        for cls, name, key in patched:
            setattr(cls, name, _timed(sync, seconds, calls, key)(getattr(cls, name)))
        yield
    finally:
        for cls, name, fn in saved:
            setattr(cls, name, fn)


def measure(device, args):
    """{op: [ms per step, calls per step]} over args.iters profiled steps after the warm-up."""
    if device == "ocl":
        import torch_ocl  # noqa: F401

        torch.ocl.init()  # ocl's device name, also where CUDA is available
    sync = torch.ocl.synchronize if device == "ocl" else torch.cuda.synchronize
    if args.vision:
        step = bench_vision.train_step(device, args.vision, args)
    else:
        step = bench_train.train_step(device, args, compiled=args.compile)
    for _ in range(args.warmup):
        step()
    sync()
    if args.compile:
        seconds, calls = collections.defaultdict(float), collections.defaultdict(int)
        with kernel_timer(device, sync, seconds, calls):
            t0 = time.perf_counter()
            for _ in range(args.iters):
                step()
            sync()
            total = time.perf_counter() - t0
        graphs = seconds.pop(GRAPHS, 0.0)
        seconds[EXTERN] = graphs - sum(seconds.values())
        seconds[OUTSIDE] = total - graphs
        calls[EXTERN] = calls.pop(GRAPHS, 0)
    else:
        timer = OpTimer(sync)
        with timer:
            for _ in range(args.iters):
                step()
        seconds, calls = timer.seconds, timer.calls
    return {op: [1e3 * s / args.iters, calls[op] / args.iters] for op, s in seconds.items()}


def main():
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--vision", help="a torchvision model: profile bench_vision.py's step instead")
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                 parents=[pre])
    (bench_vision if pre.parse_known_args()[0].vision else bench_train).add_arguments(ap)
    ap.add_argument("--compile", action="store_true", help="the step compiled, kernel by kernel")
    ap.add_argument("--mode", default=None, help="torch.compile's mode with --compile")
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
    w = 60 if args.compile else 40
    head = "kernel" if args.compile else "op"
    print(f"{head:{w}} {'ocl ms':>9} {'calls':>6} {'cuda ms':>9} {'calls':>6} {'ocl/cuda':>8}")
    for op, (ms, calls) in sorted(ocl.items(), key=lambda kv: -kv[1][0])[: args.top]:
        c_ms, c_calls = cuda.get(op, [None, 0])
        ratio = f"{c_ms / ms:.2f}" if c_ms else "-"
        c_text = f"{c_ms:9.2f}" if c_ms is not None else f"{'-':>9}"
        print(f"{op[:w]:{w}} {ms:9.2f} {calls:6.0f} {c_text} {c_calls:6.0f} {ratio:>8}")
    only_cuda = sorted(((op, v) for op, v in cuda.items() if op not in ocl), key=lambda kv: -kv[1][0])[:8]
    for op, (ms, calls) in only_cuda:
        print(f"{op[:w]:{w}} {'-':>9} {'':>6} {ms:9.2f} {calls:6.0f} {'(cuda only)':>8}")
    for device, rows in results.items():
        print(f"{device}: {sum(ms for ms, _ in rows.values()):.1f} ms per step, op by op")


if __name__ == "__main__":
    main()
