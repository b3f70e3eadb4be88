"""Imports torchvision where its compiled ops cannot load (the tests' conftest, bench_vision.py, and
bench_train.py before Hugging Face transformers, which imports torchvision wherever it is installed).

torchvision on PyPI is built against CUDA torch. Under the CPU torch its C++ extension does not
load, and its import then fails when it registers meta kernels for `torchvision::nms` and
`torchvision::qnms`, whose schemas the extension would have defined. Its models are plain
Python, so this defines those two schemas (no kernels) and imports it again. Where the
extension loads, torchvision is imported untouched.
"""

import sys

import torch

_lib = None


def import_torchvision():
    global _lib
    try:
        import torchvision
        return torchvision
    except RuntimeError as e:
        if "torchvision::nms" not in str(e):
            raise
    for name in [m for m in sys.modules if m == "torchvision" or m.startswith("torchvision.")]:
        del sys.modules[name]
    _lib = torch.library.Library("torchvision", "DEF")
    _lib.define("nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor")
    _lib.define("qnms(Tensor qdets, Tensor scores, float iou_threshold) -> Tensor")
    import torchvision
    return torchvision
