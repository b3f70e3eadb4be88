#!/usr/bin/env bash
# Sets everything up, then trains a small transformer language model on the default ocl device.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
python3 examples/train_lm.py
