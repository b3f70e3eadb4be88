"""Convolution (1d/2d/3d, stride, padding, dilation, groups, transposed, bias) forward and
backward, and F.unfold / F.fold, against the CPU; errors raise the CPU's exception types."""

import os
import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F
from conftest import FLOAT_DTYPES, has_fp64


def dtypes():
    return [d for d in FLOAT_DTYPES if d != torch.float64 or has_fp64()]


def tol(dtype):
    return {torch.float32: 1e-4, torch.float64: 1e-10, torch.float16: 2e-3, torch.bfloat16: 2e-2}[dtype]


def ref_dtype(dtype):
    return torch.float64 if dtype == torch.float64 else torch.float32


def close(actual, expected, dtype):
    """actual (ocl, dtype) against a float32/float64 CPU reference, scaled to its magnitude."""
    assert actual.dtype == dtype
    scale = max(expected.abs().max().item(), 1.0) if expected.numel() else 1.0
    rtol = 4 * tol(dtype)
    torch.testing.assert_close(actual.cpu().to(expected.dtype), expected, rtol=rtol, atol=rtol * scale)


def fresh(shape, dtype, gen):
    return torch.randn(shape, generator=gen).to(dtype)


def run_conv(dev, dtype, x_shape, w_shape, bias=True, transposed=False, backward=True, x_view=None, **kw):
    """Forward (and backward) of conv{1,2,3}d / conv_transpose on ocl against the CPU."""
    gen = torch.Generator().manual_seed(hash((x_shape, w_shape, transposed)) & 0xFFFF)
    x = fresh(x_shape, dtype, gen)
    w = fresh(w_shape, dtype, gen)
    b = fresh((w_shape[1] * kw.get("groups", 1) if transposed else w_shape[0],), dtype, gen) if bias else None
    nd = len(x_shape) - 2
    fn = getattr(F, f"conv_transpose{nd}d" if transposed else f"conv{nd}d")

    rd = ref_dtype(dtype)
    xr, wr = x.to(rd).clone().requires_grad_(backward), w.to(rd).clone().requires_grad_(backward)
    br = b.to(rd).clone().requires_grad_(backward) if bias else None
    xo = x.to(dev)
    if x_view is not None:  # a non-contiguous or channels-last layout of the same values
        xo = x_view(xo)
        assert torch.equal(xo.cpu(), x)
    xo = xo.detach().requires_grad_(backward)
    wo = w.to(dev).requires_grad_(backward)
    bo = b.to(dev).requires_grad_(backward) if bias else None

    ref = fn(xr, wr, br, **kw)
    out = fn(xo, wo, bo, **kw)
    assert out.device == dev and out.shape == ref.shape
    close(out, ref, dtype)
    if not backward:
        return
    g = fresh(ref.shape, dtype, gen)
    ref.backward(g.to(rd))
    out.backward(g.to(dev))
    close(xo.grad, xr.grad, dtype)
    close(wo.grad, wr.grad, dtype)
    if bias:
        close(bo.grad, br.grad, dtype)


# (input shape, weight shape, kwargs): plain convolutions
CONV_CASES = [
    ((2, 3, 7, 9), (4, 3, 3, 3), dict(padding=1)),
    ((2, 3, 8, 7), (5, 3, 3, 2), dict(stride=2)),
    ((1, 2, 9, 10), (3, 2, 3, 3), dict(dilation=2, padding=2)),
    ((2, 4, 6, 5), (6, 2, 3, 3), dict(groups=2, padding=(1, 0), stride=(1, 2))),
    ((2, 4, 7, 7), (4, 1, 3, 3), dict(groups=4, padding=1)),  # depthwise
    ((3, 5, 4, 6), (7, 5, 1, 1), dict()),  # 1x1
    ((1, 3, 5, 11), (2, 3, 5, 3), dict(padding=(2, 1), stride=(3, 2), dilation=(1, 2))),
    ((2, 3, 32, 32), (16, 3, 16, 16), dict(stride=16)),  # ViT patch embedding, small
    ((2, 3, 10), (4, 3, 3), dict(stride=2, padding=1)),  # 1d
    ((2, 4, 9), (6, 2, 2), dict(groups=2, dilation=3)),  # 1d grouped
    ((1, 2, 4, 5, 6), (3, 2, 3, 3, 3), dict(padding=1, stride=(1, 2, 1))),  # 3d
    ((2, 2, 3, 4, 4), (4, 1, 2, 3, 1), dict(groups=2, dilation=(1, 1, 2))),  # 3d depthwise, multiplier 2
    ((2, 3, 9, 8), (6, 1, 3, 2), dict(groups=3, stride=(2, 1), padding=(2, 1), dilation=(2, 1))),  # depthwise x2
    ((3, 5, 12), (5, 1, 7), dict(groups=5, padding=3)),  # 1d depthwise
    ((1, 4, 8, 8), (4, 1, 7, 7), dict(groups=4, padding=3)),  # ConvNeXt-style 7x7 depthwise
]


