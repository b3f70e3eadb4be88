"""Config of the ocl code generator that Inductor's FX graph cache keys on: a digest of the generator."""

# Registered as the backend's device_custom_config, so FxGraphHashDetails hashes it: a graph
# compiled by another torch_ocl (or an edited generator) is compiled again, not reused from
# TORCHINDUCTOR_CACHE_DIR. Only config values may live at module level (install_config_module).

import hashlib
import os
import sys

from torch.utils._config_module import install_config_module


def generator_digest() -> str:
    """sha256 of torch_ocl's version and of this package's sources (the code generator)."""
    import torch_ocl  # imported by now: the backend registers after torch_ocl's import

    h = hashlib.sha256(str(getattr(torch_ocl, "__version__", "")).encode())
    here = os.path.dirname(os.path.abspath(__file__))
    for name in sorted(os.listdir(here)):
        if name.endswith(".py"):
            with open(os.path.join(here, name), "rb") as f:
                h.update(b"\0" + name.encode() + b"\0" + f.read())
    return h.hexdigest()


# the generator this process compiles with (part of the FX graph cache key)
generator: str = generator_digest()

# whether ocl graphs keep the ops of native_ops.py as our native kernels (TORCH_OCL_COMPILE_DECOMPOSE=1:
# Inductor's decompositions, for comparison)
keep_native: bool = os.environ.get("TORCH_OCL_COMPILE_DECOMPOSE", "0") != "1"

install_config_module(sys.modules[__name__])
