"""CNN zoo tests: torchvision models (random weights, small images) and 1d/3d convolution nets
train for 3 SGD steps on ocl with the CPU fallback off and match the same training on the CPU,
in NCHW and channels_last."""

import copy
import importlib.util

import pytest
import torch
import torch.nn as nn

if importlib.util.find_spec("torchvision") is None:
    pytest.skip("torchvision is not installed", allow_module_level=True)
from vision import import_torchvision  # noqa: E402  (conftest put bench/ on the path)

tv = import_torchvision()
STEPS = 3
CLASSES = 10


class Conv1dNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv1d(3, 8, 5, padding=2), nn.BatchNorm1d(8), nn.ReLU(),
            nn.Conv1d(8, 16, 3, stride=2, dilation=2, padding=2, groups=2), nn.GroupNorm(4, 16), nn.GELU(),
            nn.MaxPool1d(2), nn.ConvTranspose1d(16, 8, 4, stride=2, padding=1), nn.AdaptiveAvgPool1d(1))
        self.head = nn.Linear(8, CLASSES)

    def forward(self, x):
        return self.head(self.body(x).flatten(1))


class Conv3dNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv3d(3, 8, 3, padding=1), nn.BatchNorm3d(8), nn.ReLU(),
            nn.Conv3d(8, 8, 3, stride=2, padding=1, groups=8), nn.Conv3d(8, 16, 1), nn.InstanceNorm3d(16, affine=True),
            nn.SiLU(), nn.MaxPool3d(2), nn.AdaptiveAvgPool3d(1))
        self.head = nn.Linear(16, CLASSES)

    def forward(self, x):
        return self.head(self.body(x).flatten(1))


# name: (constructor, input shape); images are small, so the nets stay quick on a CPU device
MODELS = {
    "resnet18": (lambda: tv.models.resnet18(num_classes=CLASSES), (4, 3, 64, 64)),
    "resnet50": (lambda: tv.models.resnet50(num_classes=CLASSES), (4, 3, 64, 64)),
    "mobilenet_v3_small": (lambda: tv.models.mobilenet_v3_small(num_classes=CLASSES), (4, 3, 64, 64)),
    "efficientnet_b0": (lambda: tv.models.efficientnet_b0(num_classes=CLASSES), (4, 3, 64, 64)),
    "convnext_tiny": (lambda: tv.models.convnext_tiny(num_classes=CLASSES), (4, 3, 64, 64)),
    "regnet_y_400mf": (lambda: tv.models.regnet_y_400mf(num_classes=CLASSES), (4, 3, 64, 64)),
    "densenet121": (lambda: tv.models.densenet121(num_classes=CLASSES), (4, 3, 64, 64)),
    "vit_b_16": (lambda: tv.models.vit_b_16(num_classes=CLASSES, image_size=64), (4, 3, 64, 64)),
    "conv1d": (Conv1dNet, (2, 3, 64)),
    "conv3d": (Conv3dNet, (2, 3, 8, 8, 8)),
}
# stochastic depth and dropout draw different numbers on each device: off for the comparison
NO_DROP = {"efficientnet_b0", "convnext_tiny", "mobilenet_v3_small", "vit_b_16"}


def _no_dropout(model):
    for m in model.modules():
        if isinstance(m, nn.Dropout):
            m.p = 0.0
        if isinstance(m, tv.ops.StochasticDepth):
            m.p = 0.0
    return model


def _to(model, x, device, dtype, channels_last):
    model = model.to(device, dtype).train()
    x = x.to(device, dtype)
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    return model, x


