"""Faults on demand and counters of the emulator, over real HTTP."""

from __future__ import annotations

import http.client
import json
import socket
from typing import Any

import pytest
from emulator_client import TINY_SPACE, RawClient

from design_space_sampling.emulator import (
    Delay,
    DropConnection,
    Emulator,
    ExpireTokenAfter,
    Fault,
    IgnorePage,
    InsertItemBetweenPages,
    Status,
    TruncatedJson,
    UnknownFields,
    UnknownStatus,
    UnknownVariableType,
)


def ids_of(reply_body: bytes) -> list[str]:
    """Return the item ids of a page."""
    return [item["id"] for item in json.loads(reply_body)["response"]]


class TestStatusFault:
    @pytest.mark.parametrize("code", [500, 502, 503, 504])
    def test_json_error_status(self, client: RawClient, code: int) -> None:
        """A status fault returns a JSON error of that code."""
        client.emulator.faults.add("list", Status(code))
        reply = client.send("GET", client.base)
        assert reply.status == code
        assert reply.headers["Content-Type"] == "application/json"
        assert reply.json()["code"] == code

    def test_rate_limited_with_retry_after(self, client: RawClient) -> None:
        """A 429 fault carries the Retry-After header in seconds."""
        client.emulator.faults.add("trigger", Status(429, retry_after=2))
        reply = client.send("POST", client.base, '{"n_candidates": 1}')
        assert reply.status == 429
        assert reply.headers["Retry-After"] == "2"
        assert client.emulator.counters.executions_created == 0

    @pytest.mark.parametrize("code", [520, 521, 522, 524, 527])
    def test_cdn_status_html(self, client: RawClient, code: int) -> None:
        """CDN codes return an HTML page, not JSON."""
        client.emulator.faults.add("get", Status(code))
        reply = client.send("GET", f"{client.base}/{client.trigger(1)['id']}")
        assert reply.status == code
        assert reply.headers["Content-Type"].startswith("text/html")
        assert reply.body.startswith(b"<!DOCTYPE html>")

    def test_custom_body_and_headers(self, client: RawClient) -> None:
        """A status fault sends the body, type and headers it was given."""
        fault = Status(
            503, body="busy", content_type="text/plain", headers={"X-Test": "1"}
        )
        client.emulator.faults.add("*", fault)
        reply = client.send("GET", client.base)
        assert (reply.status, reply.body) == (503, b"busy")
        assert reply.headers["Content-Type"] == "text/plain"
        assert reply.headers["X-Test"] == "1"

    def test_times_then_normal(self, client: RawClient) -> None:
        """A fault armed for two requests applies twice, then disarms."""
        client.emulator.faults.add("list", Status(500), times=2)
        statuses = [client.send("GET", client.base).status for _ in range(3)]
        assert statuses == [500, 500, 200]
        assert client.emulator.faults.pending() == []
        assert client.emulator.counters.faults == {"Status": 2}

    def test_only_its_route(self, client: RawClient) -> None:
        """A fault on one route leaves the other routes alone."""
        client.emulator.faults.add("results", Status(500), times=None)
        assert client.send("GET", client.base).status == 200
        assert client.refresh().status == 200

    def test_token_route(self, emulator: Emulator) -> None:
        """A fault on the token route makes the refresh fail."""
        emulator.faults.add("token", Status(502))
        client = RawClient(emulator)
        assert client.refresh().status == 502
        assert client.refresh().status == 200
        assert emulator.counters.token_refreshes == 1

    def test_first_armed_wins(self, client: RawClient) -> None:
        """Of two response faults on one request only the first applies."""
        client.emulator.faults.add("list", Status(503))
        client.emulator.faults.add("*", Status(500))
        assert client.send("GET", client.base).status == 503
        assert client.send("GET", client.base).status == 500

    def test_clear(self, client: RawClient) -> None:
        """clear() disarms every fault."""
        client.emulator.faults.add("*", Status(500), times=None)
        client.emulator.faults.clear()
        assert client.send("GET", client.base).status == 200


