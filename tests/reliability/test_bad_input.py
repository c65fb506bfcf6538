"""Hostile or broken responses and calls, each with the clear error it gets.

Responses come from a scripted server on loopback; calls with bad arguments
must fail before any request is sent.

A page larger than ``per_page`` is accepted whole: the server decides its
page size. The iterator logs a warning and counts the ``oversized_page``
anomaly, so the caller sees that a page held more memory than asked for.
"""

from __future__ import annotations

import json
import logging
import math
from typing import Any
from uuid import UUID

import pytest
from design_space_sampling_models.sample_design_space_input import (
    SampleDesignSpaceInput,
)
from reliability_helpers import Figures
from resource_helpers import (
    DESIGN_SPACE_ID,
    EXECUTION_ID,
    EXECUTION_PATH,
    PROJECT_ID,
    RESULTS_PATH,
    bound_execution,
    candidate_document,
    execution_document,
)
from scripted_server import Reply, ScriptedServer

from design_space_sampling import (
    InvalidArgumentError,
    InvalidIdError,
    SampleDesignSpaceExecutionCollection,
    ValidationError,
)
from design_space_sampling.errors import (
    DesignSpaceSamplingError,
    PermissionDeniedError,
    ResponseFormatError,
    ServerError,
)
from design_space_sampling.paging import OVERSIZED_PAGE
from design_space_sampling.session import Session

JSON_TYPE = {"Content-Type": "application/json"}
HTML_TYPE = {"Content-Type": "text/html; charset=utf-8"}
HTML_PAGE = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"
EXECUTION_JSON = json.dumps(execution_document()).encode()


def sent_requests(server: ScriptedServer) -> list[str]:
    """Return the requests the server saw, apart from token refreshes."""
    return [r.path for r in server.requests if "tokens" not in r.path]


# Broken responses to GET of one execution.
BROKEN_ANSWERS = [
    ("malformed json", Reply(200, b'{"id": ,}', JSON_TYPE), ResponseFormatError),
    ("truncated json", Reply(200, EXECUTION_JSON[:40], JSON_TYPE), ResponseFormatError),
    ("empty body", Reply(200, b"", JSON_TYPE), ResponseFormatError),
    ("json array", Reply(200, [execution_document()]), ResponseFormatError),
    ("json string", Reply(200, b'"SUCCEEDED"', JSON_TYPE), ResponseFormatError),
    ("json null", Reply(200, b"null", JSON_TYPE), ResponseFormatError),
    ("deep nesting", Reply(200, b"[" * 100_000, JSON_TYPE), ResponseFormatError),
    ("html with 200", Reply(200, HTML_PAGE, HTML_TYPE), ResponseFormatError),
    (
        "plain text with 200",
        Reply(200, b"OK", {"Content-Type": "text/plain"}),
        ResponseFormatError,
    ),
    ("html error page", Reply(502, HTML_PAGE, HTML_TYPE), ServerError),
    ("html forbidden page", Reply(403, HTML_PAGE, HTML_TYPE), PermissionDeniedError),
    ("missing id", Reply(200, {"status": {"major": "INPROGRESS"}}), ValidationError),
    ("id not a uuid", Reply(200, {**execution_document(), "id": "x"}), ValidationError),
    (
        "status a list",
        Reply(200, {**execution_document(), "status": []}),
        ValidationError,
    ),
]


class TestBrokenAnswers:
    @pytest.mark.parametrize(
        ("reply", "error"),
        [pytest.param(reply, error, id=name) for name, reply, error in BROKEN_ANSWERS],
    )
    def test_answer_raises_typed_error(
        self,
        server: ScriptedServer,
        collection: SampleDesignSpaceExecutionCollection,
        figures: Figures,
        reply: Reply,
        error: type[Exception],
    ) -> None:
        server.route("GET", EXECUTION_PATH, reply)
        figures.add_operations()
        with pytest.raises(error) as caught:
            collection.get(EXECUTION_ID)

        assert isinstance(caught.value, DesignSpaceSamplingError)
        message = str(caught.value)
        if isinstance(caught.value, ValidationError):
            assert caught.value.path
        else:
            assert EXECUTION_PATH in message
        if reply.headers == HTML_TYPE:
            assert "html" in message.lower()

    def test_json_under_wrong_content_type(
        self,
        server: ScriptedServer,
        collection: SampleDesignSpaceExecutionCollection,
        figures: Figures,
    ) -> None:
        """Valid JSON is decoded whatever the Content-Type header states."""
        reply = Reply(200, EXECUTION_JSON, {"Content-Type": "text/plain"})
        server.route("GET", EXECUTION_PATH, reply)
        figures.add_operations()

        assert collection.get(EXECUTION_ID).uid == UUID(EXECUTION_ID)

    def test_page_not_an_object(
        self, server: ScriptedServer, session: Session, figures: Figures
    ) -> None:
        server.route("GET", RESULTS_PATH, Reply(200, [candidate_document(1)]))
        figures.add_operations()
        with pytest.raises(ResponseFormatError, match="JSON object"):
            list(bound_execution(session).results())

    def test_page_response_not_a_list(
        self, server: ScriptedServer, session: Session, figures: Figures
    ) -> None:
        server.route("GET", RESULTS_PATH, Reply(200, {"response": {"id": 1}}))
        figures.add_operations()
        with pytest.raises(ValidationError) as caught:
            list(bound_execution(session).results())

        assert "response" in caught.value.path

    def test_oversized_page_kept_with_warning(
        self,
        server: ScriptedServer,
        session: Session,
        figures: Figures,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """A page of 30 items for per_page=10 is kept whole and reported."""
        items = [candidate_document(n) for n in range(30)]
        server.route("GET", RESULTS_PATH, Reply(200, {"response": items, "next": ""}))
        figures.add_operations()
        iterator = bound_execution(session).results(per_page=10)
        with caplog.at_level(logging.WARNING, logger="design_space_sampling"):
            read = [str(item.uid) for item in iterator]

        expected = [item["id"] for item in items]
        assert figures.add_items(expected, read) == 0
        assert read == expected
        assert iterator.anomalies[OVERSIZED_PAGE] == 1
        assert "more than per_page=10" in caplog.text


class TestNonFiniteNumbers:
    def test_nan_in_answer_accepted(
        self, server: ScriptedServer, session: Session, figures: Figures
    ) -> None:
        """NaN and Infinity tokens in a response decode to floats."""
        text = json.dumps({"response": [candidate_document(1)], "next": ""})
        text = text.replace('"m": 1.5', '"m": NaN').replace('"s": 0.2', '"s": Infinity')
        server.route("GET", RESULTS_PATH, Reply(200, text.encode(), JSON_TYPE))
        figures.add_operations()
        (candidate,) = bound_execution(session).results()

        variable: Any = candidate.material.root.values["Density"]
        assert math.isnan(variable.mean)
        assert variable.std == math.inf

    @pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf], ids=repr)
    def test_non_finite_request_rejected(
        self, server: ScriptedServer, session: Session, value: float
    ) -> None:
        """A request body with NaN or an infinity is never sent."""
        with pytest.raises(ValidationError) as caught:
            session.post_json(EXECUTION_PATH, {"weights": [1.0, value]})

        assert caught.value.path == "weights[1]"
        assert sent_requests(server) == []


