"""Helpers of the OpInfo op harness (test_ops.py): the op table, sample choice, device copies
and the comparators of results that are not unique (sort indices of ties, unsorted unique)."""

import os

import torch

common = noncontiguous_like = None  # from torch.testing._internal, set by load()


def load():
    """Imports PyTorch's OpInfo database (needs expecttest and hypothesis) and returns the op table
    name -> OpInfo, with `name.variant` for variants and the foreach OpInfos by their own names."""
    global common, noncontiguous_like
    from torch.testing._internal import common_methods_invocations
    from torch.testing._internal.common_utils import noncontiguous_like

    common = common_methods_invocations
    dbs = [common.op_db, common.foreach_unary_op_db, common.foreach_binary_op_db,
           common.foreach_pointwise_op_db, common.foreach_reduce_op_db, common.foreach_other_op_db]
    return {(o.name + ("." + o.variant_test_name if o.variant_test_name else "")): o
            for db in dbs for o in db}


# Samples per (op, dtype), spread over OpInfo's list (its first ones are the 0-dim, empty and
# broadcast cases; later ones the keyword variants); TORCH_OCL_OP_SAMPLES raises it.
MAX_SAMPLES = int(os.environ.get("TORCH_OCL_OP_SAMPLES", "8"))


def _keep(name, s):
    """Samples whose result is random are left to the family files (dropout, rrelu training)."""
    if name == "nn.functional.scaled_dot_product_attention":
        return s.kwargs.get("dropout_p", 0.0) == 0.0
    if name == "nn.functional.rrelu":
        return not s.kwargs.get("training", False)
    return True


def samples(op, name, dtype, requires_grad=False):
    allowed = [s for s in op.sample_inputs("cpu", dtype, requires_grad=requires_grad) if _keep(name, s)]
    if len(allowed) <= MAX_SAMPLES:
        return allowed
    step = len(allowed) / MAX_SAMPLES
    return [allowed[int(i * step)] for i in range(MAX_SAMPLES)]


def copy_to(x, dev, noncontig=False):
    """A fresh copy of x (tensors inside lists/dicts too) on dev, optionally non-contiguous."""
    if isinstance(x, torch.Tensor):
        y = x.detach()
        if noncontig and y.numel() > 1:
            y = noncontiguous_like(y)
        y = y.to(dev, copy=True)
        return y.requires_grad_(x.requires_grad) if x.requires_grad else y
    if isinstance(x, (list, tuple)):
        return type(x)(copy_to(v, dev, noncontig) for v in x)
    if isinstance(x, dict):
        return {k: copy_to(v, dev, noncontig) for k, v in x.items()}
    return x


def flat(out):
    if isinstance(out, torch.Tensor):
        return [out]
    if isinstance(out, (list, tuple)):
        return [t for o in out for t in flat(o)]
    return []


def assert_close(a, e, tol, what):
    assert a.device.type == "ocl", what
    rtol, atol = tol.get(e.dtype, (0, 0))  # by the result's dtype (sin of an int is float)
    torch.testing.assert_close(a.cpu(), e, rtol=rtol, atol=atol, equal_nan=True, msg=lambda m: f"{what}: {m}")


def _arg(s, pos, key, default):
    return s.args[pos] if len(s.args) > pos else s.kwargs.get(key, default)


def _check_gathers(inp, values, idx, dim, keepdim, what):
    """The indices of (values, indices) ops point at their values in the input."""
    inp, values, idx = inp.detach(), values.cpu(), idx.cpu()
    if inp.dim() == 0:
        assert (idx == 0).all(), what
        return
    if not keepdim:
        idx, values = idx.unsqueeze(dim), values.unsqueeze(dim)
    torch.testing.assert_close(inp.gather(dim, idx), values, rtol=0, atol=0, equal_nan=True,
                               msg=lambda m: f"{what} (input at the indices): {m}")


def _with_indices(name, s):
    """(dim, keepdim) of ops that return values and indices, whose indices are not unique with
    ties; None for the others."""
    if name == "sort":
        return _arg(s, 0, "dim", -1), True
    if name == "topk":
        return _arg(s, 1, "dim", -1), True
    if name in ("kthvalue", "max.reduction_with_dim", "min.reduction_with_dim"):
        return _arg(s, 1 if name == "kthvalue" else 0, "dim", -1), _arg(s, 2 if name == "kthvalue" else 1, "keepdim", False)
    return None


