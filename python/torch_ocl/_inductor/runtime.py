"""Runtime side of compiled graphs: the kernel objects generated wrappers call (kept light: the
wrapper module imports it at load time)."""

import hashlib
import os
import threading
import warnings
from concurrent.futures import Future, ThreadPoolExecutor

import torch

from .. import _C


class OclKernelBuildError(RuntimeError):
    """A generated kernel failed to build; the message has the compiler's log and the source."""


_helper_source = None


def _helpers() -> str:
    """The eager kernels' helpers (16-bit conversions, integer division and powers), Philox,
    the combines' warp shuffles."""
    global _helper_source
    if _helper_source is None:
        from .philox import SOURCE as philox
        from .reduction import SHUFFLE_SOURCE

        _helper_source = "\n".join([_C._kernel_source("common.cl"), _C._kernel_source("math.cl"), philox,
                                    SHUFFLE_SOURCE])
    return _helper_source


def _numbered(source: str) -> str:
    return "\n".join(f"{i:4d}  {line}" for i, line in enumerate(source.splitlines(), 1))


# Reduction launch shape: rows shorter than this take one work item each (the combine would
# cost more than it saves); longer rows take a work-group's worth of work items.
SERIAL_ROW_MAX = 128
# Work-group size of generated kernels (a power of two, capped by the device's limit): a
# multiple of the 32/64-wide SIMD groups GPUs schedule.
GROUP_SIZE = 256
# Rows per work-group of multi-lane outer reductions (one SIMD group of neighbouring addresses).
OUTER_ROWS = 32
# Rows per launch of multi-lane reductions are capped at this many work-groups per compute unit
# (groups loop over rows).
GROUPS_PER_CU = 64
# Grid of pointwise and one-work-item-per-row kernels on a GPU: at most this many work items
# per compute unit (an NVIDIA SM holds 2048 resident threads); the grid-stride loop does the rest.
ITEMS_PER_CU_GPU = 2048
# On a CPU device a work-group runs as one loop on one core: a few groups per core suffice.
GROUPS_PER_CU_CPU = 4


def _env_count(name: str, default: int, least: int) -> int:
    value = os.environ.get(name, str(default))
    if not value.isdigit() or int(value) < least:
        raise ValueError(f'[ocl::compile] {name}="{value}" is not a count ({least} or more)')
    return int(value)


# A reduction kernel holds a row's elements in registers where it takes at most this many per
# work item (TORCH_OCL_COMPILE_ROW_KEPT_MAX; 0 never does, for comparison): each loop's loads
# fetched for all of them before the loop's body, and values a later loop reads again kept (one
# pass over memory).
ROW_KEPT_MAX = _env_count("TORCH_OCL_COMPILE_ROW_KEPT_MAX", 16, 0)
# A long row takes enough work items (a power of two from a SIMD group's 32 up to a work-group)
# for about this many of its elements each (TORCH_OCL_COMPILE_ROW_PER). On an H100 (rows of
# 1024) 4 beat 8 and 16 (softmax 2091 / 1677 / 1428 GB/s float32): more work items per row
# keep more loads in flight than longer runs per work item did.
ROW_PER = _env_count("TORCH_OCL_COMPILE_ROW_PER", 4, 1)
SIMD_WIDTH = 32

_limits: dict[int, tuple[int, int, bool]] = {}
_shuffles: dict[int, int] = {}


def warp_shuffles(device: int) -> int:
    """WARP_SHFL of a device's reduction kernels: 1 where warps of 32 have shfl.sync (NVIDIA); 2
    (the shuffle combine's steps through local memory) under TORCH_OCL_MMA_EMULATE=1, the switch
    that replaces NVIDIA's PTX by plain OpenCL for testing; else 0 (the local-memory tree)."""
    if device not in _shuffles:
        if os.environ.get("TORCH_OCL_MMA_EMULATE", "0") == "1":
            _shuffles[device] = 2
        else:
            _shuffles[device] = int("NVIDIA" in torch.ocl.get_device_name(device).upper())
    return _shuffles[device]


def _device_limits(device: int) -> tuple[int, int, bool]:
    """(work-group size, compute units, whether a GPU or accelerator) of a device."""
    if device not in _limits:
        props = torch.ocl.get_device_properties(device)
        wg = 1
        while wg * 2 <= min(GROUP_SIZE, props.max_work_group_size):
            wg *= 2
        _limits[device] = (wg, max(1, props.compute_units), props.type in ("gpu", "accelerator"))
    return _limits[device]