BAD_PAGING = [0, -1, 10**9, True, False, "2", 2.0, math.nan, None]


class TestBadCalls:
    @pytest.mark.parametrize("per_page", BAD_PAGING, ids=repr)
    def test_bad_per_page(
        self,
        server: ScriptedServer,
        session: Session,
        collection: SampleDesignSpaceExecutionCollection,
        per_page: Any,
    ) -> None:
        with pytest.raises(InvalidArgumentError, match="per_page"):
            bound_execution(session).results(per_page=per_page)
        with pytest.raises(InvalidArgumentError, match="per_page"):
            collection.list(per_page=per_page)
        assert sent_requests(server) == []

    @pytest.mark.parametrize(
        "page", [p for p in BAD_PAGING if p is not None and p != 10**9], ids=repr
    )
    def test_bad_page(
        self,
        server: ScriptedServer,
        session: Session,
        collection: SampleDesignSpaceExecutionCollection,
        page: Any,
    ) -> None:
        with pytest.raises(InvalidArgumentError, match="page"):
            bound_execution(session).results(page=page)
        with pytest.raises(InvalidArgumentError, match="page"):
            collection.list(page=page)
        assert sent_requests(server) == []

    def test_huge_page_sent_as_asked(
        self, server: ScriptedServer, session: Session
    ) -> None:
        """A huge page number is valid; the server returns an empty page."""
        server.route("GET", RESULTS_PATH, Reply(200, {"response": [], "next": ""}))
        assert list(bound_execution(session).results(page=10**9)) == []
        assert len(sent_requests(server)) == 1

    @pytest.mark.parametrize(
        "uid",
        [
            "not-a-uuid",
            "../../tokens",
            f"{EXECUTION_ID}/../x",
            "%2F",
            f"..%2F{EXECUTION_ID}",
            f"{EXECUTION_ID}?admin=1",
            f"{EXECUTION_ID}#x",
            f" {EXECUTION_ID}",
            f"{{{EXECUTION_ID}}}",
            "",
            123,
            None,
            UUID(EXECUTION_ID).bytes,
        ],
        ids=repr,
    )
    def test_bad_id_rejected(
        self,
        server: ScriptedServer,
        session: Session,
        collection: SampleDesignSpaceExecutionCollection,
        uid: Any,
    ) -> None:
        with pytest.raises(InvalidIdError, match="uid"):
            collection.get(uid)
        with pytest.raises(InvalidIdError, match="result_id"):
            bound_execution(session).result(result_id=uid)
        with pytest.raises(InvalidIdError, match="project_id"):
            SampleDesignSpaceExecutionCollection(uid, DESIGN_SPACE_ID, session)
        with pytest.raises(InvalidIdError, match="design_space_id"):
            SampleDesignSpaceExecutionCollection(PROJECT_ID, uid, session)
        assert sent_requests(server) == []

    @pytest.mark.parametrize(
        "n_candidates",
        ["10", 10.0, True, False, None, 0, -3, math.nan, math.inf],
        ids=repr,
    )
    def test_bad_n_candidates(
        self,
        server: ScriptedServer,
        collection: SampleDesignSpaceExecutionCollection,
        n_candidates: Any,
    ) -> None:
        with pytest.raises(InvalidArgumentError, match="n_candidates"):
            collection.trigger(SampleDesignSpaceInput(n_candidates=n_candidates))
        assert sent_requests(server) == []

    def test_trigger_needs_input_model(
        self, server: ScriptedServer, collection: SampleDesignSpaceExecutionCollection
    ) -> None:
        with pytest.raises(InvalidArgumentError, match="SampleDesignSpaceInput"):
            collection.trigger({"n_candidates": 5})  # type: ignore[arg-type]
        assert sent_requests(server) == []
