"""Copies (host<->device, device<->device, cross-device), casts, layouts and pinned memory,
for every supported dtype, with the CPU fallback off (all native)."""

import pytest
import torch
from conftest import ALL_DTYPES, dtypes_for_device, random_cpu

pytestmark = pytest.mark.usefixtures("native_only")
DTYPES = dtypes_for_device()


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_round_trip_exact(dev, dtype):
    for shape in [(), (0,), (1,), (7,), (33, 65), (2, 3, 4, 5)]:
        c = random_cpu(shape, dtype)
        o = c.to(dev)
        assert o.device == dev and o.dtype == dtype and o.shape == c.shape
        assert torch.equal(o.cpu(), c)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_non_contiguous_both_directions(dev, dtype):
    c = random_cpu((17, 23, 5), dtype)
    o = c.to(dev)
    for view in (lambda t: t.transpose(0, 2), lambda t: t[::2, 3:, 1::2],
                 lambda t: t.permute(1, 0, 2)[:, 4], lambda t: t.unfold(1, 4, 3)):
        assert torch.equal(view(o).cpu(), view(c))
        assert torch.equal(view(o).contiguous().cpu(), view(c).contiguous())
    # into a non-contiguous destination
    dst = torch.zeros(23, 17, 5, dtype=dtype, device=dev).transpose(0, 1)
    dst.copy_(c)
    assert torch.equal(dst.cpu(), c)
    dst_c = torch.zeros(5, 23, 17, dtype=dtype).permute(2, 1, 0)
    dst_c.copy_(o)
    assert torch.equal(dst_c, c)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_broadcast_copy(dev, dtype):
    row = random_cpu((1, 9), dtype)
    dst = torch.empty(6, 9, dtype=dtype, device=dev)
    dst.copy_(row)  # host source broadcast
    assert torch.equal(dst.cpu(), row.expand(6, 9))
    dst2 = torch.empty(6, 9, dtype=dtype, device=dev)
    dst2.copy_(row.to(dev))  # device source broadcast
    assert torch.equal(dst2.cpu(), row.expand(6, 9))
    assert torch.equal(row.to(dev).expand(4, 9).contiguous().cpu(), row.expand(4, 9))


@pytest.mark.parametrize("src_dtype", DTYPES, ids=str)
def test_casts_on_device_match_cpu(dev, src_dtype):
    c = random_cpu((5, 31), src_dtype)
    if src_dtype.is_floating_point:
        c[0, :4] = torch.tensor([0.0, -0.0, 0.5, -2.5]).to(src_dtype)
    o = c.to(dev)
    for dst_dtype in DTYPES:
        expect = c.to(dst_dtype)
        got = o.to(dst_dtype)
        assert got.device == dev and got.dtype == dst_dtype
        assert torch.equal(got.cpu(), expect), f"{src_dtype} -> {dst_dtype}"
        # strided source too
        assert torch.equal(o.t().to(dst_dtype).cpu(), c.t().to(dst_dtype)), f"{src_dtype} -> {dst_dtype} (strided)"


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.bfloat16], ids=str)
def test_special_float_values_survive(dev, dtype):
    c = torch.tensor([float("nan"), float("inf"), -float("inf"), 0.0, -0.0, 1e-3, 65504.0]).to(dtype)
    back = c.to(dev).to(torch.float32).cpu()
    assert torch.equal(back.isnan(), c.float().isnan())
    finite = ~back.isnan()
    assert torch.equal(back[finite], c.float()[finite])
    assert torch.equal(torch.signbit(back), torch.signbit(c.float()))


