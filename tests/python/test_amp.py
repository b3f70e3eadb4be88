"""Automatic mixed precision on ocl: torch.autocast("ocl") casts by CUDA's op lists and policies,
and torch.amp.GradScaler("ocl") runs on native kernels, both against the CPU."""

import pytest
import torch
import torch.nn.functional as F

from conftest import has_fp64

LOW = [torch.float16, torch.bfloat16]


def rand(*shape, gen, dtype=torch.float32):
    return torch.randn(*shape, generator=gen).to(dtype)


@pytest.mark.parametrize("dt", LOW, ids=str)
def test_autocast_policies(dev, native_only, dt):
    """Products in the autocast dtype, precision-sensitive ops in float32, mixed inputs promoted,
    other ops untouched; products equal the explicit casts' results."""
    gen = torch.Generator().manual_seed(0)
    x, w, b = rand(8, 32, gen=gen).to(dev), rand(16, 32, gen=gen).to(dev), rand(16, gen=gen).to(dev)
    img, k = rand(2, 3, 9, 9, gen=gen).to(dev), rand(4, 3, 3, 3, gen=gen).to(dev)
    with torch.autocast("ocl", dtype=dt):
        y = F.linear(x, w, b)
        assert y.dtype == dt
        torch.testing.assert_close(y, F.linear(x.to(dt), w.to(dt), b.to(dt)), rtol=0, atol=0)
        assert (x @ w.t()).dtype == dt and torch.bmm(x[None], w.t()[None]).dtype == dt
        assert F.conv2d(img, k).dtype == dt
        assert F.scaled_dot_product_attention(x[None, None], x[None, None], x[None, None]).dtype == dt
        # float32 policies: outputs in float32 whatever the input
        for out in (torch.softmax(y, -1), torch.log_softmax(y, -1), F.layer_norm(y, (16,)), y.exp(), y.sum(),
                    F.mse_loss(y, y.detach() * 0.5), torch.cumsum(y, 0)):
            assert out.dtype == torch.float32
        torch.testing.assert_close(torch.softmax(y, -1), torch.softmax(y.float(), -1))
        # promote: the widest input dtype
        assert torch.addcmul(y.float(), y, y).dtype == torch.float32
        # untouched ops keep their input dtype
        assert torch.relu(y).dtype == dt and torch.relu(x).dtype == torch.float32
        with pytest.raises(RuntimeError, match="unsafe to autocast"):
            F.binary_cross_entropy(torch.sigmoid(y), torch.rand(8, 16, device=dev))
        with torch.autocast("ocl", enabled=False):
            assert F.linear(x, w, b).dtype == torch.float32
    assert F.linear(x, w, b).dtype == torch.float32


def test_autocast_default_dtype_is_float16(dev):
    with torch.autocast("ocl"):
        assert torch.get_autocast_dtype("ocl") == torch.float16
        assert torch.is_autocast_enabled("ocl")
    assert not torch.is_autocast_enabled("ocl")


def _mlp(gen):
    model = torch.nn.Sequential(torch.nn.Linear(32, 64), torch.nn.GELU(), torch.nn.LayerNorm(64),
                                torch.nn.Linear(64, 8))
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * 0.2)
    return model


@pytest.mark.parametrize("dt", LOW, ids=str)
def test_autocast_training_matches_cpu(dev, native_only, dt):
    """Autocast forward + backward + AdamW: float32 parameters and gradients, losses as on the CPU
    under its own autocast (the same lists for these layers) within 16-bit tolerance."""
    gen = torch.Generator().manual_seed(1)
    cpu = _mlp(gen)
    ocl = _mlp(torch.Generator().manual_seed(1)).to(dev)
    opts = [torch.optim.AdamW(m.parameters(), lr=1e-2) for m in (cpu, ocl)]
    for step in range(3):
        x, t = rand(16, 32, gen=gen), rand(16, 8, gen=gen)
        losses = []
        for model, opt, d in ((cpu, opts[0], "cpu"), (ocl, opts[1], dev)):
            with torch.autocast(d if d == "cpu" else "ocl", dtype=dt):
                out = model(x.to(d))
                assert out.dtype == dt
                loss = F.mse_loss(out, t.to(d))
            assert loss.dtype == torch.float32
            opt.zero_grad()
            loss.backward()
            assert all(p.grad.dtype == torch.float32 for p in model.parameters())
            opt.step()
            losses.append(loss.item())
        tol = 2e-2 if dt == torch.bfloat16 else 5e-3
        assert abs(losses[0] - losses[1]) <= tol * abs(losses[0]), (step, losses)
    for a, b in zip(cpu.parameters(), ocl.parameters()):
        torch.testing.assert_close(b.detach().cpu(), a.detach(), rtol=5e-2, atol=5e-3)


def _grad_dtypes():
    return [torch.float32, torch.float16, torch.bfloat16] + ([torch.float64] if has_fp64() else [])