def reduction_blocks(xnumel: int, rnumel: int, device: int, outer: bool = False) -> tuple[int, int, int]:
    """(XBLOCK, RBLOCK, XFAST): rows per work-group, work items per row, and whether a group's
    rows are its fastest-varying work items (outer reductions: neighbouring rows are neighbours
    in memory, so a SIMD group of rows reads adjacent addresses)."""
    wg, cu, _ = _device_limits(device)
    # short rows, or so many rows that they alone fill the device: one work item per row
    if rnumel < SERIAL_ROW_MAX or (xnumel >= cu * wg * GROUPS_PER_CU and rnumel <= 4 * SERIAL_ROW_MAX):
        return wg, 1, int(outer)
    if outer:
        # a SIMD group's worth of rows (fewer when there are fewer), the rest of the group per row
        xb = min(OUTER_ROWS, wg, 1 << max(0, int(xnumel) - 1).bit_length())
        return xb, wg // xb, 1
    items = -(-int(rnumel) // ROW_PER)
    rb = min(wg, max(min(SIMD_WIDTH, wg), 1 << (items - 1).bit_length()))
    return wg // rb, rb, 0


def row_elements(rnumel: int, rblock: int) -> int:
    """PER, a row's elements per work item where a kernel keeps rows in registers, else 0."""
    per = -(-int(rnumel) // rblock)
    return per if 0 < per <= ROW_KEPT_MAX else 0


def flat_launch(items: int, device: int) -> tuple[int, int]:
    """(global, local) size of a grid-stride launch over `items` work items (pointwise kernels,
    one-work-item-per-row reductions): full work-groups, at most a device-filling grid."""
    wg, cu, gpu = _device_limits(device)
    cap = max(1, cu * ITEMS_PER_CU_GPU // wg) if gpu else cu * GROUPS_PER_CU_CPU
    return min(-(-items // wg), cap) * wg, wg


# Copies of a pointwise kernel's body in its source (kernel.py): the most x indices a work item
# takes per step.
XPER_MAX = 4


def pointwise_per(items: int, device: int) -> int:
    """XPER, the x indices a pointwise kernel's work item takes per step: up to XPER_MAX where
    the elements fill that many device-filling grids, so that each work item has several loads
    in flight; 1 for smaller kernels (more work items instead)."""
    grid = flat_launch(items, device)[0]
    per = 1
    while per < XPER_MAX and items >= 2 * per * grid:
        per *= 2
    return per


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _build_pool() -> ThreadPoolExecutor | None:
    """Threads that build a loading module's kernels at once (Inductor's compile_threads of them;
    None when that is 1: builds run in the caller)."""
    global _pool
    from torch._inductor import config

    threads = config.compile_threads or 1
    if threads <= 1:
        return None
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="ocl-build")
        return _pool


def wait_for_builds(scope: dict) -> None:
    """Called where a compiled module has defined its kernels: waits for their builds, so that a
    build error surfaces while the graph is compiled."""
    for value in list(scope.values()):
        if isinstance(value, OclKernel):
            value.wait()


def _device_of(args) -> int:
    # the kernel runs on its tensors' device (GeneratedKernel checks they agree)
    device = next((a.device.index for a in args if isinstance(a, torch.Tensor)), None)
    return torch.ocl.current_device() if device is None else device


class OclKernel:
    """One generated OpenCL kernel. Called with the wrapper's arguments (tensors, ints, floats)
    followed by xnumel and the reduction size. A pointwise kernel launches a work item per XPER x
    indices up to a device-filling grid (grid-stride, flat_launch; XPER, a build option, from
    pointwise_per); a reduction kernel is built per (XBLOCK, RBLOCK, XFAST, PER) it is launched
    with, chosen from the sizes at each call; `outer` says the rows are neighbours in memory
    (Inductor's outer-reduction hint); `rows_kept` that its loops hold row elements in arrays
    (fetched before a loop's body, or kept for a later loop), so that rows that fit are held in
    registers (PER > 0). The variant the module will launch is built when the module loads, in
    a build thread (wait() or the first launch waits for it)."""

    def __init__(self, name: str, source: str, options: str = "", reduction: bool = False, size_hint=None,
                 outer: bool = False, rows_kept: bool = False):
        self.name = name
        self.source = source
        self.reduction = reduction
        self.outer = outer
        self.rows_kept = rows_kept
        self._options = options
        # The program cache keys on this name (plus options): it names the source uniquely.
        self._cache_name = "inductor_" + hashlib.sha256((source + "\0" + options).encode()).hexdigest()[:24]
        self._full = source.replace("#include <ocl_helpers>", _helpers(), 1)
        # (XPER,) or (XBLOCK, RBLOCK, XFAST, PER) -> the built kernel, or the Future of its build
        self._variants: dict[tuple[int, ...], object] = {}
        if os.environ.get("TORCH_OCL_VERBOSE", "0") not in ("", "0"):
            print(f"[ocl::compile] kernel {name}:\n{source}", flush=True)
        # build when the compiled module loads, so errors surface at compile time
        device = torch.ocl.current_device()
        if reduction:
            xn, rn = size_hint if size_hint else (1, 1 << 30)
            blocks = self._blocks(xn, rn, device)
            warp_shuffles(device)  # asked here, not first in a build thread
        else:
            blocks = (pointwise_per(size_hint[0], device) if size_hint else 1,)
        pool = _build_pool()
        self._variants[blocks] = pool.submit(self._make, blocks, device) if pool else self._make(blocks, device)

    def wait(self) -> None:
        """Waits for the builds started at load; raises a build's error."""
        for blocks, kernel in list(self._variants.items()):
            if isinstance(kernel, Future):
                self._variants[blocks] = kernel.result()

    def _blocks(self, xnumel: int, rnumel: int, device: int) -> tuple[int, int, int, int]:
        xb, rb, xfast = reduction_blocks(xnumel, rnumel, device, self.outer)
        return xb, rb, xfast, row_elements(rnumel, rb) if self.rows_kept else 0

    def _variant(self, blocks: tuple[int, ...], device: int):
        kernel = self._variants.get(blocks)
        if kernel is None or isinstance(kernel, Future):
            kernel = self._make(blocks, device) if kernel is None else kernel.result()
            self._variants[blocks] = kernel
        return kernel

    def _make(self, blocks: tuple[int, ...], device: int):
        """Builds a variant (in a build thread or the caller)."""
        options = self._options
        shuffles = warp_shuffles(device) if self.reduction else 0
        if self.reduction:
            options = (f"{options} -DXBLOCK={blocks[0]} -DRBLOCK={blocks[1]} -DXFAST={blocks[2]} "
                       f"-DPER={blocks[3]} -DWARP_SHFL={shuffles}").strip()
        else:
            options = f"{options} -DXPER={blocks[0]}".strip()
        kernel = _C.GeneratedKernel(self._cache_name, self._full, "generated", options)
        try:
            self._build(kernel, device)
        except OclKernelBuildError as e:
            if shuffles != 1:
                raise
            # a driver that does not take the shuffles' PTX: the tree for this device's kernels
            # (other build threads may have found it at the same time)
            with _pool_lock:
                first = _shuffles.get(device) == 1
                _shuffles[device] = 0
            if first:
                warnings.warn(f"[ocl::compile] warp shuffles are off for device {device}: {str(e)[:2000]}")
            return self._make(blocks, device)
        return kernel

    def _build(self, kernel, device: int) -> None:
        try:
            kernel.build(device)
        except RuntimeError as e:
            raise OclKernelBuildError(
                f"[ocl::compile] generated kernel {self.name} failed to build:\n{e}\n"
                f"Source of {self.name} (the log's 'inductor:{self.name}:LINE' counts from the "
                f"'#line 1' marker after the helpers):\n{_numbered(self.source)}"
            ) from None

    def __call__(self, *args):
        # the last two arguments are xnumel and the reduction size (see OclKernel in codegen)
        xnumel, rnumel = int(args[-2]), int(args[-1])
        if xnumel <= 0:
            return
        device = _device_of(args)
        if not self.reduction:
            per = pointwise_per(xnumel, device)
            self._variant((per,), device).launch_nd(args, *flat_launch(-(-xnumel // per), device))
            return
        blocks = self._blocks(xnumel, rnumel, device)
        xb, rb = blocks[:2]
        if rb == 1:
            global_size, local_size = flat_launch(xnumel, device)
        else:
            groups = min(-(-xnumel // xb), _device_limits(device)[1] * GROUPS_PER_CU)
            global_size, local_size = groups * xb * rb, xb * rb
        self._variant(blocks, device).launch_nd(args, global_size, local_size)


def get_raw_stream(device: int) -> int:
    """The current stream's id on `device` (what Inductor's wrappers call a raw stream)."""
    return torch.ocl.current_stream(device).stream_id