@pytest.mark.parametrize("case", range(len(CONV_CASES)))
def test_conv_float32(dev, native_only, case):
    xs, ws, kw = CONV_CASES[case]
    run_conv(dev, torch.float32, xs, ws, bias=case % 3 != 1, **kw)


@pytest.mark.parametrize("dtype", dtypes(), ids=str)
@pytest.mark.parametrize("case", [0, 3, 4, 8, 10, 13])
def test_conv_dtypes(dev, native_only, dtype, case):
    xs, ws, kw = CONV_CASES[case]
    run_conv(dev, dtype, xs, ws, **kw)


# (input shape, weight shape (Cin, Cout / groups, k...), kwargs): transposed convolutions
TRANSPOSED_CASES = [
    ((2, 3, 5, 4), (3, 4, 3, 3), dict(stride=2, padding=1, output_padding=1)),
    ((1, 4, 4, 6), (4, 3, 2, 3), dict(groups=2, stride=(2, 1))),
    ((2, 2, 5, 5), (2, 3, 3, 3), dict(dilation=2, padding=1)),
    ((2, 3, 7), (3, 2, 4), dict(stride=3, output_padding=2)),  # 1d
    ((1, 2, 3, 3, 4), (2, 2, 2, 3, 2), dict(stride=2, padding=(0, 1, 0))),  # 3d
]


@pytest.mark.parametrize("case", range(len(TRANSPOSED_CASES)))
def test_conv_transpose_float32(dev, native_only, case):
    xs, ws, kw = TRANSPOSED_CASES[case]
    run_conv(dev, torch.float32, xs, ws, transposed=True, bias=case != 1, **kw)


@pytest.mark.parametrize("dtype", dtypes(), ids=str)
def test_conv_transpose_dtypes(dev, native_only, dtype):
    xs, ws, kw = TRANSPOSED_CASES[0]
    run_conv(dev, dtype, xs, ws, transposed=True, **kw)


@pytest.mark.parametrize("case", [0, 2, 4])
def test_conv_transpose_channels_last(dev, native_only, case):
    # channels-last transposed convolutions keep the layout: the forward is a convolution's
    # grad_input (output padding, bias), the backward that convolution's forward and grad_weight
    xs, ws, kw = TRANSPOSED_CASES[case]
    fmt = torch.channels_last if len(xs) == 4 else torch.channels_last_3d
    run_conv(dev, torch.float32, xs, ws, transposed=True, x_view=lambda t: t.contiguous(memory_format=fmt), **kw)
    x = torch.randn(xs, device=dev).contiguous(memory_format=fmt)
    out = getattr(F, f"conv_transpose{len(xs) - 2}d")(x, torch.randn(ws, device=dev), **kw)
    assert out.is_contiguous(memory_format=fmt)


def strided(t):
    """The same values as a view with a stride of 2 in the last dimension."""
    buf = torch.empty(*t.shape[:-1], 2 * t.shape[-1], dtype=t.dtype, device=t.device)
    buf[..., ::2] = t
    return buf[..., ::2]


