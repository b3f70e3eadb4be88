"""Convolution throughput on ocl (and on cuda in the same process when present): a
ResNet-style 3x3 convolution and a ViT patch embedding, forward and forward + backward.

TFLOP/s counts 2 * multiply-adds of the forward (x3 for forward + backward). Prints a table
with the ocl / cuda ratio; --json writes the rows.
"""

import argparse
import json

import torch
import torch.nn.functional as F
import torch_ocl  # noqa: F401
from common import timed  # noqa: E402


def cases(batch):
    """(name, input shape, weight shape, conv2d kwargs)."""
    return [
        ("resnet 3x3 64ch 56x56", (batch, 64, 56, 56), (64, 64, 3, 3), dict(padding=1)),
        ("resnet 3x3 256ch 14x14", (batch, 256, 14, 14), (256, 256, 3, 3), dict(padding=1)),
        ("vit patch 16x16 -> 768", (batch, 3, 224, 224), (768, 3, 16, 16), dict(stride=16)),
    ]


def flops(x_shape, w_shape, kw):
    out = F.conv2d(torch.empty(x_shape, device="meta"), torch.empty(w_shape, device="meta"), **kw)
    return 2 * out.numel() * w_shape[1] * w_shape[2] * w_shape[3]


def run(device, dtype, x_shape, w_shape, kw, backward, iters):
    x = torch.randn(x_shape, device=device, dtype=dtype, requires_grad=backward)
    w = torch.randn(w_shape, device=device, dtype=dtype, requires_grad=backward)
    b = torch.randn(w_shape[0], device=device, dtype=dtype, requires_grad=backward)

    def step():
        out = F.conv2d(x, w, b, **kw)
        if backward:
            out.sum().backward()

    sync = torch.ocl.synchronize if device.startswith("ocl") else torch.cuda.synchronize
    return timed(step, sync, iters)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--iters", type=int, default=10)
    p.add_argument("--dtype", default="float32", choices=["float32", "float16", "bfloat16"])
    p.add_argument("--json")
    a = p.parse_args()
    dtype = getattr(torch, a.dtype)
    devices = ["ocl"] + (["cuda"] if torch.cuda.is_available() else [])
    rows = []
    print(f"{'case':28s} {'pass':8s} " + " ".join(f"{d + ' TFLOP/s':>14s}" for d in devices) + "  ocl/cuda")
    for name, xs, ws, kw in cases(a.batch):
        for backward in (False, True):
            work = flops(xs, ws, kw) * (3 if backward else 1)
            row = {"case": name, "pass": "fwd+bwd" if backward else "fwd", "dtype": a.dtype}
            for d in devices:
                row[d] = work / run(d, dtype, xs, ws, kw, backward, a.iters) / 1e12
            ratio = f"{row['ocl'] / row['cuda']:.2f}" if "cuda" in row else "-"
            print(f"{name:28s} {row['pass']:8s} " + " ".join(f"{row[d]:14.3f}" for d in devices) + f"  {ratio}")
            rows.append(row)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