def test_float_to_int_like_cpu(dev):
    c = torch.tensor([-1.7, -0.5, 0.5, 1.9, 200.0, -100.0, 127.9])
    for dt in (torch.int8, torch.uint8, torch.int16, torch.int32, torch.int64, torch.bool):
        if dt == torch.uint8:
            c2 = c.abs()
        else:
            c2 = c.clamp(-128, 127) if dt == torch.int8 else c
        assert torch.equal(c2.to(dev).to(dt).cpu(), c2.to(dt)), dt


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.float16, torch.bool], ids=str)
def test_device_to_device_same_device(dev, dtype):
    c = random_cpu((40, 30), dtype)
    a = c.to(dev)
    b = torch.empty_like(a)
    b.copy_(a)
    assert torch.equal(b.cpu(), c)
    b2 = torch.empty(30, 40, dtype=dtype, device=dev).t()
    b2.copy_(a)
    assert torch.equal(b2.cpu(), c)
    assert torch.equal(a.clone().cpu(), c)
    assert torch.equal(a.t().contiguous().cpu(), c.t().contiguous())
    # overlapping source and destination in one allocation
    x = torch.arange(20, device=dev).to(dtype)
    x[5:15].copy_(x[0:10].clone())
    ref = torch.arange(20).to(dtype)
    ref[5:15] = torch.arange(20).to(dtype)[0:10].clone()
    assert torch.equal(x.cpu(), ref)


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=str)
def test_transposing_copies(dev, dtype):
    # batches of 2-d transposes (the tiled kernel: both sides >= 16) and narrower ones (the
    # strided copy), odd sizes, offsets, a transposed destination and a broadcast source
    if dtype not in dtypes_for_device():
        pytest.skip(f"{dtype} not supported on this device")
    cases = [((37, 53), (1, 0)), ((64, 64), (1, 0)), ((3, 40, 50), (0, 2, 1)), ((40, 3, 50), (2, 1, 0)),
             ((2, 17, 33, 20), (0, 2, 3, 1)), ((5, 16, 16), (1, 2, 0)), ((100, 17), (1, 0)), ((8, 15), (1, 0)),
             ((2, 3, 33, 40), (0, 1, 3, 2))]
    for shape, perm in cases:
        c = random_cpu(shape, dtype)
        assert torch.equal(c.to(dev).permute(perm).contiguous().cpu(), c.permute(perm).contiguous()), (shape, perm)
    c = random_cpu((6, 70, 90), dtype)
    x = c.to(dev)
    want = c[2:5, 3:60, 5:85].transpose(1, 2).contiguous()
    assert torch.equal(x[2:5, 3:60, 5:85].transpose(1, 2).contiguous().cpu(), want)
    d = torch.zeros(90, 70, dtype=dtype, device=dev)
    d.t().copy_(x[1])
    assert torch.equal(d.cpu(), c[1].t().contiguous())
    e = torch.empty(4, 90, 70, dtype=dtype, device=dev)
    e.copy_(x[0].t().expand(4, 90, 70))
    assert torch.equal(e.cpu(), c[0].t().expand(4, 90, 70))


def test_wide_transposing_copy_takes_the_tiled_kernel(dev):
    import torch_ocl

    narrow, wide = torch.randn(64, 8, device=dev), torch.randn(64, 64, device=dev)
    torch.ocl.synchronize()
    torch_ocl._C._clear_memory_kernel_cache()

    def programs(fn):
        torch_ocl._C._reset_kernel_cache_stats()
        fn()
        torch.ocl.synchronize()
        stats = torch_ocl.kernel_cache_stats()
        return stats["builds"] + stats["disk_loads"]

    assert programs(lambda: narrow.t().contiguous()) == 1  # the strided copy
    assert programs(lambda: wide.t().contiguous()) == 1  # another program: transpose.cl
    assert programs(lambda: narrow.t().contiguous()) == 0


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_cross_device_copies(two_devices, dtype):
    d0, d1 = two_devices
    c = random_cpu((64, 33), dtype)
    a = c.to(d0)
    b = a.to(d1)
    assert b.device == d1 and torch.equal(b.cpu(), c)
    back = b.t().to(d0)  # strided source on the other device
    assert back.device == d0 and torch.equal(back.cpu(), c.t())
    casted = a.to(d1, torch.float32)
    assert torch.equal(casted.cpu(), c.to(torch.float32))
    dst = torch.empty(33, 64, dtype=dtype, device=d1).t()
    dst.copy_(a)
    assert torch.equal(dst.cpu(), c)


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_pinned_non_blocking(dev, dtype):
    c = random_cpu((1000, 17), dtype).pin_memory()
    assert c.is_pinned()
    o = c.to(dev, non_blocking=True)
    back = torch.empty_like(c).pin_memory()
    back.copy_(o, non_blocking=True)
    torch.ocl.synchronize()
    assert torch.equal(back, c)
    # plain (pageable) memory with non_blocking=True is still correct
    o2 = c.clone().to(dev, non_blocking=True)
    assert torch.equal(o2.cpu(), c)