class TestTransportFaults:
    def test_delay_beyond_read_timeout(self, client: RawClient) -> None:
        """A delay longer than the read timeout makes the client time out."""
        client.emulator.faults.add("list", Delay(30.0))
        connection = client.connect(timeout=0.2)
        connection.request("GET", client.base, headers=_auth(client))
        with pytest.raises((TimeoutError, socket.timeout)):
            connection.getresponse()
        connection.close()
        client.emulator.close()
        assert not client.emulator.running

    def test_short_delay_then_served(self, client: RawClient) -> None:
        """A short delay still serves the request."""
        client.emulator.faults.add("list", Delay(0.01))
        assert client.send("GET", client.base).status == 200
        assert client.emulator.counters.faults == {"Delay": 1}

    def test_drop_connection_mid_body(self, client: RawClient) -> None:
        """A dropped connection sends headers and part of the body."""
        uid = client.run(5)["id"]
        client.emulator.faults.add("results", DropConnection())
        connection = client.connect()
        connection.request("GET", f"{client.base}/{uid}/results", headers=_auth(client))
        response = connection.getresponse()
        assert response.status == 200
        length = int(response.headers["Content-Length"])
        with pytest.raises(http.client.IncompleteRead) as raised:
            response.read()
        assert 0 < len(raised.value.partial) < length
        connection.close()

    def test_truncated_json(self, client: RawClient) -> None:
        """Truncated JSON is complete HTTP but invalid JSON."""
        client.emulator.faults.add("get", TruncatedJson())
        uid = client.trigger(1)["id"]
        reply = client.send("GET", f"{client.base}/{uid}")
        assert reply.status == 200
        assert int(reply.headers["Content-Length"]) == len(reply.body)
        with pytest.raises(json.JSONDecodeError):
            reply.json()


class TestTokenFault:
    def test_expire_after_calls(self, client: RawClient) -> None:
        """Two calls work, the third gets invalid-token, a refresh recovers."""
        client.emulator.faults.add("*", ExpireTokenAfter(2))
        statuses = [client.send("GET", client.base).status for _ in range(2)]
        revoked = client.send("GET", client.base)
        still_revoked = client.send("GET", client.base)
        assert statuses == [200, 200]
        assert revoked.status == 401
        assert revoked.json()["reason"] == "invalid-token"
        assert still_revoked.status == 401
        assert client.refresh().status == 200
        assert client.send("GET", client.base).status == 200

    def test_expire_immediately(self, client: RawClient) -> None:
        """ExpireTokenAfter(0) revokes on the next call of its route."""
        client.emulator.faults.add("results", ExpireTokenAfter(0))
        assert client.send("GET", client.base).status == 200
        uid = client.run(1)["id"]
        assert client.send("GET", f"{client.base}/{uid}/results").status == 401

    def test_revocation_survives_status_fault(self, client: RawClient) -> None:
        """A 503 in place of the 401 still revokes the token for what follows."""
        client.emulator.faults.add("list", ExpireTokenAfter(0))
        client.emulator.faults.add("list", Status(503))
        disrupted = client.send("GET", client.base)
        after = client.send("GET", client.base)
        assert disrupted.status == 503
        assert after.status == 401
        assert after.json()["reason"] == "invalid-token"
        assert client.refresh().status == 200
        assert client.send("GET", client.base).status == 200


