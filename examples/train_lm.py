"""torch_ocl demo: trains a small transformer language model on the default ocl device.

A character-level GPT (token + position embeddings, causal self-attention through
F.scaled_dot_product_attention, GELU MLPs, LayerNorm, AdamW) learns a short text; the loss
falls from ~ln(vocabulary) towards zero, and the model then writes the text back from its
first characters. Everything runs on "ocl" exactly as the same code would on "cuda".

    python examples/train_lm.py [--steps 300] [--device ocl] [--native-only]
"""

import argparse
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

TEXT = (
    "PyTorch on any GPU through OpenCL: the same code runs on AMD, Intel and NVIDIA GPUs, "
    "or on a CPU through PoCL, after 'cuda' becomes 'ocl'. "
)


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.qkv, self.proj = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q, k, v = (z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(y.transpose(1, 2).reshape(b, t, d))
        return x + self.mlp(self.ln2(x))


class TinyGPT(nn.Module):
    def __init__(self, vocab, context, dim=64, heads=4, layers=2):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, dim), nn.Embedding(context, dim)
        self.blocks = nn.Sequential(*[Block(dim, heads) for _ in range(layers)])
        self.ln, self.head = nn.LayerNorm(dim), nn.Linear(dim, vocab, bias=False)
        self.head.weight = self.tok.weight  # tied input/output embeddings
        for emb in (self.tok, self.pos):
            nn.init.normal_(emb.weight, std=0.02)

    def forward(self, idx):
        pos = torch.arange(idx.shape[1], device=idx.device)
        return self.head(self.ln(self.blocks(self.tok(idx) + self.pos(pos))))


def progress(step, total, loss, rate, width=30):
    done = int(width * step / total)
    bar = "#" * done + "-" * (width - done)
    sys.stdout.write(f"\r[{bar}] {step}/{total}  loss {loss:.3f}  {rate:.0f} tokens/s")
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--device", default="ocl")
    ap.add_argument("--native-only", action="store_true", help="fail instead of running any op on the CPU")
    args = ap.parse_args()
    import torch_ocl  # import torch alone also loads it (entry point); explicit for set_fallback_enabled

    if args.native_only:
        torch_ocl.set_fallback_enabled(False)
    if args.device.startswith("ocl"):
        torch.ocl.init()  # where CUDA is available too, ocl becomes the accelerator only when asked

    dev = torch.device(args.device)
    chars = sorted(set(TEXT))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in TEXT * 4], dtype=torch.long)
    context, batch = 48, 16

    torch.manual_seed(0)
    model = TinyGPT(len(chars), context).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    n_params = sum(p.numel() for p in model.parameters())
    name = torch.ocl.get_device_name(dev.index or 0) if dev.type == "ocl" else str(dev)
    print(f"device {dev} ({name}), {n_params / 1e3:.1f}k parameters, vocabulary {len(chars)}, "
          f"initial loss should be near ln({len(chars)}) = {math.log(len(chars)):.2f}")

    g = torch.Generator().manual_seed(0)
    first = last = None
    start = time.perf_counter()
    for step in range(1, args.steps + 1):
        ix = torch.randint(0, len(data) - context - 1, (batch,), generator=g)
        x = torch.stack([data[i:i + context] for i in ix]).to(dev)
        y = torch.stack([data[i + 1:i + context + 1] for i in ix]).to(dev)
        loss = F.cross_entropy(model(x).view(-1, len(chars)), y.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if step == 1 or step % 10 == 0 or step == args.steps:
            last = loss.item()
            first = last if first is None else first
            progress(step, args.steps, last, step * batch * context / (time.perf_counter() - start))
            if step % 100 == 0:
                print()
    print()

    # Greedy generation from the first characters of the text.
    model.eval()
    idx = data[:8].unsqueeze(0).to(dev)
    with torch.no_grad():
        for _ in range(80):
            nxt = model(idx[:, -context:])[:, -1].argmax(-1, keepdim=True)
            idx = torch.cat([idx, nxt], dim=1)
    print("sample:", "".join(chars[i] for i in idx[0].cpu().tolist()))
    print(f"loss {first:.3f} -> {last:.3f}")
    if not last < 0.5 * first:
        raise SystemExit("the loss did not fall as expected")


if __name__ == "__main__":
    main()
