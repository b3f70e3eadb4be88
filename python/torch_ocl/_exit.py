"""Process exit right after a backward pass on ocl.

PyTorch's autograd engine runs a device's backward on that device's worker thread, and the worker
drops its reference to the finished graph task only after waking the caller. Each backward stashes
a Python object (a copy of the contextvars context) in the graph task's thread-local state, so
whoever drops the last reference needs the GIL: when a script ends right after a backward, the
worker can get there while the interpreter finalizes, is stopped inside a destructor that may not
throw, and the process aborts ("terminate called without an active exception"). At exit, one more
backward per ocl device, started without any Python state, runs to completion first: the worker has
then finished the previous task's iteration (and released it), and the task it still holds carries
nothing that needs the GIL.
"""

import atexit

import torch


def _settle_autograd_workers():
    ocl = torch.ocl
    if not ocl.is_initialized():
        return
    try:
        for index in range(ocl.device_count()):
            x = torch.ones(1, device=torch.device("ocl", index), requires_grad=True)
            y = x.sum()
            # The engine itself (torch.autograd.backward would stash the context again), and the
            # gradient accumulated into x in C++: a returned gradient would be a Python tensor
            # that the task's result holds on to.
            torch.autograd.Variable._execution_engine.run_backward(
                (y,), (torch.ones_like(y),), False, False, (), False, True)
    except Exception:  # a device already in error: exit as before
        pass


def register():
    atexit.register(_settle_autograd_workers)
