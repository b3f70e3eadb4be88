"""The op harness: PyTorch's OpInfo database drives every op family of the operator library on
ocl against the CPU, per dtype, on OpInfo's sample inputs (which include 0-dim, empty and
broadcast cases) and on non-contiguous copies of them, plus the in-place variants and float32
gradients, with the CPU fallback off; exceptions must match the CPU's in type. A floating result
that differs from the CPU's is still accepted when it is at least as close to the float64 result
as the CPU's (the CPU rounds some intermediates to the operand type, CUDA and ocl keep float).
Ops are listed by family; an op missing from the device fails here. Comparators live in
op_harness.py; TORCH_OCL_OP_SAMPLES sets the samples per (op, dtype).

Left to the family files: random ops (dropout, rrelu in training, multinomial, randperm, the
random samplers) in test_random.py / test_dropout_attention.py / test_activation_select.py;
scaled_dot_product_attention's dropout samples; the fused optimizers _fused_adam_, _fused_adamw_
and _fused_sgd_, which have no OpInfo, in test_optim.py; nn.functional.fold, which has none,
in test_conv.py."""

import pytest
import torch
from conftest import has_fp64

pytest.importorskip("torch.testing._internal.common_methods_invocations",
                    reason="PyTorch's OpInfo database needs expecttest and hypothesis")
import op_harness as h  # noqa: E402

F32, F16, BF16, F64 = torch.float32, torch.float16, torch.bfloat16, torch.float64
ALL = [F32, F16, BF16, F64, torch.int8, torch.uint8, torch.int16, torch.int32, torch.int64, torch.bool]
FLOATS = [F32, F16, BF16, F64]
TOL = {F16: (1e-3, 1e-3), BF16: (1.6e-2, 1e-2), F32: (1e-5, 1e-5), F64: (1e-7, 1e-7)}
# K-length dot products (matmul, im2col convolution): both sides sum in float and round once,
# but in another order, and the CPU rounds addmm's alpha*(A@B) before adding beta*C, so a 16-bit
# result may differ by a few ulps of the summands. PyTorch's own addmm test on CUDA allows more
# (test_linalg: half 1e-1, bfloat16 0.6).
TOL_MATMUL = {**TOL, F16: (1e-2, 1e-2), BF16: (5e-2, 5e-2), F32: (1e-4, 1e-5)}

