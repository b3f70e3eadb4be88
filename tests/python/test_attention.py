"""Fused scaled-dot-product attention (attention.cl through the "overrideable" SDPA backend):
forward and backward against the CPU for every float dtype, odd sizes, head dims up to 256,
value head dims unlike the key's, grouped-query heads, causal, bool and additive masks (with
broadcasting and the mask's own gradient), scale, transposed layouts, fully masked rows, and
dropout (reproducible, the mask recovered and checked against the CPU's math with it)."""

import copy
import math
import os
import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

pytestmark = pytest.mark.usefixtures("native_only", "fused")
FUSED = "ScaledDotProductFusedAttentionOverrideableBackward0"
TOL = {torch.float32: (2e-5, 2e-5), torch.float16: (3e-3, 3e-3), torch.bfloat16: (2.5e-2, 2.5e-2)}


@pytest.fixture
def fused():
    """The overrideable backend alone: the fused kernels on every device (on NVIDIA the math path
    comes first by default)."""
    with sdpa_kernel([SDPBackend.OVERRIDEABLE]):
        yield


def sdpa(q, k, v, **kw):
    if q.device.type == "cpu":  # the reference: the CPU's own backends, outside the fixture's choice
        with sdpa_kernel([SDPBackend.MATH, SDPBackend.FLASH_ATTENTION]):
            return F.scaled_dot_product_attention(q, k, v, **kw)
    return F.scaled_dot_product_attention(q, k, v, **kw)


def widen(t):
    """t's values in a view at element offset 3 with row stride d + 5, as "offset" asks."""
    w = torch.zeros(*t.shape[:-1], t.shape[-1] + 5, dtype=t.dtype, device=t.device)
    w[..., 3:3 + t.shape[-1]] = t
    return w[..., 3:3 + t.shape[-1]]


def run(dev, dtype, shapes, mask=None, grad_mask=False, layout="bhld", **kw):
    """SDPA forward + backward on ocl (fused) and on the CPU in float64; compares the output and
    the gradients of q, k, v (and of an additive mask)."""
    (B, H, Hk, L, S, D, DV) = shapes
    g = torch.Generator().manual_seed(L * 131 + S * 7 + D)

    def make(h, n, d):
        if layout == "blhd":  # (batch, seq, heads, dim) storage seen as (batch, heads, seq, dim)
            return torch.randn(B, n, h, d, generator=g).transpose(1, 2)
        if layout == "offset":  # rows at an odd offset and stride (not 16-byte aligned)
            return torch.randn(B, h, n, d + 5, generator=g)[..., 3:3 + d]
        return torch.randn(B, h, n, d, generator=g)

    q, k, v = make(H, L, D), make(Hk, S, D), make(Hk, S, DV)
    gout = torch.randn(B, H, L, DV, generator=g)
    ins = [q, k, v] + ([mask] if mask is not None else [])
    cpu = [(t.double() if t.dtype.is_floating_point else t) for t in ins]
    cpu = [t.requires_grad_(t.dtype.is_floating_point and (i < 3 or grad_mask)) for i, t in enumerate(cpu)]
    devs = [(t.to(dtype) if t.dtype.is_floating_point else t) for t in ins]
    devs = [t.to(dev) if layout != "offset" or t.dim() < 4 else widen(t.to(dev)) for t in devs]
    devs = [t.requires_grad_(t.dtype.is_floating_point and (i < 3 or grad_mask)) for i, t in enumerate(devs)]
    kw.setdefault("enable_gqa", H != Hk)
    ref = sdpa(*cpu[:3], attn_mask=cpu[3] if mask is not None else None, **kw)
    got = sdpa(*devs[:3], attn_mask=devs[3] if mask is not None else None, **kw)
    assert got.grad_fn.name() == FUSED
    ref.backward(gout.double())
    got.backward(gout.to(dtype).to(dev))
    rtol, atol = TOL[dtype]
    scale = math.sqrt(max(S, 1)) if dtype != torch.float32 else 1.0
    torch.testing.assert_close(got.detach().cpu().double(), ref.detach(), rtol=rtol, atol=atol * scale)
    for a, b in zip(devs, cpu):
        if b.requires_grad:
            mag = max(1.0, b.grad.abs().max().item())
            torch.testing.assert_close(a.grad.cpu().double(), b.grad, rtol=rtol, atol=atol * scale * mag * 4)
    return got


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.bfloat16], ids=str)
@pytest.mark.parametrize("shapes", [(2, 4, 4, 37, 53, 16, 16), (1, 2, 2, 1, 7, 64, 64), (1, 2, 2, 129, 127, 64, 64),
                                    (1, 3, 3, 33, 20, 80, 40), (1, 2, 2, 17, 9, 256, 256), (1, 2, 2, 64, 64, 128, 128)],
                         ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("causal", [False, True], ids=["full", "causal"])
def test_forward_backward(dev, dtype, shapes, causal):
    run(dev, dtype, shapes, is_causal=causal)


# What the tensor-core kernels (attention_mma.cl, NVIDIA) take: 16-bit, head dims multiples of 16
# up to 128, 64-row blocks with ragged ends,
# grouped heads, causal with L != S, rows not 16-byte aligned (copied first). Elsewhere these run
# the portable kernels.
@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16], ids=str)
@pytest.mark.parametrize("shapes", [(1, 2, 2, 1, 7, 16, 16), (2, 4, 2, 129, 200, 32, 32), (1, 2, 2, 127, 127, 48, 48),
                                    (1, 3, 1, 200, 77, 64, 64), (1, 2, 2, 70, 130, 96, 96), (1, 2, 2, 65, 64, 128, 128),
                                    (1, 2, 2, 100, 90, 64, 128), (1, 1, 1, 1000, 1000, 64, 64)],
                         ids=lambda s: "x".join(map(str, s)))
