"""Shared utilities of the nn tests: dtype lists, tolerances, and running a function on the CPU (in
float32 for 16-bit dtypes) and on ocl with autograd, comparing outputs and gradients."""

import torch
from conftest import FLOAT_DTYPES, has_fp64

FLOATS = [torch.float32, torch.float16, torch.bfloat16] + ([torch.float64] if has_fp64() else [])
TOL = {torch.float16: (5e-3, 5e-3), torch.bfloat16: (3e-2, 3e-2), torch.float32: (1e-4, 1e-5),
       torch.float64: (1e-10, 1e-12)}


def check(got, expect, scale=1.0):
    """got (on ocl) against expect (CPU), at got's dtype tolerance times scale."""
    assert got.device.type == "ocl"
    rtol, atol = TOL.get(got.dtype, (0, 0))
    mag = float(expect.detach().abs().max()) if expect.numel() and expect.dtype.is_floating_point else 1.0
    torch.testing.assert_close(got.detach().cpu(), expect.detach().to(got.dtype), rtol=rtol * scale,
                               atol=atol * scale * max(1.0, mag), equal_nan=True)


def reference_dtype(dtype):
    return torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype


def compare_autograd(fn, inputs, dev, grad_inputs=None, scale=1.0, consts=()):
    """Runs fn(*inputs, *consts) on the CPU (16-bit inputs upcast to float32) and on dev,
    backpropagates the same random gradient and compares outputs and input gradients.
    grad_inputs: indices of the inputs that need gradients (default: all floating ones)."""
    if grad_inputs is None:
        grad_inputs = [i for i, t in enumerate(inputs) if t is not None and t.dtype.is_floating_point]
    cpu_in, dev_in = [], []
    for i, t in enumerate(inputs):
        if t is None:
            cpu_in.append(None)
            dev_in.append(None)
            continue
        t = t.detach()
        c = t.to(reference_dtype(t.dtype)).clone()
        d = t.to(dev)
        if i in grad_inputs:
            c.requires_grad_(True)
            d.requires_grad_(True)
        cpu_in.append(c)
        dev_in.append(d)
    cpu_consts = list(consts)
    dev_consts = [c.to(dev) if isinstance(c, torch.Tensor) else c for c in consts]
    out_c = fn(*cpu_in, *cpu_consts)
    out_d = fn(*dev_in, *dev_consts)
    check(out_d, out_c, scale)
    if grad_inputs and out_c.requires_grad:
        g = torch.randn(out_c.shape, generator=torch.Generator().manual_seed(7))
        out_c.backward(g.to(out_c.dtype))
        out_d.backward(g.to(out_d.dtype).to(dev))
        for i in grad_inputs:
            assert dev_in[i].grad is not None, f"no gradient for input {i}"
            check(dev_in[i].grad, cpu_in[i].grad, scale)
    return out_d


# Resampling tests (upsample, grid_sample): every float dtype the device has, and a relative
# tolerance per dtype scaled by the result's magnitude.
def dtypes():
    return [d for d in FLOAT_DTYPES if d != torch.float64 or has_fp64()]


def tol(dtype):
    return {torch.float32: 1e-5, torch.float64: 1e-12, torch.float16: 1e-3, torch.bfloat16: 1e-2}[dtype]


def close(actual, expected, dtype):
    scale = max(expected.abs().max().item(), 1.0) if expected.numel() else 1.0
    rtol = 4 * tol(dtype)
    torch.testing.assert_close(actual.cpu().to(expected.dtype), expected, rtol=rtol, atol=rtol * scale)
