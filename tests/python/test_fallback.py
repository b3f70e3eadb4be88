"""CPU fallback: ops without a native kernel run on the CPU, warn once, are counted, and
TORCH_OCL_FALLBACK=0 (or set_fallback_enabled(False)) turns them into NotImplementedError."""

import warnings

import pytest
import torch
import torch_ocl
from conftest import run_python


def test_fallback_runs_counts_and_warns_once(dev):
    torch_ocl.reset_fallback_counts()
    a = torch.arange(6.0, device=dev)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r1 = torch.histc(a, 3)
        r2 = torch.histc(a, 3)
    assert r1.device == dev and torch.equal(r1.cpu(), torch.histc(torch.arange(6.0), 3))
    assert torch.equal(r2.cpu(), r1.cpu())
    counts = torch_ocl.fallback_counts()
    assert counts.get("aten::histc.out", 0) + counts.get("aten::histc", 0) == 2
    fallback_warnings = [x for x in w if "histc" in str(x.message)]
    assert len(fallback_warnings) <= 1


def test_fallback_switched_off_raises(dev, native_only):
    a = torch.arange(6.0, device=dev)
    with pytest.raises(NotImplementedError, match="TORCH_OCL_FALLBACK=0"):
        torch.histc(a, 3)
    assert a.cpu().tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]


def test_environment_switch():
    code = (
        "import torch, torch_ocl\n"
        "assert not torch_ocl.fallback_enabled()\n"
        "try:\n"
        "    torch.histc(torch.ones(3, device='ocl'), 3)\n"
        "except NotImplementedError as e:\n"
        "    print('NIE', 'histc' in str(e))\n"
    )
    _, out, _ = run_python(code, {"TORCH_OCL_FALLBACK": "0"})
    assert out.split() == ["NIE", "True"]


def test_fallback_rejects_tensors_on_two_devices(two_devices):
    d0, d1 = two_devices
    with pytest.raises(RuntimeError, match="Expected all tensors to be on the same device"):
        torch.add(torch.ones(3, device=d0), torch.ones(3, device=d1))


def test_fallback_in_place_keeps_aliasing(dev):
    base = torch.zeros(4, 4, device=dev)
    view = base[1]
    view.add_(1.0)  # in-place op through the fallback must write back into the view
    assert base.cpu()[1].tolist() == [1.0] * 4 and base.cpu()[0].tolist() == [0.0] * 4
