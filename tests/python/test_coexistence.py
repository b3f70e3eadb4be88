"""ocl next to other accelerators: when "ocl" becomes PyTorch's accelerator, fork safety,
spawn workers, and a quiet compiler. Each case runs in a fresh interpreter."""

import pytest
import torch
import torch_ocl
from conftest import run_python

# Makes this CPU-only torch look like a CUDA build with one GPU before torch_ocl decides
# (autoload is off in these runs, so the explicit import below is the first one).
FAKE_CUDA = (
    "import torch\n"
    "torch.version.cuda = '13.0'\n"
    "torch.cuda.device_count = lambda: 1\n"
)
NO_AUTOLOAD = {"TORCH_DEVICE_BACKEND_AUTOLOAD": "0", "TORCH_OCL_ACCELERATOR": "auto"}
AUTO = {"TORCH_OCL_ACCELERATOR": "auto"}
# Where CUDA is present, the "import" policy of run_python warns on stderr: the compiler tests
# look at the rest.
QUIET = {"PYTHONWARNINGS": "ignore::RuntimeWarning"}


def test_ocl_is_the_accelerator_right_after_import_torch():
    # No other accelerator in this process: device-agnostic code finds ocl at once (autoload).
    if torch_ocl._registration.other_accelerator():
        pytest.skip("another accelerator is available here: the name waits for first use")
    code = (
        "import torch\n"
        "from torch_ocl import _C\n"
        "print(torch.accelerator.current_accelerator().type, hasattr(torch.Tensor, 'is_ocl'))\n"
        "print(_C._contexts_created())\n"
    )
    _, out, _ = run_python(code, env=AUTO)
    assert out.split() == ["ocl", "True", "0"]  # and import made no OpenCL context


def test_first_use_policy_defers_the_name_until_torch_ocl_is_used():
    other = torch_ocl._registration.other_accelerator()  # cuda on a CUDA machine, else ""
    code = (
        "import torch\n"
        "acc = lambda: getattr(torch.accelerator.current_accelerator(), 'type', None)\n"
        "print(acc())\n"
        "print(torch.ocl.is_available(), torch.ocl.device_count() > 0, torch.ocl.is_initialized())\n"
        "print(acc())\n"
        "try:\n"
        "    torch.device('ocl')\n"
        "except RuntimeError:\n"
        "    print('unparsed')\n"
        "torch.ocl.manual_seed(0)\n"  # any real use of torch.ocl
        "print(torch.accelerator.current_accelerator().type, torch.ocl.is_initialized())\n"
        "x = torch.ones(3, device='ocl', requires_grad=True)\n"
        "(x * 2).sum().backward()\n"
        "print(x.grad.cpu().tolist(), torch.ones(2).ocl().device)\n"
    )
    _, out, err = run_python(code, env={"TORCH_OCL_ACCELERATOR": "first_use"})
    before = other or "None"
    assert out.splitlines() == [before, "True True False", before, "unparsed", "ocl True",
                                "[2.0, 2.0, 2.0] ocl:0"]
    assert ("161129" in err) == bool(other)  # warned only where another accelerator is present


def test_another_accelerator_defers_the_name_and_first_use_warns_once():
    code = FAKE_CUDA + (
        "import warnings\n"
        "warnings.simplefilter('always')\n"
        "import torch_ocl\n"
        "print(getattr(torch.accelerator.current_accelerator(), 'type', None), hasattr(torch.Tensor, 'is_ocl'))\n"
        "with warnings.catch_warnings(record=True) as seen:\n"
        "    warnings.simplefilter('always')\n"
        "    torch.ocl.init()\n"
        "    torch.ocl.init()\n"
        "    torch.zeros(2, device='ocl').sum().item()\n"
        "print(len([w for w in seen if '161129' in str(w.message) and 'cuda' in str(w.message)]))\n"
        "print(torch.accelerator.current_accelerator().type, hasattr(torch.Tensor, 'is_ocl'))\n"
    )
    _, out, _ = run_python(code, env=NO_AUTOLOAD)
    before = "cuda" if torch.version.cuda and torch.cuda.device_count() > 0 else "None"  # a real CUDA build's
    assert out.splitlines() == [f"{before} False", "1", "ocl True"]


def test_import_policy_registers_at_import_and_warns():
    code = FAKE_CUDA + (
        "import warnings\n"
        "with warnings.catch_warnings(record=True) as seen:\n"
        "    warnings.simplefilter('always')\n"
        "    import torch_ocl\n"
        "print(torch.accelerator.current_accelerator().type)\n"
        "print(sum('161129' in str(w.message) for w in seen))\n"
    )
    _, out, _ = run_python(code, env={**NO_AUTOLOAD, "TORCH_OCL_ACCELERATOR": "import"})
    assert out.split() == ["ocl", "1"]