@pytest.mark.parametrize(
    "view",
    [
        lambda t: t.contiguous(memory_format=torch.channels_last),
        lambda t: t.transpose(2, 3).contiguous().transpose(2, 3),
        lambda t: strided(t),
    ],
    ids=["channels_last", "transposed", "sliced"],
)
def test_conv_layouts(dev, native_only, view):
    run_conv(dev, torch.float32, (2, 3, 6, 7), (4, 3, 3, 3), x_view=view, padding=1)


# 1x1 convolutions run as GEMMs on the input's own layout (channels_last: one matrix of
# positions x channels, NCHW: a matrix per image), strided ones on the subsampled input
POINTWISE_LAYOUTS = {
    "contiguous": None,
    "channels_last": lambda t: t.contiguous(memory_format=torch.channels_last if t.dim() == 4 else
                                            torch.channels_last_3d),
    "transposed": lambda t: t.transpose(-2, -1).contiguous().transpose(-2, -1),
    "sliced": strided,
}


@pytest.mark.parametrize("layout", list(POINTWISE_LAYOUTS))
@pytest.mark.parametrize("stride", [1, 2, (2, 3)], ids=["s1", "s2", "s23"])
@pytest.mark.parametrize("nd", [2, 3], ids=["2d", "3d"])
def test_conv_1x1(dev, native_only, layout, stride, nd):
    x_shape = (3, 6, 7, 9) if nd == 2 else (2, 5, 3, 7, 6)
    w_shape = (8, x_shape[1]) + (1,) * nd
    if isinstance(stride, tuple):
        stride = stride + (1,) * (nd - 2)
    run_conv(dev, torch.float32, x_shape, w_shape, bias=stride != 1, x_view=POINTWISE_LAYOUTS[layout], stride=stride)


@pytest.mark.parametrize("dtype", dtypes(), ids=str)
@pytest.mark.parametrize("layout", ["contiguous", "channels_last"])
def test_conv_1x1_dtypes(dev, native_only, dtype, layout):
    run_conv(dev, dtype, (2, 16, 5, 6), (24, 16, 1, 1), x_view=POINTWISE_LAYOUTS[layout])
    run_conv(dev, dtype, (2, 16, 5, 6), (8, 16, 1, 1), x_view=POINTWISE_LAYOUTS[layout], stride=2)


def test_conv_1x1_layout_and_1d(dev, native_only):
    x = torch.randn(2, 4, 5, 5, device=dev).contiguous(memory_format=torch.channels_last)
    w = torch.randn(6, 4, 1, 1, device=dev)
    assert F.conv2d(x, w).is_contiguous(memory_format=torch.channels_last)
    assert F.conv2d(x.contiguous(), w).is_contiguous()
    run_conv(dev, torch.float32, (2, 5, 11), (3, 5, 1), stride=3)  # 1d
    run_conv(dev, torch.float32, (0, 5, 4, 4), (3, 5, 1, 1))  # empty batch


def channels_last(t):
    return t.contiguous(memory_format=torch.channels_last if t.dim() == 4 else torch.channels_last_3d)


# channels-last inputs keep their layout: channels-last columns (taps x channels) and one GEMM,
# depthwise ones their direct kernels (grouped ones still pass through NCHW)
@pytest.mark.parametrize("case", [0, 1, 2, 3, 4, 6, 7, 10, 11, 12, 14])
@pytest.mark.parametrize("dtype", dtypes(), ids=str)
def test_conv_channels_last(dev, native_only, dtype, case):
    xs, ws, kw = CONV_CASES[case]
    run_conv(dev, dtype, xs, ws, bias=case != 1, x_view=channels_last, **kw)


@pytest.mark.parametrize("dtype", dtypes(), ids=str)
@pytest.mark.parametrize("layout", ["contiguous", "channels_last"])
def test_conv_depthwise_many_positions(dev, native_only, dtype, layout):
    """Enough output positions that the direct grad_weight splits them over several chunks."""
    run_conv(dev, dtype, (3, 40, 48, 40), (80, 1, 3, 3), x_view=POINTWISE_LAYOUTS[layout], groups=40, padding=1)


