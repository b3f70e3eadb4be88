"""torch.save / torch.load of ocl tensors and modules, mapped to ocl or to the CPU."""

import io

import torch
from conftest import dtypes_for_device, random_cpu


def _roundtrip(obj, **kw):
    buf = io.BytesIO()
    torch.save(obj, buf)
    buf.seek(0)
    return torch.load(buf, **kw)


def test_tensors_all_dtypes(dev):
    data = {str(dt): random_cpu((5, 3), dt) for dt in dtypes_for_device()}
    on_dev = {k: v.to(dev) for k, v in data.items()}
    on_dev["view"] = on_dev["torch.float32"].t()
    back = _roundtrip(on_dev)
    for k, v in data.items():
        assert back[k].device == dev and torch.equal(back[k].cpu(), v)
    assert torch.equal(back["view"].cpu(), data["torch.float32"].t())
    cpu = _roundtrip(on_dev, map_location="cpu")
    for k, v in data.items():
        assert cpu[k].device.type == "cpu" and torch.equal(cpu[k], v)
    mapped = _roundtrip(data, map_location="ocl")
    for k, v in data.items():
        assert mapped[k].device == dev and torch.equal(mapped[k].cpu(), v)
    mapped0 = _roundtrip(data, map_location=torch.device("ocl:0"))
    assert mapped0["torch.int64"].device == dev


def test_module_state_dict(dev):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Linear(8, 2))
    ref = {k: v.clone() for k, v in model.state_dict().items()}
    model.to(dev)
    assert all(p.device == dev for p in model.parameters())
    sd = _roundtrip(model.state_dict())
    assert all(v.device == dev for v in sd.values())
    fresh = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Linear(8, 2))
    fresh.load_state_dict(_roundtrip(model.state_dict(), map_location="cpu"))
    for k, v in fresh.state_dict().items():
        assert torch.equal(v, ref[k])
    whole = _roundtrip(model, weights_only=False)
    assert next(whole.parameters()).device == dev


def test_load_onto_second_device(two_devices):
    d0, d1 = two_devices
    t = torch.arange(10.0, device=d0)
    back = _roundtrip(t, map_location={"ocl:0": "ocl:1"})
    assert back.device == d1 and torch.equal(back.cpu(), torch.arange(10.0))