def test_non_blocking_is_asynchronous_from_pinned(dev):
    """A pinned upload returns before the device has run it: queued behind a long stream of
    work, it is not finished when .to() returns, and is right after synchronizing."""
    host = torch.arange(1 << 22, dtype=torch.float32).pin_memory()
    busy = torch.empty(1 << 24, device=dev)
    for _ in range(20):
        busy.fill_(1.0)
    ev_before = torch.ocl.Event()
    ev_before.record()
    o = host.to(dev, non_blocking=True)
    ev_after = torch.ocl.Event()
    ev_after.record()
    pending = not ev_after.query()
    torch.ocl.synchronize()
    assert torch.equal(o.cpu(), host)
    if not pending:
        pytest.skip("the device finished the queued work before it could be observed")


def test_pin_memory_dataloader(dev):
    from torch.utils.data import DataLoader, TensorDataset

    ds = TensorDataset(torch.arange(64.0).reshape(16, 4), torch.arange(16))
    loader = DataLoader(ds, batch_size=4, pin_memory=True)
    seen = 0
    for x, y in loader:
        assert x.is_pinned() and y.is_pinned()
        xo = x.to(dev, non_blocking=True)
        assert torch.equal(xo.cpu(), x)
        seen += len(y)
    assert seen == 16


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_factories(dev, dtype):
    assert torch.equal(torch.zeros(3, 4, dtype=dtype, device=dev).cpu(), torch.zeros(3, 4, dtype=dtype))
    assert torch.equal(torch.ones(5, dtype=dtype, device=dev).cpu(), torch.ones(5, dtype=dtype))
    v = True if dtype == torch.bool else 3
    assert torch.equal(torch.full((2, 3), v, dtype=dtype, device=dev).cpu(), torch.full((2, 3), v, dtype=dtype))
    e = torch.empty(2, 5, dtype=dtype, device=dev)
    assert e.shape == (2, 5) and e.dtype == dtype and e.device == dev
    assert torch.empty_like(e).device == dev and torch.zeros_like(e).cpu().eq(0).all()
    assert torch.ones_like(e).cpu().to(torch.float32).eq(1).all()
    s = torch.empty_strided((3, 4), (1, 3), dtype=dtype, device=dev)
    assert s.stride() == (1, 3)
    t = random_cpu((6, 7), dtype).to(dev).t()
    f = t.fill_(v)
    assert torch.equal(f.cpu(), torch.full((7, 6), v, dtype=dtype))
    f.zero_()
    assert torch.equal(f.cpu(), torch.zeros(7, 6, dtype=dtype))
    z = torch.ones(4, dtype=dtype, device=dev)
    z.fill_(torch.tensor(v, dtype=dtype, device=dev))  # 0-dim tensor value on the device
    z2 = torch.zeros(4, dtype=dtype, device=dev).fill_(torch.tensor(v))  # 0-dim CPU value
    assert torch.equal(z.cpu(), torch.full((4,), v, dtype=dtype)) and torch.equal(z2.cpu(), z.cpu())
    with pytest.raises(RuntimeError, match="0-dimension"):
        z.fill_(torch.ones(2, device=dev))


@pytest.mark.parametrize("dtype", [d for d in DTYPES if d != torch.bool], ids=str)
def test_arange(dev, dtype):
    cases = [(0, 10, 1), (3, 50, 7), (10, -5, -2)]
    if dtype.is_floating_point:
        cases += [(0.0, 1.0, 0.1), (-2.5, 2.5, 0.25)]
    for start, end, step in cases:
        if not dtype.is_floating_point and dtype == torch.uint8 and (start < 0 or end < 0):
            continue
        if dtype == torch.int8 and max(abs(start), abs(end)) > 127:
            continue
        c = torch.arange(start, end, step, dtype=dtype)
        o = torch.arange(start, end, step, dtype=dtype, device=dev)
        assert torch.equal(o.cpu(), c), (start, end, step)
    out = torch.empty(0, dtype=dtype, device=dev)
    torch.arange(5, out=out)
    assert torch.equal(out.cpu(), torch.arange(5, dtype=dtype))