def test_conv_channels_last_layouts_and_chunks(dev, native_only):
    gen = torch.Generator().manual_seed(5)
    x, w, b = fresh((5, 8, 33, 31), torch.float64, gen), fresh((6, 8, 3, 3), torch.float64, gen), fresh((6,), torch.float64, gen)
    xo = channels_last(x.to(dev)).requires_grad_()
    wo = channels_last(w.to(dev)).requires_grad_()
    out = F.conv2d(xo, wo, b.to(dev), padding=1, stride=(2, 1))
    assert out.is_contiguous(memory_format=torch.channels_last)
    xr, wr = x.clone().requires_grad_(), w.clone().requires_grad_()
    ref = F.conv2d(xr, wr, b, padding=1, stride=(2, 1))
    close(out, ref, torch.float64)
    g = fresh(ref.shape, torch.float64, gen)
    ref.backward(g)
    out.backward(g.to(dev))
    assert xo.grad.is_contiguous(memory_format=torch.channels_last)
    assert wo.grad.is_contiguous(memory_format=torch.channels_last)  # the weight's own layout
    close(xo.grad, xr.grad, torch.float64)
    close(wo.grad, wr.grad, torch.float64)


def test_conv_column_chunks(tmp_path):
    """A column budget of 1 MiB splits these convolutions into several chunks of images (both
    layouts, forward and backward) with the same results."""
    script = tmp_path / "chunks.py"
    script.write_text(
        "import torch, torch.nn.functional as F\n"
        "torch.manual_seed(0)\n"
        "for fmt in (torch.contiguous_format, torch.channels_last):\n"
        "    x = torch.randn(6, 16, 24, 24, dtype=torch.float64)\n"
        "    w = torch.randn(8, 16, 3, 3, dtype=torch.float64)\n"
        "    xr, wr = x.clone().requires_grad_(), w.clone().requires_grad_()\n"
        "    xo = x.to('ocl').contiguous(memory_format=fmt).requires_grad_()\n"
        "    wo = w.to('ocl').requires_grad_()\n"
        "    ref, out = F.conv2d(xr, wr, padding=1), F.conv2d(xo, wo, padding=1)\n"
        "    g = torch.randn_like(ref)\n"
        "    ref.backward(g)\n"
        "    out.backward(g.to('ocl'))\n"
        "    for a, r in ((out, ref), (xo.grad, xr.grad), (wo.grad, wr.grad)):\n"
        "        torch.testing.assert_close(a.cpu(), r, rtol=1e-10, atol=1e-10)\n"
        "print('ok')\n")
    env = dict(os.environ, TORCH_OCL_ACCELERATOR="import", TORCH_OCL_CONV_COLUMN_MB="1", TORCH_OCL_FALLBACK="0")
    p = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 0 and p.stdout.strip() == "ok", p.stderr[-3000:]


