"""nn.Module conversion to and from ocl keeps Parameter identity (tied weights), as for CUDA."""

import torch


def test_to_keeps_tied_parameters(dev):
    emb = torch.nn.Embedding(10, 4)
    head = torch.nn.Linear(4, 10, bias=False)
    head.weight = emb.weight
    model = torch.nn.ModuleDict({"emb": emb, "head": head})
    param = emb.weight
    model.to(dev)
    assert model["emb"].weight is model["head"].weight is param
    assert param.device == dev
    model.to("cpu")
    assert model["emb"].weight is model["head"].weight is param
    assert param.device.type == "cpu"


def test_set_data_across_devices(dev):
    p = torch.nn.Parameter(torch.randn(3, 2))
    values = torch.randn(3, 2)
    p.data = values.to(dev)
    assert p.device == dev and isinstance(p, torch.nn.Parameter)
    torch.testing.assert_close(p.detach().cpu(), values)


def test_sparse_is_not_shallow_compatible(dev):
    dense = torch.randn(2, 2, device=dev)
    assert torch._has_compatible_shallow_copy_type(dense, torch.randn(2, 2))
    assert not torch._has_compatible_shallow_copy_type(dense, torch.randn(2, 2).to_sparse())
