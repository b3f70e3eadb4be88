"""Streams and events through torch.ocl, torch.Stream/torch.Event and torch.accelerator."""

import threading

import pytest
import torch


def test_default_and_current_stream(dev):
    s = torch.ocl.current_stream()
    assert s.stream_id == 0 and s.device == dev
    assert torch.ocl.default_stream() == s
    assert torch.accelerator.current_stream().stream_id == 0


def test_pool_streams_round_trip_through_torch_stream(dev):
    s = torch.ocl.Stream()
    assert s.stream_id != 0 and s.device == dev
    packed = torch.Stream(stream_id=s.stream_id, device_index=s.device_index, device_type=s.device_type)
    assert packed == s and packed.stream_id == s.stream_id
    hi = torch.ocl.Stream(priority=-1)
    assert hi.stream_id != s.stream_id
    generic = torch.Stream(device="ocl")
    assert generic.device == dev and generic.stream_id != 0


def test_stream_context_and_thread_locality(dev):
    s = torch.ocl.Stream()
    with torch.ocl.stream(s):
        assert torch.ocl.current_stream() == s
        seen = []
        t = threading.Thread(target=lambda: seen.append(torch.ocl.current_stream().stream_id))
        t.start()
        t.join()
        assert seen == [0]  # other threads keep their own current stream
    assert torch.ocl.current_stream().stream_id == 0
    torch.accelerator.set_stream(s)
    assert torch.ocl.current_stream() == s
    torch.ocl.set_stream(torch.ocl.default_stream())
    assert torch.ocl.current_stream().stream_id == 0


def test_work_ordered_across_streams_with_events(dev):
    s1, s2 = torch.ocl.Stream(), torch.ocl.Stream()
    big = torch.empty(4 << 20, device=dev)
    with torch.ocl.stream(s1):
        big.fill_(3.0)
        ev = torch.ocl.Event()
        ev.record()
    s2.wait_event(ev)
    with torch.ocl.stream(s2):
        out = big.clone()
    s2.synchronize()
    assert ev.query()
    assert s1.query() and s2.query()
    assert out[-5:].cpu().tolist() == [3.0] * 5
    s1.wait_stream(s2)
    torch.ocl.synchronize()


def test_event_timing_and_sync(dev):
    start = torch.ocl.Event(enable_timing=True)
    end = torch.ocl.Event(enable_timing=True)
    x = torch.empty(1 << 20, device=dev)
    start.record()
    for _ in range(5):
        x.fill_(1.0)
    end.record()
    end.synchronize()
    assert end.query()
    ms = start.elapsed_time(end)
    assert 0.0 <= ms < 60000.0
    e = torch.Event(device="ocl", enable_timing=True)
    e.record(torch.ocl.current_stream())
    e.wait(torch.ocl.Stream())
    e.synchronize()
    assert e.query()


def test_unrecorded_event_is_complete():
    e = torch.ocl.Event()
    assert e.query()
    e.synchronize()
    with pytest.raises((RuntimeError, ValueError), match="recorded"):
        torch.ocl.Event(enable_timing=True).elapsed_time(torch.ocl.Event(enable_timing=True))


def test_streams_of_second_device(two_devices):
    _, d1 = two_devices
    s = torch.ocl.Stream(device=d1)
    assert s.device == d1
    with torch.ocl.stream(s):
        assert torch.ocl.current_device() == 1
        x = torch.full((100,), 2.0, device="ocl")
    assert torch.ocl.current_device() == 0
    s.synchronize()
    assert x.device == d1 and x.cpu().tolist() == [2.0] * 100
    assert torch.ocl.current_stream(d1).stream_id == 0


def _long_work(dev):
    """Work that takes a while on any device: a few large matrix products."""
    n = 4096 if torch.ocl.get_device_properties(0).type == "gpu" else 768
    a = torch.randn(n, n, device=dev)
    torch.ocl.synchronize()
    for _ in range(4):
        a = a @ a
        a /= n
    return a


def test_query_is_exact_and_immediate(dev):
    # True right after synchronize (no fresh marker to wait for), many times over.
    x = torch.zeros(1000, device=dev)
    s = torch.ocl.Stream()
    for _ in range(200):
        with torch.ocl.stream(s):
            x.add_(1)
            e = torch.ocl.Event()
            e.record()
        s.synchronize()
        assert s.query() and e.query()
    torch.ocl.synchronize()
    assert torch.ocl.current_stream().query()
    # False while work runs, answered without waiting for it (a wait would answer True).
    with torch.ocl.stream(s):
        y = _long_work(dev)
        e = torch.ocl.Event()
        e.record()
    assert not s.query() and not e.query()
    s.synchronize()
    assert s.query() and e.query()
    assert torch.isfinite(y).all().item() and x[0].item() == 200
