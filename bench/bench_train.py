"""A transformer language-model training step (forward, backward, AdamW) on ocl, and on cuda in
the same process when present: tokens/s and the ocl/cuda ratio.

The model is the demo's GPT (examples/train_lm.py) at a larger size: token + position
embeddings, causal SDPA attention, GELU MLPs, LayerNorm, tied output embeddings.
"""

import argparse
import json
import pathlib
import sys
import time

import torch
import torch.nn.functional as F
import torch_ocl  # noqa: F401

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
    args = ap.parse_args()

    tokens = args.batch * args.context
    devices = ["ocl"] + (["cuda"] if torch.cuda.is_available() else [])
    rows = {}
    for d in devices:
        dt, loss = step_time(d, args)
        rows[d] = {"step_ms": dt * 1e3, "tokens_per_s": tokens / dt, "loss": loss}
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