def compare(name, s, actual, expected, tol, what):
    """actual (ocl) against expected (CPU) for sample s; by what each op defines."""
    if name.startswith("unique") and name != "unique_consecutive" and not s.kwargs.get("sorted", True) \
            and s.kwargs.get("dim") is None:
        return _compare_unsorted_unique(s, actual, expected, what)
    pair = _with_indices(name, s)
    if pair is not None and not (name == "sort" and s.kwargs.get("stable", False)):
        (va, ia), (ve, _) = actual, expected
        dim, keepdim = pair
        if name == "topk" and not _arg(s, 3, "sorted", True):  # order of the k values unspecified
            va_sorted, ve = va.cpu().sort(dim).values, ve.sort(dim).values
            assert_close(va_sorted.to(va.device), ve, tol, what)
        else:
            assert_close(va, ve, tol, what)
        return _check_gathers(s.input, va, ia, dim, keepdim, what)
    if name == "argsort" and not s.kwargs.get("stable", False):
        dim = _arg(s, 0, "dim", -1)
        inp = s.input.detach()
        if inp.dim() == 0:
            return assert_close(actual, expected, tol, what)
        torch.testing.assert_close(inp.gather(dim, actual.cpu()), inp.gather(dim, expected), rtol=0, atol=0,
                                   equal_nan=True, msg=lambda m: f"{what} (input at the indices): {m}")
        return
    a, e = flat(actual), flat(expected)
    assert len(a) == len(e), what
    for x, y in zip(a, e):
        assert_close(x, y, tol, what)


def _compare_unsorted_unique(s, actual, expected, what):
    """unique(sorted=False) leaves the order open (CUDA sorts, the CPU hashes): compare the
    values as sets, inverse by what it rebuilds, counts per value."""
    a, e = flat(actual), flat(expected)
    va, ve = a[0].cpu(), e[0]
    pa, pe = va.argsort(), ve.argsort()
    torch.testing.assert_close(va[pa], ve[pe], rtol=0, atol=0, equal_nan=True, msg=lambda m: f"{what}: {m}")
    rest = a[1:]
    if s.kwargs.get("return_inverse", False):
        inv = rest.pop(0).cpu()
        torch.testing.assert_close(va[inv], s.input, rtol=0, atol=0, equal_nan=True,
                                   msg=lambda m: f"{what} (values at the inverse): {m}")
    if s.kwargs.get("return_counts", False):
        torch.testing.assert_close(rest.pop(0).cpu()[pa], e[-1][pe], msg=lambda m: f"{what} (counts): {m}")


# The CPU rounds intermediates to the operand type (16-bit conv_transpose's column sums, mse_loss's
# difference) where CUDA and this device keep float, so near cancellation the two may differ by
# more than a rounding of the result. Such a result is accepted when it is at least as close to
# the float64 result as the CPU's is (max error per output, plus the dtype's tolerance).
WIDER = (torch.float16, torch.bfloat16, torch.float32)


def cast(x, src, dst):
    if isinstance(x, torch.Tensor):
        return x.to(dst) if x.dtype == src else x
    if isinstance(x, (list, tuple)):
        return type(x)(cast(v, src, dst) for v in x)
    if isinstance(x, dict):
        return {k: cast(v, src, dst) for k, v in x.items()}
    return x


def as_accurate(actual, expected, reference, tol):
    a, e, r = flat(actual), flat(expected), flat(reference)
    if not len(a) == len(e) == len(r):
        return False
    for x, y, z in zip(a, e, r):
        x, dt = x.detach().cpu(), y.dtype
        if x.shape != y.shape or x.dtype != dt:
            return False
        if not y.is_floating_point():
            if not torch.equal(x, y):
                return False
            continue
        x, y, z = x.double(), y.double(), z.detach().double()
        finite = torch.isfinite(z)
        if not torch.equal(x[~finite].nan_to_num(), z[~finite].nan_to_num()):
            return False
        x, y, z = x[finite], y[finite], z[finite]
        if z.numel() == 0:
            continue
        rtol, atol = tol.get(dt, (0, 0))
        if (x - z).abs().max() > (y - z).abs().max() + atol + rtol * z.abs().max():
            return False
    return True
