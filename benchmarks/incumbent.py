"""The incumbent client, ``citrine`` 5.0.0, as a comparison point.

It is imported only here and only when a benchmark needs it, so the other
figures run without it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

INCUMBENT_VERSION = "5.0.0"


def load_candidate_codec() -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """Return the incumbent's candidate ``build`` and ``dump`` functions.

    Raises:
        ImportError: ``citrine`` is not installed; install the ``bench``
            extra.
    """
    from citrine.informatics.design_candidate import (  # type: ignore[import-untyped]
        SampleSearchSpaceResultCandidate,
    )

    def dump(candidate: Any) -> Any:
        return candidate.dump()

    return SampleSearchSpaceResultCandidate.build, dump


def installed_version() -> str | None:
    """Return the installed ``citrine`` version, or None when it is absent."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("citrine")
    except PackageNotFoundError:
        return None
