"""Optimizers on ocl against the CPU: SGD (momentum, nesterov, weight decay, maximize), Adam and
AdamW (amsgrad, maximize, weight decay) with foreach=True and fused=True, float32/16/bf16
params, a tensor lr, grad_scale/found_inf, _foreach_norm and foreach gradient clipping. Several steps
with identical params and grads; params and optimizer state are compared. Fallback off."""

import pytest
import torch
from conftest import has_fp64

pytestmark = pytest.mark.usefixtures("native_only")
TOL = {torch.float32: (1e-5, 1e-5), torch.float16: (5e-3, 5e-3), torch.bfloat16: (4e-2, 4e-2),
       torch.float64: (1e-10, 1e-10)}
SHAPES = [(7, 5), (13,), (3, 4, 2), ()]

CONFIGS = {
    "sgd": (torch.optim.SGD, dict(lr=0.1)),
    "sgd_momentum_wd": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, weight_decay=0.01, dampening=0.1)),
    "sgd_nesterov_max": (torch.optim.SGD, dict(lr=0.05, momentum=0.8, nesterov=True, maximize=True)),
    "adam": (torch.optim.Adam, dict(lr=0.01)),
    "adam_amsgrad_wd": (torch.optim.Adam, dict(lr=0.01, amsgrad=True, weight_decay=0.1)),
    "adam_maximize": (torch.optim.Adam, dict(lr=0.02, maximize=True, betas=(0.8, 0.9))),
    "adamw": (torch.optim.AdamW, dict(lr=0.01, weight_decay=0.05)),
    "adamw_amsgrad_max": (torch.optim.AdamW, dict(lr=0.01, amsgrad=True, maximize=True)),
}


def check(got, expect, dtype):
    rtol, atol = TOL[dtype]
    assert got.device.type == "ocl"
    torch.testing.assert_close(got.cpu(), expect, rtol=rtol, atol=atol)


def run_steps(cls, kwargs, device, dtype, mode, steps=4, seed=0):
    gen = torch.Generator().manual_seed(seed)
    params = [torch.randn(s, generator=gen).to(dtype).to(device).requires_grad_(True) for s in SHAPES]
    grads = [[torch.randn(s, generator=gen).to(dtype) for s in SHAPES] for _ in range(steps)]
    extra = {"foreach": True} if mode == "foreach" else {"fused": True} if mode == "fused" else {"foreach": False}
    opt = cls(params, **kwargs, **extra)
    for k in range(steps):
        for p, g in zip(params, grads[k]):
            p.grad = g.to(device)
        opt.step()
    return params, opt


@pytest.mark.parametrize("config", sorted(CONFIGS))
@pytest.mark.parametrize("mode", ["foreach", "fused"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.bfloat16], ids=str)
def test_optimizer_against_cpu(dev, config, mode, dtype):
    cls, kwargs = CONFIGS[config]
    # the CPU reference runs the single-tensor loop (always available) in the same dtype
    ref_params, ref_opt = run_steps(cls, kwargs, "cpu", dtype, "single")
    params, opt = run_steps(cls, kwargs, dev, dtype, mode)
    for p, r in zip(params, ref_params):
        check(p.detach(), r.detach(), dtype)
    for p, r in zip(params, ref_params):
        s, rs = opt.state[p], ref_opt.state[r]
        for key in rs:
            if key == "step":
                assert float(s[key]) == float(rs[key])
            elif rs[key] is not None:
                check(s[key], rs[key], dtype)


