"""Random state of the ocl devices' Philox generators (the torch.cuda random API)."""

import torch

from .. import _C
from ._lazy import _lazy_init
from ._utils import _get_device_index

__all__ = [
    "default_generators",
    "manual_seed",
    "manual_seed_all",
    "seed",
    "seed_all",
    "initial_seed",
    "get_rng_state",
    "get_rng_state_all",
    "set_rng_state",
    "set_rng_state_all",
]


class _DefaultGenerators:
    """``torch.ocl.default_generators[i]``: the default torch.Generator of device i."""

    def __getitem__(self, idx):
        _lazy_init()
        if not 0 <= idx < _C._device_count():
            raise IndexError(f"[ocl] invalid device index {idx}: {_C._device_count()} device(s)")
        return _C._default_generator(idx)

    def __len__(self):
        return _C._device_count()

    def __iter__(self):
        return (self[i] for i in range(len(self)))


default_generators = _DefaultGenerators()


def _gen(device=None) -> torch.Generator:
    return default_generators[_get_device_index(device, optional=True)]


def manual_seed(seed: int) -> None:
    """Seeds the current device's generator."""
    if _C._device_count() > 0:
        _gen().manual_seed(int(seed))


def manual_seed_all(seed: int) -> None:
    for g in default_generators:
        g.manual_seed(int(seed))


def seed() -> None:
    if _C._device_count() > 0:
        _gen().seed()


def seed_all() -> None:
    s = None
    for g in default_generators:
        if s is None:
            g.seed()
            s = g.initial_seed()
        else:
            g.manual_seed(s)


def initial_seed() -> int:
    return _gen().initial_seed()


def get_rng_state(device="ocl") -> torch.Tensor:
    """16 bytes (uint8): the Philox seed and offset."""
    return _gen(device).get_state()


def get_rng_state_all():
    return [g.get_state() for g in default_generators]


def set_rng_state(new_state: torch.Tensor, device="ocl") -> None:
    _gen(device).set_state(new_state.clone().cpu())


def set_rng_state_all(new_states) -> None:
    for i, state in enumerate(new_states):
        set_rng_state(state, i)