# Channels-last 16-bit convolutions run as implicit GEMMs on the tensor-core kernel (the input read
# in place: gemm_mma.cl's CONV_A; NVIDIA, elsewhere emulated in a child process): forward, grad_input
# (grad_output read in place with the flipped weight, one product per phase of the stride: phases
# with one tap, several, or none, whose positions get zeros) and grad_weight (CONV_B), in
# configurations of its table and beside it (small tiles, split-K); grouped convolutions as one
# product per group; channels-last transposed
# convolutions through the same products (forward as a convolution's grad_input, backward as its
# forward and grad_weight).
IMPLICIT_CODE = """
import os, torch, torch.nn.functional as F
g = torch.Generator().manual_seed(21)
dtypes = [getattr(torch, d) for d in os.environ["CONV_DTYPES"].split(",")]
torch.set_float32_matmul_precision(os.environ.get("CONV_F32_PRECISION", "highest"))
torch.backends.cudnn.allow_tf32 = os.environ.get("CONV_CUDNN_TF32", "0") == "1"
torch.backends.cudnn.benchmark = os.environ.get("CONV_BENCHMARK", "0") == "1"
worst = 0.0
tol = {torch.bfloat16: 1e-2, torch.float16: 2e-3, torch.float32: float(os.environ.get("CONV_F32_TOL", "1e-5"))}
cases = [((2, 16, 9, 7), (8, 16, 3, 3), dict(padding=1)),
         ((2, 8, 12, 10), (24, 8, 3, 2), dict(stride=2, dilation=(1, 2), padding=(2, 0))),
         ((1, 8, 5, 6, 7), (16, 8, 3, 2, 3), dict(padding=1, stride=(1, 2, 1))),
         ((3, 16, 16, 16), (40, 16, 4, 4), dict(stride=4)),
         ((2, 64, 11, 13), (130, 64, 3, 3), dict(padding=2, dilation=2)),
         ((1, 24, 3, 3), (8, 24, 5, 5), dict(padding=3)),
         ((2, 8, 10, 11), (16, 8, 2, 2), dict(stride=3, padding=(0, 1))),
         ((1, 16, 9, 12), (8, 16, 3, 3), dict(stride=2, dilation=2, padding=1)),
         # grouped: one product per group (the last backward through NCHW: 4 channels per group)
         ((2, 16, 9, 8), (32, 8, 3, 3), dict(padding=1, groups=2)),
         ((1, 32, 7, 9), (32, 8, 3, 3), dict(stride=2, padding=1, groups=4)),
         ((1, 16, 4, 5, 6), (16, 8, 3, 3, 3), dict(padding=1, groups=2)),
         ((2, 16, 6, 6), (8, 8, 3, 3), dict(groups=2)),
         # channels not whole 16-byte chunks: zero-padded to the next (an RGB stem), or columns
         ((2, 3, 23, 19), (8, 3, 7, 7), dict(stride=2, padding=3)),
         ((2, 14, 8, 8), (8, 14, 3, 3), dict(stride=2, dilation=2)),
         ((1, 3, 5, 6, 4), (8, 3, 3, 3, 3), dict(padding=1))]
# transposed: (input, weight (Cin, Cout, k...), kwargs); forward = a convolution's grad_input
tcases = [((2, 16, 5, 4), (16, 8, 3, 3), dict(stride=2, padding=1, output_padding=1)),
          ((1, 8, 4, 3, 5), (8, 16, 2, 3, 2), dict(stride=(2, 1, 2), padding=(0, 1, 0))),
          ((2, 8, 6, 5), (8, 16, 3, 3), dict(dilation=2, padding=1)),
          ((2, 8, 4, 4), (8, 8, 1, 1), dict(stride=2)),
          ((2, 16, 5, 4), (16, 3, 3, 3), dict(stride=2, padding=1))]
for dt in dtypes:
    for i, (xs, ws, kw, tr) in enumerate([c + (False,) for c in cases] + [c + (True,) for c in tcases]):
        x, w = torch.randn(xs, generator=g).to(dt), torch.randn(ws, generator=g).to(dt)
        b = torch.randn(ws[1] if tr else ws[0], generator=g).to(dt)
        fmt = torch.channels_last if len(xs) == 4 else torch.channels_last_3d
        fn = getattr(F, ("conv_transpose" if tr else "conv") + ("2d" if len(xs) == 4 else "3d"))
        bias = b if i % 2 else None
        xr, wr = x.double().requires_grad_(), w.double().requires_grad_()
        ref = fn(xr, wr, None if bias is None else bias.double(), **kw)
        xo = torch.cat([torch.zeros((1,) + xs[1:], dtype=dt), x]).to("ocl").contiguous(memory_format=fmt)[1:]
        xo = xo.detach().requires_grad_()
        wo = w.to("ocl").requires_grad_()
        out = fn(xo, wo, None if bias is None else bias.to("ocl"), **kw)
        assert out.is_contiguous(memory_format=fmt)
        gy = torch.randn(ref.shape, generator=g).to(dt)
        ref.backward(gy.double())
        out.backward(gy.to("ocl").contiguous(memory_format=fmt))
        for got, want in ((out, ref), (xo.grad, xr.grad), (wo.grad, wr.grad)):
            err = ((got.detach().cpu().double() - want).abs().max() / want.abs().max()).item()
            assert err < tol[dt], (dt, xs, ws, err)
            worst = max(worst, err)
# TF32 rounding shows (the tensor-core path ran, not exact float32)
assert worst > float(os.environ.get("CONV_F32_MIN_ERR", "0")), worst
print("ok")
"""