@pytest.mark.parametrize("causal", [False, True], ids=["full", "causal"])
def test_tensor_core_shapes(dev, dtype, shapes, causal):
    run(dev, dtype, shapes, is_causal=causal)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16], ids=str)
def test_unaligned_rows_and_masks(dev, dtype):
    run(dev, dtype, (2, 4, 2, 70, 90, 64, 64), layout="offset", is_causal=True)
    run(dev, dtype, (2, 4, 4, 70, 90, 32, 32), layout="blhd", scale=0.3)
    m = torch.rand(2, 1, 70, 90, generator=torch.Generator().manual_seed(4)) > 0.3
    m[0, 0, 7] = False  # a row that attends nothing
    got = run(dev, dtype, (2, 4, 4, 70, 90, 32, 32), mask=m)
    assert got.detach()[0, :, 7].abs().max().item() == 0
    run(dev, dtype, (2, 4, 4, 70, 90, 32, 32), mask=torch.randn(70, 90, generator=torch.Generator().manual_seed(5)),
        grad_mask=True)


def fused_nodes(t):
    """How many fused-attention backward nodes the autograd graph of t holds."""
    seen, todo, n = set(), [t.grad_fn], 0
    while todo:
        f = todo.pop()
        if f is None or f in seen:
            continue
        seen.add(f)
        n += f.name() == FUSED
        todo.extend(g for g, _ in f.next_functions)
    return n


def test_hf_llama_trains_through_fused_attention(dev):
    """A Llama (grouped-query heads, rotary, RMSNorm, SwiGLU; head dim 16) in Hugging Face's default
    sdpa mode under bfloat16 autocast: every layer's attention is fused, and three SGD steps follow
    the CPU's."""
    transformers = pytest.importorskip("transformers")
    cfg = transformers.LlamaConfig(hidden_size=64, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                                   intermediate_size=128, vocab_size=97, max_position_embeddings=64)
    torch.manual_seed(0)
    model = transformers.LlamaForCausalLM(cfg)
    ids = torch.randint(0, 97, (2, 40), generator=torch.Generator().manual_seed(1))

    def train(device):
        m = copy.deepcopy(model).to(device)
        opt = torch.optim.SGD(m.parameters(), lr=0.5)
        losses = []
        for _ in range(3):
            with torch.autocast(device.type, dtype=torch.bfloat16):
                loss = m(input_ids=ids.to(device), labels=ids.to(device)).loss
            if device.type != "cpu":
                assert fused_nodes(loss) == cfg.num_hidden_layers
            loss.backward()
            opt.step()
            opt.zero_grad()
            losses.append(loss.item())
        return losses

    with sdpa_kernel([SDPBackend.MATH]):
        ref = train(torch.device("cpu"))
    got = train(torch.device(dev))
    assert ref[-1] < ref[0]
    torch.testing.assert_close(torch.tensor(got), torch.tensor(ref), rtol=3e-2, atol=3e-2)


# TORCH_OCL_MMA_EMULATE=1 runs the tensor-core kernels on any device (their PTX replaced by plain
# OpenCL with the same results): these cases of this module run them in a child process (the
# switch is read once) where there is no NVIDIA GPU; the kernel cache shows they were built.
EMULATED = ("tensor_core_shapes and bfloat16 and (1x2x2x1x7x16x16 or 2x4x2x129x200x32x32 or 1x2x2x70x130x96x96"
            " or 1x2x2x65x64x128x128) or unaligned_rows and float16 or dropout_backward and bfloat16 or hf_llama"
            " or deterministic_backward")


