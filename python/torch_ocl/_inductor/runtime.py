"""Runtime side of compiled graphs: the kernel objects generated wrappers call (kept light: the
wrapper module imports it at load time)."""

import hashlib
import os

import torch

from .. import _C


class OclKernelBuildError(RuntimeError):
    """A generated kernel failed to build; the message has the compiler's log and the source."""


_helper_source = None


def _helpers() -> str:
    """The eager kernels' helpers (16-bit conversions, integer division and powers), Philox."""
    global _helper_source
    if _helper_source is None:
        from .philox import SOURCE as philox

        _helper_source = _C._kernel_source("common.cl") + "\n" + _C._kernel_source("math.cl") + "\n" + philox
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


def _row_kept_max() -> int:
    value = os.environ.get("TORCH_OCL_COMPILE_ROW_KEPT_MAX", "16")
    if not value.isdigit():
        raise ValueError(
            f'[ocl::compile] TORCH_OCL_COMPILE_ROW_KEPT_MAX="{value}" is not a count of elements (0 or more)')
    return int(value)


# A reduction kernel whose loops read a row more than once keeps the row in registers (one
# pass over memory) where it takes at most this many elements per work item
# (TORCH_OCL_COMPILE_ROW_KEPT_MAX; 0 never keeps rows, for comparison).
ROW_KEPT_MAX = _row_kept_max()

_limits: dict[int, tuple[int, int, bool]] = {}


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
    rb = min(wg, 1 << (int(rnumel) - 1).bit_length())
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


def _device_of(args) -> int:
    # the kernel runs on its tensors' device (GeneratedKernel checks they agree)
    device = next((a.device.index for a in args if isinstance(a, torch.Tensor)), None)
    return torch.ocl.current_device() if device is None else device


class OclKernel:
    """One generated OpenCL kernel. Called with the wrapper's arguments (tensors, ints, floats)
    followed by xnumel and the reduction size. A pointwise kernel launches one work item per x
    index up to a device-filling grid (grid-stride, flat_launch); a reduction kernel is built per
    (XBLOCK, RBLOCK, XFAST, PER) it is launched with, chosen from the sizes at each call; `outer`
    says the rows are neighbours in memory (Inductor's outer-reduction hint); `rows_kept` that its
    loops read a row more than once, so that rows that fit are kept in registers (PER > 0)."""

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
        self._variants: dict[tuple[int, int, int, int], object] = {}
        if os.environ.get("TORCH_OCL_VERBOSE", "0") not in ("", "0"):
            print(f"[ocl::compile] kernel {name}:\n{source}", flush=True)
        # build when the compiled module loads, so errors surface at compile time
        device = torch.ocl.current_device()
        if reduction:
            xn, rn = size_hint if size_hint else (1, 1 << 30)
            self._variant(self._blocks(xn, rn, device), device)
        else:
            self._variant((0, 0, 0, 0), device)

    def _blocks(self, xnumel: int, rnumel: int, device: int) -> tuple[int, int, int, int]:
        xb, rb, xfast = reduction_blocks(xnumel, rnumel, device, self.outer)
        return xb, rb, xfast, row_elements(rnumel, rb) if self.rows_kept else 0

    def _variant(self, blocks: tuple[int, int, int, int], device: int):
        kernel = self._variants.get(blocks)
        if kernel is None:
            options = self._options
            if self.reduction:
                options = (f"{options} -DXBLOCK={blocks[0]} -DRBLOCK={blocks[1]} -DXFAST={blocks[2]} "
                           f"-DPER={blocks[3]}").strip()
            kernel = _C.GeneratedKernel(self._cache_name, self._full, "generated", options)
            self._build(kernel, device)
            self._variants[blocks] = kernel
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
            self._variant((0, 0, 0, 0), device).launch_nd(args, *flat_launch(xnumel, device))
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
