"""Shared pytest configuration: Hypothesis profiles and the shared folder.

Select a Hypothesis profile with the ``HYPOTHESIS_PROFILE`` environment
variable: ``ci`` (bounded and reproducible), ``dev`` (the default) or
``thorough`` (for a long local run).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile(
    "ci",
    max_examples=50,
    deadline=None,
    derandomize=True,
    print_blob=True,
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

#: Root of the repository.
REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """Return the folder of shared payloads and cases beside the repository."""
    path = Path(__file__).resolve().parents[2] / "shared"
    if not path.is_dir():
        pytest.fail(
            f"shared folder {path} is missing: check it out beside the repository "
            "(it holds fixtures/ and cases/ that these tests read)"
        )
    return path