# float32 takes the implicit GEMM where its products run on the same kernel: as TF32 (precision
# "high", or torch.backends.cudnn.allow_tf32 as CUDA's convolutions; TF32 rounding, so a TF32
# tolerance, and at least TF32's error) or on its exact SIMT variant (TORCH_OCL_GEMM_F32=simt).
IMPLICIT_CASES = {
    "table": {"CONV_DTYPES": "bfloat16,float16"},
    "64x64": {"CONV_DTYPES": "bfloat16,float16", "TORCH_OCL_GEMM_MMA_CONFIG": "64,64,32,4,2,2"},
    "split-k": {"CONV_DTYPES": "bfloat16,float16", "TORCH_OCL_GEMM_MMA_CONFIG": "128,128,32,3,2,2,3"},
    "32x32": {"CONV_DTYPES": "bfloat16,float16", "TORCH_OCL_GEMM_MMA_CONFIG": "32,32,16,2,1,1"},
    # persistent teams (the table's choice for deep products of many tiles): a column of two, 2 x 2 blocks
    "teams": {"CONV_DTYPES": "bfloat16", "TORCH_OCL_GEMM_SHARE": "2,1"},
    "teams-2x2": {"CONV_DTYPES": "float16", "TORCH_OCL_GEMM_SHARE": "4,1",
                  "TORCH_OCL_GEMM_MMA_CONFIG": "64,64,32,4,2,2"},
    "tf32": {"CONV_DTYPES": "float32", "CONV_F32_PRECISION": "high", "CONV_F32_TOL": "3e-3", "CONV_F32_MIN_ERR": "2e-5"},
    # CUDA's default: torch.backends.cudnn.allow_tf32 makes float32 convolutions TF32
    "cudnn-tf32": {"CONV_DTYPES": "float32", "CONV_CUDNN_TF32": "1", "CONV_F32_TOL": "3e-3", "CONV_F32_MIN_ERR": "2e-5"},
    "simt": {"CONV_DTYPES": "float32", "TORCH_OCL_GEMM_F32": "simt"},
}


def test_conv_benchmark_mode_measures_once_and_caches(tmp_path):
    # torch.backends.cudnn.benchmark: each channels-last pass with two algorithms (implicit GEMM,
    # columns) is measured once per shape; the choice goes beside the kernel cache, and a second
    # process takes it from there (no new line). Results match the reference either way.
    nvidia = "NVIDIA" in torch.ocl.get_device_name()
    env = dict(os.environ, TORCH_OCL_ACCELERATOR="import", TORCH_OCL_KERNEL_CACHE=str(tmp_path), TORCH_OCL_FALLBACK="0",
               CONV_DTYPES="bfloat16", CONV_BENCHMARK="1")
    if not nvidia:
        env["TORCH_OCL_MMA_EMULATE"] = "1"
    choices = tmp_path / "conv_algorithms"
    lines = []
    for _ in range(2):
        p = subprocess.run([sys.executable, "-c", IMPLICIT_CODE], capture_output=True, text=True, env=env, timeout=900)
        assert p.returncode == 0 and p.stdout.strip() == "ok", p.stdout[-2000:] + p.stderr[-3000:]
        lines.append(choices.read_text().splitlines())
    first = lines[0]
    passes = {line.split(" ", 1)[1].split("|")[-1].split(" ")[0] for line in first}
    assert {"forward", "grad_input", "grad_weight"} <= passes, first
    assert all(line.split(" ")[0] in ("0", "1") for line in first), first
    assert len(first) == len({line.split(" ", 1)[1] for line in first}), "a shape measured twice"
    assert lines[1] == first  # the second process measured nothing


