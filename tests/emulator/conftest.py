"""Fixtures for the emulator's tests: a running emulator and a raw client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from emulator_client import TINY_SPACE, RawClient

from design_space_sampling.emulator import Emulator


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """Yield a running emulator of the tiny space with instant stages."""
    with Emulator(TINY_SPACE, seed=7, step_seconds=0.0) as running:
        yield running


@pytest.fixture
def client(emulator: Emulator) -> RawClient:
    """Return a raw client with a valid access token."""
    raw = RawClient(emulator)
    assert raw.refresh().status == 200
    return raw