def test_bad_policy_value_warns_and_keeps_import_working():
    code = "import torch\ntorch.ocl.init()\nprint(torch.ocl.is_available(), torch.ones(1, device='ocl').device)\n"
    _, out, err = run_python(code, env={"TORCH_OCL_ACCELERATOR": "sometimes"})
    assert out.split() == ["True", "ocl:0"] and "TORCH_OCL_ACCELERATOR" in err


def fork_code(parent_use):
    """The parent runs parent_use, forks a child that tries ocl, then uses ocl itself."""
    return (
        "import os, sys, torch\n"
        "def child():\n"
        "    try:\n"
        "        torch.ones(3, device='ocl').sum().item()\n"
        "        print('child worked', flush=True)\n"
        "    except RuntimeError as e:\n"
        "        print('child raised:', e, flush=True)\n"
        "    try:\n"
        "        torch.ocl.synchronize()\n"
        "    except RuntimeError as e:\n"
        "        print('sync raised', flush=True)\n"
        "    os._exit(0)\n"
        f"{parent_use}\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    child()\n"
        "os.waitpid(pid, 0)\n"
        "print('parent', torch.full((2,), 3.0, device='ocl').sum().item())\n"
    )


@pytest.mark.parametrize("before", ["tensor", "is_available"])
def test_forked_child_of_an_ocl_parent_raises_at_once(before):
    # Discovery alone (is_available) starts the OpenCL platform: its child would hang too.
    use = "torch.ones(2, device='ocl').sum().item()" if before == "tensor" else "torch.ocl.is_available()"
    _, out, _ = run_python(fork_code(use))
    lines = out.splitlines()
    assert lines[0].startswith("child raised: [ocl] cannot re-initialize ocl in a forked subprocess")
    assert "'spawn' start method" in lines[0]
    assert lines[1:] == ["sync raised", "parent 6.0"]


def test_forked_child_of_an_untouched_parent_uses_ocl():
    _, out, _ = run_python(fork_code("pass"))
    assert out.splitlines() == ["child worked", "parent 6.0"]


def test_dataloader_fork_workers_after_ocl_use():
    # Workers that never touch ocl keep working after the parent used it (CUDA's rule too).
    code = (
        "import torch\n"
        "from torch.utils.data import DataLoader, TensorDataset\n"
        "w = torch.randn(4, 2, device='ocl')\n"
        "ds = TensorDataset(torch.arange(40, dtype=torch.float32).view(10, 4))\n"
        "dl = DataLoader(ds, batch_size=5, num_workers=2, multiprocessing_context='fork')\n"
        "total = sum(float((b.to('ocl') @ w).sum().cpu()) for (b,) in dl)\n"
        "expect = float((torch.arange(40, dtype=torch.float32).view(10, 4) @ w.cpu()).sum())\n"
        "print(abs(total - expect) < 1e-3 * max(1.0, abs(expect)))\n"
    )
    _, out, _ = run_python(code)
    assert out.split() == ["True"]


def test_spawn_workers_use_ocl():
    code = (
        "import torch, torch.multiprocessing as mp\n"
        "def work(i):\n"
        "    x = torch.full((4,), float(i), device='ocl')\n"
        "    return float((x * 2 + 1).sum().cpu())\n"
        "if __name__ == '__main__':\n"
        "    torch.ones(1, device='ocl').item()\n"  # the parent uses ocl too
        "    with mp.get_context('spawn').Pool(2) as pool:\n"
        "        print(pool.map(work, range(4)))\n"
    )
    _, out, _ = run_python_file(code)
    assert out.split("\n")[0] == "[4.0, 12.0, 20.0, 28.0]"


def run_python_file(code):
    # spawn re-imports __main__: the code must live in a file, not in -c
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "spawn_main.py")
        with open(path, "w") as f:
            f.write(code)
        return run_python(f"import runpy; runpy.run_path({path!r}, run_name='__main__')")


TRAIN_SMALL = (
    "import torch, torch.nn as nn, torch.nn.functional as F\n"
    "torch.manual_seed(0)\n"
    "layer = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.1, batch_first=True)\n"
    "model = nn.Sequential(nn.Embedding(50, 32), layer, nn.LayerNorm(32), nn.Linear(32, 50)).to('ocl')\n"
    "opt = torch.optim.AdamW(model.parameters(), lr=1e-3)\n"
    "for _ in range(2):\n"
    "    x = torch.randint(0, 50, (2, 16), device='ocl')\n"
    "    loss = F.cross_entropy(model(x).flatten(0, 1), x.flatten())\n"
    "    opt.zero_grad(); loss.backward(); opt.step()\n"
    "print(float(loss.detach().cpu()) > 0)\n"
)


def test_nothing_on_stderr_while_a_model_trains_with_cold_kernel_caches(tmp_path):
    env = {"TORCH_OCL_KERNEL_CACHE": str(tmp_path / "kernels"), "POCL_KERNEL_CACHE": "0", **QUIET}
    _, out, err = run_python(TRAIN_SMALL, env=env)
    assert out.split() == ["True"]
    assert err == ""


