"""python -m torch_ocl: platforms, devices, drivers, capabilities, selection and kernel cache."""

import os


def _mib(n):
    return f"{n / (1 << 20):.0f} MiB"


def main():
    import torch
    import torch_ocl
    from torch_ocl import _C

    print(f"torch_ocl {torch_ocl.__version__}, torch {torch.__version__}")
    print(f"TORCH_OCL_DEVICES={os.environ.get('TORCH_OCL_DEVICES', '')!r} -> selection {_C._selection_spec()}")
    devices = _C._discovered_devices()
    if not devices:
        print(f"no OpenCL devices: {_C._discovery_error()}")
    platform = None
    for d in devices:
        if d["platform_name"] != platform:
            platform = d["platform_name"]
            print(f"\nplatform: {platform} ({d['platform_vendor']}, {d['platform_version']})")
        mark = f"ocl:{d['index']}" if d["selected"] else "not selected"
        print(f"  [{mark}] {d['name']} ({d['type']}, vendor {d['vendor']})")
        print(f"      driver {d['driver_version']}, {d['version']}, {d['opencl_c_version']}")
        print(f"      {d['compute_units']} compute units @ {d['max_clock_mhz']} MHz, global {_mib(d['global_mem'])}, "
              f"max allocation {_mib(d['max_alloc'])}, local {d['local_mem'] // 1024} KiB, "
              f"work-group {d['max_work_group_size']}")
        print(f"      fp16 (cl_khr_fp16): {d['fp16']}, fp64: {d['fp64']}")
    print(f"\nselected devices: {_C._device_count()}")
    cache = _C._kernel_cache_dir()
    print(f"kernel cache: {cache if cache else 'disabled (TORCH_OCL_KERNEL_CACHE=0)'}")
    print(f"CPU fallback: {'on' if _C._fallback_enabled() else 'off (TORCH_OCL_FALLBACK=0)'}")


if __name__ == "__main__":
    main()
