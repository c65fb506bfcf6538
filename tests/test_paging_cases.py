"""Paging stop rules over HTTP, replaying recorded exchanges exactly."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from resource_helpers import (
    RESULTS_PATH,
    bound_execution,
    candidate_id,
    load_case,
    open_session,
    split_case_request,
)
from scripted_server import FakeClock, Reply, ScriptedServer

from design_space_sampling.paging import PAGE_NUMBER_MISMATCH, REPEATED_PAGE


def script_exchanges(server: ScriptedServer, exchanges: list[dict[str, Any]]) -> None:
    """Queue each recorded exchange as the response to one request, in order."""
    for exchange in exchanges:
        method, path, _ = split_case_request(exchange["request"])
        response = exchange["response"]
        server.expect(method, path, Reply(response["status"], response["body"]))


def expected_queries(exchanges: list[dict[str, Any]]) -> list[str]:
    return [split_case_request(exchange["request"])[2] for exchange in exchanges]


def sent_queries(server: ScriptedServer) -> list[str]:
    return [request.query for request in server.calls("GET", RESULTS_PATH)]


class TestServerIgnoringPage:
    @pytest.fixture
    def exchanges(self, shared_dir: Path) -> list[dict[str, Any]]:
        case = load_case(shared_dir, "C01-repeated-page-loop.json")
        exchanges: list[dict[str, Any]] = case["input"]["exchanges"]
        return exchanges

    def test_each_candidate_once_in_order(
        self, server: ScriptedServer, exchanges: list[dict[str, Any]]
    ) -> None:
        """The four candidates come once each, in page order."""
        script_exchanges(server, exchanges)
        # The server returns the last page again for every further page.
        server.route("GET", RESULTS_PATH, Reply(200, exchanges[-1]["response"]["body"]))
        execution = bound_execution(open_session(server, FakeClock()))

        ids = [str(item.uid) for item in execution.results(per_page=2)]

        assert ids == [candidate_id(n) for n in (0xC000A, 0xC000B, 0xC000C, 0xC000D)]

    def test_stops_after_three_gets(
        self, server: ScriptedServer, exchanges: list[dict[str, Any]]
    ) -> None:
        """The repeated third page ends the iteration: three GETs in all."""
        script_exchanges(server, exchanges)
        server.route("GET", RESULTS_PATH, Reply(200, exchanges[-1]["response"]["body"]))
        execution = bound_execution(open_session(server, FakeClock()))

        iterator = execution.results(per_page=2)
        list(iterator)

        assert sent_queries(server) == expected_queries(exchanges)
        assert sent_queries(server) == [
            "page=1&per_page=2",
            "page=2&per_page=2",
            "page=3&per_page=2",
        ]
        assert iterator.pages_read == 3
        assert server.unexpected == []

    def test_repeated_page_warned_and_counted(
        self,
        server: ScriptedServer,
        exchanges: list[dict[str, Any]],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """Stopping on the repeated page logs a warning and counts it."""
        script_exchanges(server, exchanges)
        execution = bound_execution(open_session(server, FakeClock()))
        iterator = execution.results(per_page=2)

        with caplog.at_level(logging.WARNING, logger="design_space_sampling.paging"):
            list(iterator)

        assert iterator.anomalies[REPEATED_PAGE] == 1
        # The third response reports page 2.
        assert iterator.anomalies[PAGE_NUMBER_MISMATCH] == 1
        messages = [record.getMessage() for record in caplog.records]
        assert any("ignore the page parameter" in text for text in messages)
        assert iterator.exhausted


class TestStopRules:
    @pytest.fixture
    def case(self, shared_dir: Path) -> dict[str, Any]:
        scenarios: dict[str, Any] = load_case(shared_dir, "C03-termination-rules.json")[
            "input"
        ]
        return scenarios

    @pytest.mark.parametrize(
        ("scenario", "expected_numbers"),
        [
            ("scenario_a", (0xC000A, 0xC000B, 0xC000C, 0xC000D)),
            ("scenario_b", (0xC000A, 0xC000B)),
            ("scenario_c", (0xC000A,)),
        ],
        ids=["empty-page-with-next", "full-page-null-next", "absent-next"],
    )
    def test_stops_where_listing_ends(
        self,
        server: ScriptedServer,
        case: dict[str, Any],
        scenario: str,
        expected_numbers: tuple[int, ...],
    ) -> None:
        """An empty page, a null next or an absent next ends the listing."""
        exchanges = case[scenario]["exchanges"]
        script_exchanges(server, exchanges)
        execution = bound_execution(open_session(server, FakeClock()))

        iterator = execution.results(per_page=2)
        ids = [str(item.uid) for item in iterator]

        assert ids == [candidate_id(n) for n in expected_numbers]
        assert sent_queries(server) == expected_queries(exchanges)
        assert server.pending == []
        assert server.unexpected == []
        assert dict(iterator.anomalies) == {}
