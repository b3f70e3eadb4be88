"""Tunes the tensor-core GEMM's configuration table: runs bench_blas.py on ocl once per
configuration (TORCH_OCL_GEMM_MMA_CONFIG="bm,bn,bk,stages,wm,wn[,splits]"; "table" is the
built-in choice) and once on cuda, and prints TFLOP/s per shape and configuration, the best
configuration per shape and its ratio to cuda. Extra options go to bench_blas.py.

    python bench/tune_gemm.py --configs "table;128,256,32,2,2,4;128,128,32,3,2,2" --dtypes bf16
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT = ("table;128,256,32,2,2,4;256,128,32,2,4,2;128,128,32,3,2,2;128,128,32,3,2,4;128,256,16,4,2,4;"
           "128,128,16,5,2,2;64,128,32,4,2,2;128,64,32,4,2,2;64,64,32,4,2,2")


def run(device, config, extra):
    """bench_blas rows of one device (and configuration), or None when the process failed."""
    env = dict(os.environ)
    env.pop("TORCH_OCL_GEMM_MMA_CONFIG", None)
    if config != "table":
        env["TORCH_OCL_GEMM_MMA_CONFIG"] = config
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "rows.json")
        cmd = [sys.executable, str(HERE / "bench_blas.py"), "--device", device, "--json", out] + extra
        p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if not os.path.exists(out):
            print(f"[tune] {device} {config}: failed (exit {p.returncode}): {p.stderr.strip()[-300:]}", file=sys.stderr)
            return None
        with open(out) as f:
            return {r["op"]: r.get("value") for r in json.load(f)["rows"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--configs", default=DEFAULT, help="configurations separated by ';'")
    ap.add_argument("--no-cuda", action="store_true")
    args, extra = ap.parse_known_args()
    extra = extra or ["--dtypes", "bf16", "--min-time", "0.2"]
    configs = [c for c in args.configs.split(";") if c]
    results = {c: run("ocl", c, extra) for c in configs}
    cuda = None if args.no_cuda else run("cuda", "table", extra)
    ops = next((list(r) for r in results.values() if r), [])
    heads = ["op"] + [c.replace(",", "/") for c in configs] + ["best", "cuda", "best/cuda", "table/cuda"]
    cells = [heads]
    for op in ops:
        vals = [(results[c] or {}).get(op) for c in configs]
        ok = [(v, c) for v, c in zip(vals, configs) if v]
        best = max(ok) if ok else (None, "-")
        cu = (cuda or {}).get(op)
        table = (results.get("table") or {}).get(op)
        cells.append([op] + [f"{v:.0f}" if v else "-" for v in vals] +
                     [best[1].replace(",", "/"), f"{cu:.0f}" if cu else "-",
                      f"{best[0] / cu:.2f}" if cu and best[0] else "-", f"{table / cu:.2f}" if cu and table else "-"])
    widths = [max(len(r[i]) for r in cells) for i in range(len(heads))]
    for r in cells:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))


if __name__ == "__main__":
    main()