@pytest.mark.parametrize("dtype", DTYPES, ids=str)
def test_item(dev, dtype):
    c = random_cpu((3,), dtype)
    o = c.to(dev)
    for i in range(3):
        assert o[i].item() == c[i].item()
    assert torch.tensor(True if dtype == torch.bool else 5, dtype=dtype).to(dev).item() == (
        True if dtype == torch.bool else 5)
    with pytest.raises(RuntimeError):
        torch.empty(0, dtype=dtype, device=dev).item()


def test_views_and_storage_ops(dev):
    c = torch.arange(24.0).reshape(2, 3, 4)
    o = c.to(dev)
    assert torch.equal(o.view(6, 4).cpu(), c.view(6, 4))
    assert torch.equal(o.reshape(4, 6).cpu(), c.reshape(4, 6))
    assert torch.equal(o.as_strided((3, 2), (1, 3), 2).cpu(), c.as_strided((3, 2), (1, 3), 2))
    assert torch.equal(o.permute(2, 0, 1).reshape(-1).cpu(), c.permute(2, 0, 1).reshape(-1))
    assert torch.equal(o[:, 1].unsqueeze(0).squeeze().cpu(), c[:, 1])
    assert torch.equal(o.select(2, 3).cpu(), c.select(2, 3))
    assert torch.equal(o.narrow(1, 1, 2).cpu(), c.narrow(1, 1, 2))
    assert torch.equal(o.expand(3, 2, 3, 4).cpu(), c.expand(3, 2, 3, 4))
    assert torch.equal(o.flatten().cpu(), c.flatten())
    assert torch.equal(o.view(torch.int32).cpu(), c.view(torch.int32))
    assert torch.equal(o.diagonal(dim1=1, dim2=2).cpu(), c.diagonal(dim1=1, dim2=2))
    x = torch.arange(6.0, device=dev)
    x.resize_(2, 3)
    assert torch.equal(x.cpu(), torch.arange(6.0).reshape(2, 3))
    x.resize_(4, 5)  # grows: the first 6 values survive
    assert x.shape == (4, 5) and torch.equal(x.reshape(-1)[:6].cpu(), torch.arange(6.0))
    y = torch.empty(0, device=dev)
    y.set_(o.untyped_storage(), 4, (2, 2), (1, 2))
    assert torch.equal(y.cpu(), c.reshape(-1).as_strided((2, 2), (1, 2), 4))
    z = torch.empty(0, device=dev).set_(o)
    assert z.data_ptr() == o.data_ptr()
    w = torch.empty(3, device=dev).set_()
    assert w.numel() == 0
    assert torch.equal(o.contiguous().cpu(), c) and o.contiguous().data_ptr() == o.data_ptr()


def test_empty_and_zero_dim(dev):
    e = torch.empty(0, 3, device=dev)
    assert e.cpu().shape == (0, 3)
    e.fill_(1.0)
    assert torch.zeros(0, device=dev).to(torch.int64).shape == (0,)
    s = torch.tensor(2.5).to(dev)
    assert s.dim() == 0 and s.item() == 2.5 and s.cpu().dim() == 0
    assert s.to(torch.int32).item() == 2


def test_complex_is_a_clear_error(dev):
    with pytest.raises(TypeError, match="complex64 is not supported"):
        torch.zeros(2, dtype=torch.complex64, device=dev)
    with pytest.raises(TypeError, match="not supported"):
        torch.ones(2, dtype=torch.complex64).to(dev)


@pytest.mark.parametrize("dtype", ALL_DTYPES, ids=str)
def test_all_dtypes_listed(dtype):
    # float64 works where the device has it, and says so clearly where it does not
    if dtype == torch.float64 and not torch.ocl.get_device_properties(0).fp64:
        with pytest.raises(TypeError, match="float64 is not supported"):
            torch.zeros(2, dtype=dtype, device="ocl")
    else:
        assert torch.zeros(2, dtype=dtype, device="ocl").dtype == dtype
