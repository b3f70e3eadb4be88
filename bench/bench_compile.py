"""torch.compile against eager on ocl and cuda: a GPT training step in tokens/s, fused
memory-bound patterns in GB/s, and the compile time of the training step, cold and warm.

Each device runs in its own process (see common.py). The training step is bench_train.py's
(--model gpt: the demo's GPT, at GPT-2 124M's size by default; hf-gpt2: Hugging Face's GPT-2)
under bf16 autocast, forward + backward + AdamW; "compiled" compiles the loss (model and cross
entropy), the optimizer stays eager. The patterns are silu(x) * y + z (pointwise), layer_norm +
GELU + residual add, softmax of scaled, masked scores, and var_mean over the rows (an outer
reduction, as batch norm statistics of a channels-last image) over --rows x --cols (default
65536 x 1024: long enough to show bandwidth), per dtype; GB/s counts each input read and the
output written once. Compile time is the first compiled step less a steady one, in a
fresh process: cold with empty Inductor, Triton and kernel caches, warm with those caches.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn.functional as F
from common import Case, main, warm_timed
from bench_train import train_step

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}


def sync(device):
    getattr(torch, device).synchronize()


def silu_mul_add(x, y, z):
    return F.silu(x) * y + z


def ln_gelu_residual(x, res, w, b):
    return F.gelu(F.layer_norm(x, (x.shape[-1],), w, b)) + res


def softmax_scale_mask(x, mask):
    return torch.softmax((x * 0.125).masked_fill(mask, float("-inf")), -1)


def column_var_mean(x):
    # an outer reduction: batch norm's statistics over a channels-last image have this form
    return torch.var_mean(x, 0, correction=0)


def pattern(name, device, args, dtype, compiled):
    g = torch.Generator(device="cpu").manual_seed(0)
    shape = (args.rows, args.cols)
    x = torch.randn(shape, generator=g).to(device, dtype)
    if name == "ln":
        inputs = (x, torch.randn(shape, generator=g).to(device, dtype), torch.randn(args.cols).to(device, dtype),
                  torch.randn(args.cols).to(device, dtype))
        fn = ln_gelu_residual
    elif name == "silu":
        inputs = (x, *(torch.randn(shape, generator=g).to(device, dtype) for _ in range(2)))
        fn = silu_mul_add
    elif name == "colstats":
        inputs, fn = (x,), column_var_mean
    else:
        inputs = (x, (torch.rand(shape, generator=g) < 0.1).to(device))
        fn = softmax_scale_mask
    fn = torch.compile(fn, dynamic=False, mode=args.mode) if compiled else fn
    return lambda: fn(*inputs)


# --- compile time: a child process compiles and runs the step, and prints the seconds
def compile_seconds(device, args):
    from common import device_module

    device_module(device)
    step = train_step(device, args, compiled=True)
    t0 = time.perf_counter()
    step()
    sync(device)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(2):
        step()
    sync(device)
    return first - (time.perf_counter() - t0) / 2


def compile_time_case(device, args, warm):
    """fn runs the child(ren); its `seconds` attribute is what they measured (see timer)."""

    def fn():
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, TORCHINDUCTOR_CACHE_DIR=os.path.join(tmp, "inductor"),
                       TRITON_CACHE_DIR=os.path.join(tmp, "triton"), TORCH_OCL_KERNEL_CACHE=os.path.join(tmp, "kernels"))
            argv = [sys.executable, sys.argv[0], *sys.argv[1:], "--device", device, "--compile-child"]
            for _ in range(2 if warm else 1):  # warm: the second process, after a first filled the caches
                p = subprocess.run(argv, env=env, capture_output=True, text=True)
                if p.returncode != 0:
                    raise RuntimeError(f"compile child failed: {p.stderr.strip().splitlines()[-1:]}")
            fn.seconds = float(p.stdout.split()[-1])

    return fn


def timer(fn, sync_fn, args):
    if hasattr(fn, "seconds"):  # compile time: measured by the child, not by the clock here
        fn()
        return fn.seconds
    return warm_timed(fn, sync_fn, args)


def add_arguments(ap):
    ap.add_argument("--model", choices=["gpt", "hf-gpt2"], default="gpt")
    ap.add_argument("--dim", type=int, default=768)
    ap.add_argument("--heads", type=int, default=12)
    ap.add_argument("--layers", type=int, default=12)
    ap.add_argument("--vocab", type=int, default=50304)
    ap.add_argument("--context", type=int, default=1024)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--autocast", choices=["none", "bf16", "f16"], default="bf16")
    ap.add_argument("--rows", type=int, default=65536, help="rows of the fused patterns")
    ap.add_argument("--cols", type=int, default=1024, help="columns of the fused patterns")
    ap.add_argument("--dtypes", default="float32,bfloat16", help="dtypes of the fused patterns")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--no-compile-time", action="store_true", help="leave out the compile-time rows")
    ap.add_argument("--no-step", action="store_true", help="leave out the training-step rows (patterns only)")
    ap.add_argument("--mode", default=None, help="torch.compile's mode, e.g. max-autotune-no-cudagraphs")
    ap.add_argument("--compile-child", action="store_true", help=argparse.SUPPRESS)


def make_cases(args):
    name = {"gpt": "GPT", "hf-gpt2": "HF GPT-2"}[args.model]
    tokens = args.batch * args.context
    cases = [] if args.no_step else [
        Case(f"{name} train step eager", "tokens/s", tokens, lambda d: train_step(d, args, False), peak_memory=True),
        Case(f"{name} train step compiled", "tokens/s", tokens, lambda d: train_step(d, args, True), peak_memory=True)]
    for dname in args.dtypes.split(","):
        dtype, size = DTYPES[dname], args.rows * args.cols
        item = dtype.itemsize
        for key, label, work in (("silu", "silu(x)*y+z", 4 * item * size),
                                 ("ln", "layer_norm+gelu+residual", 3 * item * size),
                                 ("softmax", "softmax(scale, mask)", (2 * item + 1) * size),
                                 ("colstats", "var_mean over rows", item * size)):
            for compiled in (False, True):
                cases.append(Case(f"{label} {dname} {'compiled' if compiled else 'eager'}", "GB/s", work,
                                  lambda d, k=key, t=dtype, c=compiled: pattern(k, d, args, t, c)))
    if not args.no_compile_time and not args.no_step:
        cases += [Case(f"{name} step compile cold", "ms", 0, lambda d: compile_time_case(d, args, warm=False)),
                  Case(f"{name} step compile warm", "ms", 0, lambda d: compile_time_case(d, args, warm=True))]
    return cases


def title(args):
    size = (f"dim={args.dim} layers={args.layers} heads={args.heads} vocab={args.vocab} " if args.model == "gpt"
            else "default configuration, ")
    return (f"{args.model} {size}context={args.context} batch={args.batch}, "
            f"{'float32' if args.autocast == 'none' else 'autocast ' + args.autocast}, AdamW; "
            f"patterns {args.rows}x{args.cols}" + (f"; mode {args.mode}" if args.mode else ""))


if __name__ == "__main__":
    if "--compile-child" in sys.argv:
        ap = argparse.ArgumentParser()
        add_arguments(ap)
        ap.add_argument("--device", choices=["ocl", "cuda"], required=True)
        ap.add_argument("--json")
        a = ap.parse_args()
        print(compile_seconds(a.device, a))
    else:
        main(__doc__, add_arguments, make_cases, timer=timer, title=title)
