"""A transformer training step (forward, backward, AdamW) on ocl and cuda: tokens/s, the
ocl/cuda ratio and the memory allocated at peak; float32, and with --autocast bf16/f16 the same
step under torch.autocast (16-bit products, float32 parameters).

Each device runs in its own process (see common.py); the cuda process does not load torch_ocl.
--model gpt (the default) is the demo's GPT (examples/train_lm.py) at a larger size: token +
position embeddings, causal SDPA attention, GELU MLPs, LayerNorm, tied output embeddings.
--model hf-gpt2 / hf-bert are Hugging Face's GPT-2 (124M at the defaults) and BERT-base (masked
LM) at their default configurations (randomly initialised, nothing downloaded; --context and
--batch apply, the size options do not), in their default sdpa attention mode.
"""

import pathlib
import sys
import torch
import torch.nn.functional as F
from common import Case, main, warm_timed

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "examples"))
from train_lm import TinyGPT  # noqa: E402


def make_model(args):
    """The model and loss(model, x, y) of --model."""
    if args.model == "gpt":
        model = TinyGPT(args.vocab, args.context, dim=args.dim, heads=args.heads, layers=args.layers)
        return model, args.vocab, lambda m, x, y: F.cross_entropy(m(x).view(-1, args.vocab), y.view(-1))
    import importlib.util

    if importlib.util.find_spec("torchvision") is not None:  # transformers imports it: see vision.py
        from vision import import_torchvision

        import_torchvision()
    import transformers

    if args.model == "hf-gpt2":
        cfg = transformers.GPT2Config(n_positions=max(1024, args.context))
        model = transformers.GPT2LMHeadModel(cfg)
    else:
        cfg = transformers.BertConfig(max_position_embeddings=max(512, args.context))
        model = transformers.BertForMaskedLM(cfg)
    return model, cfg.vocab_size, lambda m, x, y: m(input_ids=x, labels=y).loss


def train_step(device, args, compiled=False):
    """One training step (forward, backward, AdamW); with `compiled` the loss runs through
    torch.compile (bench_compile.py)."""
    torch.manual_seed(0)
    model, vocab, loss_of = make_model(args)
    model = model.to(device).train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    x = torch.randint(0, vocab, (args.batch, args.context), device=device)
    y = torch.randint(0, vocab, (args.batch, args.context), device=device)

    amp = {"bf16": torch.bfloat16, "f16": torch.float16}.get(args.autocast)

    def loss(x, y):
        with torch.autocast(device, dtype=amp or torch.float32, enabled=amp is not None):
            return loss_of(model, x, y)

    loss_fn = torch.compile(loss, mode=getattr(args, "mode", None)) if compiled else loss

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(x, y).backward()
        opt.step()

    return step



def add_arguments(ap):
    ap.add_argument("--model", choices=["gpt", "hf-gpt2", "hf-bert"], default="gpt")
    ap.add_argument("--dim", type=int, default=512)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--vocab", type=int, default=8192)
    ap.add_argument("--context", type=int, default=256)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--autocast", choices=["none", "bf16", "f16"], default="none",
                    help="run the step under torch.autocast in this dtype")


def make_cases(args):
    name = {"gpt": "GPT", "hf-gpt2": "HF GPT-2", "hf-bert": "HF BERT MLM"}[args.model]
    return [Case(f"{name} train step (fwd+bwd+AdamW)", "tokens/s", args.batch * args.context,
                 lambda d: train_step(d, args), peak_memory=True)]


def title(args):
    size = (f"dim={args.dim} layers={args.layers} heads={args.heads} vocab={args.vocab} " if args.model == "gpt"
            else "default configuration, ")
    return (f"{args.model} {size}context={args.context} batch={args.batch}, "
            f"{'float32' if args.autocast == 'none' else 'autocast ' + args.autocast}, AdamW")


if __name__ == "__main__":
    main(__doc__, add_arguments, make_cases, timer=warm_timed, title=title)
