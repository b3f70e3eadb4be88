"""Shared by the benchmarks: timing a callable on a device."""

import time


def timed(fn, sync, iters):
    """Seconds per call of fn: one warm-up call (kernel builds), then iters timed calls."""
    fn()
    sync()
    t0 = time.perf_counter()
    for _ in range(iters):
        fn()
    sync()
    return (time.perf_counter() - t0) / iters