@pytest.mark.parametrize("inv", [0.25, 1.0], ids=["inv0.25", "inv1"])
def test_unscale_matches_cpu(dev, native_only, inv):
    gen = torch.Generator().manual_seed(2)
    for dt in _grad_dtypes():
        for bad in (None, float("inf"), float("nan"), -float("inf")):
            grads = [rand(37, gen=gen, dtype=dt), rand(6, 5, gen=gen, dtype=dt).t(), rand(4, 9, gen=gen, dtype=dt),
                     rand(0, gen=gen, dtype=dt), rand(3, 3, 3, gen=gen, dtype=dt)]
            if bad is not None:
                grads[2][1, 3] = bad
            views = [g.to(dev) for g in grads[:-1]]
            # a sliced (not dense) gradient: unscaled in place through its view
            big = grads[-1].to(dev)
            views.append(big[:, 1])
            cpu_views = grads[:-1] + [grads[-1][:, 1]]
            found = [torch.zeros(1), torch.zeros(1, device=dev)]
            scales = [torch.full((1,), inv), torch.full((1,), inv, device=dev)]
            torch._amp_foreach_non_finite_check_and_unscale_(cpu_views, found[0], scales[0])
            torch._amp_foreach_non_finite_check_and_unscale_(views, found[1], scales[1])
            assert found[1].item() == found[0].item() == (0.0 if bad is None else 1.0)
            for v, c in zip(views, cpu_views):
                assert v.dtype == dt
                torch.testing.assert_close(v.cpu(), c, rtol=0, atol=0, equal_nan=True)
            torch.testing.assert_close(big.cpu(), grads[-1], rtol=0, atol=0)  # the rest untouched


def test_update_scale_matches_cpu(dev, native_only):
    """Back-off on overflow, growth after `interval` clean steps, no growth past float's range."""
    for start in (65536.0, 3.0e38):
        s = [torch.full((1,), start), torch.full((1,), start, device=dev)]
        tr = [torch.zeros(1, dtype=torch.int32), torch.zeros(1, dtype=torch.int32, device=dev)]
        for step, inf in enumerate([0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0]):
            for i, d in enumerate(("cpu", dev)):
                found = torch.full((1,), float(inf), device=d)
                out = torch._amp_update_scale_(s[i], tr[i], found, 2.0, 0.5, 3)
                assert out is s[i]
            assert s[1].item() == s[0].item() and tr[1].item() == tr[0].item(), (start, step)


def test_grad_scaler_matches_cpu(dev, native_only):
    """GradScaler("ocl") against GradScaler("cpu") over steps with an overflow in between: the same
    scales, skipped step and parameters."""
    gen = torch.Generator().manual_seed(3)
    cpu = _mlp(gen)
    ocl = _mlp(torch.Generator().manual_seed(3)).to(dev)
    opts = [torch.optim.SGD(m.parameters(), lr=0.1) for m in (cpu, ocl)]
    scalers = [torch.amp.GradScaler("cpu", init_scale=1024.0, growth_interval=2),
               torch.amp.GradScaler("ocl", init_scale=1024.0, growth_interval=2)]
    for step in range(6):
        x, t = rand(16, 32, gen=gen), rand(16, 8, gen=gen)
        if step == 3:
            x[0, 0] = float("inf")
        for model, opt, sc, d in zip((cpu, ocl), opts, scalers, ("cpu", dev)):
            opt.zero_grad()
            loss = F.mse_loss(model(x.to(d)), t.to(d))
            sc.scale(loss).backward()
            sc.step(opt)
            sc.update()
        assert scalers[1].get_scale() == scalers[0].get_scale(), step
    for a, b in zip(cpu.parameters(), ocl.parameters()):
        torch.testing.assert_close(b.detach().cpu(), a.detach(), rtol=1e-4, atol=1e-5)


def test_amp_ops_bad_arguments(dev):
    g = [torch.randn(4, device=dev)]
    ok_found, ok_inv = torch.zeros(1, device=dev), torch.ones(1, device=dev)
    with pytest.raises(RuntimeError, match="found_inf must be a float tensor"):
        torch._amp_foreach_non_finite_check_and_unscale_(g, torch.zeros(1, dtype=torch.float64, device=dev), ok_inv)
    with pytest.raises(RuntimeError, match="inv_scale must be a 1-element tensor"):
        torch._amp_foreach_non_finite_check_and_unscale_(g, ok_found, torch.ones(2, device=dev))
    with pytest.raises(RuntimeError, match="not a floating point tensor"):
        torch._amp_foreach_non_finite_check_and_unscale_([torch.ones(4, dtype=torch.int32, device=dev)], ok_found,
                                                         ok_inv)
    with pytest.raises(RuntimeError, match="growth_tracker must be an int tensor"):
        torch._amp_update_scale_(torch.ones(1, device=dev), torch.zeros(1, device=dev), ok_found, 2.0, 0.5, 3)
    with pytest.raises(RuntimeError, match="current_scale must be a 1-element tensor"):
        torch._amp_update_scale_(torch.ones(2, device=dev), torch.zeros(1, dtype=torch.int32, device=dev), ok_found,
                                 2.0, 0.5, 3)
