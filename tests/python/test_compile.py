"""torch.compile on ocl (Inductor with generated OpenCL kernels) against eager ocl and the CPU."""

import logging
import re
import threading

import pytest
import torch
import torch._dynamo
import torch._dynamo.testing
import torch.nn.functional as F
import torch.utils._python_dispatch
from torch._inductor.utils import run_and_get_code

import torch_ocl
from torch_ocl._inductor import codegen_config, fallbacks
from torch_ocl._inductor.runtime import OclKernel, OclKernelBuildError

DEV = "ocl"


@pytest.fixture(autouse=True)
def _reset():
    torch._dynamo.reset()
    yield
    torch._dynamo.reset()


def _tol(dtype):
    return {torch.float16: 2e-3, torch.bfloat16: 2e-2}.get(dtype, 1e-5)


def check(fn, *args, dtype=torch.float32, **compile_kwargs):
    """compiled(ocl) == eager(ocl) and == eager(CPU); returns the compiled result."""
    compiled = torch.compile(fn, **compile_kwargs)
    got, code = run_and_get_code(compiled, *args)
    assert "__kernel void generated" in "\n".join(code)  # a generated OpenCL kernel ran
    want = fn(*args)
    cpu = fn(*[a.cpu() if isinstance(a, torch.Tensor) else a for a in args])
    got_t, want_t, cpu_t = (r if isinstance(r, tuple) else (r,) for r in (got, want, cpu))
    for g, w, c in zip(got_t, want_t, cpu_t):
        assert g.device.type == DEV and g.dtype == w.dtype and g.shape == w.shape
        tol = _tol(dtype)
        torch.testing.assert_close(g.cpu(), w.cpu(), rtol=tol, atol=tol, equal_nan=True)
        torch.testing.assert_close(g.cpu(), c, rtol=tol * 10, atol=tol * 10, equal_nan=True)
    return got


def _kernels_built():
    return torch_ocl.kernel_cache_stats()


def test_kernels_are_named_after_their_kind_and_ops():
    # as Triton's are (triton_poi_fused_add_sin_0), so profiles pair kernels across backends
    x = torch.randn(6, 40, device=DEV)
    for fn, want in [(lambda t: t.sin() * 2, r"ocl_poi_fused_mul_sin_\d+"),
                     (lambda t: (t.cos() + 1).sum(-1), r"ocl_red_fused_add_cos_sum_\d+")]:
        code = "\n".join(run_and_get_code(torch.compile(fn), x)[1])
        names = set(re.findall(r"\bocl_(?:poi|red)_\w+?_\d+\b", code))
        assert any(re.fullmatch(want, n) for n in names), names


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.bfloat16])
def test_fused_float_chain(dtype):
    def fn(x, y):
        z = torch.sigmoid(x) * y + torch.tanh(x) - torch.exp(-x.abs())
        return torch.where(z > 0, z, z * 0.1), (x / (y.abs() + 1)).sqrt().log1p()

    x = torch.randn(5, 33, device=DEV).to(dtype)
    y = torch.randn(5, 33, device=DEV).to(dtype)
    check(fn, x, y, dtype=dtype)


def test_fused_int32_and_bool():
    def fn(a, b, m):
        c = (a * 3 - b) // 2 + a % 5
        return c, (c > 0) & m, torch.where(m, a, -b), (a.float() / 3).to(torch.int32)

    a = torch.randint(-50, 50, (7, 9), device=DEV, dtype=torch.int32)
    b = torch.randint(-50, 50, (7, 9), device=DEV, dtype=torch.int32)
    m = torch.rand(7, 9, device=DEV) > 0.5
    check(fn, a, b, m, dtype=torch.int32)


def test_math_ops_gelu_silu_pow_erf():
    def fn(x):
        return F.gelu(x), F.silu(x), torch.pow(x.abs(), 1.7), torch.erf(x), x.clamp(-0.5, 0.5), torch.round(x * 3)

    check(fn, torch.randn(64, device=DEV))


def test_broadcast_and_noncontiguous():
    def fn(x, y, b):
        return (x + y) * b, x.t() * 2

    x = torch.randn(8, 12, device=DEV)
    y = torch.randn(12, 8, device=DEV).t()  # transposed
    b = torch.randn(12, device=DEV)
    check(fn, x, y, b)
    base = torch.randn(10, 20, device=DEV)
    check(lambda s: torch.cos(s) + 1, base[1:9:2, 3:17:3])  # sliced with steps


@pytest.mark.parametrize("dim", [0, 1, -1])
def test_sum_dims(dim):
    x = torch.randn(6, 7, 5, device=DEV)
    check(lambda t: (t * 2).sum(dim), x)


def test_reductions():
    x = torch.randn(9, 31, device=DEV)
    x[2, 5] = 4.0
    check(lambda t: (t.amax(1), t.amin(0), t.argmax(1), t.argmin(0), t.prod(1)), x)
    check(lambda t: (t > 1).any(1), x)
    check(lambda t: torch.var_mean(t, dim=1), x)
    check(lambda t: torch.var_mean(t, dim=0, correction=0), x)
    check(lambda t: t.sum(), x)


def test_full_tensor_reductions_use_work_groups():
    # long rows take a work-group each and combine through local memory
    from torch_ocl._inductor.runtime import reduction_blocks

    assert reduction_blocks(1, 100000, 0)[1] > 1 and reduction_blocks(1000, 8, 0)[1] == 1
    x = torch.randn(300001, device=DEV)
    x[123457] = 7.5  # the maximum, away from the first work items
    check(lambda t: (t.sum(), t.amax(), t.argmax(), t.amin(), t.argmin()), x)
    check(lambda t: torch.var_mean(t), x)
    check(lambda t: (t * 3).sum() + 1, torch.randn(1000000, device=DEV))
    check(lambda t: ((t > 3.5).any(), (t.abs() < 5).all()), x)


def test_index_type_is_int_where_everything_fits(monkeypatch):
    # 32-bit index arithmetic (64-bit division and modulo are slow on GPUs) unless an index could
    # pass 2^31; the long variant is checked by lowering the limit
    from torch_ocl._inductor import kernel

    x = torch.randn(10, 30, 7, device=DEV)

    def fn(t):
        return (t.permute(2, 0, 1) * 2).contiguous() + t.sum(1).view(10, 1, 7).permute(2, 0, 1)

    for limit, index_type in ((kernel.INT_INDEX_MAX, "int"), (100, "long")):
        monkeypatch.setattr(kernel, "INT_INDEX_MAX", limit)
        torch._dynamo.reset()
        with torch._inductor.config.patch(fx_graph_cache=False):
            got, code = run_and_get_code(torch.compile(fn), x)
        assert f"    {index_type} xindex" in "\n".join(code)
        torch.testing.assert_close(got.cpu(), fn(x.cpu()), rtol=1e-5, atol=1e-5)


