"""Emulator arguments are checked before anything starts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from design_space_sampling.emulator import Emulator
from design_space_sampling.errors import InvalidArgumentError


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ({"port": -1}, "port"),
        ({"port": 70_000}, "port"),
        ({"port": "8080"}, "port"),
        ({"token_ttl": "5"}, "token_ttl"),
        ({"token_ttl": float("nan")}, "token_ttl"),
        ({"step_seconds": -0.1}, "step_seconds"),
        ({"max_candidates": 0}, "max_candidates"),
        ({"max_per_page": True}, "max_per_page"),
        ({"api_key": ""}, "api_key"),
        ({"seed": 1.5}, "seed"),
        ({"host": "0.0.0.0"}, "host"),
        ({"host": "192.168.1.10"}, "host"),
    ],
)
def test_bad_option_rejected(options: dict[str, Any], named: str) -> None:
    """Each bad option raises InvalidArgumentError naming the option."""
    with pytest.raises(InvalidArgumentError, match=named):
        Emulator(**options)


def test_loopback_hosts_accepted() -> None:
    """127.0.0.1, other 127/8 addresses and localhost are loopback."""
    for host in ("127.0.0.1", "127.0.0.2", "localhost", "::1"):
        assert Emulator(host=host).host == host


def test_design_space_of_wrong_type() -> None:
    """A design space that is neither model, mapping nor path is rejected."""
    with pytest.raises(InvalidArgumentError, match="design_space"):
        Emulator(5)  # type: ignore[arg-type]


def test_missing_design_space_file(tmp_path: Path) -> None:
    """A missing file is an SDK error that names it."""
    missing = tmp_path / "nowhere.json"

    with pytest.raises(InvalidArgumentError, match=r"nowhere\.json"):
        Emulator(missing)


def test_design_space_file_not_json(tmp_path: Path) -> None:
    """A file that is not JSON is an SDK error that names it."""
    broken = tmp_path / "broken.json"
    broken.write_text("{")

    with pytest.raises(InvalidArgumentError, match=r"broken\.json"):
        Emulator(broken)
