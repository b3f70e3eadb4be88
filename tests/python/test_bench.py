"""The benchmarks run end to end on ocl at tiny sizes, natively, and print one table row per case."""

import argparse
import importlib.util
import json
import math
import os
import pathlib
import subprocess
import sys

import pytest

BENCH = pathlib.Path(__file__).resolve().parents[2] / "bench"

# Options that make each bench take seconds on a CPU device.
TINY = {
    "bench_memory": ["--numel", "65536", "--iters", "2"],
    "bench_blas": ["--sizes", "64", "--bmm", "2,32,16,24,nt", "--layers", "32:64x96", "--min-time", "0.01"],
    "bench_nn": ["--rows", "64", "--hidden", "128", "--vocab", "256", "--long-row", "40000", "--iters", "2"],
    "bench_indexing": ["--numel", "65536", "--iters", "2"],
    "bench_cnn": ["--batch", "1", "--iters", "1"],
    "bench_conv": ["--batch", "1", "--iters", "1"],
    "bench_scan_sort": ["--numel", "65536", "--sort-numel", "16384", "--iters", "2"],
    "bench_attention": ["--shapes", "1,2,32,16", "--iters", "1"],
    "bench_vision": ["--models", "resnet18,mobilenet_v3_small", "--batch", "2", "--image", "32", "--warmup", "1",
                     "--iters", "1"],
    "bench_compile": ["--dim", "32", "--heads", "2", "--layers", "1", "--vocab", "128", "--context", "16",
                      "--batch", "2", "--warmup", "1", "--iters", "1", "--rows", "64", "--cols", "128",
                      "--dtypes", "float32,bfloat16"],
    "bench_train": ["--dim", "32", "--heads", "2", "--layers", "1", "--vocab", "128", "--context", "16",
                    "--batch", "2", "--warmup", "1", "--iters", "1", "--autocast", "bf16"],
}


def case_names(bench, argv):
    """The bench's case names for these options, from its own make_cases."""
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(f"_bench_{bench}", BENCH / f"{bench}.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        ap = argparse.ArgumentParser()
        mod.add_arguments(ap)
        return [c.name for c in mod.make_cases(ap.parse_args(argv))]
    finally:
        sys.path.remove(str(BENCH))


def load_common():
    spec = importlib.util.spec_from_file_location("_bench_common", BENCH / "common.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_table_ratio_direction(capsys):
    """ocl/cuda is ocl's speed over cuda's: rates divide ocl by cuda, times cuda by ocl."""
    common = load_common()

    def result(name, rate, us):
        return {"device": name, "name": name + " card", "rows": [
            {"op": "copy", "unit": "GB/s", "work": 8e9, "value": rate, "ms": 8e3 / rate},
            {"op": "launch", "unit": "us", "work": 0, "value": us, "ms": us / 1e3},
            {"op": "sort", "unit": "Mkeys/s", "work": 1e6, "error": "RuntimeError: out of memory"}]}

    merged = common.table({"ocl": result("ocl", 2.0, 10.0), "cuda": result("cuda", 4.0, 5.0)}, "title")
    assert merged[0]["ocl/cuda"] == pytest.approx(0.5)
    assert merged[1]["ocl/cuda"] == pytest.approx(0.5)
    assert merged[2]["ocl/cuda"] is None and merged[2]["ocl_error"].startswith("RuntimeError")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "title" and lines[1] == "ocl: ocl card; cuda: cuda card"
    assert lines[2].split() == ["op", "unit", "ocl", "cuda", "ocl/cuda", "ocl", "ms", "cuda", "ms"]
    assert lines[3].split()[:5] == ["copy", "GB/s", "2", "4", "0.5"]
    assert lines[4].split()[:5] == ["launch", "us", "10", "5", "0.5"]
    assert lines[5].split()[:5] == ["sort", "Mkeys/s", "error", "error", "-"]


def test_every_bench_is_covered():
    assert sorted(p.stem for p in BENCH.glob("bench_*.py")) == sorted(TINY)


@pytest.mark.parametrize("bench", sorted(TINY))
def test_bench_runs_on_ocl(bench, tmp_path):
    if bench == "bench_vision" and importlib.util.find_spec("torchvision") is None:
        pytest.skip("torchvision is not installed")
    out = tmp_path / "rows.json"
    # The fallback off: an op that is not native makes its row an error.
    env = dict(os.environ, TORCH_OCL_FALLBACK="0")
    p = subprocess.run([sys.executable, str(BENCH / f"{bench}.py"), *TINY[bench], "--json", str(out)],
                       capture_output=True, text=True, env=env, timeout=300)
    assert p.returncode == 0, f"{bench} failed ({p.returncode}):\n{p.stdout}\n{p.stderr[-4000:]}"
    names = case_names(bench, TINY[bench])
    assert names
    lines = p.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["op", "unit"])
    assert "ocl" in lines[header].split()
    body = lines[header + 1:header + 1 + len(names)]
    assert [line[:len(n)] for line, n in zip(body, names)] == names
    assert "error" not in p.stdout
    result = json.loads(out.read_text())
    assert [r["op"] for r in result["rows"]] == names
    assert "ocl" in result["devices"]
    for r in result["rows"]:
        assert isinstance(r["ocl"], float) and math.isfinite(r["ocl"]) and r["ocl"] > 0, r
        assert not any(k.endswith("_error") for k in r), r
