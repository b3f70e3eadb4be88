"""A transformer language-model training step (forward, backward, AdamW) on ocl, and on cuda when
present: tokens/s and the ocl/cuda ratio.

Each device runs in its own process, one after the other on the same machine, and the cuda
process does not load torch_ocl: torch takes a registered PrivateUse1 backend as the process's
one accelerator, and its autograd engine then fails an internal stream assertion on cuda
backward passes (torch 2.11).

The model is the demo's GPT (examples/train_lm.py) at a larger size: token + position
embeddings, causal SDPA attention, GELU MLPs, LayerNorm, tied output embeddings.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "examples"))
from train_lm import TinyGPT  # noqa: E402


def step_time(device, args, dtype=None):
    torch.manual_seed(0)
    model = TinyGPT(args.vocab, args.context, dim=args.dim, heads=args.heads, layers=args.layers).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    x = torch.randint(0, args.vocab, (args.batch, args.context), device=device)
    y = torch.randint(0, args.vocab, (args.batch, args.context), device=device)
    sync = torch.ocl.synchronize if device.startswith("ocl") else torch.cuda.synchronize

    def step():
        loss = F.cross_entropy(model(x).view(-1, args.vocab), y.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    for _ in range(args.warmup):
        step()
    sync()
    t0 = time.perf_counter()
    for _ in range(args.iters):
        loss = step()
    sync()
    dt = (time.perf_counter() - t0) / args.iters
    return dt, loss.item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dim", type=int, default=512)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--vocab", type=int, default=8192)
    ap.add_argument("--context", type=int, default=256)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--json", default="")
    ap.add_argument("--device", default="", help="run one device only and print its row as JSON")
    args = ap.parse_args()

    tokens = args.batch * args.context
    if args.device:
        if args.device.startswith("ocl"):
            import torch_ocl  # noqa: F401
        dt, loss = step_time(args.device, args)
        print(json.dumps({"step_ms": dt * 1e3, "tokens_per_s": tokens / dt, "loss": loss}))
        return
    devices = ["ocl"] + (["cuda"] if torch.cuda.is_available() else [])  # no torch_ocl loaded here
    rows = {}
    for d in devices:
        argv = [sys.executable, __file__, "--device", d] + [
            f"--{k}={v}" for k, v in vars(args).items() if k not in ("json", "device")]
        env = dict(os.environ, TORCH_DEVICE_BACKEND_AUTOLOAD="0" if d == "cuda" else "1")
        p = subprocess.run(argv, capture_output=True, text=True, env=env)
        if p.returncode != 0:
            sys.exit(f"{d} run failed:\n{p.stderr[-3000:]}")
        rows[d] = json.loads(p.stdout.strip().splitlines()[-1])
    print(f"GPT dim={args.dim} layers={args.layers} heads={args.heads} vocab={args.vocab} "
          f"context={args.context} batch={args.batch}, float32, AdamW")
    for d, r in rows.items():
        print(f"  {d:5s} {r['step_ms']:9.2f} ms/step  {r['tokens_per_s']:12.0f} tokens/s  (loss {r['loss']:.4f})")
    if "cuda" in rows:
        print(f"  ocl/cuda tokens/s ratio: {rows['ocl']['tokens_per_s'] / rows['cuda']['tokens_per_s']:.2f}")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps({"args": vars(args), "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