# family: (OpInfo names, name.variant for variants; dtypes asked for, kept where OpInfo says both
# CUDA and the CPU support them; tolerances). Pointwise families take every dtype; the others
# the dtypes their kernels are generated for, the rest being in the family files.
FAMILIES = {
    "unary": ("""abs acos acosh asin asinh atan atanh ceil cos cosh deg2rad erf erfc exp exp2 expm1 floor
        frac lgamma log log10 log1p log2 logical_not neg nan_to_num rad2deg reciprocal round rsqrt
        sigmoid sign sgn signbit sin sinh sqrt square tan tanh trunc bitwise_not isnan isposinf
        isneginf positive""", ALL, TOL),
    "binary": ("""add sub mul div.no_rounding_mode div.trunc_rounding div.floor_rounding true_divide
        floor_divide fmod remainder atan2 hypot copysign nextafter logaddexp xlogy maximum minimum
        fmax fmin max.binary min.binary eq ne lt le gt ge logical_and logical_or logical_xor
        bitwise_and bitwise_or bitwise_xor rsub __radd__ __rmul__ __rsub__ __rdiv__""", ALL, TOL),
    "ternary": ("where clamp clamp_min clamp_max masked_fill addcmul addcdiv lerp", ALL, TOL),
    "pointwise2": ("""erfinv digamma polygamma.polygamma_n_0 polygamma.polygamma_n_1
        polygamma.polygamma_n_2 polygamma.polygamma_n_3 polygamma.polygamma_n_4 i0 special.i0e special.i1 special.i1e sinc logit
        round.decimals_0 round.decimals_3 round.decimals_neg_3 isfinite isinf float_power pow
        bitwise_left_shift bitwise_right_shift heaviside logaddexp2""", ALL, TOL),
    "activation": ("""nn.functional.relu nn.functional.threshold nn.functional.gelu nn.functional.silu
        nn.functional.leaky_relu nn.functional.elu nn.functional.selu nn.functional.celu
        nn.functional.softplus nn.functional.hardsigmoid nn.functional.hardtanh nn.functional.relu6
        nn.functional.hardswish nn.functional.mish nn.functional.softshrink nn.functional.hardshrink
        nn.functional.tanhshrink nn.functional.glu nn.functional.prelu nn.functional.logsigmoid
        nn.functional.rrelu""", ALL, TOL),
    "reduction": ("sum mean prod amax amin max.reduction_no_dim min.reduction_no_dim all any", ALL, TOL),
    "reduction2": ("""nansum nanmean var var.unbiased std std.unbiased var_mean var_mean.unbiased std_mean
        std_mean.unbiased norm norm.fro norm.inf linalg.vector_norm logsumexp count_nonzero argmax
        argmin max.reduction_with_dim min.reduction_with_dim aminmax cumsum cumprod cummax cummin
        logcumsumexp""", [F32, F16, BF16, F64, torch.int64], TOL),
    "shape": ("""cat stack split split.list_args chunk flip roll repeat repeat_interleave tril triu diag
        diagonal nn.functional.pad.constant nn.functional.pad.reflect nn.functional.pad.replicate
        nn.functional.pad.circular""", [F32, F16, BF16, torch.int64], TOL),
    "indexing": ("""index_select gather scatter scatter_add scatter_reduce.sum scatter_reduce.prod
        scatter_reduce.mean scatter_reduce.amax scatter_reduce.amin index_put index_add index_copy
        index_fill masked_scatter masked_select nonzero take put nn.functional.embedding
        nn.functional.one_hot""", [F32, F16, BF16, torch.int64], TOL),
    "sort": ("sort argsort topk kthvalue unique unique_consecutive searchsorted bucketize",
             [F32, F16, BF16, torch.int64], TOL),
    "nn": ("""softmax log_softmax nn.functional.layer_norm nn.functional.rms_norm nn.functional.group_norm
        nn.functional.batch_norm nn.functional.cross_entropy nn.functional.nll_loss
        nn.functional.mse_loss nn.functional.l1_loss nn.functional.smooth_l1_loss
        nn.functional.huber_loss nn.functional.binary_cross_entropy
        nn.functional.binary_cross_entropy_with_logits nn.functional.kl_div
        nn.functional.scaled_dot_product_attention""", FLOATS, TOL),
    "matmul": ("""mm bmm addmm addmv mv dot vdot baddbmm addbmm nn.functional.linear matmul einsum""",
               FLOATS, TOL_MATMUL),
    "conv": ("""nn.functional.conv1d nn.functional.conv2d nn.functional.conv_transpose2d
        nn.functional.max_pool2d nn.functional.avg_pool2d nn.functional.adaptive_avg_pool2d
        nn.functional.adaptive_max_pool2d nn.functional.max_pool3d nn.functional.avg_pool3d
        nn.functional.adaptive_avg_pool3d nn.functional.adaptive_max_pool3d nn.functional.max_unpool2d
        nn.functional.max_unpool3d nn.functional.fractional_max_pool2d nn.functional.fractional_max_pool3d
        nn.functional.interpolate.nearest nn.functional.interpolate.nearest-exact
        nn.functional.interpolate.linear nn.functional.interpolate.bilinear nn.functional.interpolate.trilinear
        nn.functional.interpolate.bicubic nn.functional.interpolate.area _upsample_bilinear2d_aa
        nn.functional.grid_sample grid_sampler_2d nn.functional.unfold""",
             [F32, F16, BF16], TOL_MATMUL),
    # The foreach ops SGD, Adam and AdamW use.
    "foreach": ("""_foreach_add _foreach_sub _foreach_mul _foreach_div _foreach_maximum _foreach_addcmul
        _foreach_addcdiv _foreach_sqrt _foreach_neg _foreach_lerp _foreach_norm""", [F32, F16, BF16], TOL),
}

# (op, dtype) cases known to fail, with the reason: strict, so a fix shows up.
XFAIL = {}
XFAIL_GRAD = {}
# Gradient tolerances (rtol, atol) above the default where the derivative formula itself is
# ill-conditioned, so float32 results differ from float64 by far more than ulps of the gradient.
GRAD_TOL = {
    # OpInfo sets one element to 10000; upstream's derivative exponentiates differences of
    # values near 10000 (reverse log-cumsum-exp of log|grad| - result, plus the input), where
    # float32's ulp is ~1e-3: the CPU's own gradient is 2.5e-3 from float64 there.
    "logcumsumexp": (1e-4, 3e-3),
}

OPS = h.load()


def _cases(xfail=XFAIL):
    out = []
    for family, (names, dtypes, _) in FAMILIES.items():
        for name in names.split():
            op = OPS[name]
            supported = set(op.supported_dtypes("cuda")) & set(op.supported_dtypes("cpu"))
            for dt in dtypes:
                if dt in supported:
                    marks = [pytest.mark.xfail(strict=True, reason=xfail[name, dt])] if (name, dt) in xfail else []
                    out.append(pytest.param(family, name, dt, id=f"{family}-{name}-{str(dt)[6:]}", marks=marks))
    return out


