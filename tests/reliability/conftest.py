"""Fixtures of the reliability suite, and the figures it prints at the end.

Every test adds what it did to one ledger (``figures``): the SDK operations
it ran, the items it expected and the items it read. Each emulator adds the
faults it applied, read from its own counters. At the end of the session the
ledger is written as JSON to pytest's cache folder
(``reliability/figures.json``), and the terminal summary prints it as one
line::

    reliability: faults injected N, operations run N, items expected N,
    items lost N, items repeated N
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from reliability_helpers import Figures, counted_emulator, summary_line

from design_space_sampling.emulator import Emulator

_FIGURES_KEY = pytest.StashKey[Figures]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "soak: long paging run under random faults; SOAK_CANDIDATES sets its size",
    )


@pytest.fixture(scope="session")
def figures(request: pytest.FixtureRequest) -> Iterator[Figures]:
    """Yield the ledger of the whole session and save it as JSON at the end."""
    ledger = Figures()
    request.config.stash[_FIGURES_KEY] = ledger
    yield ledger
    cache = getattr(request.config, "cache", None)
    if cache is not None:
        path = Path(cache.mkdir("reliability")) / "figures.json"
        path.write_text(json.dumps(ledger.as_dict(), indent=2) + "\n", "utf-8")


@pytest.fixture
def emulator(figures: Figures) -> Iterator[Emulator]:
    """Yield a running emulator of the small space, counted in the figures."""
    with counted_emulator(figures) as running:
        yield running


def pytest_terminal_summary(
    terminalreporter: Any, exitstatus: int, config: pytest.Config
) -> None:
    ledger = config.stash.get(_FIGURES_KEY, None)
    if ledger is None:
        return
    terminalreporter.write_sep("-", "reliability figures")
    terminalreporter.write_line(summary_line(ledger.as_dict()))
