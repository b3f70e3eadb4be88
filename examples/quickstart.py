"""torch_ocl quickstart: devices, copies, streams and events, random numbers, memory.

Runs on the default ocl device (the first GPU, or PoCL's CPU device where there is none).
"""

import time

import torch
import torch_ocl  # noqa: F401  (import torch alone also loads it, through its entry point)


def main():
    print(f"OpenCL devices: {torch.ocl.device_count()}")
    for i in range(torch.ocl.device_count()):
        p = torch.ocl.get_device_properties(i)
        print(f"  ocl:{i}  {p.name} ({p.platform_name}, driver {p.driver_version}), "
              f"{p.compute_units} compute units, {p.global_mem >> 20} MiB, fp64={p.fp64}")
    dev = torch.device("ocl")

    # Copies: host -> device -> host, strided layouts and casts on the device.
    x = torch.randn(1024, 1024)
    xo = x.to(dev)
    assert torch.equal(xo.cpu(), x)
    t = xo.t().contiguous()  # strided -> contiguous kernel on the device
    assert torch.equal(t.cpu(), x.t().contiguous())
    h = xo.to(torch.bfloat16)
    assert torch.equal(h.cpu(), x.to(torch.bfloat16))
    print("copies and casts: ok")

    # Pinned memory: non-blocking uploads, timed with events.
    pinned = torch.randn(16 << 20).pin_memory()
    start, end = torch.ocl.Event(enable_timing=True), torch.ocl.Event(enable_timing=True)
    start.record()
    on_dev = pinned.to(dev, non_blocking=True)
    end.record()
    end.synchronize()
    ms = start.elapsed_time(end)
    print(f"pinned upload of {pinned.nbytes >> 20} MiB: {ms:.2f} ms ({pinned.nbytes / ms / 1e6:.2f} GB/s)")
    assert torch.equal(on_dev.cpu(), pinned)

    # Streams: work on a side stream, ordered with an event.
    side = torch.ocl.Stream()
    with torch.ocl.stream(side):
        filled = torch.full((4096,), 7.0, device=dev)
        done = torch.ocl.Event()
        done.record()
    torch.ocl.current_stream().wait_event(done)
    assert filled.cpu().eq(7.0).all()
    print(f"streams: ok (side stream id {side.stream_id})")

    # Random numbers: reproducible for a seed.
    torch.manual_seed(0)
    a = torch.randn(1 << 20, device=dev)
    torch.manual_seed(0)
    b = torch.randn(1 << 20, device=dev)
    assert torch.equal(a.cpu(), b.cpu())
    ac = a.cpu()
    print(f"randn: mean {ac.mean():+.4f}, std {ac.std():.4f} (reproducible for a seed)")

    # Memory: the caching allocator's view.
    t0 = time.perf_counter()
    blocks = [torch.empty(1 << 20, device=dev) for _ in range(64)]
    del blocks
    dt = (time.perf_counter() - t0) * 1e6 / 64
    print(f"allocated {torch.ocl.memory_allocated() >> 20} MiB, reserved {torch.ocl.memory_reserved() >> 20} MiB, "
          f"peak {torch.ocl.max_memory_allocated() >> 20} MiB; {dt:.1f} us per cached allocation")
    print("quickstart finished on", torch.ocl.get_device_name())


if __name__ == "__main__":
    main()
