"""Shared by the benchmarks: timing, one process per device, one results table.

A bench defines its options and its cases and calls `main`. With `--device ocl|cuda` it
measures that device in this process; without, it runs itself once per device in a child
process and prints one table comparing them. Each device has its own process: once ocl is
used it is PyTorch's accelerator, and CUDA backward passes then fail inside PyTorch
(pytorch/pytorch#161129). The cuda child has torch_ocl loaded but never uses it.
"""

import argparse
import gc
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Callable, Optional

# Rates: the case's work per call over the seconds, in these units.
RATES = {"GB/s": 1e9, "TFLOP/s": 1e12, "Mkeys/s": 1e6, "tokens/s": 1.0, "images/s": 1.0}
# Times per call, in these units (lower is better).
TIMES = {"us": 1e6, "ms": 1e3}


@dataclass
class Case:
    name: str
    unit: str  # a key of RATES (work per second) or of TIMES (time per call)
    work: float  # bytes, flops, keys or tokens per call (rates only)
    setup: Callable  # setup(device) -> fn; one call of fn is the measured work
    iters: Optional[int] = None  # timed calls, instead of the bench's --iters
    peak_memory: bool = False  # also report the device memory allocated at peak (GiB)


def timed(fn, sync, iters, short=0.05, rounds=3):
    """Seconds per call of fn: one warm-up call (kernel builds), then iters timed calls; when
    those took under `short` seconds (one stall would show), the best of `rounds` such rounds."""
    fn()
    sync()
    best = float("inf")
    for r in range(rounds):
        t0 = time.perf_counter()
        for _ in range(iters):
            fn()
        sync()
        took = time.perf_counter() - t0
        best = min(best, took)
        if r == 0 and took >= short:
            break
    return best / iters


def warm_timed(fn, sync, args):
    """Seconds per call after args.warmup untimed calls, over args.iters calls (training steps)."""
    for _ in range(args.warmup):
        fn()
    sync()
    t0 = time.perf_counter()
    for _ in range(args.iters):
        fn()
    sync()
    return (time.perf_counter() - t0) / args.iters


def timed_for(fn, sync, min_time, max_iters=200):
    """Seconds per call: one warm-up call, then as many calls as fit in min_time seconds."""
    fn()
    sync()
    t0 = time.perf_counter()
    fn()
    sync()
    once = max(time.perf_counter() - t0, 1e-6)
    return timed(fn, sync, max(1, min(max_iters, int(min_time / once))))


def value(case, seconds):
    if case.unit in TIMES:
        return seconds * TIMES[case.unit]
    return case.work / seconds / RATES[case.unit]


def speed_ratio(unit, ocl, cuda):
    """ocl's speed over cuda's, so that > 1 means ocl is faster for rates and times alike."""
    if ocl is None or cuda is None or not ocl or not cuda:
        return None
    return cuda / ocl if unit in TIMES else ocl / cuda


def device_module(device):
    """torch.ocl (initialized, so that it is the accelerator even where CUDA is available) or
    torch.cuda."""
    import torch

    if device == "ocl":
        import torch_ocl  # noqa: F401  (when autoload is off)

        torch.ocl.init()

    return getattr(torch, device)


def measure(device, cases, args, timer):
    """Rows of one device, measured in this process; progress goes to stderr."""
    import torch

    mod = device_module(device)
    rows = []
    for case in cases:
        torch.manual_seed(0)
        row = {"op": case.name, "unit": case.unit, "work": case.work}
        try:
            if case.peak_memory:
                mod.synchronize()
                mod.reset_peak_memory_stats()
            fn = case.setup(device)
            s = timed(fn, mod.synchronize, case.iters) if case.iters else timer(fn, mod.synchronize, args)
            row.update(value=value(case, s), ms=s * 1e3)
            if case.peak_memory:
                row["peak_gib"] = mod.max_memory_allocated() / 2**30
            print(f"[{device}] {case.name}: {row['value']:.4g} {case.unit}", file=sys.stderr, flush=True)
        except Exception as e:  # one failing case (out of memory, missing kernel) leaves the rest
            row["error"] = f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"
            print(f"[{device}] {case.name}: {row['error']}", file=sys.stderr, flush=True)
        fn = None
        gc.collect()
        try:  # an error of the case's last launch may surface here; it is in its row already
            mod.synchronize()
            mod.empty_cache()
        except Exception as e:
            row.setdefault("error", f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}")
        rows.append(row)
    return {"device": device, "name": mod.get_device_name(), "rows": rows}


