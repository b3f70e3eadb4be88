"""The Python wrapper of compiled ocl graphs (Inductor's, calling OclKernel objects directly)
and the device snippets it writes (device guard, synchronize, streams)."""

from torch._inductor.codegen.common import DeviceOpOverrides
from torch._inductor.codegen.wrapper import PythonWrapperCodegen


class OclWrapperCodegen(PythonWrapperCodegen):
    @staticmethod
    def create(is_subgraph, subgraph_name, parent_wrapper, partition_signatures=None):
        if is_subgraph:
            from torch._inductor.codegen.wrapper import SubgraphPythonWrapperCodegen

            return SubgraphPythonWrapperCodegen(subgraph_name, parent_wrapper, partition_signatures)
        return OclWrapperCodegen()

    def write_header(self) -> None:
        super().write_header()
        self.header.writeline("import torch_ocl")
        self.header.writeline("from torch_ocl._inductor.runtime import OclKernel, wait_for_builds")

    def write_async_compile_wait(self) -> None:
        super().write_async_compile_wait()
        # the kernels above build in threads; their errors belong to this module's load
        self.prefix.writeline("wait_for_builds(globals())")

    def _generate_kernel_call_helper(self, kernel_name, call_args, *, device=None, triton=True, **kwargs):
        if not triton and device is not None and device.type == "ocl":
            # generated kernels launch on the current stream themselves
            self.writeline(self.wrap_kernel_call(kernel_name, call_args))
            return
        return super()._generate_kernel_call_helper(kernel_name, call_args, device=device, triton=triton, **kwargs)


class OclDeviceOpOverrides(DeviceOpOverrides):
    def import_get_raw_stream_as(self, name: str) -> str:
        return f"from torch_ocl._inductor.runtime import get_raw_stream as {name}"

    def set_device(self, device_idx: int) -> str:
        return f"torch.ocl.set_device({device_idx})"

    def synchronize(self) -> str:
        return "torch.ocl.synchronize()"

    def device_guard(self, device_idx: int) -> str:
        return f"torch.ocl.device({device_idx})"
