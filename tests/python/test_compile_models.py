"""torch.compile trains real models on ocl: Hugging Face GPT-2 and torchvision's ResNet-18 take 3
SGD steps compiled and match eager ocl, with no CPU fallback and generated kernels running."""

import importlib.util

import pytest
import torch
import torch._dynamo
import torch.nn.functional as F

import torch_ocl
from torch_ocl._inductor.runtime import OclKernel

DEV = "ocl"
STEPS = 3


@pytest.fixture(autouse=True)
def _reset():
    torch._dynamo.reset()
    yield
    torch._dynamo.reset()


@pytest.fixture
def launches(monkeypatch):
    """Counts launches of generated kernels."""
    count = [0]
    call = OclKernel.__call__

    def counted(self, *args):
        count[0] += 1
        return call(self, *args)

    monkeypatch.setattr(OclKernel, "__call__", counted)
    return count


def train(make, batch, loss_of, compiled):
    """Losses and the first few gradient norms of each of STEPS SGD steps."""
    torch.manual_seed(0)
    model = make().to(DEV).train()
    run = torch.compile(model) if compiled else model
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    losses, norms = [], []
    for _ in range(STEPS):
        loss = loss_of(run, batch)
        loss.backward()
        norms.append([p.grad.norm().item() for p in list(model.parameters())[:4]])
        opt.step()
        opt.zero_grad()
        losses.append(loss.item())
    return losses, norms


def compare(make, batch, loss_of, launches, rtol):
    torch_ocl.reset_fallback_counts()
    eager = train(make, batch, loss_of, compiled=False)
    before = launches[0]
    compiled = train(make, batch, loss_of, compiled=True)
    assert launches[0] > before  # generated kernels ran
    assert torch_ocl.fallback_counts() == {}  # no CPU round trip, eager or compiled
    torch.testing.assert_close(compiled[0], eager[0], rtol=rtol, atol=rtol)
    torch.testing.assert_close(compiled[1], eager[1], rtol=rtol * 10, atol=rtol)
    assert eager[0][-1] < eager[0][0]  # the same batch each step: the loss falls


def test_hf_gpt2_trains_compiled(launches):
    transformers = pytest.importorskip("transformers", reason="Hugging Face transformers is not installed")
    cfg = transformers.GPT2Config(n_embd=64, n_layer=2, n_head=2, vocab_size=128, n_positions=32,
                                  bos_token_id=0, eos_token_id=0, resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    ids = torch.randint(0, 128, (2, 32), generator=torch.Generator().manual_seed(1)).to(DEV)

    def loss_of(model, ids):
        return model(input_ids=ids, labels=ids).loss

    compare(lambda: transformers.GPT2LMHeadModel(cfg), ids, loss_of, launches, rtol=1e-4)


def test_torchvision_resnet18_trains_compiled(launches):
    if importlib.util.find_spec("torchvision") is None:
        pytest.skip("torchvision is not installed")
    from vision import import_torchvision  # conftest put bench/ on the path

    tv = import_torchvision()
    g = torch.Generator().manual_seed(1)
    # batch 4 at 64 x 64 leaves 2 x 2 pixels at the last stage: batch norm over 16 values per
    # channel is well conditioned enough for float32 runs to agree closely
    batch = (torch.randn(4, 3, 64, 64, generator=g).to(DEV), torch.randint(0, 10, (4,), generator=g).to(DEV))

    def loss_of(model, batch):
        return F.cross_entropy(model(batch[0]), batch[1])

    compare(lambda: tv.models.resnet18(num_classes=10), batch, loss_of, launches, rtol=1e-3)