WARNING_KERNEL = (
    "from torch_ocl import _C\n"
    "src = '__kernel void k(__global uchar* x) { if (x[0] == -1) x[0] = 1; }'\n"
    "_C._build_program(0, 'test_warning_kernel', src, 'k', '')\n"
    "print('built')\n"
)


@pytest.mark.parametrize("verbose", ["0", "1"])
def test_compiler_warnings_only_with_verbose(tmp_path, verbose):
    env = {"TORCH_OCL_KERNEL_CACHE": str(tmp_path / "kernels"), "POCL_KERNEL_CACHE": "0",
           "TORCH_OCL_VERBOSE": verbose, **QUIET}
    _, out, err = run_python("import torch\n" + WARNING_KERNEL, env=env)
    assert out.split() == ["built"]
    if verbose == "1":
        # PoCL's warnings come in the build log we print; NVIDIA's compiler prints its own
        assert "build log of 'test_warning_kernel'" in err or "warning" in err.lower()
    else:
        assert err == ""


# --- with CUDA in the same process (a CUDA build of torch on an NVIDIA GPU; skipped elsewhere) ---

needs_cuda = pytest.mark.skipif(not (torch.version.cuda and torch.cuda.device_count() > 0),
                                reason="needs a CUDA build of torch and an NVIDIA GPU")

CUDA_STEPS = (
    "import torch, torch.nn as nn, torch.nn.functional as F\n"
    "def transformer_step(compile_it=False):\n"
    "    torch.manual_seed(0)\n"
    "    layer = nn.TransformerEncoderLayer(64, 4, 128, dropout=0.0, batch_first=True)\n"
    "    model = nn.Sequential(nn.Embedding(100, 64), layer, nn.Linear(64, 100)).cuda()\n"
    "    run = torch.compile(model) if compile_it else model\n"
    "    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)\n"
    "    scaler = torch.amp.GradScaler('cuda')\n"
    "    for _ in range(3):\n"
    "        x = torch.randint(0, 100, (4, 32), device='cuda')\n"
    "        with torch.autocast('cuda', dtype=torch.bfloat16):\n"
    "            loss = F.cross_entropy(run(x).flatten(0, 1).float(), x.flatten())\n"
    "        opt.zero_grad(); scaler.scale(loss).backward(); scaler.step(opt); scaler.update()\n"
    "    return float(loss.detach())\n"
    "def cnn_step():\n"
    "    torch.manual_seed(0)\n"
    "    model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),\n"
    "                          nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 8 * 8, 10)).cuda()\n"
    "    opt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
    "    for _ in range(3):\n"
    "        x, y = torch.randn(8, 3, 16, 16, device='cuda'), torch.randint(0, 10, (8,), device='cuda')\n"
    "        loss = F.cross_entropy(model(x), y)\n"
    "        opt.zero_grad(); loss.backward(); opt.step()\n"
    "    return float(loss.detach())\n"
)


@needs_cuda
def test_cuda_training_untouched_while_ocl_is_unused():
    # torch_ocl autoloaded (as installed) but never used: CUDA as without it, compile and AMP too.
    code = CUDA_STEPS + (
        "import sys\n"
        "print('torch_ocl' in sys.modules, torch.accelerator.current_accelerator().type)\n"
        "print(transformer_step(), cnn_step(), transformer_step(compile_it=True))\n"
        "print(torch.accelerator.current_accelerator().type)\n"
    )
    _, with_ocl, _ = run_python(code, env=AUTO)
    _, without, _ = run_python(code, env=NO_AUTOLOAD)
    lines = with_ocl.splitlines()
    assert lines[0] == "True cuda" and lines[2] == "cuda"
    assert without.splitlines()[0] == "False cuda"
    got, expect = (list(map(float, s.splitlines()[1].split())) for s in (with_ocl, without))
    assert got == pytest.approx(expect, rel=1e-3)  # the same training (cuDNN may pick other algorithms)


@needs_cuda
def test_cuda_backward_after_ocl_use_is_announced():
    # PyTorch itself cannot run CUDA backward once ocl is the accelerator: a warning says so
    # when that happens, and ocl training goes on working.
    code = CUDA_STEPS + (
        "import warnings\n"
        "print(cnn_step() > 0)\n"
        "with warnings.catch_warnings(record=True) as seen:\n"
        "    warnings.simplefilter('always')\n"
        "    torch.ocl.init()\n"
        "print(any('161129' in str(w.message) for w in seen))\n"
        "try:\n"
        "    cnn_step()\n"
        "    print('cuda backward ran')\n"
        "except RuntimeError as e:\n"
        "    print('cuda backward failed:', 'opt_ready_stream' in str(e))\n"
        "x = torch.ones(3, device='ocl', requires_grad=True)\n"
        "(x * 3).sum().backward()\n"
        "print(x.grad.cpu().tolist())\n"
    )
    _, out, _ = run_python(code, env=AUTO)
    assert out.splitlines() == ["True", "True", "cuda backward failed: True", "[3.0, 3.0, 3.0]"]
