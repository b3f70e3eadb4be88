"""README.md's operator table is the one scripts/op_list.py generates from the registrations."""

import pathlib
import subprocess
import sys

import pytest
import torch

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not torch.__version__.startswith("2.13."),
                    reason="the README table is generated against the pinned torch 2.13")
def test_readme_op_table_is_current():
    p = subprocess.run([sys.executable, str(ROOT / "scripts" / "op_list.py"), "--check"], capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