# With TORCH_OCL_ATTENTION_FWD_WARPS=4 (forward work-groups of 64 queries) a few of them.
EMULATED_FWD4 = "tensor_core_shapes and bfloat16 and (2x4x2x129x200x32x32 or 1x2x2x65x64x128x128)"


@pytest.mark.parametrize("fwd_warps", ["8", "4"])
def test_tensor_core_kernels_emulated(dev, tmp_path, fwd_warps):
    if "NVIDIA" in torch.ocl.get_device_name():
        pytest.skip("the tensor-core kernels run natively in this module")
    env = dict(os.environ, TORCH_OCL_MMA_EMULATE="1", TORCH_OCL_KERNEL_CACHE=str(tmp_path),
               TORCH_OCL_ATTENTION_FWD_WARPS=fwd_warps)
    cases = EMULATED if fwd_warps == "8" else EMULATED_FWD4
    p = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", __file__, "-k", cases],
                       capture_output=True, text=True, env=env, timeout=3000)
    assert p.returncode == 0 and " passed" in p.stdout, p.stdout[-4000:] + p.stderr[-2000:]
    built = b"".join(f.read_bytes() for f in tmp_path.iterdir())
    for kernel in (b"attn_mma_fwd", b"attn_mma_bwd_dq", b"attn_mma_bwd_dkv"):
        assert kernel in built


def test_deterministic_backward(dev):
    """With torch.use_deterministic_algorithms the gradients repeat bit for bit (the tensor-core
    path then runs dQ's own kernel instead of the dK/dV kernel's atomic adds) and match the CPU
    and the default path."""
    g = torch.Generator().manual_seed(9)
    q, k, v = (torch.randn(2, 4, 70, 64, generator=g).to(torch.bfloat16).to(dev) for _ in range(3))
    gout = torch.randn(2, 4, 70, 64, generator=g).to(torch.bfloat16).to(dev)

    def grads():
        ts = [t.clone().requires_grad_() for t in (q, k, v)]
        sdpa(*ts, is_causal=True, dropout_p=0.2).backward(gout)
        return [t.grad for t in ts]

    prev = torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(True)
    try:
        torch.ocl.manual_seed(3)
        det = grads()
        torch.ocl.manual_seed(3)
        again = grads()
        run(dev, torch.bfloat16, (2, 4, 2, 70, 90, 64, 64), is_causal=True)
    finally:
        torch.use_deterministic_algorithms(prev)
    for a, b in zip(det, again):
        assert torch.equal(a, b)
    torch.ocl.manual_seed(3)
    for a, b in zip(det, grads()):
        torch.testing.assert_close(a.float(), b.float(), rtol=2e-2, atol=2e-2)


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=str)
def test_gqa_scale_and_transposed_layout(dev, dtype):
    run(dev, dtype, (2, 8, 2, 45, 45, 32, 32), is_causal=True, scale=0.37, layout="blhd")
    run(dev, dtype, (1, 6, 3, 20, 70, 64, 16), scale=-0.2)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16], ids=str)
def test_bool_mask_with_fully_masked_rows(dev, dtype):
    L, S = 40, 50
    m = torch.rand(L, S, generator=torch.Generator().manual_seed(1)) > 0.4
    m[5] = False  # a row that attends nothing: zeros, as CUDA's softmax gives (not NaN)
    got = run(dev, dtype, (2, 3, 3, L, S, 32, 32), mask=m)
    assert got.detach()[:, :, 5].abs().max().item() == 0
    m4 = torch.rand(2, 1, L, S, generator=torch.Generator().manual_seed(2)) > 0.5  # broadcast over heads
    run(dev, dtype, (2, 3, 3, L, S, 32, 32), mask=m4)


@pytest.mark.parametrize("shape", [(30, 41), (2, 1, 30, 41), (3, 30, 41), (1, 3, 1, 41)], ids=str)
def test_additive_mask_and_its_gradient(dev, shape):
    m = torch.randn(*shape, generator=torch.Generator().manual_seed(3))
    run(dev, torch.float32, (2, 3, 3, 30, 41, 16, 24), mask=m, grad_mask=True)


