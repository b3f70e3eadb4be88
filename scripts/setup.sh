#!/usr/bin/env bash
# Installs what torch_ocl needs on a fresh Debian/Ubuntu machine (OpenCL headers and ICD
# loader, PoCL, CLBlast, GoogleTest, build tools; torch 2.13.0 and Python tools) and builds
# and installs torch_ocl (with its C++ tests, for ctest). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages="ocl-icd-opencl-dev opencl-headers opencl-clhpp-headers pocl-opencl-icd clinfo libclblast-dev
  libgtest-dev cmake ninja-build ccache g++"
missing=$(for p in $packages; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi

# torch 2.11-2.13 is supported; a fresh machine gets 2.13.0 (pinned: the CPU build).
if ! python3 -c "import torch, sys; v = tuple(map(int, torch.__version__.split('+')[0].split('.')[:2])); sys.exit(not (2, 11) <= v <= (2, 13))" 2>/dev/null; then
  python3 -m pip install -q "torch==2.13.0"
fi
# The op harness uses PyTorch's OpInfo database (needs expecttest, hypothesis); the model
# tests use Hugging Face transformers (random-initialised configs, nothing downloaded).
python3 -m pip install -q numpy pytest pytest-xdist scikit-build-core expecttest hypothesis "transformers==5.24.0" pillow
# The CNN zoo tests use torchvision's models: the release matching the installed torch (0.(minor +
# 15)), without its dependencies so that pip keeps this torch. Its compiled ops are built for CUDA
# torch and do not load here; tests/python/vision.py makes the import work without them.
tv_version=$(python3 -c "import torch; print('0.%d.*' % (int(torch.__version__.split('.')[1]) + 15))")
python3 -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('torchvision') is None)" 2>/dev/null ||
  python3 -m pip install -q --no-deps "torchvision==$tv_version"
# Paths relative to the checkout in ccache's keys, so a fresh clone reuses earlier compiles.
export CCACHE_BASEDIR="$PWD"
python3 -m pip install -q --no-build-isolation -C cmake.define.TORCH_OCL_BUILD_TESTS=ON .
