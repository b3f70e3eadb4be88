"""CNN training steps (forward, backward, SGD with momentum) of torchvision models on ocl and
cuda: images/s, the ocl/cuda ratio and the memory allocated at peak; float32, and with
--autocast bf16/f16 the same step under torch.autocast. channels_last unless --nchw.

Each device runs in its own process (see common.py). Models are randomly initialised (nothing
downloaded); --models picks them (default: the zoo the tests train).
"""

import torch
import torch.nn.functional as F
from common import Case, main, warm_timed
from vision import import_torchvision

ZOO = ["resnet18", "resnet50", "mobilenet_v3_small", "efficientnet_b0", "convnext_tiny", "regnet_y_400mf",
       "densenet121", "vit_b_16"]


def make_model(name, image):
    tv = import_torchvision()
    kwargs = {"image_size": image} if name.startswith("vit") else {}
    return getattr(tv.models, name)(num_classes=1000, **kwargs)


def train_step(device, name, args):
    torch.manual_seed(0)
    fmt = torch.contiguous_format if args.nchw else torch.channels_last
    model = make_model(name, args.image).to(device).to(memory_format=fmt).train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(args.batch, 3, args.image, args.image, device=device).contiguous(memory_format=fmt)
    y = torch.randint(0, 1000, (args.batch,), device=device)
    amp = {"bf16": torch.bfloat16, "f16": torch.float16}.get(args.autocast)

    def step():
        with torch.autocast(device, dtype=amp or torch.float32, enabled=amp is not None):
            loss = F.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    return step



def add_arguments(ap):
    ap.add_argument("--models", default=",".join(ZOO), help="torchvision model names separated by ','")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--image", type=int, default=224)
    ap.add_argument("--nchw", action="store_true", help="keep the contiguous (NCHW) layout")
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--autocast", choices=["none", "bf16", "f16"], default="none",
                    help="run the step under torch.autocast in this dtype")


def make_cases(args):
    return [Case(f"{name} train step (fwd+bwd+SGD)", "images/s", args.batch,
                 (lambda n: lambda d: train_step(d, n, args))(name), peak_memory=True)
            for name in args.models.split(",") if name]


def title(args):
    return (f"batch={args.batch} image={args.image} {'NCHW' if args.nchw else 'channels_last'}, "
            f"{'float32' if args.autocast == 'none' else 'autocast ' + args.autocast}, SGD momentum 0.9")


if __name__ == "__main__":
    main(__doc__, add_arguments, make_cases, timer=warm_timed, title=title)