@pytest.mark.parametrize("cls", [torch.optim.Adam, torch.optim.AdamW, torch.optim.SGD], ids=lambda c: c.__name__)
def test_fused_tensor_lr_and_grad_scaling(dev, cls):
    kwargs = dict(momentum=0.9) if cls is torch.optim.SGD else {}
    gen = torch.Generator().manual_seed(3)
    base = [torch.randn(s, generator=gen) for s in SHAPES]
    grads = [torch.randn(s, generator=gen) for s in SHAPES]
    ref = [b.clone().requires_grad_(True) for b in base]
    ref_opt = cls(ref, lr=0.01, foreach=False, **kwargs)
    for r, g in zip(ref, grads):
        r.grad = g.clone()
    ref_opt.step()
    params = [b.to(dev).requires_grad_(True) for b in base]
    opt = cls(params, lr=torch.tensor(0.01, device=dev), fused=True, **kwargs)
    scale = torch.tensor(4.0, device=dev)
    for p, g in zip(params, grads):
        p.grad = (g * 4).to(dev)
    # the fused kernels unscale by grad_scale and skip the step when found_inf is 1
    opt.grad_scale, opt.found_inf = scale, torch.tensor(0.0, device=dev)
    opt.step()
    for p, r in zip(params, ref):
        check(p.detach(), r.detach(), torch.float32)
        check(p.grad, r.grad, torch.float32)
    before = [p.detach().cpu().clone() for p in params]
    opt.grad_scale, opt.found_inf = None, torch.tensor(1.0, device=dev)
    opt.step()
    for p, b in zip(params, before):
        assert torch.equal(p.detach().cpu(), b)


def test_fused_adam_direct_call(dev):
    # _fused_adam_ called as GradScaler's unscale-and-step path calls it
    gen = torch.Generator().manual_seed(4)
    ps = [torch.randn(10, generator=gen) for _ in range(2)]
    gs = [torch.randn(10, generator=gen) for _ in range(2)]
    ms = [torch.zeros(10) for _ in range(2)]
    vs = [torch.zeros(10) for _ in range(2)]
    steps = [torch.tensor(1.0) for _ in range(2)]
    cpu = [[t.clone() for t in l] for l in (ps, gs, ms, vs, [], steps)]
    ocl = [[t.clone().to(dev) for t in l] for l in (ps, gs, ms, vs, [], steps)]
    args = dict(lr=0.1, beta1=0.9, beta2=0.99, weight_decay=0.0, eps=1e-8, amsgrad=False, maximize=False)
    torch._fused_adam_(*cpu, **args, grad_scale=torch.tensor(2.0), found_inf=torch.tensor(0.0))
    torch._fused_adam_(*ocl, **args, grad_scale=torch.tensor(2.0, device=dev), found_inf=torch.tensor(0.0, device=dev))
    for a, b in zip(ocl[0] + ocl[1] + ocl[2] + ocl[3], cpu[0] + cpu[1] + cpu[2] + cpu[3]):
        check(a, b, torch.float32)


@pytest.mark.parametrize("norm_type", [2.0, 1.0, float("inf")])
def test_foreach_norm_and_clip(dev, norm_type):
    # clip_grad_norm_(foreach=True) in two parts: _foreach_norm, then clip_grads_with_norm_
    # (the total norm's torch.stack needs cat, which is outside this family)
    gen = torch.Generator().manual_seed(5)
    params = [torch.randn(s, generator=gen).requires_grad_(True) for s in SHAPES]
    for p in params:
        p.grad = torch.randn(p.shape, generator=gen) * 3
    oparams = [p.detach().to(dev).requires_grad_(True) for p in params]
    for o, p in zip(oparams, params):
        o.grad = p.grad.to(dev)
    norms = torch._foreach_norm([o.grad for o in oparams], norm_type)
    for n, p in zip(norms, params):
        check(n, torch.linalg.vector_norm(p.grad, norm_type), torch.float32)
    total = torch.nn.utils.clip_grad_norm_(params, 1.0, norm_type, foreach=False)
    ototal = torch.linalg.vector_norm(torch.tensor([n.item() for n in norms]), norm_type)
    torch.testing.assert_close(ototal, total)
    torch.nn.utils.clip_grads_with_norm_(oparams, 1.0, ototal.to(dev), foreach=True)
    for o, p in zip(oparams, params):
        check(o.grad, p.grad, torch.float32)


