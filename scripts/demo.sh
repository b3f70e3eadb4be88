#!/usr/bin/env bash
# Sets everything up, then runs the demo on the default ocl device.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
python3 examples/quickstart.py
