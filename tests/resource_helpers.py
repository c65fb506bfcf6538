"""Helpers shared by the collection, paging and waiting tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from scripted_server import FakeClock, RecordedRequest, Reply, ScriptedServer, make_jwt
from session_helpers import clocked_session

from design_space_sampling import (
    SampleDesignSpaceExecution,
    SampleDesignSpaceExecutionCollection,
)
from design_space_sampling.session import TOKEN_PATH, RetryPolicy, Session, join_path

API_KEY = "key-7c1e-secret"
PROJECT_ID = "00000000-0000-4000-8000-0000000b0001"
DESIGN_SPACE_ID = "00000000-0000-4000-8000-0000000d0001"
EXECUTION_ID = "00000000-0000-4000-8000-0000000e0001"
USER_ID = "00000000-0000-4000-8000-0000000a0001"

COLLECTION_PATH = join_path(
    "api", "v3", "projects", PROJECT_ID, "design-spaces", DESIGN_SPACE_ID, "sample"
)
EXECUTION_PATH = f"{COLLECTION_PATH}/{EXECUTION_ID}"
RESULTS_PATH = f"{EXECUTION_PATH}/results"


def open_session(
    server: ScriptedServer, clock: FakeClock, retry: RetryPolicy | None = None
) -> Session:
    """Return a session on ``server`` whose clocks and sleep are ``clock``'s.

    The token endpoint returns a token valid for a day.
    """
    server.route(
        "POST",
        TOKEN_PATH,
        Reply(200, {"access_token": make_jwt(clock.time() + 86400)}),
    )
    return clocked_session(API_KEY, server.port, clock, retry)


def collection_on(session: Session) -> SampleDesignSpaceExecutionCollection:
    """Return the collection of the fixed project and design space."""
    return SampleDesignSpaceExecutionCollection(PROJECT_ID, DESIGN_SPACE_ID, session)


def execution_document(
    major: str = "INPROGRESS",
    minor: str = "EXECUTING",
    *,
    uid: str = EXECUTION_ID,
    update_time: str = "2020-04-23T15:47:00.000Z",
    detail: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Return an execution's wire document."""
    return {
        "id": uid,
        "status": {"major": major, "minor": minor, "detail": detail or [], "info": []},
        "create_time": "2020-04-23T15:46:26.123Z",
        "created_by": USER_ID,
        "update_time": update_time,
        "updated_by": USER_ID,
        "design_space_id": DESIGN_SPACE_ID,
    }


def bound_execution(
    session: Session, document: dict[str, Any] | None = None
) -> SampleDesignSpaceExecution:
    """Return an execution bound to ``session`` and the fixed project."""
    return collection_on(session).build(document or execution_document())


def candidate_id(number: int) -> str:
    """Return the id of candidate ``number``, such as ``...0000c0000000a``."""
    return f"00000000-0000-4000-8000-{number:012x}"


def candidate_document(number: int) -> dict[str, Any]:
    """Return a small candidate's wire document."""
    return {
        "id": candidate_id(number),
        "execution_id": EXECUTION_ID,
        "material": {
            "terminal": {
                "vars": {"Density": {"type": "R", "m": 1.5, "s": 0.2}},
                "identifiers": {
                    "id": "00000000-0000-4000-8000-0000000f0001",
                    "external": [],
                    "process_template": None,
                    "material_template": None,
                },
            },
            "sub_materials": [],
            "mixtures": {},
        },
    }


def query_of(request: RecordedRequest) -> dict[str, list[str]]:
    """Return the parsed query string of a recorded request."""
    return parse_qs(request.query, keep_blank_values=True)


class PagedListing:
    """A responder that serves a list of documents page by page.

    ``items`` may change between requests, as a list does when new items are
    created. ``ignore_page`` serves page 1 for every page number.
    """

    def __init__(
        self,
        items: list[dict[str, Any]],
        *,
        ignore_page: bool = False,
        next_link: Callable[[int, bool], str | None] | None = None,
    ) -> None:
        self.items = items
        self.ignore_page = ignore_page
        self.next_link = next_link
        self.pages: list[int] = []

    def __call__(self, request: RecordedRequest) -> Reply:
        query = query_of(request)
        page = int(query["page"][0])
        per_page = int(query["per_page"][0])
        self.pages.append(page)
        served = 1 if self.ignore_page else page
        start = (served - 1) * per_page
        items = self.items[start : start + per_page]
        more = start + per_page < len(self.items)
        if self.next_link is not None:
            link = self.next_link(page, more)
        else:
            link = f"page={page + 1}" if more else ""
        body = {"response": items, "page": served, "per_page": per_page, "next": link}
        return Reply(200, body)


def load_case(shared_dir: Path, name: str) -> dict[str, Any]:
    """Return a case document from the shared cases folder."""
    document: dict[str, Any] = json.loads(
        (shared_dir / "cases" / name).read_text("utf-8")
    )
    return document


def split_case_request(line: str) -> tuple[str, str, str]:
    """Split ``"GET https://<host>/path?query"`` into method, path and query."""
    method, url = line.split(" ", 1)
    parts = urlsplit(url)
    return method, parts.path, parts.query