def cuda_available():
    import torch

    return torch.cuda.is_available()


def run_child(device):
    """Run this bench with the same options for one device; its results, or None on failure."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "rows.json")
        # argparse keeps the last --json, so the caller's own --json is overridden here
        argv = [sys.executable, sys.argv[0]] + sys.argv[1:] + ["--device", device, "--json", out]
        p = subprocess.run(argv, stdout=subprocess.DEVNULL)
        if not os.path.exists(out):  # rows that failed alone are in the file, marked
            print(f"[bench] the {device} process failed (exit {p.returncode})", file=sys.stderr)
            return None
        with open(out) as f:
            return json.load(f)


def fmt(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    if abs(v) >= 100:
        return f"{v:.1f}"
    return f"{v:.3g}"


def table(results, title=""):
    """Print one table for the devices' results (dicts of `measure`); returns the merged rows."""
    devices = [d for d in ("ocl", "cuda") if results.get(d)]
    base = next(results[d]["rows"] for d in devices)
    merged = []
    for i, r in enumerate(base):
        row = {"op": r["op"], "unit": r["unit"], "work": r["work"]}
        for d in devices:
            dr = results[d]["rows"][i]
            row[d] = dr.get("value")
            row[d + "_ms"] = dr.get("ms")
            row[d + "_peak"] = dr.get("peak_gib")
            if "error" in dr:
                row[d + "_error"] = dr["error"]
        if "cuda" in devices:
            row["ocl/cuda"] = speed_ratio(r["unit"], row.get("ocl"), row.get("cuda"))
        merged.append(row)
    cols = [("op", "op"), ("unit", "unit")]
    for d in devices:
        cols.append((d, d))
    if "cuda" in devices:
        cols.append(("ocl/cuda", "ocl/cuda"))
    for d in devices:
        cols.append((d + "_ms", d + " ms"))
    if any(r[d + "_peak"] is not None for r in merged for d in devices):
        cols += [(d + "_peak", d + " peak GiB") for d in devices]

    def cell(row, key):
        if key in ("op", "unit"):
            return row[key]
        if key.split("_")[0] + "_error" in row:
            return "error"
        return fmt(row.get(key))

    cells = [[head for _, head in cols]] + [[cell(r, k) for k, _ in cols] for r in merged]
    widths = [max(len(c[i]) for c in cells) for i in range(len(cols))]
    if title:
        print(title)
    print("; ".join(f"{d}: {results[d]['name']}" for d in devices))
    for line in cells:
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths))))
    if "cuda" in devices:
        print("ocl/cuda: ocl's speed over cuda's (rates ocl/cuda, times cuda/ocl; > 1: ocl faster)")
    for r in merged:
        for d in devices:
            if d + "_error" in r:
                print(f"{d} error in '{r['op']}': {r[d + '_error']}")
    return merged


def main(description, add_arguments, make_cases, timer=None, title=None):
    """A bench's entry point: options, then one device here or every device in its own process.

    add_arguments(parser) adds the bench's options; make_cases(args) -> [Case];
    timer(fn, sync, args) -> seconds per call (default: timed with args.iters);
    title(args) -> a line naming the configuration."""
    ap = argparse.ArgumentParser(description=description,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(ap)
    ap.add_argument("--device", choices=["ocl", "cuda"], help="measure this device only, in this process")
    ap.add_argument("--json", help="write the rows to this file")
    args = ap.parse_args()
    timer = timer or (lambda fn, sync, a: timed(fn, sync, a.iters))
    heading = title(args) if title else ""
    cases = make_cases(args)
    if args.device:
        results = {args.device: measure(args.device, cases, args, timer)}
    else:
        devices = ["ocl"] + (["cuda"] if cuda_available() else [])
        results = {d: run_child(d) for d in devices}
    if not any(results.values()):
        sys.exit(1)
    merged = table(results, heading)
    if args.json:
        with open(args.json, "w") as f:
            if args.device:
                json.dump(results[args.device], f, indent=1)
            else:
                opts = {k: v for k, v in vars(args).items() if k not in ("device", "json")}
                names = {d: r["name"] for d, r in results.items() if r}
                json.dump({"args": opts, "devices": names, "rows": merged}, f, indent=1)
    failed = any(r is None for r in results.values()) or any(
        k.endswith("_error") for r in merged for k in r)
    sys.exit(1 if failed else 0)