def _train(model, x, y, device, channels_last):
    model, x = _to(model, x, device, torch.float64, channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    losses = []
    for _ in range(STEPS):
        loss = nn.functional.cross_entropy(model(x), y.to(device))
        loss.backward()
        opt.step()
        opt.zero_grad()
        losses.append(loss.item())
    return torch.tensor(losses, dtype=torch.float64), {k: v.detach().cpu() for k, v in model.state_dict().items()}


def _grads(model, x, y, device, dtype, channels_last):
    model, x = _to(model, x, device, dtype, channels_last)
    loss = nn.functional.cross_entropy(model(x), y.to(device))
    loss.backward()
    return loss.item(), {k: p.grad.detach().cpu().double() for k, p in model.named_parameters() if p.grad is not None}


def _case(name, channels_last):
    make, shape = MODELS[name]
    if channels_last and len(shape) != 4:
        pytest.skip("channels_last is a 4-d layout")
    torch.manual_seed(0)
    model = make()
    if name in NO_DROP:
        _no_dropout(model)
    g = torch.Generator().manual_seed(1)
    return model, torch.randn(shape, generator=g), torch.randint(0, CLASSES, (shape[0],), generator=g)


LAYOUTS = pytest.mark.parametrize("channels_last", [False, True], ids=["nchw", "channels_last"])


@LAYOUTS
@pytest.mark.parametrize("name", list(MODELS))
def test_train_matches_cpu(name, channels_last, dev, native_only):
    """3 SGD steps in float64: the same arithmetic as the CPU's up to rounding, so losses,
    parameters and batch-norm statistics agree closely (in float32, batch norm over a few values
    per channel and ReLU masks flipping near zero make two correct runs drift apart)."""
    model, x, y = _case(name, channels_last)
    cpu_losses, cpu = _train(copy.deepcopy(model), x, y, "cpu", channels_last)
    ocl_losses, ocl = _train(model, x, y, dev, channels_last)
    assert cpu_losses[-1] < cpu_losses[0]  # the steps did train
    torch.testing.assert_close(ocl_losses, cpu_losses, rtol=1e-9, atol=1e-12)
    for key, ref in cpu.items():
        torch.testing.assert_close(ocl[key], ref, rtol=1e-7, atol=1e-10, msg=lambda m: f"{name} {key}: {m}")


@LAYOUTS
@pytest.mark.parametrize("name", list(MODELS))
def test_float32_gradients(name, channels_last, dev, native_only):
    """One float32 forward and backward: every parameter's gradient is as close to the float64
    reference as the CPU's float32 gradient is (within a factor, or 2% where rounding flips a
    ReLU mask)."""
    model, x, y = _case(name, channels_last)
    ref_loss, ref = _grads(copy.deepcopy(model), x, y, "cpu", torch.float64, channels_last)
    cpu_loss, cpu = _grads(copy.deepcopy(model), x, y, "cpu", torch.float32, channels_last)
    ocl_loss, ocl = _grads(model, x, y, dev, torch.float32, channels_last)
    assert abs(ocl_loss - ref_loss) <= 1e-4 * abs(ref_loss)
    assert ocl.keys() == ref.keys()
    rel = lambda a, r: ((a - r).norm() / r.norm().clamp_min(1e-30)).item()  # noqa: E731
    for key, r in ref.items():
        err, cpu_err = rel(ocl[key], r), rel(cpu[key], r)
        assert err <= max(10 * cpu_err, 2e-2), f"{name} {key}: gradient off by {err:.2e} (cpu float32: {cpu_err:.2e})"


@pytest.mark.parametrize("name", ["resnet18", "mobilenet_v3_small", "convnext_tiny", "conv3d"])
def test_bf16_autocast_step(name, dev, native_only):
    """One channels_last training step under bf16 autocast (16-bit convolutions and products,
    float32 batch-norm statistics and losses) runs natively, and its loss and gradients are as
    close to the float64 step's as the CPU's bf16 autocast step is (bf16 rounding alone moves a
    first layer's gradient by tens of percent, on the CPU as here)."""
    model, x, y = _case(name, channels_last=False)
    fmt = torch.channels_last if x.dim() == 4 else torch.channels_last_3d

    def step(m, device, autocast):
        dtype = torch.float32 if autocast else torch.float64
        m = m.to(device, dtype).train().to(memory_format=fmt)
        with torch.autocast(torch.device(device).type, dtype=torch.bfloat16, enabled=autocast):
            loss = nn.functional.cross_entropy(m(x.to(device, dtype).contiguous(memory_format=fmt)), y.to(device))
        loss.backward()
        return loss.item(), {k: p.grad.detach().cpu().double() for k, p in m.named_parameters() if p.grad is not None}

    ref_loss, ref = step(copy.deepcopy(model), "cpu", False)
    cpu_loss, cpu = step(copy.deepcopy(model), "cpu", True)
    ocl_loss, ocl = step(model, dev, True)
    assert abs(ocl_loss - ref_loss) <= 3 * abs(cpu_loss - ref_loss) + 1e-2 * abs(ref_loss)
    assert ocl.keys() == ref.keys()
    rel = lambda a, r: ((a - r).norm() / r.norm().clamp_min(1e-30)).item()  # noqa: E731
    for key, r in ref.items():
        err, cpu_err = rel(ocl[key], r), rel(cpu[key], r)
        assert err <= 3 * cpu_err + 0.05, f"{name} {key}: gradient off by {err:.2e} (cpu bf16: {cpu_err:.2e})"
