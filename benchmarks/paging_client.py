"""Child process of figure 4: page through one execution's candidates.

It runs in a fresh interpreter so its peak resident memory belongs to the
paging alone. It prints one JSON line with the candidates read, seconds,
memory growth (peak resident memory less the resident memory before paging),
one page's worth of memory and the connections it opened.

Usage: python -m benchmarks.paging_client BASE_URL API_KEY PROJECT_ID
DESIGN_SPACE_ID EXECUTION_ID PER_PAGE
"""

from __future__ import annotations

import json
import resource
import sys
import time
import tracemalloc
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import urllib3.connection

from design_space_sampling import SampleSearchSpaceResultCandidate
from design_space_sampling.session import Session, join_path


def _max_rss_bytes() -> int:
    """Return the peak resident memory of this process.

    On Linux, ``getrusage`` keeps the peak across ``exec``: a child started
    by a large parent reports the parent's resident memory at the fork as
    its own peak. The high-water mark in ``/proc/self/status`` (``VmHWM``)
    belongs to this process alone, so it is read first.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kibibytes, macOS bytes.
    return peak if sys.platform == "darwin" else peak * 1024


def _reset_peak() -> None:
    """Start the high-water mark again from the resident memory now, on Linux.

    Without this, the peak would include whatever the set-up held before.
    """
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        pass


def _current_rss_bytes() -> int:
    """Return the resident memory now, or the peak so far where /proc is absent."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
    except OSError:
        return _max_rss_bytes()
    return pages * resource.getpagesize()


def _count_connections() -> list[int]:
    """Count every TCP connection urllib3 opens from now on."""
    opened = [0]
    original = urllib3.connection.HTTPConnection.connect

    def connect(self: Any) -> None:
        opened[0] += 1
        original(self)

    urllib3.connection.HTTPConnection.connect = connect  # type: ignore[method-assign]
    return opened


def _results_path(project: str, space: str, execution: str) -> str:
    return join_path(
        "api", "v3", "projects", project, "design-spaces", space,
        "sample", execution, "results",
    )  # fmt: skip


def _page_by_hand(
    session: Session, path: str, per_page: int
) -> Iterator[SampleSearchSpaceResultCandidate]:
    build = SampleSearchSpaceResultCandidate.build
    page = 1
    while True:
        document = session.get_json(path, params={"page": page, "per_page": per_page})
        items = document.get("response") or []
        for item in items:
            yield build(item)
        if len(items) < per_page or not document.get("next"):
            return
        page += 1


def _candidates(
    session: Session, ids: tuple[str, str, str], per_page: int
) -> tuple[Iterator[Any], str]:
    """Return the candidates through the resource layer when it is there."""
    project, space, execution = ids
    try:
        from design_space_sampling.collection import (
            SampleDesignSpaceExecutionCollection,
        )

        collection = SampleDesignSpaceExecutionCollection(
            project_id=project, design_space_id=space, session=session
        )
        results = collection.get(execution).results(per_page=per_page)
        return iter(results), "execution.results()"
    except (ImportError, TypeError, AttributeError):
        path = _results_path(project, space, execution)
        return _page_by_hand(session, path, per_page), "Session.get_json pages"


def _one_page_worth(session: Session, ids: tuple[str, str, str], per_page: int) -> int:
    """Return the bytes that one page holds: its body, its JSON and its objects."""
    path = _results_path(*ids)
    tracemalloc.start()
    response = session.request("GET", path, params={"page": 1, "per_page": per_page})
    document = response.json_object()
    objects = [SampleSearchSpaceResultCandidate.build(i) for i in document["response"]]
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del response, document, objects
    return size


def main(argv: list[str]) -> int:
    """Page through the execution named in ``argv`` and print the figures."""
    base_url, api_key, project, space, execution, per_page_text = argv
    per_page = int(per_page_text)
    url = urlsplit(base_url)
    opened = _count_connections()
    ids = (project, space, execution)
    with Session(api_key, host=url.hostname, scheme=url.scheme, port=url.port) as s:
        s.authenticate()
        candidates, reader = _candidates(s, ids, per_page)
        _reset_peak()
        rss_before = _current_rss_bytes()
        start = time.perf_counter()
        count = 0
        for _ in candidates:
            count += 1
        seconds = time.perf_counter() - start
        growth = _max_rss_bytes() - rss_before
        connections = opened[0]
        page_worth = _one_page_worth(s, ids, per_page)
    figures = {
        "candidates": count,
        "seconds": seconds,
        "rss_growth": growth,
        "page_worth": page_worth,
        "connections": connections,
        "reader": reader,
    }
    sys.stdout.write(json.dumps(figures) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
