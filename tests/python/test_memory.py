"""Caching allocator: virtual addresses, stats, caching, record_stream, limits and OOM."""

import pytest
import torch


def setup_function():
    torch.ocl.synchronize()
    torch.ocl.empty_cache()


def test_data_pointers_are_virtual_addresses(dev):
    a = torch.empty(1000, device=dev)
    b = torch.empty(1000, device=dev)
    assert a.data_ptr() != b.data_ptr()
    assert a.data_ptr() % 512 == 0
    v = a[10:]
    assert v.data_ptr() == a.data_ptr() + 10 * 4
    assert v.untyped_storage().data_ptr() == a.untyped_storage().data_ptr()
    # views keep aliasing: writes through a view show in the base
    v.fill_(7.0)
    assert a[10].item() == 7.0


def test_allocated_reserved_and_peak(dev):
    import gc

    gc.collect()
    base = torch.ocl.memory_allocated()
    torch.ocl.reset_peak_memory_stats()
    x = torch.empty(1 << 20, device=dev)  # 4 MiB
    assert torch.ocl.memory_allocated() - base == 4 << 20
    assert torch.ocl.memory_reserved() >= torch.ocl.memory_allocated()
    peak = torch.ocl.max_memory_allocated()
    del x
    assert torch.ocl.memory_allocated() == base
    assert torch.ocl.max_memory_allocated() == peak >= base + (4 << 20)
    torch.ocl.reset_peak_memory_stats()
    assert torch.ocl.max_memory_allocated() == torch.ocl.memory_allocated()
    stats = torch.ocl.memory_stats()
    for key in ("allocated_bytes.all.current", "reserved_bytes.all.peak", "segment.all.current", "num_ooms"):
        assert key in stats


def test_cache_reuses_blocks_and_empty_cache_releases(dev):
    x = torch.empty(3 << 20, dtype=torch.uint8, device=dev)
    ptr = x.data_ptr()
    reserved = torch.ocl.memory_reserved()
    del x
    assert torch.ocl.memory_reserved() == reserved  # cached, not freed
    y = torch.empty(3 << 20, dtype=torch.uint8, device=dev)
    assert y.data_ptr() == ptr
    del y
    torch.ocl.empty_cache()
    assert torch.ocl.memory_reserved() < reserved


def test_mem_get_info(dev):
    free, total = torch.ocl.mem_get_info()
    assert total == torch.ocl.get_device_properties(0).global_mem
    x = torch.empty(8 << 20, dtype=torch.uint8, device=dev)
    free2, _ = torch.ocl.mem_get_info()
    assert free2 <= free - (8 << 20)
    del x


def test_record_stream(dev):
    s = torch.ocl.Stream()
    x = torch.empty(1 << 16, device=dev)
    ptr = x.data_ptr()
    with torch.ocl.stream(s):
        x.fill_(1.0)
    x.record_stream(s)
    del x
    s.synchronize()
    y = torch.empty(1 << 16, device=dev)  # reusable once the stream has passed
    assert y.data_ptr() == ptr


def test_out_of_memory_is_recoverable(dev):
    keep = torch.arange(1000.0, device=dev)
    total = torch.ocl.get_device_properties(0).global_mem
    torch.ocl.set_per_process_memory_fraction(0.01)
    try:
        too_big = int(total * 0.02) // 4
        with pytest.raises(torch.OutOfMemoryError) as info:
            torch.empty(too_big, device=dev)
        msg = str(info.value)
        assert "out of memory" in msg and "allocated" in msg and "reserved" in msg and "device total" in msg
        assert torch.ocl.memory_stats()["num_ooms"] >= 1
    finally:
        torch.ocl.set_per_process_memory_fraction(1.0)
    assert keep[999].item() == 999.0
    assert torch.ones(10, device=dev).cpu().sum().item() == 10


def test_fraction_validation():
    with pytest.raises(ValueError):
        torch.ocl.set_per_process_memory_fraction(1.5)
    with pytest.raises(TypeError):
        torch.ocl.set_per_process_memory_fraction(1)


def test_allocation_over_max_single_allocation(dev):
    keep = torch.full((16,), 5, device=dev)
    max_alloc = torch.ocl.get_device_properties(0).max_alloc
    with pytest.raises(RuntimeError, match="CL_DEVICE_MAX_MEM_ALLOC_SIZE"):
        torch.empty(max_alloc + 1, dtype=torch.uint8, device=dev)
    assert keep.cpu().tolist() == [5] * 16


def test_accelerator_memory_api(dev):
    x = torch.empty(1 << 18, device=dev)
    assert torch.accelerator.memory_allocated() == torch.ocl.memory_allocated()
    assert torch.accelerator.memory_reserved() == torch.ocl.memory_reserved()
    torch.accelerator.empty_cache()
    del x


def test_storage_resize_keeps_data(dev):
    x = torch.arange(10.0, device=dev)
    s = x.untyped_storage()
    s.resize_(80)
    assert s.nbytes() == 80
    assert torch.tensor([], device=dev).set_(s).view(torch.float32)[:10].cpu().tolist() == list(range(10))