@pytest.mark.parametrize("case", list(IMPLICIT_CASES))
def test_conv_implicit_gemm(case, tmp_path):
    nvidia = "NVIDIA" in torch.ocl.get_device_name()
    env = dict(os.environ, TORCH_OCL_ACCELERATOR="import", TORCH_OCL_KERNEL_CACHE=str(tmp_path), TORCH_OCL_FALLBACK="0", **IMPLICIT_CASES[case])
    if not nvidia:
        env["TORCH_OCL_MMA_EMULATE"] = "1"
    p = subprocess.run([sys.executable, "-c", IMPLICIT_CODE], capture_output=True, text=True, env=env, timeout=900)
    assert p.returncode == 0 and p.stdout.strip() == "ok", p.stdout[-2000:] + p.stderr[-3000:]
    if not nvidia:  # the emulated kernel's binary names its convolution helpers
        assert any(b"conv_copy" in f.read_bytes() for f in tmp_path.iterdir())


def test_conv_channels_last_output(dev, native_only):
    x = torch.randn(2, 3, 6, 6, device=dev).contiguous(memory_format=torch.channels_last)
    out = F.conv2d(x, torch.randn(4, 3, 3, 3, device=dev))
    assert out.is_contiguous(memory_format=torch.channels_last)
    assert F.conv2d(x.cpu(), torch.randn(4, 3, 3, 3)).is_contiguous(memory_format=torch.channels_last)


def test_conv_channels_last_weight(dev, native_only):
    gen = torch.Generator().manual_seed(3)
    x, w = fresh((2, 3, 6, 6), torch.float32, gen), fresh((5, 3, 3, 3), torch.float32, gen)
    out = F.conv2d(x.to(dev), w.to(dev).contiguous(memory_format=torch.channels_last))
    close(out, F.conv2d(x, w), torch.float32)


def test_conv_module_and_vit_patch_embedding(dev, native_only):
    torch.manual_seed(0)
    m = torch.nn.Conv2d(3, 768, kernel_size=16, stride=16)
    x = torch.randn(1, 3, 224, 224)
    ref = m(x).flatten(2).transpose(1, 2)
    mo = torch.nn.Conv2d(3, 768, kernel_size=16, stride=16).to(dev)
    mo.load_state_dict(m.state_dict())
    xo = x.to(dev)
    out = mo(xo).flatten(2).transpose(1, 2)
    assert out.shape == (1, 196, 768)
    close(out, ref.detach(), torch.float32)
    ref.sum().backward()
    out.sum().backward()
    close(mo.weight.grad, m.weight.grad, torch.float32)
    close(mo.bias.grad, m.bias.grad, torch.float32)


def test_conv_empty_batch(dev, native_only):
    x = torch.randn(0, 3, 5, 5, device=dev, requires_grad=True)
    w = torch.randn(4, 3, 3, 3, device=dev, requires_grad=True)
    out = F.conv2d(x, w, padding=1)
    assert out.shape == (0, 4, 5, 5)
    out.sum().backward()
    assert x.grad.shape == x.shape and w.grad.shape == w.shape
    assert torch.equal(w.grad.cpu(), torch.zeros(4, 3, 3, 3))


def test_conv_no_grad_inference(dev, native_only):
    gen = torch.Generator().manual_seed(5)
    x, w = fresh((4, 8, 9, 9), torch.float32, gen), fresh((8, 8, 3, 3), torch.float32, gen)
    with torch.no_grad():
        out = F.conv2d(x.to(dev), w.to(dev), padding=1)
    close(out, F.conv2d(x, w, padding=1), torch.float32)


def test_conv_only_some_grads(dev, native_only):
    gen = torch.Generator().manual_seed(6)
    x, w = fresh((2, 3, 6, 6), torch.float32, gen), fresh((4, 3, 3, 3), torch.float32, gen)
    wr = w.clone().requires_grad_()
    F.conv2d(x, wr).square().sum().backward()
    wo = w.to(dev).requires_grad_()
    F.conv2d(x.to(dev), wo).square().sum().backward()
    close(wo.grad, wr.grad, torch.float32)


