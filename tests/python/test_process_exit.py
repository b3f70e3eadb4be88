"""A process that ends right after a backward pass on ocl exits cleanly.

PyTorch's autograd worker for a device releases each finished graph task after waking the caller,
and the task holds Python state (see torch_ocl/_exit.py); without the exit hook a script whose
last act is a backward aborted now and then ("terminate called without an active exception",
exit code 134) when the worker got there during interpreter finalization. The race is timing
dependent: several processes, two at a time, make it likely to show if it is back.
"""

import os
import subprocess
import sys

CODE = """
import torch
x = torch.randn(64, 64, device="ocl", requires_grad=True)
w = torch.randn(64, 64, device="ocl", requires_grad=True)
(x @ w).relu().sum().backward()
torch.autograd.grad((x * w).sum(), (x, w))
print("ok")
"""


def test_exit_right_after_backward():
    env = dict(os.environ, TORCH_OCL_ACCELERATOR="import")
    runs = []
    for _ in range(4):
        pair = [subprocess.Popen([sys.executable, "-c", CODE], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True, env=env) for _ in range(2)]
        runs += [(p.wait(timeout=600), *p.communicate()) for p in pair]
    for rc, out, err in runs:
        assert rc == 0 and out.strip() == "ok", (rc, err[-2000:])
