"""Timing of candidate kernels on ocl for Inductor's autotuning (max-autotune's choice among
extern calls, multi-kernel and benchmark-driven fusion choices). Inductor's default for a device
outside its GPU types (cuda, xpu, mps, mtia) is CUDA's benchmarker, which times CUDA events (and
needs an NVIDIA driver; with one it would time the wrong queue); ocl's calls are timed on the
host around a device synchronize instead: the median over calls (batched when short)."""

import statistics
import time

import torch

# calls of at least this many milliseconds are timed one by one; shorter ones in batches
_MIN_BATCH_MS = 0.05
_MAX_CALLS = 1000


def benchmark_ocl(fn, warmup: float = 25, rep: float = 100) -> float:
    """Milliseconds per call of fn (ocl work): `warmup` ms of calls, then the median over `rep` ms."""
    sync = torch.ocl.synchronize
    sync()
    t0 = time.perf_counter()
    fn()
    sync()
    estimate = max((time.perf_counter() - t0) * 1e3, 1e-3)
    for _ in range(min(_MAX_CALLS, int(warmup / estimate))):
        fn()
    # short calls are timed in batches, so that the synchronize does not dominate
    batch = max(1, int(_MIN_BATCH_MS / estimate))
    samples = []
    for _ in range(max(1, min(_MAX_CALLS // batch, int(rep / (estimate * batch))))):
        sync()
        t0 = time.perf_counter()
        for _ in range(batch):
            fn()
        sync()
        samples.append((time.perf_counter() - t0) * 1e3 / batch)
    return statistics.median(samples)


def _registered(self, fn, *, warmup, rep, **kwargs):  # register_benchmarker's signature
    return benchmark_ocl(fn, warmup=warmup, rep=rep)


def _defaults():
    from torch._inductor import config

    return (getattr(config, "inductor_default_autotune_warmup", 25),
            getattr(config, "inductor_default_autotune_rep", 100))


def _install_benchmark_requests() -> None:
    """Autotuning's benchmark requests pick a device among Inductor's GPU types (cuda, xpu, ...)
    and take cuda for any other: ocl tensors are timed here instead."""
    from torch._inductor import autotune_process

    mixin = getattr(autotune_process, "GPUDeviceBenchmarkMixin", None)
    if mixin is None or getattr(mixin.do_bench, "_ocl", False):
        return
    original = mixin.do_bench

    def do_bench(self, fn, *input_tensors, out=None):
        if any(isinstance(t, torch.Tensor) and t.device.type == "ocl" for t in (*input_tensors, out)):
            warmup, rep = _defaults()
            return benchmark_ocl(fn, warmup=warmup, rep=rep)
        return original(self, fn, *input_tensors, out=out)

    do_bench._ocl = True  # type: ignore[attr-defined]
    mixin.do_bench = do_bench


def install() -> None:
    """Makes Inductor's benchmarker and autotuning's benchmark requests time ocl work with
    benchmark_ocl (idempotent)."""
    from torch._inductor.runtime import benchmarking

    _install_benchmark_requests()

    if hasattr(benchmarking, "register_benchmarker"):  # torch >= 2.13: per-device dispatch
        benchmarking.register_benchmarker("ocl", _registered, override=True)
        return
    bench = benchmarking.benchmarker
    if getattr(bench.benchmark, "_ocl", False):
        return
    original = bench.benchmark

    def benchmark(fn, fn_args=None, fn_kwargs=None, device=None, **kwargs):
        if device is None and (fn_args is not None or fn_kwargs is not None):
            device = bench.infer_device(*(fn_args or ()), **(fn_kwargs or {}))
        if device is None or torch.device(device).type != "ocl":
            return original(fn, fn_args, fn_kwargs, device=device, **kwargs)
        if fn_args or fn_kwargs:
            call = fn

            def fn():
                return call(*(fn_args or ()), **(fn_kwargs or {}))

        warmup, rep = _defaults()
        return benchmark_ocl(fn, warmup=kwargs.get("warmup", warmup), rep=kwargs.get("rep", rep))

    benchmark._ocl = True  # type: ignore[attr-defined]
    bench.benchmark = benchmark