def test_foreach_ops_direct(dev):
    gen = torch.Generator().manual_seed(6)
    xs = [torch.randn(s, generator=gen) for s in SHAPES]
    ys = [torch.rand(s, generator=gen) + 0.5 for s in SHAPES]
    xo, yo = [x.to(dev) for x in xs], [y.to(dev) for y in ys]
    for fn in (lambda a, b: torch._foreach_add(a, b, alpha=0.5), torch._foreach_mul, torch._foreach_div,
               torch._foreach_maximum, lambda a, b: torch._foreach_addcdiv(a, a, b, 0.3),
               lambda a, b: torch._foreach_lerp(a, b, 0.25), lambda a, b: torch._foreach_sqrt(b),
               lambda a, b: torch._foreach_pow(b, 1.5), lambda a, b: torch._foreach_pow(2.0, a)):
        for g, e in zip(fn(xo, yo), fn(xs, ys)):
            check(g, e, torch.float32)
    zs = [x.clone() for x in xo]
    torch._foreach_zero_(zs)
    assert all(z.abs().sum().item() == 0 for z in zs)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.bfloat16], ids=str)
@pytest.mark.parametrize("layout", ["dense", "transposed", "mixed"])
def test_foreach_multi_tensor_inplace(dev, dtype, layout):
    # More tensors than one launch takes, sizes across the per-group chunk, empty and 0-dim
    # ones; transposed tensors are dense (multi-tensor path), a mix of layouts takes the
    # per-tensor path. Every in-place op of the optimizers' hot path against the CPU.
    gen = torch.Generator().manual_seed(11)
    shapes = [(), (0,), (1,), (4097,), (3, 5), (70, 130)] * 9
    def make(shift=0.0):
        ts = [(torch.rand(s, generator=gen) + shift).to(dtype) for s in shapes]
        if layout == "transposed":
            ts = [t.t().contiguous().t() if t.dim() == 2 else t for t in ts]
        return ts
    xs, ys, zs = make(), make(0.5), make(0.5)
    if layout == "mixed":
        ys = [y.t().contiguous().t() if y.dim() == 2 else y for y in ys]  # strides unlike xs
    scal = [0.1 * (i % 7) + 0.2 for i in range(len(shapes))]
    ops = [
        lambda a, b, c: torch._foreach_add_(a, 0.25),
        lambda a, b, c: torch._foreach_add_(a, b, alpha=-0.5),
        lambda a, b, c: torch._foreach_mul_(a, 0.9),
        lambda a, b, c: torch._foreach_mul_(a, b),
        lambda a, b, c: torch._foreach_div_(a, 3.0),
        lambda a, b, c: torch._foreach_div_(a, scal),
        lambda a, b, c: torch._foreach_lerp_(a, b, 0.1),
        lambda a, b, c: torch._foreach_lerp_(a, b, 0.75),
        lambda a, b, c: torch._foreach_addcmul_(a, b, c, 0.05),
        lambda a, b, c: torch._foreach_addcdiv_(a, b, c, -0.3),
        lambda a, b, c: torch._foreach_addcdiv_(a, b, c, scal),
        lambda a, b, c: torch._foreach_sqrt_(b),
    ]
    xo, yo, zo = ([t.to(dev) for t in ts] for ts in (xs, ys, zs))
    for op in ops:
        op(xs, ys, zs)
        op(xo, yo, zo)
        for got, want in zip(xo + yo, xs + ys):
            check(got, want, dtype)
    for got, want in zip(torch._foreach_sqrt(zo), torch._foreach_sqrt(zs)):
        check(got, want, dtype)
    for got, want in zip(torch._foreach_add(xo, zo, alpha=2.0), torch._foreach_add(xs, zs, alpha=2.0)):
        check(got, want, dtype)