def _run(fn, args, kwargs):
    """(result, None) or (None, the exception's type)."""
    try:
        return fn(*args, **kwargs), None
    except Exception as e:  # the ocl side must raise the same type as the CPU
        return None, type(e)


def _check(name, s, fn, dev, dtype, noncontig, tol, what):
    cpu = h.copy_to([s.input, *s.args, s.kwargs], "cpu")
    exact = h.copy_to(h.cast(cpu, dtype, F64), "cpu") if dtype in h.WIDER else None
    ocl = h.copy_to(cpu, dev, noncontig)
    expected, cpu_err = _run(fn, cpu[:-1], cpu[-1])
    actual, ocl_err = _run(fn, ocl[:-1], ocl[-1])
    assert ocl_err == cpu_err, f"{what}: CPU raised {cpu_err}, ocl {ocl_err}"
    if cpu_err is not None:
        return
    try:
        h.compare(name, s, actual, expected, tol, what)
        for i, (a, e) in enumerate(zip(h.flat(ocl), h.flat(cpu), strict=True)):  # arguments written in place
            h.assert_close(a, e, tol, f"{what} argument {i}")
    except AssertionError as e:
        if exact is None:
            raise
        first = e
    else:
        return
    reference, err = _run(fn, exact[:-1], exact[-1])
    if err is not None or not h.as_accurate([actual, ocl], [expected, cpu], [reference, exact], tol):
        raise first  # the same-dtype comparison's message


@pytest.mark.parametrize("family,name,dtype", _cases())
def test_op_matches_cpu(family, name, dtype, dev, native_only):
    if dtype == F64 and not has_fp64():
        pytest.skip("the device has no cl_khr_fp64")
    op, tol = OPS[name], FAMILIES[family][2]
    samples = h.samples(op, name, dtype)
    assert samples, f"OpInfo gave no samples for {name} {dtype}"
    for i, s in enumerate(samples):
        for noncontig in (False, True):
            _check(name, s, op, dev, dtype, noncontig, tol, f"{name} sample {i} {s} noncontig={noncontig}")
        if op.inplace_variant is not None and not s.broadcasts_input:  # an in-place op cannot broadcast its input
            _check(name, s, op.inplace_variant, dev, dtype, False, tol, f"{name}_ sample {i} {s}")


def _grad_cases():
    return [p for p in _cases(XFAIL_GRAD) if p.values[2] == F32 and p.values[0] != "foreach" and OPS[p.values[1]].supports_autograd]


def _grads(op, parts, dev, weights=None):
    """Gradients of op's differentiable outputs on parts = [input, *args, kwargs] copied to dev,
    weighted by random weights, with respect to the inputs that require them; (None, None) if none."""
    args = h.copy_to(parts, dev)
    inputs = [t for t in h.flat([args[:-1], *args[-1].values()]) if t.requires_grad]
    outs = [o for o in h.flat(op(*args[:-1], **args[-1])) if o.requires_grad] if inputs else []
    if not outs:
        return None, None
    if weights is None:
        weights = [torch.randn_like(o, device="cpu") for o in outs]
    ws = [w.to(device=dev, dtype=o.dtype) for w, o in zip(weights, outs)]
    return torch.autograd.grad(outs, inputs, ws, allow_unused=True), weights


@pytest.mark.parametrize("family,name,dtype", _grad_cases())
def test_op_grad_matches_cpu(family, name, dtype, dev, native_only):
    op, tol = OPS[name], {F32: GRAD_TOL.get(name, (1e-4, 1e-5))}
    for i, s in enumerate(h.samples(op, name, dtype, requires_grad=True)[:4]):
        parts = [s.input, *s.args, s.kwargs]
        cpu_grads, weights = _grads(op, parts, "cpu")
        if cpu_grads is None:
            continue
        ocl_grads, _ = _grads(op, parts, dev, weights)
        what = f"{name} sample {i} grads"
        assert [g is None for g in ocl_grads] == [g is None for g in cpu_grads], what
        try:
            for a, e in zip(ocl_grads, cpu_grads):
                if e is not None:
                    h.assert_close(a, e, tol, what)
        except AssertionError:  # accepted if as close to the float64 gradients as the CPU's
            exact, _ = _grads(op, h.cast(parts, F32, F64), "cpu", weights)
            if not h.as_accurate([g for g in ocl_grads if g is not None],
                                 [g for g in cpu_grads if g is not None], [g for g in exact if g is not None], tol):
                raise