class TestPagingFaults:
    def test_ignore_page(self, client: RawClient) -> None:
        """With IgnorePage every page number serves page one."""
        uid = client.run(6)["id"]
        path = f"{client.base}/{uid}/results"
        first = client.send("GET", f"{path}?page=1&per_page=2")
        client.emulator.faults.add("results", IgnorePage(), times=None)
        second = client.send("GET", f"{path}?page=2&per_page=2")
        third = client.send("GET", f"{path}?page=3&per_page=2")
        assert ids_of(second.body) == ids_of(first.body)
        assert ids_of(third.body) == ids_of(first.body)
        assert third.json()["next"]

    def test_insert_shifts_results(self, client: RawClient) -> None:
        """An item inserted after page one repeats its last item on page two."""
        uid = client.run(6)["id"]
        path = f"{client.base}/{uid}/results"
        client.emulator.faults.add("results", InsertItemBetweenPages())
        first = ids_of(client.send("GET", f"{path}?page=1&per_page=3").body)
        second = ids_of(client.send("GET", f"{path}?page=2&per_page=3").body)
        assert second[0] == first[-1]
        everything = ids_of(client.send("GET", f"{path}?per_page=100").body)
        assert len(everything) == 7
        assert everything[1:4] == first

    def test_insert_shifts_executions(self, client: RawClient) -> None:
        """On the list route the inserted item is a new execution."""
        for _ in range(4):
            client.trigger(1)
        client.emulator.faults.add("list", InsertItemBetweenPages())
        first = ids_of(client.send("GET", f"{client.base}?page=1&per_page=2").body)
        second = ids_of(client.send("GET", f"{client.base}?page=2&per_page=2").body)
        assert second[0] == first[-1]
        assert client.emulator.counters.executions_created == 5


class TestContentFaults:
    def test_unknown_fields_in_execution(self, client: RawClient) -> None:
        """Unknown keys appear in the execution, its status and details."""
        client.emulator.faults.add("trigger", UnknownFields())
        client.emulator.pause_executions()
        document = client.trigger(1)
        assert _has_extra(document)
        assert _has_extra(document["status"])
        assert _has_extra(document["status"]["detail"][0])

    def test_unknown_fields_in_page(self, client: RawClient) -> None:
        """Unknown keys appear on a page, its items and their materials."""
        uid = client.run(2)["id"]
        client.emulator.faults.add("results", UnknownFields())
        page = client.send("GET", f"{client.base}/{uid}/results").json()
        item = page["response"][0]
        assert _has_extra(page)
        assert _has_extra(item)
        assert _has_extra(item["material"])
        assert _has_extra(item["material"]["terminal"])
        assert _has_extra(item["material"]["terminal"]["identifiers"])
        assert not _has_extra(item["material"]["terminal"]["vars"])

    def test_unknown_status(self, client: RawClient) -> None:
        """UnknownStatus reports a major status outside the known set."""
        uid = client.run(1)["id"]
        client.emulator.faults.add("*", UnknownStatus(), times=2)
        assert client.execution(uid)["status"]["major"] == "PAUSED"
        listed = client.send("GET", client.base).json()["response"]
        assert listed[0]["status"]["major"] == "PAUSED"
        assert client.execution(uid)["status"]["major"] == "SUCCEEDED"

    def test_unknown_variable_type(self, client: RawClient) -> None:
        """UnknownVariableType adds a variable with an unknown type tag."""
        uid = client.run(2)["id"]
        client.emulator.faults.add("results", UnknownVariableType("Q", "odd"))
        page = client.send("GET", f"{client.base}/{uid}/results").json()
        for item in page["response"]:
            variables = item["material"]["terminal"]["vars"]
            assert variables["odd"]["type"] == "Q"
            assert variables["x"]["type"] == "R"

    def test_content_fault_skips_errors(self, client: RawClient) -> None:
        """A content fault leaves an error response alone but is used up."""
        client.emulator.faults.add("get", UnknownStatus())
        reply = client.send("GET", f"{client.base}/not-a-uuid")
        assert reply.status == 404
        assert "status" not in reply.json()
        assert client.emulator.faults.pending() == []