def _raises_like_cpu(dev, fn):
    """fn(device) raises the same exception type on the CPU and on ocl."""
    with pytest.raises(Exception) as cpu_err:
        fn(torch.device("cpu"))
    with pytest.raises(cpu_err.type):
        fn(dev)


def test_conv_errors(dev, native_only):
    _raises_like_cpu(dev, lambda d: F.conv2d(torch.randn(1, 3, 5, 5, device=d), torch.randn(4, 2, 3, 3, device=d)))
    _raises_like_cpu(
        dev, lambda d: F.conv2d(torch.randn(1, 4, 5, 5, device=d), torch.randn(4, 3, 3, 3, device=d), groups=2)
    )
    _raises_like_cpu(dev, lambda d: F.conv2d(torch.randn(1, 3, 2, 2, device=d), torch.randn(4, 3, 3, 3, device=d)))
    with pytest.raises(RuntimeError, match="expected scalar type Float but found"):
        F.conv2d(torch.randn(1, 3, 5, 5, device=dev), torch.randn(4, 3, 3, 3, device=dev, dtype=torch.float16))
    with pytest.raises(RuntimeError, match="bias type"):
        F.conv2d(
            torch.randn(1, 3, 5, 5, device=dev),
            torch.randn(4, 3, 3, 3, device=dev),
            torch.randn(4, device=dev, dtype=torch.float16),
        )
    with pytest.raises(RuntimeError):
        F.conv2d(torch.randn(1, 3, 5, 5, device=dev), torch.randn(4, 3, 3, 3))
    with pytest.raises(NotImplementedError):  # as CUDA: floating types only
        ones = dict(dtype=torch.long, device=dev)
        F.conv2d(torch.ones(1, 3, 5, 5, **ones), torch.ones(4, 3, 3, 3, **ones))


@pytest.mark.parametrize("dtype", dtypes(), ids=str)
def test_unfold_fold(dev, native_only, dtype):
    gen = torch.Generator().manual_seed(7)
    x = fresh((2, 3, 7, 8), dtype, gen)
    kw = dict(kernel_size=(3, 2), dilation=(1, 2), padding=(1, 0), stride=(2, 1))
    cols = F.unfold(x.to(dev), **kw)
    assert torch.equal(cols.cpu(), F.unfold(x, **kw))  # a pure gather: exact
    c = fresh(cols.shape, dtype, gen)
    folded = F.fold(c.to(dev), output_size=(7, 8), **kw)
    close(folded, F.fold(c.to(ref_dtype(dtype)), output_size=(7, 8), **kw), dtype)
    # unbatched forms
    assert torch.equal(F.unfold(x[0].to(dev), **kw).cpu(), F.unfold(x[0], **kw))
    ref = F.fold(c[0].to(ref_dtype(dtype)), output_size=(7, 8), **kw)
    close(F.fold(c[0].to(dev), output_size=(7, 8), **kw), ref, dtype)


def test_unfold_fold_backward_and_noncontiguous(dev, native_only):
    gen = torch.Generator().manual_seed(8)
    x = fresh((2, 6, 6, 5), torch.float32, gen)
    xr = x.transpose(2, 3).requires_grad_()
    xo = x.to(dev).transpose(2, 3).detach().requires_grad_()
    kw = dict(kernel_size=2, padding=1)
    g = fresh(F.unfold(xr, **kw).shape, torch.float32, gen)
    F.unfold(xr, **kw).backward(g)
    F.unfold(xo, **kw).backward(g.to(dev))
    close(xo.grad, xr.grad, torch.float32)


def test_unfold_fold_errors(dev, native_only):
    _raises_like_cpu(dev, lambda d: F.unfold(torch.randn(1, 2, 3, 3, device=d), kernel_size=5))
    _raises_like_cpu(dev, lambda d: F.fold(torch.randn(1, 5, 4, device=d), output_size=(3, 3), kernel_size=2))
