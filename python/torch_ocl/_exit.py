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
            # No kernel runs (empty tensors, a view and its backward, a gradient x takes over as
            # is), so exit compiles nothing. The engine is called itself (torch.autograd.backward
            # would stash the context again), and the gradient is accumulated into x in C++: a
            # returned one would be a Python tensor that the finished task holds on to.
            device = torch.device("ocl", index)
            x = torch.empty(1, device=device, requires_grad=True)
            torch.autograd.Variable._execution_engine.run_backward(
                (x.view(1),), (torch.empty(1, device=device),), False, False, (), False, True)
    except Exception:  # a device already in error: exit as before
        pass


def register():
    atexit.register(_settle_autograd_workers)