def test_launches_past_the_grid_cap():
    # pointwise and one-row-per-work-item kernels launch at most a device-filling grid of full
    # work-groups; the grid-stride loop covers the elements past it
    from torch_ocl._inductor.runtime import flat_launch

    n = 3_000_000
    global_size, local_size = flat_launch(n, 0)
    assert global_size % local_size == 0 and global_size < n
    assert local_size % 64 == 0 or local_size == torch.ocl.get_device_properties(0).max_work_group_size
    x = torch.randn(n, device=DEV)
    got = check(lambda t: torch.sigmoid(t) * t + 1, x)
    torch.testing.assert_close(got[-5:].cpu(), (torch.sigmoid(x[-5:]) * x[-5:] + 1).cpu())
    check(lambda t: t.view(-1, 6).sum(-1) * 2, x)  # 500000 rows of 6


def test_pointwise_kernels_take_several_elements_per_work_item(monkeypatch):
    """Past a device-filling grid a pointwise kernel's work item takes XPER (2 or 4) elements a
    grid apart per step, all loads first; a last step past the end stores only its valid copies.
    Every dtype, broadcast, strided and in-place operands, dynamic sizes crossing XPER variants."""
    from torch_ocl._inductor import runtime

    seen = []
    variant = runtime.OclKernel._variant
    monkeypatch.setattr(runtime.OclKernel, "_variant", lambda self, blocks, device: (
        seen.append(blocks), variant(self, blocks, device))[1])
    grid = runtime.flat_launch(1 << 30, 0)[0]
    assert runtime.pointwise_per(grid, 0) == 1 and runtime.pointwise_per(2 * grid, 0) == 2
    assert runtime.pointwise_per(4 * grid + 1, 0) == 4 and runtime.pointwise_per(100 * grid, 0) == 4
    for n, per in ((grid // 3, 1), (2 * grid + 7, 2), (4 * grid + 13, 4)):
        for dtype in (torch.float32, torch.bfloat16, torch.float16, torch.int32):
            torch._dynamo.reset()
            seen.clear()
            x = (torch.randn(-(-n // 3), 3) * 4).to(dtype).to(DEV)  # 3 * rows elements, about n
            b = (torch.randn(3) * 4).to(dtype).to(DEV)
            check(lambda t, c: (t * 2 + c).abs() - (t > c).to(t.dtype), x, b, dtype=dtype)
            assert (per,) in seen, (n, seen)
            check(lambda t: t.t() * 3 - 1, x, dtype=dtype)  # strided loads
        y = torch.randn(n, device=DEV)
        want = y.cpu() * 2 + 1
        torch.compile(lambda t: t.mul_(2).add_(1))(y)
        torch.testing.assert_close(y.cpu(), want)
    torch._dynamo.reset()
    compiled = torch.compile(lambda t: torch.sigmoid(t) * 2, dynamic=True)
    for n in (100, 2 * grid + 3, 4 * grid + 5, 50):
        x = torch.randn(n, device=DEV)
        torch.testing.assert_close(compiled(x).cpu(), torch.sigmoid(x.cpu()) * 2)


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_outer_reductions_read_neighbouring_rows_together(dtype):
    # reductions over the leading dims (rows neighbours in memory, as batch norm statistics of a
    # channels-last image) launch with a group's rows as its fastest work items (XFAST)
    from torch_ocl._inductor import runtime

    x = torch.randn(20000, 48, device=DEV).to(dtype)
    img = torch.randn(8, 24, 30, 30, device=DEV).to(dtype).to(memory_format=torch.channels_last)
    launched = []
    original = runtime.reduction_blocks

    def record(*args, **kwargs):
        launched.append(original(*args, **kwargs))
        return launched[-1]

    runtime.reduction_blocks = record
    try:
        for fn, arg in [(lambda t: t.sum(0), x), (lambda t: (t * 2).amax(0), x), (lambda t: t.argmax(0), x),
                        (lambda t: torch.var_mean(t.float(), (0, 2, 3), correction=0), img)]:
            torch._dynamo.reset()
            got, code = run_and_get_code(torch.compile(fn), arg)
            assert "outer=True" in "\n".join(code)
            want, cpu = fn(arg), fn(arg.cpu())
            for g, w, c in zip(*(r if isinstance(r, tuple) else (r,) for r in (got, want, cpu))):
                tol = 1e-3 if dtype == torch.float32 else 5e-2
                torch.testing.assert_close(g.cpu(), w.cpu(), rtol=tol, atol=tol)
                torch.testing.assert_close(g.cpu(), c, rtol=tol, atol=tol)
    finally:
        runtime.reduction_blocks = original
    assert any(xfast and rb > 1 for _, rb, xfast in launched), launched  # the multi-lane x-fast layout ran


def test_reductions_over_warps():
    """Rows of one, two and eight warps' worth of work items (RBLOCK 32, 64, 256) in every
    combine kind (sum in float/int64/float64, max with a NaN, argmax with ties, any, Welford,
    softmax in bfloat16): the warp-shuffle combine where it runs (NVIDIA, and through
    test_warp_shuffle_combines_emulated), the local-memory tree elsewhere."""
    from torch_ocl._inductor import runtime

    launched = []
    original = runtime.reduction_blocks

    def record(*args, **kwargs):
        launched.append(original(*args, **kwargs)[1])
        return original(*args, **kwargs)

    runtime.reduction_blocks = record
    try:
        for cols in (32 * runtime.ROW_PER, 50 * runtime.ROW_PER, 3000):  # about 32, 50 and 750 work items
            torch._dynamo.reset()
            x = torch.randn(6, cols, device=DEV) * 3
            x[1, cols // 3] = float("nan")
            x[2, 5] = x[2, cols - 3] = 100.0  # argmax ties: the first index wins
            ints = torch.randint(-1000, 1000, (6, cols), device=DEV)
            check(lambda t: (t.sum(1), t.amax(1), t.argmax(1), (t > 4).any(1)), x)
            check(lambda t: torch.var_mean(t, 1), torch.nan_to_num(x))
            check(lambda t: (t * 3).sum(1), ints, dtype=torch.int64)
            check(lambda t: t.double().sum(1), x)
            check(lambda t: torch.softmax(t * 0.5, -1), torch.nan_to_num(x).to(torch.bfloat16), dtype=torch.bfloat16)
    finally:
        runtime.reduction_blocks = original
    assert {32, 64, 256} <= set(launched), launched


def test_welford_combines_take_the_tree():
    # measured slower by warp shuffles (reduction.py's combine_code): a loop with a Welford
    # combine has no shuffle path, a loop of max and sum combines has one
    x = torch.randn(4, 1000, device=DEV)
    for fn, shuffles in ((lambda t: torch.var_mean(t, -1), False), (lambda t: torch.softmax(t, -1), True)):
        code = "\n".join(run_and_get_code(torch.compile(fn), x)[1])
        assert ("#if WARP_SHFL && !XFAST" in code) == shuffles, code
        torch._dynamo.reset()


def test_warp_shuffle_combines_emulated():
    """The warp-shuffle combine (NVIDIA's shfl.sync) run through local memory on another device
    (TORCH_OCL_MMA_EMULATE=1): the reduction tests with it. A device that cannot build the
    shuffles falls back to the tree."""
    import os
    import subprocess
    import sys

    if "NVIDIA" in torch.ocl.get_device_name():
        pytest.skip("the shuffles run natively in this module")
    from torch_ocl._inductor import runtime

    assert runtime.warp_shuffles(0) == 0
    # a device whose compiler rejects the shuffles' PTX (this one: no inline assembly) builds
    # the tree instead, with a warning
    runtime._shuffles[0] = 1
    try:
        with pytest.warns(UserWarning, match="warp shuffles are off for device 0"):
            check(lambda t: torch.softmax(t, -1), torch.randn(3, 1000, device=DEV))
        assert runtime.warp_shuffles(0) == 0
    finally:
        runtime._shuffles[0] = 0
    env = dict(os.environ, TORCH_OCL_MMA_EMULATE="1")
    code = "from torch_ocl._inductor import runtime; assert runtime.warp_shuffles(0) == 2"
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    cases = "reductions_over_warps or rows_kept_in_registers or long_row or full_tensor_reductions"
    p = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", __file__, "-k", cases],
                       capture_output=True, text=True, env=env, timeout=3000)
    assert p.returncode == 0 and " passed" in p.stdout, p.stdout[-4000:] + p.stderr[-2000:]


def test_long_row_softmax_and_epilogue():
    x = torch.randn(4, 50000, device=DEV)
    check(lambda t: torch.softmax(t, -1), x)
    check(lambda t: F.log_softmax(t * 2, -1), x)
    # x-only epilogue after the combine is stored once per row; 3 rows of 128 leave a row slot empty
    b = torch.randn(3, device=DEV)
    check(lambda t, c: (t.sum(1) * 2 + c, t.norm(dim=1)), torch.randn(3, 128, device=DEV), b)
    check(lambda t: torch.var_mean(t, dim=1, correction=1), torch.randn(5, 1000, device=DEV) * 3 + 1)


def test_long_row_arg_reductions_nan_and_ties():
    x = torch.zeros(3, 5000, device=DEV)
    x[0, 4000] = 2.0
    x[0, 300] = 2.0  # tie: the smaller index wins across work items
    x[1, 2000] = float("nan")
    x[1, 4999] = float("nan")  # first NaN wins
    x[1, 10] = 9.0
    x[2] = -float("inf")  # all equal: index 0
    check(lambda t: (t.argmax(1), t.argmin(1), t.amax(1), t.amin(1)), x)
    i = torch.randint(-1000, 1000, (2, 3000), device=DEV, dtype=torch.int32)
    i[0, 2999] = 5000
    check(lambda t: (t.argmax(1), t.amax(1), t.sum(1), t.min(1).values), i, dtype=torch.int32)
    p = 1 + torch.randn(2, 700, device=DEV) * 1e-3
    check(lambda t: t.prod(1), p)


def test_long_rows_dynamic_shapes():
    def fn(x):
        return torch.softmax(x, -1).amax(-1) + x.mean(-1)

    cnt = torch._dynamo.testing.CompileCounterWithBackend("inductor")
    compiled = torch.compile(fn, backend=cnt, dynamic=True)
    for shape in ((3, 40), (2, 3000)):  # one work item per row, then a work-group per row
        x = torch.randn(*shape, device=DEV)
        torch.testing.assert_close(compiled(x).cpu(), fn(x.cpu()), rtol=1e-5, atol=1e-5)
    assert cnt.frame_count == 1


def test_rows_kept_in_registers(monkeypatch):
    """A reduction kernel whose loops read a row again (softmax: max, sum, normalise; then
    layer_norm over the stored result) keeps rows of up to ROW_KEPT_MAX elements per work item in
    registers (PER > 0, loads and stored values taken from them) and loops over longer ones;
    both match eager, in every dtype, for inner and outer reductions and dynamic sizes."""
    from torch_ocl._inductor import runtime

    seen = []
    variant = runtime.OclKernel._variant
    monkeypatch.setattr(runtime.OclKernel, "_variant", lambda self, blocks, device: (
        seen.append((self.rows_kept, blocks)), variant(self, blocks, device))[1])

    def chain(t, w, b):
        y = torch.softmax(t * 0.5, -1)
        return F.layer_norm(y, (t.shape[-1],), w, b)

    for cols in (12, 1000, 3000, 5000):  # one work item per row (PER 12), PER 4, PER 12, a loop
        for dtype in (torch.float32, torch.bfloat16):
            x = (torch.randn(7, cols) * 3).to(dtype).to(DEV)
            w, b = torch.randn(cols, device=DEV).to(dtype), torch.randn(cols, device=DEV).to(dtype)
            seen.clear()
            got = check(chain, x, w, b, dtype=dtype)
            pers = {blocks[3] for kept, blocks in seen if kept}
            assert pers == {{12: 12, 1000: 4, 3000: 12, 5000: 0}[cols]}, (cols, seen)
            torch._dynamo.reset()
    xi = torch.randint(-50, 50, (9, 600), device=DEV, dtype=torch.int32)
    check(lambda t: t - t.amax(-1, keepdim=True) + t.sum(-1, keepdim=True), xi, dtype=torch.int32)
    check(lambda t: torch.softmax(t, 0) * t.amax(0), torch.randn(700, 33, device=DEV))
    # one-pass reductions fetch their elements before the loop's body too (PER > 0); a load
    # with a computed index (u[j]) or under a mask (the padding) stays in the body
    x, j, u = torch.randn(7, 1000, device=DEV), torch.randint(0, 50, (7, 1000), device=DEV), torch.randn(50, device=DEV)
    seen.clear()
    got, code = run_and_get_code(torch.compile(lambda t, i, v: (t * v[i]).sum(-1) + F.pad(t, (3, 2)).amax(-1)), x, j, u)
    want = (x.cpu() * u.cpu()[j.cpu()]).sum(-1) + F.pad(x.cpu(), (3, 2)).amax(-1)
    torch.testing.assert_close(got.cpu(), want, rtol=1e-4, atol=1e-4)
    assert "[rk] = " in "\n".join(code) and {b[3] for kept, b in seen if kept} == {4}, seen
    torch._dynamo.reset()
    seen.clear()  # an outer reduction (32 rows x 8 work items per group) keeping 16 elements each
    check(lambda t: torch.softmax(t, 0) * t.amax(0), torch.randn(128, 33, device=DEV))
    assert (1, 16) in {(b[2], b[3]) for kept, b in seen if kept}, seen
    cnt = torch._dynamo.testing.CompileCounterWithBackend("inductor")
    compiled = torch.compile(lambda t: torch.softmax(t, -1) * t.sum(-1, keepdim=True), backend=cnt, dynamic=True)
    for cols in (1000, 3000, 9000):
        x = torch.randn(5, cols, device=DEV)
        torch.testing.assert_close(compiled(x).cpu(), torch.softmax(x.cpu(), -1) * x.cpu().sum(-1, keepdim=True),
                                   rtol=1e-4, atol=1e-4)
    assert cnt.frame_count == 1


def test_rows_kept_switch():
    """TORCH_OCL_COMPILE_ROW_KEPT_MAX=0 reads rows from memory in every loop (same results),
    TORCH_OCL_COMPILE_ROW_PER sets the elements per work item of long rows; a bad value of
    either is a clear error."""
    from conftest import run_python

    code = """
import torch, torch_ocl
from torch_ocl._inductor import runtime
x = torch.randn(5, 1000, device="ocl")
fn = torch.compile(lambda t: torch.softmax(t, -1))
torch.testing.assert_close(fn(x).cpu(), torch.softmax(x.cpu(), -1))
print("max", runtime.ROW_KEPT_MAX, runtime.row_elements(1000, 256), runtime.reduction_blocks(5, 1000, 0)[1])
"""
    assert run_python(code, env={"TORCH_OCL_COMPILE_ROW_KEPT_MAX": "0"})[1].split()[-4:] == ["max", "0", "0", "256"]
    assert run_python(code, env={"TORCH_OCL_COMPILE_ROW_PER": "32"})[1].split()[-4:] == ["max", "16", "4", "32"]
    for name, value in (("TORCH_OCL_COMPILE_ROW_KEPT_MAX", "many"), ("TORCH_OCL_COMPILE_ROW_PER", "0")):
        rc, _, err = run_python(code, env={name: value}, check=False)
        assert rc != 0 and f'{name}="{value}" is not a count' in err


def test_softmax_layernorm_cross_entropy_plain_ops():
    def softmax(x):
        e = torch.exp(x - x.amax(-1, keepdim=True))
        return e / e.sum(-1, keepdim=True)

    def layer_norm(x, w, b):
        mean = x.mean(-1, keepdim=True)
        var = ((x - mean) ** 2).mean(-1, keepdim=True)
        return (x - mean) / torch.sqrt(var + 1e-5) * w + b

    def cross_entropy(logits, target):
        lse = torch.logsumexp(logits, -1)
        return (lse - logits.gather(1, target[:, None])[:, 0]).mean()

    x = torch.randn(6, 40, device=DEV)
    check(softmax, x)
    check(layer_norm, x, torch.randn(40, device=DEV), torch.randn(40, device=DEV))
    check(cross_entropy, x, torch.randint(0, 40, (6,), device=DEV))
    check(lambda t: (F.softmax(t, -1), F.layer_norm(t, (40,))), x)


def test_layer_norm_backward_stays_native_on_ocl():
    """layer_norm's backward runs our native kernel inside compiled ocl graphs (the rest, forward
    layer_norm and softmax included, is generated code) and matches eager; with keep_native off
    it is decomposed like the rest; other devices keep the decomposition."""

    def step(x, w, b, g):
        y = F.layer_norm(x * 2, (x.shape[-1],), w, b)
        out = F.softmax(y, -1) * g + F.log_softmax(y, -1)
        out.backward(g)
        return out

    def leaves(*ts):
        return [t.detach().clone().requires_grad_(i < 3) for i, t in enumerate(ts)]

    native = "aten.native_layer_norm_backward.default("
    for dtype, keep in ((torch.float32, True), (torch.bfloat16, True), (torch.float32, False)):
        torch._dynamo.reset()
        args = [torch.randn(*s, device=DEV).to(dtype) for s in ((6, 40), (40,), (40,), (6, 40))]
        a, e = leaves(*args), leaves(*args)
        with codegen_config.patch(keep_native=keep):
            got, code = run_and_get_code(torch.compile(step), *a)
        code = "\n".join(code)
        assert (native in code) == keep
        assert "__kernel void generated" in code and "aten._softmax.default(" not in code
        want = step(*e)
        tol = _tol(dtype)
        for g, w in zip([got] + [t.grad for t in a[:3]], [want] + [t.grad for t in e[:3]]):
            torch.testing.assert_close(g.cpu(), w.cpu(), rtol=tol, atol=tol)
    x = torch.randn(3, 8, requires_grad=True)
    cpu_code = "\n".join(run_and_get_code(torch.compile(lambda t: F.layer_norm(t, (8,)).sum().backward()), x)[1])
    assert "native_layer_norm_backward.default(" not in cpu_code


def test_native_layer_norm_backward_of_permuted_input():
    # ConvNeXt normalises activations permuted from convolutions; in its compiled backward the
    # kept op's input and statistics had the strides below. The graph's strides for the gradient
    # come from the decomposition, which follows them; the native kernel's gradient is contiguous
    def backward(go, x, mean, rstd, w, b):
        dx, dw, db = torch.ops.aten.native_layer_norm_backward(go, x, [16], mean, rstd, w, b, [True] * 3)
        return dx * 2, dw, db

    def strided(size, stride):
        return torch.randn(size[0] * stride[0], device=DEV).as_strided(size, stride)

    args = (strided((3, 2, 2, 16), (64, 16, 32, 1)), strided((3, 2, 2, 16), (64, 1, 32, 2)),
            strided((3, 2, 2, 1), (4, 1, 2, 2)), strided((3, 2, 2, 1), (4, 1, 2, 2)).abs() + 0.5,
            torch.randn(16, device=DEV), torch.randn(16, device=DEV))
    for got, want in zip(torch.compile(backward)(*args), backward(*args)):
        torch.testing.assert_close(got.cpu(), want.cpu(), rtol=1e-5, atol=1e-5)


def test_inplace_mutation_of_input():
    def fn(x, y):
        x.mul_(2).add_(y)
        return x.sum()

    x = torch.randn(4, 16, device=DEV)
    y = torch.randn(4, 16, device=DEV)
    x_eager = x.clone()
    got = torch.compile(fn)(x, y)
    want = fn(x_eager, y)
    torch.testing.assert_close(x.cpu(), x_eager.cpu())
    torch.testing.assert_close(got.cpu(), want.cpu(), rtol=1e-5, atol=1e-5)


def test_graph_break():
    def fn(x):
        y = torch.exp(x) + 1
        print("graph break")
        return y * torch.sin(x)

    cnt = torch._dynamo.testing.CompileCounterWithBackend("inductor")
    x = torch.randn(32, device=DEV)
    got = torch.compile(fn, backend=cnt)(x)
    torch.testing.assert_close(got.cpu(), fn(x).cpu(), rtol=1e-5, atol=1e-5)
    assert cnt.frame_count == 2


def test_dynamic_batch_no_recompile():
    def fn(x, w):
        return torch.tanh(x * w).sum(-1)

    cnt = torch._dynamo.testing.CompileCounterWithBackend("inductor")
    compiled = torch.compile(fn, backend=cnt, dynamic=True)
    w = torch.randn(24, device=DEV)
    for batch in (3, 7):
        x = torch.randn(batch, 24, device=DEV)
        torch.testing.assert_close(compiled(x, w).cpu(), fn(x, w).cpu(), rtol=1e-5, atol=1e-5)
    assert cnt.frame_count == 1


def test_dynamic_python_floats_and_attention():
    # dynamic=True: Python floats become 0-d CPU tensors, which the kernels take by value (in
    # pointwise and reduction kernels); attention chooses its kernel on symbolic sizes
    def fn(x, scale, bias):
        return torch.tanh(x * scale + bias), (x * scale).amax(-1)

    cnt = torch._dynamo.testing.CompileCounterWithBackend("inductor")
    compiled = torch.compile(fn, backend=cnt, dynamic=True)
    for batch, scale, bias in ((3, 0.5, 1.25), (7, -2.0, 0.0), (5, 3.5, -1.5)):
        x = torch.randn(batch, 24, device=DEV)
        for g, w in zip(compiled(x, scale, bias), fn(x.cpu(), scale, bias)):
            torch.testing.assert_close(g.cpu(), w, rtol=1e-5, atol=1e-5)
    assert cnt.frame_count == 1

    # a symbolic int's true division (1 / p) is a float value in the kernel, not a long
    compiled = torch.compile(lambda a, b, p: torch.dist(a, b, p), dynamic=True)
    a, b = torch.randn(5, 7, device=DEV), torch.randn(5, 7, device=DEV)
    for p in (3, 4):
        torch.testing.assert_close(compiled(a, b, p).cpu(), torch.dist(a.cpu(), b.cpu(), p), rtol=1e-5, atol=1e-5)

    def attend(q, k, v):
        return F.scaled_dot_product_attention(q, k, v, is_causal=True) * 2

    cnt = torch._dynamo.testing.CompileCounterWithBackend("inductor")
    compiled = torch.compile(attend, backend=cnt, dynamic=True)
    for b, t in ((3, 20), (4, 24), (5, 33)):  # sizes unlike the heads' and head dim's (duck sizing)
        q, k, v = (torch.randn(b, 2, t, 16, device=DEV) for _ in range(3))
        torch.testing.assert_close(compiled(q, k, v).cpu(), attend(q, k, v).cpu(), rtol=1e-4, atol=1e-4)
    assert cnt.frame_count == 1


def test_mm_stays_extern_on_ocl():
    def fn(a, b, bias):
        return torch.relu(a @ b + bias)

    torch_ocl.reset_fallback_counts()
    check(fn, torch.randn(8, 16, device=DEV), torch.randn(16, 4, device=DEV), torch.randn(4, device=DEV))
    assert torch_ocl.fallback_counts() == {}  # no CPU round trip


def test_max_autotune_no_cudagraphs_runs():
    # no Triton templates to tune on ocl: the matrix product stays an extern call
    def fn(a, b, bias):
        return torch.softmax(torch.relu(a @ b + bias), -1)

    torch_ocl.reset_fallback_counts()
    args = (torch.randn(8, 16, device=DEV), torch.randn(16, 300, device=DEV), torch.randn(300, device=DEV))
    check(fn, *args, mode="max-autotune-no-cudagraphs")
    assert torch_ocl.fallback_counts() == {}


def test_max_autotune_chooses_among_gemm_configurations(tmp_path):
    """max-autotune times 16-bit mm/bmm/addmm in each candidate tensor-core configuration (extern
    kernels setting it per call) besides ATen's call, and the graph calls the fastest; results
    match eager. Emulated off NVIDIA (TORCH_OCL_MMA_EMULATE=1, in a child process)."""
    from conftest import run_python

    code = """
import torch, torch_ocl
from torch_ocl import _C
from torch._inductor.utils import run_and_get_code
set_config = _C._set_mma_config
seen = set()
def record(config, device):
    seen.add(config)
    set_config(config, device)
_C._set_mma_config = record
g = torch.Generator().manual_seed(5)
for dt in (torch.bfloat16, torch.float16):
    a, b = (torch.randn(2, 96, 200, generator=g).to(dt).to("ocl") for _ in range(2))
    w, bias = torch.randn(200, 72, generator=g).to(dt).to("ocl"), torch.randn(72, generator=g).to(dt).to("ocl")
    def fn(x, y, w, bias):
        return torch.bmm(x, y.transpose(1, 2)).relu(), torch.addmm(bias, x[0], w, beta=0.5, alpha=2.0), x[1] @ w
    got, code = run_and_get_code(torch.compile(fn, mode="max-autotune-no-cudagraphs"), a, b, w, bias)
    for g_, e in zip(got, fn(a, b, w, bias)):
        torch.testing.assert_close(g_.cpu().float(), e.cpu().float(), rtol=2e-2, atol=2e-1)
    torch._dynamo.reset()
configs = seen - {""}
print("configs", len(configs))
try:
    set_config("80,128,32,3,2,2", 0)
except RuntimeError as e:
    print("error", "is not bm,bn,bk" in str(e))
"""
    env = {"TORCHINDUCTOR_CACHE_DIR": str(tmp_path)}
    if "NVIDIA" not in torch.ocl.get_device_name():
        env["TORCH_OCL_MMA_EMULATE"] = "1"
    out = run_python(code, env=env)[1].split()
    assert out[-4:-2] == ["configs", "8"], out  # 5 configurations and 3 split-K ones
    assert out[-2:] == ["error", "True"]


def test_autotuning_times_ocl_work_on_ocl(monkeypatch):
    # Inductor's benchmarker (max-autotune's choice among candidates) times ocl calls with ocl's
    # synchronize, not with CUDA events
    from torch._inductor.runtime.benchmarking import benchmarker

    from torch_ocl._inductor import benchmarking

    torch.compile(lambda t: t + 1)(torch.ones(2, device=DEV))  # registers the backend
    calls = []
    original = benchmarking.benchmark_ocl
    monkeypatch.setattr(benchmarking, "benchmark_ocl", lambda fn, **kw: calls.append(kw) or original(fn, **kw))
    x = torch.randn(256, 256, device=DEV)
    ms = benchmarker.benchmark(torch.mm, (x, x), {}, warmup=2, rep=5)
    assert calls and 0 < ms < 1e4
    assert original(lambda: x.add_(1), warmup=1, rep=1) > 0


def test_mlp_training_matches_eager():
    torch.manual_seed(0)

    def make():
        torch.manual_seed(0)
        return torch.nn.Sequential(
            torch.nn.Linear(16, 32), torch.nn.GELU(), torch.nn.LayerNorm(32), torch.nn.Linear(32, 4)
        ).to(DEV)

    x = torch.randn(8, 16, device=DEV)
    t = torch.randn(8, 4, device=DEV)
    losses = []
    for compiled in (False, True):
        model = make()
        step_fn = torch.compile(model) if compiled else model
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        run = []
        for _ in range(3):
            opt.zero_grad()
            loss = F.mse_loss(step_fn(x), t)
            loss.backward()
            opt.step()
            run.append(loss.item())
        losses.append(run)
    assert losses[0][2] < losses[0][0]
    torch.testing.assert_close(losses[1], losses[0], rtol=1e-4, atol=1e-5)


def _philox(counter, seed):
    """Philox4x32-10 on the host: the reference for the generated kernels' helper."""
    m = 0xFFFFFFFF
    c = [counter & m, counter >> 32, 0, 0]
    k = [seed & m, (seed >> 32) & m]
    for _ in range(10):
        p0, p1 = 0xD2511F53 * c[0], 0xCD9E8D57 * c[2]
        c = [(p1 >> 32) ^ c[1] ^ k[0], p1 & m, (p0 >> 32) ^ c[3] ^ k[1], p0 & m]
        k = [(k[0] + 0x9E3779B9) & m, (k[1] + 0xBB67AE85) & m]
    return c


def test_random_offsets_past_32_bits():
    # the generated kernels' Philox counter is the element's 64-bit offset (low word, high word),
    # checked against a host Philox at offsets on both sides of 2^32
    from torch_ocl._inductor.runtime import OclKernel

    src = """#include <ocl_helpers>
__kernel void generated(__global float* out, ulong out_offset, __global const long* offs, ulong offs_offset,
                        long xnumel, long r0_numel) {
  out += out_offset;
  offs += offs_offset;
  for (long x = get_global_id(0); x < xnumel; x += get_global_size(0)) out[x] = ocl_rand(1234, offs[x]);
}
"""
    offsets = [0, 5, 2**31 + 7, 2**32 - 1, 2**32, 2**32 + 5, 3 * 2**32 + 7, 2**40 + 11]
    out = torch.empty(len(offsets), device=DEV)
    OclKernel("offsets", src)(out, torch.tensor(offsets, device=DEV), len(offsets), 1)
    expect = [(_philox(o, 1234)[0] >> 8) * 2.0**-24 for o in offsets]
    assert out.cpu().tolist() == expect
    assert len(set(expect)) == len(expect)  # 5 and 2^32 + 5 differ


def test_device_random_numbers():
    # Philox in the generated kernels: reproducible under manual_seed, new numbers per call
    def fn(x):
        return torch.rand_like(x), torch.randn_like(x), torch.randint(-3, 10, (10000,), device=DEV)

    compiled = torch.compile(fn)
    x = torch.empty(100000, device=DEV)
    torch.manual_seed(7)
    (u, n, r), code = run_and_get_code(compiled, x)
    assert "ocl_rand(" in code[0] and "ocl_randn(" in code[0] and "ocl_randint64(" in code[0]
    assert not torch._inductor.config.fallback_random  # CPU graphs keep Inductor's default
    u, n, r = u.cpu(), n.cpu(), r.cpu()
    assert 0 <= u.min() and u.max() < 1 and abs(u.mean() - 0.5) < 0.01 and abs(u.std() - 12**-0.5) < 0.01
    assert abs(n.mean()) < 0.02 and abs(n.std() - 1) < 0.02 and n.isfinite().all()
    assert r.dtype == torch.int64 and set(r.unique().tolist()) == set(range(-3, 10))
    torch.manual_seed(7)
    again = [t.cpu() for t in compiled(x)]
    assert torch.equal(again[0], u) and torch.equal(again[1], n) and torch.equal(again[2], r)
    assert not torch.equal(compiled(x)[0].cpu(), u)  # the next call draws new numbers

    def dropout(t):
        return F.dropout(t * 2, p=0.3, training=True)

    y = torch.compile(dropout)(torch.ones(100000, device=DEV)).cpu()
    assert set(y.unique().tolist()) <= {0.0, 2 / 0.7} or torch.allclose(y[y != 0], torch.tensor(2 / 0.7))
    assert abs(float((y == 0).float().mean()) - 0.3) < 0.01


def test_rng_state_calls_inside_compiled_functions_run_eagerly():
    # as torch.cuda's: Dynamo does not trace them, so the state tensors stay real tensors (also
    # under no_dispatch, as in torch.testing's freeze_rng_state) and seeding reaches the generator
    def fn(x):  # what torch.testing's freeze_rng_state does on the accelerator (torch 2.13)
        with torch.utils._mode_utils.no_dispatch():
            saved = torch.ocl.get_rng_state()
        torch.manual_seed(5)
        y = x * torch.rand_like(x)
        with torch.utils._mode_utils.no_dispatch():
            torch.ocl.set_rng_state(saved)
        return y

    x = torch.randn(1000, device=DEV)
    state = torch.ocl.get_rng_state()
    compiled = torch.compile(fn)
    a, b = compiled(x).cpu(), compiled(x).cpu()
    assert torch.equal(a, b) and not torch.equal(a, x.cpu() * 0)
    assert torch.equal(torch.ocl.get_rng_state(), state)  # restored


def test_ops_without_generated_code_run_as_eager_ocl_ops():
    # atomic stores, erfinv, 16-bit bitcasts, scans and sorts: eager ocl ops inside the graph
    torch_ocl.reset_fallback_counts()
    x, i, s = torch.randn(10, device=DEV), torch.randint(0, 10, (50,), device=DEV), torch.randn(50, device=DEV)
    check(lambda a, b, c: a.scatter_add(0, b, c) + 1, x, i, s)
    check(lambda a, b, c: torch.index_put(a * 2, (b,), c, accumulate=True), x, i, s)
    m, j, v = torch.randn(10, 3, device=DEV), torch.randint(0, 10, (20,), device=DEV), torch.randn(20, 3, device=DEV)
    check(lambda a, b, c: a.index_add(0, b, c).relu(), m, j, v)
    # index_reduce: mean is decomposed (counted as ones.index_put_(i, ones): one buffer in both
    # roles), the others run our eager op
    for mode, self_too in ((r, t) for r in ("mean", "prod", "amax", "amin") for t in (True, False)):
        for a, b, c in ((m, j, v), (x[:1], i[:1] * 0, s[:1])):
            fn = lambda a, b, c: a.index_reduce(0, b, c, mode, include_self=self_too)  # noqa: E731
            torch._dynamo.reset()
            got = torch.compile(fn)(a.clone().requires_grad_(), b, c.clone().requires_grad_())
            torch.testing.assert_close(got.detach().cpu(), fn(a.cpu(), b.cpu(), c.cpu()), rtol=1e-5, atol=1e-5)
    check(lambda a: torch.special.erfinv(a) * 2, torch.rand(100, device=DEV) * 1.8 - 0.9)
    check(lambda a: torch.cumsum(a * 2, 0), torch.randn(100, device=DEV))
    check(lambda a: torch.sort(a + 1)[0], torch.randn(100, device=DEV))
    check(lambda a: (a + 1).view(torch.int16) + 1, torch.randn(10, device=DEV).half(), dtype=torch.int16)

    def mutate(a, b, c):
        a.index_put_((b,), c, accumulate=True)
        return a * 2

    a, a_eager = x.clone(), x.clone()
    got = torch.compile(mutate)(a, i, s)
    torch.testing.assert_close(got.cpu(), mutate(a_eager, i, s).cpu(), rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(a.cpu(), a_eager.cpu(), rtol=1e-5, atol=1e-5)
    emb = torch.nn.Embedding(10, 4).to(DEV)  # backward accumulates rows (index_put)
    torch.compile(lambda t: emb(t).sum())(i).backward()
    want = torch.zeros(10, 4).index_add_(0, i.cpu(), torch.ones(50, 4))
    torch.testing.assert_close(emb.weight.grad.cpu(), want)
    assert torch_ocl.fallback_counts() == {}  # no CPU round trip


def test_ops_the_generator_cannot_emit_fall_back_with_a_reason(caplog):
    # special functions have no OpenCL code here: each becomes the eager op, logged with the reason,
    # while the pointwise work around it is still generated
    x = torch.rand(300, device=DEV) + 0.5
    torch_ocl.reset_fallback_counts()
    check(lambda a: torch.special.i0(a * 2) + 1, x)
    check(lambda a: torch.digamma(a).relu() * a, x)
    check(lambda a: torch.polygamma(2, a + 1) - a, x)
    assert torch_ocl.fallback_counts() == {}  # native eager ops, no CPU round trip
    check(lambda a: torch.special.zeta(a + 1, a) * 3, x)  # eager takes it to the CPU: so does compile
    check(lambda a: torch.frexp(a * 3)[0] + 1, x)
    # the reason is logged once per op (a compile that loads from the graph cache lowers nothing)
    fallbacks._logged.discard("aten.i0.default")
    logger = logging.getLogger("torch._inductor.ocl")
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="torch._inductor.ocl"), \
                torch._inductor.config.patch(fx_graph_cache=False):
            _, code = run_and_get_code(torch.compile(lambda a: torch.special.i0(a - 1) * 2), x)
    finally:
        logger.removeHandler(caplog.handler)
    assert "aten.i0" in "\n".join(code)
    assert any("aten.i0.default" in r.getMessage() and "no OpenCL code for i0" in r.getMessage()
               for r in caplog.records), caplog.records
    # CPU graphs are untouched by the ocl rules
    torch.testing.assert_close(torch.compile(lambda a: torch.special.i0(a) + 1)(x.cpu()), torch.special.i0(x.cpu()) + 1)


def test_generated_kernel_reaches_program_cache():
    before = _kernels_built()
    x = torch.randn(100, device=DEV)
    check(lambda t: torch.cos(t) * 3.25 + 0.5, x)
    after = _kernels_built()
    assert after["builds"] + after["disk_loads"] + after["memory_hits"] > (
        before["builds"] + before["disk_loads"] + before["memory_hits"]
    )


def test_bad_kernel_raises_with_source_and_log():
    src = '#include <ocl_helpers>\n#line 1 "inductor:bad_kernel"\n__kernel void generated(long xnumel, long r0_numel) {\n  undefined_thing = 1;\n}\n'
    with pytest.raises(OclKernelBuildError) as info:
        OclKernel("bad_kernel", src).wait()  # built in a build thread; wait() raises its error
    msg = str(info.value)
    assert "bad_kernel" in msg and "   4    undefined_thing = 1;" in msg  # the numbered source
    log = msg.split("\nSource of bad_kernel")[0]
    if "undefined_thing" in log:  # where the compiler's diagnostics reach its build log (PoCL's do)
        # the location counts from the kernel's own lines: clang-style '"inductor:bad_kernel:2:3:
        # error', EDG-style '"inductor:bad_kernel", line 2: error'
        assert re.search(r'inductor:bad_kernel(:|", line )2\b', log), log


def test_kernels_build_in_threads_while_the_module_loads(monkeypatch):
    # Inductor's compile_threads build a loading module's kernels at once; the module waits for
    # them where it has defined them, so a failing build still fails the compile
    threads = []
    build = OclKernel._build

    def recorded(self, kernel, device):
        threads.append(threading.current_thread().name)
        return build(self, kernel, device)

    monkeypatch.setattr(OclKernel, "_build", recorded)
    x = torch.randn(7, 30, device=DEV)
    for n, where in ((4, "ocl-build"), (1, threading.current_thread().name)):
        torch._dynamo.reset()
        threads.clear()
        with torch._inductor.config.patch(compile_threads=n):
            check(lambda t: (t.sin() * 2, (t.cos() + 1).sum(-1)), x)
        assert threads and all(t.startswith(where) for t in threads), threads
    code = "\n".join(run_and_get_code(torch.compile(lambda t: t.tan() + 3), x)[1])
    assert "wait_for_builds(globals())" in code

    def failing(self, kernel, device):
        raise OclKernelBuildError("[ocl::compile] generated kernel failed to build: test")

    monkeypatch.setattr(OclKernel, "_build", failing)
    torch._dynamo.reset()
    with torch._inductor.config.patch(compile_threads=4, fx_graph_cache=False):
        with pytest.raises(Exception, match="failed to build: test"):
            torch.compile(lambda t: t.exp() - 1)(x)


def test_binding_launches_with_offsets():
    src = (
        "__kernel void generated(__global float* out, ulong out_off, __global const float* a, ulong a_off,"
        " long k, float s, long n, long r) {\n  out += out_off; a += a_off;\n"
        "  for (long i = get_global_id(0); i < n; i += get_global_size(0)) out[i] = a[i] * s + k;\n}\n"
    )
    k = OclKernel("axpb", src)
    a = torch.arange(20, dtype=torch.float32, device=DEV)
    out = torch.zeros(20, device=DEV)
    k(out[5:], a[3:18], 7, 0.5, 15, 1)  # views: element offsets 5 and 3
    want = torch.zeros(20)
    want[5:] = torch.arange(3, 18, dtype=torch.float32) * 0.5 + 7
    torch.testing.assert_close(out.cpu(), want)


def _forward_backward_code(fn, *args):
    """Results, input gradients and the code of the compiled forward and backward graphs."""
    compiled = torch.compile(fn)

    def step(*a):
        out = compiled(*a)
        out.sum().backward()
        return out

    out, code = run_and_get_code(step, *args)
    return out, [a.grad for a in args], "\n".join(code)


@pytest.mark.parametrize("channels_last", [False, True])
def test_convolution_stays_extern_on_ocl(channels_last):
    # our eager convolution (and its backward) inside the graph; its results' layout is the one
    # the fake convolution promised (channels-last in, channels-last out)
    def fn(x, w, b):
        return torch.sigmoid(F.conv2d(torch.relu(x), w, b, padding=1)) * 2

    fmt = torch.channels_last if channels_last else torch.contiguous_format
    x = torch.randn(2, 3, 8, 8, device=DEV).contiguous(memory_format=fmt)
    w = torch.randn(4, 3, 3, 3, device=DEV).contiguous(memory_format=fmt)
    b = torch.randn(4, device=DEV)
    args = [t.clone().requires_grad_() for t in (x, w, b)]
    eager_args = [t.clone().requires_grad_() for t in (x, w, b)]
    torch_ocl.reset_fallback_counts()
    out, grads, code = _forward_backward_code(fn, *args)
    fn(*eager_args).sum().backward()
    assert "extern_kernels.convolution(" in code and "aten.convolution_backward" in code
    assert "__kernel void generated" in code
    assert torch_ocl.fallback_counts() == {}
    torch.testing.assert_close(out.cpu(), fn(*eager_args).detach().cpu(), rtol=1e-5, atol=1e-5)
    for g, a in zip(grads, eager_args):
        torch.testing.assert_close(g.cpu(), a.grad.cpu(), rtol=1e-4, atol=1e-5)


class _RecordOps(torch.utils._python_dispatch.TorchDispatchMode):
    """The names of the ATen ops run under it."""

    def __enter__(self):
        self.names = set()
        super().__enter__()
        return self.names

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.names.add(str(func))
        return func(*args, **(kwargs or {}))


@pytest.mark.parametrize("layout", ["bhld", "blhd"])
def test_scaled_dot_product_attention_stays_extern_on_ocl(layout):
    # the fused attention op and its backward inside the graph; the output's layout follows the
    # query's, as the op's meta function says
    def fn(q, k, v):
        return torch.tanh(F.scaled_dot_product_attention(q * 2, k, v, is_causal=True))

    def make():
        t = torch.randn(2, 16, 2, 8, device=DEV)  # (batch, seq, heads, dim)
        return t.transpose(1, 2) if layout == "blhd" else t.transpose(1, 2).contiguous()

    qkv = [make() for _ in range(3)]
    args = [t.clone().requires_grad_() for t in qkv]
    eager_args = [t.clone().requires_grad_() for t in qkv]
    torch_ocl.reset_fallback_counts()
    out, grads, code = _forward_backward_code(fn, *args)
    with _RecordOps() as eager_ops:
        fn(*eager_args).sum().backward()
    # the graph keeps the fused op exactly where eager takes it (on NVIDIA, float32 attention
    # takes bmm + softmax instead, see Attention.cpp's choice)
    fused = "aten._scaled_dot_product_fused_attention_overrideable.default"
    assert (fused in eager_ops) == (fused + "(" in code)
    if fused in eager_ops:
        assert "aten._scaled_dot_product_fused_attention_overrideable_backward.default(" in code
    assert torch_ocl.fallback_counts() == {}
    torch.testing.assert_close(out.cpu(), fn(*eager_args).detach().cpu(), rtol=1e-5, atol=1e-5)
    for g, a in zip(grads, eager_args):
        torch.testing.assert_close(g.cpu(), a.grad.cpu(), rtol=1e-4, atol=1e-5)


COMPILED_WORKLOAD = (
    "import torch, torch_ocl\n"
    "from torch._dynamo.utils import counters\n"
    "x = torch.arange(1000, dtype=torch.float32, device='ocl') / 100\n"
    "f = torch.compile(lambda t: (torch.sin(t) * t + 1).sum(0) + torch.softmax(t.view(10, 100), -1).amax())\n"
    "y = f(x)\n"
    "torch.ocl.synchronize()\n"
    "s = torch_ocl.kernel_cache_stats()\n"
    "print(round(float(y), 3), counters['inductor']['fxgraph_cache_hit'], s['builds'], s['disk_loads'])\n"
)


def test_second_process_compiles_nothing(tmp_path):
    # Inductor's graph cache gives the second process the generated module, and the program
    # cache the built kernels of it (and of the eager ops): no OpenCL program is built again
    from conftest import run_python

    env = {"TORCH_OCL_KERNEL_CACHE": str(tmp_path / "kernels"), "TORCHINDUCTOR_CACHE_DIR": str(tmp_path / "inductor")}
    first = run_python(COMPILED_WORKLOAD, env)[1].split()[-4:]
    second = run_python(COMPILED_WORKLOAD, env)[1].split()[-4:]
    assert first[0] == second[0]  # the same result
    assert first[1] == "0" and int(first[2]) > 0  # compiled and built
    assert second[1] == "1" and second[2] == "0" and int(second[3]) >= int(first[2])


# a generator digest from the environment stands for another torch_ocl's code generator
GENERATOR_WORKLOAD = (
    "import os, torch, torch_ocl\n"
    "from torch._dynamo.utils import counters\n"
    "from torch_ocl._inductor import codegen_config\n"
    "codegen_config.generator = os.environ.get('DIGEST') or codegen_config.generator\n"
    "f = torch.compile(lambda t: torch.cos(t) * t - 2)\n"
    "y = f(torch.arange(100, dtype=torch.float32, device='ocl'))\n"
    "print(counters['inductor']['fxgraph_cache_hit'], counters['inductor']['fxgraph_cache_miss'])\n"
)


def test_changed_generator_misses_graph_cache(tmp_path):
    from conftest import run_python

    def hit_miss(digest):
        env = {"TORCHINDUCTOR_CACHE_DIR": str(tmp_path / "inductor"), "DIGEST": digest,
               "TORCH_OCL_KERNEL_CACHE": str(tmp_path / "kernels")}
        return run_python(GENERATOR_WORKLOAD, env)[1].split()[-2:]

    assert hit_miss("") == ["0", "1"]  # compiled and cached
    assert hit_miss("") == ["1", "0"]  # the same generator reuses the graph
    assert hit_miss("another generator") == ["0", "1"]  # another compiles it again
    assert hit_miss("another generator") == ["1", "0"]
