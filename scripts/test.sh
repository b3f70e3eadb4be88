#!/usr/bin/env bash
# Sets everything up, then runs the runtime tests and the C++ example (ctest) and the Python
# tests (pytest). On PoCL, two CPU devices are configured for the multi-device tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

if [ -z "${POCL_DEVICES:-}" ]; then
  # PoCL 4+ calls its CPU device "cpu", older releases "pthread".
  for kind in cpu pthread; do
    if [ "$(POCL_DEVICES="$kind $kind" clinfo -l 2>/dev/null | grep -c 'Device #')" -ge 2 ]; then
      export POCL_DEVICES="$kind $kind"
      break
    fi
  done
fi
echo "POCL_DEVICES=${POCL_DEVICES:-}"

build_dir=$(ls -d build/cp3* | head -n 1)
ctest --test-dir "$build_dir" --output-on-failure
# Two worker processes, one test file each at a time: on PoCL most of a fresh machine's test time is
# compiling kernels, one core per process, so two workers take about 0.6 of one's time.
python3 -m pytest -q -n 2 --dist loadfile tests/python "$@"
