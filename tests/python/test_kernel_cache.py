"""Program cache: lazy builds, the on-disk cache (a second process compiles nothing),
relocation and disabling, corrupt files, build failures and enqueue errors."""

import os

import pytest
import torch
import torch_ocl
from conftest import run_python
from torch_ocl import _C

WORKLOAD = (
    "import torch, torch_ocl\n"
    "x = torch.randn(100, 7, device='ocl')\n"
    "y = x.t().contiguous().to(torch.float16).to(torch.int32)\n"
    "torch.zeros(5, device='ocl', dtype=torch.int64).fill_(3)\n"
    "torch.ocl.synchronize()\n"
    "s = torch_ocl.kernel_cache_stats()\n"
    "print(s['builds'], s['disk_loads'], s['disk_writes'], s['disk_rejects'])\n"
)


def stats(out):
    return [int(v) for v in out.split()[-4:]]


def test_second_process_compiles_nothing(tmp_path):
    env = {"TORCH_OCL_KERNEL_CACHE": str(tmp_path / "cache")}
    _, out, _ = run_python(WORKLOAD, env)
    builds, loads, writes, _ = stats(out)
    assert builds > 0 and writes == builds and loads == 0
    files = [f for f in os.listdir(tmp_path / "cache") if f.endswith(".bin")]
    assert len(files) == writes
    _, out, _ = run_python(WORKLOAD, env)
    builds2, loads2, writes2, _ = stats(out)
    assert builds2 == 0 and writes2 == 0 and loads2 == builds


def test_cache_disabled(tmp_path):
    _, out, _ = run_python(WORKLOAD + "print(repr(torch_ocl.kernel_cache_dir()))\n", {"TORCH_OCL_KERNEL_CACHE": "0"})
    assert out.strip().splitlines()[-1] == "''"
    builds, loads, writes, _ = [int(v) for v in out.strip().splitlines()[-2].split()]
    assert builds > 0 and loads == 0 and writes == 0


def test_corrupt_and_stale_files_are_rebuilt(tmp_path):
    cache = tmp_path / "cache"
    env = {"TORCH_OCL_KERNEL_CACHE": str(cache)}
    run_python(WORKLOAD, env)
    files = sorted(f for f in os.listdir(cache) if f.endswith(".bin"))
    for i, name in enumerate(files):
        path = cache / name
        data = path.read_bytes()
        if i % 3 == 0:
            path.write_bytes(data[: len(data) // 2])  # truncated
        elif i % 3 == 1:
            path.write_bytes(data[:60] + bytes([data[60] ^ 0xFF]) + data[61:])  # flipped bit
        else:
            path.write_bytes(b"not a kernel binary")
    _, out, _ = run_python(WORKLOAD, env)
    builds, loads, writes, rejects = stats(out)
    assert rejects == len(files) and builds == len(files) and writes == len(files)
    _, out, _ = run_python(WORKLOAD, env)  # rewritten files are good again
    assert stats(out)[0] == 0


def test_default_location_and_relocation(tmp_path):
    _, out, _ = run_python("import torch_ocl; print(torch_ocl.kernel_cache_dir())",
                           {"TORCH_OCL_KERNEL_CACHE": str(tmp_path / "elsewhere")})
    assert out.strip() == str(tmp_path / "elsewhere")
    env = {k: v for k, v in os.environ.items() if k != "TORCH_OCL_KERNEL_CACHE"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-c", "import torch_ocl; print(torch_ocl.kernel_cache_dir())"],
                       capture_output=True, text=True, env=env, check=True)
    assert p.stdout.strip() == str(tmp_path / "xdg" / "torch_ocl" / "kernels")


def test_memory_cache_hits_within_process(dev):
    torch.zeros(10, device=dev)
    before = torch_ocl.kernel_cache_stats()
    for _ in range(5):
        torch.zeros(10, device=dev)
    after = torch_ocl.kernel_cache_stats()
    assert after["builds"] == before["builds"] and after["disk_loads"] == before["disk_loads"]
    assert after["memory_hits"] >= before["memory_hits"] + 5


def test_build_failure_raises_with_name_options_and_log(dev):
    keep = torch.arange(5, device=dev)
    src = "__kernel void bad(__global int* x) { x[0] = this_name_does_not_exist; }"
    with pytest.raises(RuntimeError) as info:
        _C._build_program(0, "test_bad_program", src, "bad", "-DFLAG=1")
    msg = str(info.value)
    assert "test_bad_program" in msg and "-DFLAG=1" in msg and "this_name_does_not_exist" in msg
    assert "CL_BUILD_PROGRAM_FAILURE" in msg
    assert keep.cpu().tolist() == [0, 1, 2, 3, 4]


def test_enqueue_error_is_named(dev):
    keep = torch.full((3,), 2.0, device=dev)
    src = "__kernel void two(__global int* x, int v) { x[get_global_id(0)] = v; }"
    with pytest.raises(RuntimeError, match="CL_INVALID_KERNEL_ARGS"):
        _C._launch_without_args(0, "test_unset_args", src, "two", 1, 1)
    # a work-group larger than the device allows: the driver's own error, by name
    too_big = 2 * torch.ocl.get_device_properties(0).max_work_group_size
    with pytest.raises(RuntimeError, match="CL_INVALID_WORK_(GROUP|ITEM)_SIZE"):
        _C._launch_without_args(0, "test_noop", "__kernel void noop() {}", "noop", too_big, too_big)
    assert keep.cpu().tolist() == [2.0, 2.0, 2.0]
    assert torch.ones(2, device=dev).cpu().tolist() == [1.0, 1.0]