class TestRandomFaults:
    def test_rate_one_always(self, client: RawClient) -> None:
        """At rate 1 every request on the chosen routes gets a fault."""
        client.emulator.faults.random(1.0, [Status(503)], seed=1, routes=["list"])
        assert client.send("GET", client.base).status == 503
        assert client.refresh().status == 200

    def test_rate_zero_stops(self, client: RawClient) -> None:
        """Rate 0 turns random faults off."""
        client.emulator.faults.random(1.0, seed=1)
        client.emulator.faults.random(0.0)
        assert client.send("GET", client.base).status == 200

    def test_same_seed_same_sequence(self) -> None:
        """One seed gives one sequence of faulty requests."""
        sequences = []
        for _ in range(2):
            with Emulator(TINY_SPACE) as emulator:
                client = RawClient(emulator)
                client.refresh()
                emulator.faults.random(0.5, seed=42, routes=["list"])
                sequences.append(
                    [client.send("GET", client.base).status for _ in range(20)]
                )
        assert sequences[0] == sequences[1]
        assert {200} < set(sequences[0])

    def test_default_kinds_transient(self, client: RawClient) -> None:
        """Default random faults are retryable statuses."""
        client.emulator.faults.random(1.0, seed=3, routes=["list"])
        statuses = {client.send("GET", client.base).status for _ in range(30)}
        assert statuses <= {429, 500, 502, 503, 504, 520, 522, 524}


class TestFaultPlanArguments:
    @pytest.mark.parametrize(
        ("route", "fault", "times", "message"),
        [
            ("nowhere", Status(500), 1, "unknown route"),
            ("get", IgnorePage(), 1, "cannot affect route 'get'"),
            ("token", ExpireTokenAfter(1), 1, "cannot affect route 'token'"),
            ("list", UnknownVariableType(), 1, "cannot affect route 'list'"),
            ("results", UnknownStatus(), 1, "cannot affect route 'results'"),
            ("list", Status(500), 0, "invalid times 0"),
            ("list", Status(500), True, "invalid times True"),
        ],
    )
    def test_invalid_add(
        self, emulator: Emulator, route: str, fault: Fault, times: Any, message: str
    ) -> None:
        """Unknown routes, misplaced faults and bad times raise ValueError."""
        with pytest.raises(ValueError, match=message):
            emulator.faults.add(route, fault, times=times)

    @pytest.mark.parametrize(
        "make",
        [
            lambda: Status(99),
            lambda: Status(600),
            lambda: Delay(-1.0),
            lambda: ExpireTokenAfter(-1),
        ],
    )
    def test_invalid_fault(self, make: Any) -> None:
        """Out-of-range fault arguments raise ValueError."""
        with pytest.raises(ValueError, match="invalid"):
            make()

    @pytest.mark.parametrize("rate", [-0.1, 1.5, float("nan")])
    def test_invalid_rate(self, emulator: Emulator, rate: float) -> None:
        """A rate outside 0-1 raises ValueError."""
        with pytest.raises(ValueError, match="rate"):
            emulator.faults.random(rate)


class TestCounters:
    def test_counts_everything(self, client: RawClient) -> None:
        """Counters track requests, connections, tokens and executions."""
        emulator = client.emulator
        emulator.counters.reset()
        connection = client.connect()
        client.send("GET", client.base, connection=connection)
        client.send("POST", client.base, '{"n_candidates": 1}', connection=connection)
        client.send("POST", client.base, '{"n_candidates": 1}', connection=connection)
        connection.close()
        client.refresh()
        snapshot = emulator.counters.snapshot()
        assert snapshot["requests"] == {"list": 1, "trigger": 2, "token": 1}
        assert snapshot["connections"] == 2
        assert snapshot["token_refreshes"] == 1
        assert snapshot["executions_created"] == 2

    def test_reset(self, client: RawClient) -> None:
        """reset() sets every counter back to zero."""
        client.emulator.faults.add("list", Status(500))
        client.send("GET", client.base)
        client.emulator.counters.reset()
        assert client.emulator.counters.snapshot() == {
            "requests": {},
            "connections": 0,
            "token_refreshes": 0,
            "executions_created": 0,
            "faults": {},
        }


def _auth(client: RawClient) -> dict[str, str]:
    return {"Authorization": f"Bearer {client.token}"}


def _has_extra(document: dict[str, Any]) -> bool:
    return "x_emulator_unknown_field" in document