def test_backend_choice(dev):
    q = torch.randn(1, 2, 8, 16, device=dev, requires_grad=True)
    assert sdpa(q, q, q).grad_fn.name() == FUSED
    with sdpa_kernel([SDPBackend.MATH]):
        assert sdpa(q, q, q).grad_fn.name() != FUSED
    env = os.environ.get
    gemm_mma = ("NVIDIA" in torch.ocl.get_device_name() or env("TORCH_OCL_MMA_EMULATE") == "1") and \
        env("TORCH_OCL_GEMM_MMA") != "0"
    with sdpa_kernel([SDPBackend.MATH, SDPBackend.OVERRIDEABLE]):  # the default: fused first, except
        assert (sdpa(q, q, q).grad_fn.name() == FUSED) == (not gemm_mma)  # beside the tensor-core GEMM
        # where the tensor-core kernels take the inputs (16-bit, head dim a multiple of 16), there too
        h = q.detach().bfloat16().requires_grad_()
        attention_mma = env("TORCH_OCL_ATTENTION_MMA") != "0"
        assert (sdpa(h, h, h).grad_fn.name() == FUSED) == (not gemm_mma or attention_mma)
        # inputs the kernels do not take go to the math path (3-D here)
        assert sdpa(q[0], q[0], q[0]).grad_fn.name() != FUSED


def dropout_pair(dev, dtype, seed, L=24, S=40, H=2, D=16, p=0.3):
    """The fused output with dropout, and the kept mask read back through an identity value."""
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(1, H, L, D, generator=g).to(dtype).to(dev)
    k = torch.randn(1, H, S, D, generator=g).to(dtype).to(dev)
    eye = torch.eye(S).expand(1, H, S, S).to(dtype).to(dev)
    torch.ocl.manual_seed(seed)
    pd = sdpa(q, k, eye, dropout_p=p)  # rows of P with dropped entries 0 and kept ones / (1 - p)
    return q, k, pd


def test_dropout_mask_reproducible_and_exact(dev):
    q, k, pd = dropout_pair(dev, torch.float32, 5)
    _, _, pd2 = dropout_pair(dev, torch.float32, 5)
    assert bool((pd == pd2).all())
    _, _, pd3 = dropout_pair(dev, torch.float32, 6)
    assert not bool(((pd3 != 0) == (pd != 0)).all())
    p = torch.softmax((q.cpu() @ k.cpu().transpose(-1, -2)) / 4.0, -1)
    kept = pd.cpu() != 0
    assert abs(kept.float().mean().item() - 0.7) < 0.05
    torch.testing.assert_close(pd.cpu(), torch.where(kept, p / 0.7, torch.zeros(())), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("D", [16, 128])
@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=str)
def test_dropout_backward_matches_math_with_the_same_mask(dev, dtype, D):
    L, S, H, p = 24, 40, 2, 0.3
    q, k, pd = dropout_pair(dev, torch.float32, 9, L, S, H, D, p)
    kept = pd.cpu() != 0
    g = torch.Generator().manual_seed(10)
    v = torch.randn(1, H, S, D, generator=g)
    gout = torch.randn(1, H, L, D, generator=g)
    qc, kc, vc = (t.detach().cpu().double().requires_grad_() for t in (q, k, v))
    ref, _ = torch.ops.aten._scaled_dot_product_attention_math(qc, kc, vc, None, p, False, kept)
    ref.backward(gout.double())
    qd, kd, vd = (t.detach().to(dtype).to(dev).requires_grad_() for t in (q, k, v))
    torch.ocl.manual_seed(9)  # the same seed and shape: the same mask
    got = sdpa(qd, kd, vd, dropout_p=p)
    got.backward(gout.to(dtype).to(dev))
    rtol, atol = TOL[dtype]
    torch.testing.assert_close(got.detach().cpu().double(), ref.detach(), rtol=rtol, atol=atol * 10)
    for a, b in ((qd, qc), (kd, kc), (vd, vc)):
        torch.testing.assert_close(a.grad.cpu().double(), b.grad, rtol=rtol, atol=atol * 10)


@pytest.fixture
def default_backends():
    with sdpa_kernel([SDPBackend.MATH, SDPBackend.OVERRIDEABLE]):
        yield


def test_errors(dev, default_backends):
    q = torch.randn(1, 2, 8, 16, device=dev)
    with pytest.raises(RuntimeError, match="device"):
        sdpa(q, q.cpu(), q)
    # fewer key heads without enable_gqa: the math path broadcasts them, as on the CPU
    torch.testing.assert_close(sdpa(q, q[:, :1], q[:, :1]).cpu(), sdpa(q.cpu(), q[:, :1].cpu(), q[:, :1].cpu()))
    with pytest.raises(RuntimeError):
        sdpa(q, q, q, attn_mask=torch.ones(8, 8, dtype=torch.bool, device=dev), is_causal=True)
