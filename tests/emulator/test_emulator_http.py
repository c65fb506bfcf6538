"""Endpoints, errors, tokens and executions of the emulator over real HTTP."""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from emulator_client import IMPOSSIBLE_SPACE, TINY_SPACE, RawClient

from design_space_sampling.emulator import MAX_CANDIDATES, Emulator
from design_space_sampling.errors import ValidationError


def jwt_claims(token: str) -> dict[str, Any]:
    """Decode the payload of a JWT without checking it."""
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


def all_pages(client: RawClient, path: str, per_page: int) -> list[dict[str, Any]]:
    """Read every page of ``path`` and return the items in order."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        reply = client.send("GET", f"{path}?page={page}&per_page={per_page}")
        assert reply.status == 200, reply.body
        document = reply.json()
        items.extend(document["response"])
        if not document["next"]:
            return items
        page += 1


class TestEmulatorLifecycle:
    def test_ids_and_base_url(self, emulator: Emulator) -> None:
        """A running emulator exposes its URL, port and UUID ids."""
        assert emulator.base_url == f"http://127.0.0.1:{emulator.port}"
        assert emulator.port > 0
        assert uuid.UUID(emulator.project_id).version == 4
        assert uuid.UUID(emulator.design_space_id).version == 4
        assert emulator.api_key

    def test_no_thread_before_start(self) -> None:
        """Constructing an emulator starts no thread and binds no port."""
        before = threading.active_count()
        emulator = Emulator(TINY_SPACE)
        assert threading.active_count() == before
        assert not emulator.running
        with pytest.raises(RuntimeError, match="start"):
            _ = emulator.base_url

    def test_close_is_idempotent_and_clean(self) -> None:
        """Closing twice works and leaves no thread behind, open sockets too."""
        before = set(threading.enumerate())
        emulator = Emulator(TINY_SPACE, step_seconds=0.0).start()
        client = RawClient(emulator)
        idle = client.connect()
        client.refresh()
        client.send("GET", client.base, connection=idle)
        emulator.close()
        emulator.close()
        idle.close()
        assert set(threading.enumerate()) <= before
        assert not emulator.running

    def test_start_twice_rejected(self, emulator: Emulator) -> None:
        """Starting a running emulator raises RuntimeError."""
        with pytest.raises(RuntimeError, match="already running"):
            emulator.start()

    def test_restart_after_close_rejected(self) -> None:
        """A closed emulator cannot be started again."""
        emulator = Emulator(TINY_SPACE)
        emulator.start()
        emulator.close()
        with pytest.raises(RuntimeError, match="closed"):
            emulator.start()

    def test_given_api_key_kept(self) -> None:
        """An API key passed in is the one the token endpoint accepts."""
        with Emulator(TINY_SPACE, api_key="key-123") as emulator:
            assert emulator.api_key == "key-123"
            assert RawClient(emulator).refresh("key-123").status == 200

    def test_design_space_from_file(self, tmp_path: Path) -> None:
        """A path to a JSON file is loaded as the design space."""
        path = tmp_path / "space.json"
        path.write_text(json.dumps(TINY_SPACE), encoding="utf-8")
        with Emulator(path, step_seconds=0.0) as emulator:
            client = RawClient(emulator)
            client.refresh()
            assert client.run(2)["status"]["major"] == "SUCCEEDED"

    def test_invalid_design_space_file(self, tmp_path: Path) -> None:
        """An invalid file raises ValidationError with the JSON path."""
        broken = dict(TINY_SPACE, dimensions="three")
        path = tmp_path / "broken.json"
        path.write_text(json.dumps(broken), encoding="utf-8")
        with pytest.raises(ValidationError) as raised:
            Emulator(path)
        assert "dimensions" in raised.value.path

    def test_default_example_space(self) -> None:
        """Without a design space the bundled example is sampled."""
        with Emulator(step_seconds=0.0, seed=1) as emulator:
            client = RawClient(emulator)
            client.refresh()
            execution = client.run(3)
            assert execution["status"]["major"] == "SUCCEEDED"

    @pytest.mark.parametrize(
        "arguments",
        [
            {"token_ttl": -1.0},
            {"step_seconds": -0.1},
            {"max_candidates": 0},
            {"max_per_page": 0},
            {"api_key": ""},
        ],
    )
    def test_invalid_arguments(self, arguments: dict[str, Any]) -> None:
        """Out-of-range arguments raise ValueError naming the value."""
        with pytest.raises(ValueError, match=r"invalid|empty"):
            Emulator(TINY_SPACE, **arguments)


class TestTokenEndpoint:
    def test_refresh_issues_jwt(self, emulator: Emulator) -> None:
        """The token endpoint returns an HS256 JWT with exp, iat and sub."""
        before = time.time()
        reply = RawClient(emulator).refresh()
        assert reply.status == 200
        token = reply.json()["access_token"]
        header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
        claims = jwt_claims(token)
        assert header["alg"] == "HS256"
        assert claims["sub"] == emulator.user_id
        assert claims["exp"] >= before + 3600
        assert claims["iat"] <= claims["exp"]

    def test_wrong_api_key(self, emulator: Emulator) -> None:
        """A wrong API key gets 401 and no token."""
        reply = RawClient(emulator).refresh("not-the-key")
        assert reply.status == 401
        assert reply.json()["code"] == 401
        assert "access_token" not in reply.json()

    @pytest.mark.parametrize(
        ("body", "status"),
        [
            (None, 400),
            ("not json", 400),
            ("[1, 2]", 400),
            ("{}", 400),
            ('{"refresh_token": 5}', 400),
        ],
    )
    def test_malformed_refresh(
        self, emulator: Emulator, body: str | None, status: int
    ) -> None:
        """A missing or malformed body gets 400 with validation errors."""
        reply = RawClient(emulator).send(
            "POST", "/api/v1/tokens/refresh", body, token=""
        )
        assert reply.status == status
        assert reply.json()["validation_errors"]

    def test_secrets_not_echoed(self, emulator: Emulator) -> None:
        """No token endpoint response repeats the API key."""
        client = RawClient(emulator)
        accepted = client.refresh()
        rejected = client.refresh(emulator.api_key + "x")
        assert emulator.api_key.encode() not in accepted.body
        assert emulator.api_key.encode() not in rejected.body


class TestBearerToken:
    def test_missing_token(self, client: RawClient) -> None:
        """A request without a token gets 401 without a reason."""
        reply = client.send("GET", client.base, token="")
        assert reply.status == 401
        assert reply.json()["code"] == 401
        assert "reason" not in reply.json()

    @pytest.mark.parametrize(
        "token",
        ["garbage", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.AAAA"],
    )
    def test_bad_token(self, client: RawClient, token: str) -> None:
        """A malformed or forged token gets 401 invalid-token."""
        reply = client.send("GET", client.base, token=token)
        assert reply.status == 401
        assert reply.json()["reason"] == "invalid-token"

    def test_token_of_other_emulator(self, client: RawClient) -> None:
        """A token signed by another emulator is rejected."""
        with Emulator(TINY_SPACE) as other:
            foreign = RawClient(other)
            foreign.refresh()
        reply = client.send("GET", client.base, token=foreign.token)
        assert reply.status == 401
        assert reply.json()["reason"] == "invalid-token"

    def test_expired_token(self) -> None:
        """A token past its exp gets 401 invalid-token; a new one works."""
        with Emulator(TINY_SPACE, token_ttl=0.0) as emulator:
            client = RawClient(emulator)
            client.refresh()
            expiry = jwt_claims(client.token)["exp"]
            while time.time() < expiry:
                time.sleep(0.05)
            expired = client.send("GET", client.base)
            assert expired.status == 401
            assert expired.json()["reason"] == "invalid-token"


class TestTrigger:
    def test_trigger_returns_execution(
        self, client: RawClient, emulator: Emulator
    ) -> None:
        """POST sample returns an INPROGRESS execution in the wire shape."""
        emulator.pause_executions()
        execution = client.trigger(3)
        assert uuid.UUID(execution["id"])
        assert execution["design_space_id"] == emulator.design_space_id
        assert execution["status"] == {
            "major": "INPROGRESS",
            "minor": "VALIDATING",
            "detail": [{"msg": "System processing", "level": "Info"}],
            "info": [],
        }
        assert execution["create_time"].endswith("Z")
        assert execution["update_time"].endswith("Z")
        assert execution["created_by"] == emulator.user_id
        assert execution["updated_by"] == emulator.user_id
        assert execution["experimental"] is False
        assert execution["experimental_reasons"] == []

    @pytest.mark.parametrize(
        ("body", "prop"),
        [
            (None, "body"),
            ("", "body"),
            ("not json", "body"),
            ("[3]", "body"),
            ('"3"', "body"),
            ("{}", "n_candidates"),
            ('{"n_candidates": 0}', "n_candidates"),
            ('{"n_candidates": -4}', "n_candidates"),
            ('{"n_candidates": true}', "n_candidates"),
            ('{"n_candidates": 1.5}', "n_candidates"),
            ('{"n_candidates": 2.0}', "n_candidates"),
            ('{"n_candidates": "3"}', "n_candidates"),
            ('{"n_candidates": null}', "n_candidates"),
            (json.dumps({"n_candidates": MAX_CANDIDATES + 1}), "n_candidates"),
        ],
    )
    def test_invalid_request(
        self, client: RawClient, emulator: Emulator, body: str | None, prop: str
    ) -> None:
        """A bad body gets 400 with a validation error on the property."""
        reply = client.send("POST", client.base, body)
        assert reply.status == 400
        document = reply.json()
        assert document["code"] == 400
        assert document["message"]
        failure = document["validation_errors"][0]
        assert failure["property"] == prop
        assert failure["failure_message"]
        assert failure["failure_id"]
        assert isinstance(failure["input"], str)
        assert emulator.counters.executions_created == 0

    def test_maximum_is_configurable(self) -> None:
        """max_candidates sets the largest accepted n_candidates."""
        with Emulator(TINY_SPACE, max_candidates=5, step_seconds=0.0) as emulator:
            client = RawClient(emulator)
            client.refresh()
            assert client.trigger(5)["status"]["major"] == "INPROGRESS"
            reply = client.send("POST", client.base, '{"n_candidates": 6}')
            assert reply.status == 400
            assert "at most 5" in reply.json()["message"]

    def test_extra_request_keys_ignored(self, client: RawClient) -> None:
        """Unknown keys beside n_candidates do not fail the request."""
        reply = client.send("POST", client.base, '{"n_candidates": 1, "x": 2}')
        assert reply.status == 200


class TestExecutionLifecycle:
    def test_stages_in_order(self, client: RawClient, emulator: Emulator) -> None:
        """An execution moves VALIDATING, EXECUTING, then SUCCEEDED."""
        emulator.pause_executions()
        execution = client.trigger(4)
        uid = execution["id"]
        assert client.execution(uid)["status"]["minor"] == "VALIDATING"

        assert emulator.step_executions()
        executing = client.execution(uid)
        assert executing["status"]["major"] == "INPROGRESS"
        assert executing["status"]["minor"] == "EXECUTING"
        assert executing["status"]["detail"][0]["level"] == "Info"

        assert emulator.step_executions()
        done = client.execution(uid)
        assert done["status"]["major"] == "SUCCEEDED"
        assert done["status"]["minor"] == "COMPLETED"
        assert done["create_time"] == execution["create_time"]
        assert done["update_time"] >= execution["update_time"]

    def test_exactly_n_candidates(self, client: RawClient) -> None:
        """A succeeded execution has exactly n_candidates distinct results."""
        execution = client.run(23)
        items = all_pages(client, f"{client.base}/{execution['id']}/results", 5)
        assert len(items) == 23
        assert len({item["id"] for item in items}) == 23
        assert {item["execution_id"] for item in items} == {execution["id"]}

    def test_unsatisfiable_space_fails(self) -> None:
        """An unsatisfiable space ends FAILED with an Error detail."""
        with Emulator(IMPOSSIBLE_SPACE, step_seconds=0.0) as emulator:
            client = RawClient(emulator)
            client.refresh()
            execution = client.run(3)
            status = execution["status"]
            assert status["major"] == "FAILED"
            errors = [d for d in status["detail"] if d["level"] == "Error"]
            assert len(errors) == 1
            assert "sum to 1.6" in errors[0]["msg"]
            results = client.send("GET", f"{client.base}/{execution['id']}/results")
            assert results.status == 409

    def test_results_before_success(
        self, client: RawClient, emulator: Emulator
    ) -> None:
        """Results of an INPROGRESS execution get 425 with Retry-After."""
        emulator.pause_executions()
        uid = client.trigger(2)["id"]
        for path in (f"{client.base}/{uid}/results", f"{client.base}/{uid}/results/x"):
            reply = client.send("GET", path)
            assert reply.status == 425
            assert reply.headers["Retry-After"] == "1"
            assert uid in reply.json()["message"]

    def test_close_with_paused_execution(self) -> None:
        """Closing does not wait for a paused execution."""
        emulator = Emulator(TINY_SPACE, step_seconds=0.0).start()
        emulator.pause_executions()
        emulator.create_execution(2)
        emulator.close()
        assert not emulator.running

    def test_step_without_execution(self, emulator: Emulator) -> None:
        """Stepping with nothing queued returns False after the timeout."""
        emulator.pause_executions()
        assert emulator.step_executions(timeout=0.05) is False

    def test_same_seed_same_candidates(self) -> None:
        """Two emulators with one seed serve identical ids and candidates."""
        bodies = []
        for _ in range(2):
            with Emulator(TINY_SPACE, seed=11, step_seconds=0.0) as emulator:
                client = RawClient(emulator)
                client.refresh()
                client.run(3)
                uid = client.run(4)["id"]
                reply = client.send("GET", f"{client.base}/{uid}/results")
                bodies.append((emulator.project_id, uid, reply.body))
        assert bodies[0] == bodies[1]

    def test_executions_use_distinct_seeds(self, client: RawClient) -> None:
        """Two executions of one emulator draw different candidates."""
        values = []
        for _ in range(2):
            uid = client.run(3)["id"]
            items = client.send("GET", f"{client.base}/{uid}/results").json()
            values.append(
                [i["material"]["terminal"]["vars"]["x"]["m"] for i in items["response"]]
            )
        assert values[0] != values[1]


class TestPaging:
    def test_list_newest_first(self, client: RawClient) -> None:
        """Executions are listed newest first with the page fields."""
        ids = [client.trigger(1)["id"] for _ in range(3)]
        reply = client.send("GET", client.base)
        document = reply.json()
        assert [item["id"] for item in document["response"]] == ids[::-1]
        assert document["page"] == 1
        assert document["per_page"] == 20
        assert document["next"] == ""

    def test_pages_split_and_link(self, client: RawClient) -> None:
        """Pages hold per_page items and next is set while more remain."""
        ids = [client.trigger(1)["id"] for _ in range(5)]
        first = client.send("GET", f"{client.base}?page=1&per_page=2").json()
        last = client.send("GET", f"{client.base}?page=3&per_page=2").json()
        assert len(first["response"]) == 2
        assert first["next"] == f"{client.base}?page=2&per_page=2"
        assert [item["id"] for item in last["response"]] == ids[:1]
        assert last["next"] == ""
        assert all_pages(client, client.base, 2) == all_pages(client, client.base, 5)

    def test_full_last_page_then_empty(self, client: RawClient) -> None:
        """After a full last page the next page is empty with no next."""
        uid = client.run(4)["id"]
        path = f"{client.base}/{uid}/results"
        second = client.send("GET", f"{path}?page=2&per_page=2").json()
        third = client.send("GET", f"{path}?page=3&per_page=2").json()
        assert len(second["response"]) == 2
        assert second["next"] == ""
        assert third["response"] == []
        assert third["page"] == 3

    @pytest.mark.parametrize(
        ("query", "prop"),
        [
            ("page=0", "page"),
            ("page=-1", "page"),
            ("page=abc", "page"),
            ("page=1.5", "page"),
            ("page=", "page"),
            ("page=1&page=2", "page"),
            ("per_page=0", "per_page"),
            ("per_page=1001", "per_page"),
            ("per_page=x", "per_page"),
        ],
    )
    @pytest.mark.parametrize("target", ["list", "results"])
    def test_invalid_paging(
        self, client: RawClient, query: str, prop: str, target: str
    ) -> None:
        """Bad page or per_page values get 400 naming the parameter."""
        path = client.base
        if target == "results":
            path = f"{client.base}/{client.run(1)['id']}/results"
        reply = client.send("GET", f"{path}?{query}")
        assert reply.status == 400
        assert reply.json()["validation_errors"][0]["property"] == prop

    def test_unknown_parameters_ignored(self, client: RawClient) -> None:
        """Query parameters other than page and per_page are ignored."""
        reply = client.send("GET", f"{client.base}?sort=desc&page=1")
        assert reply.status == 200

    def test_result_by_id(self, client: RawClient) -> None:
        """A result read by id equals the one in the page."""
        uid = client.run(3)["id"]
        item = client.send("GET", f"{client.base}/{uid}/results").json()["response"][1]
        reply = client.send("GET", f"{client.base}/{uid}/results/{item['id']}")
        assert reply.status == 200
        assert reply.json() == item
        upper = client.send("GET", f"{client.base}/{uid}/results/{item['id'].upper()}")
        assert upper.json() == item


class TestScopeAndRouting:
    def test_unknown_execution(self, client: RawClient) -> None:
        """An unknown execution id gets 404 naming it."""
        missing = str(uuid.uuid4())
        for suffix in ("", "/results", f"/results/{uuid.uuid4()}"):
            reply = client.send("GET", f"{client.base}/{missing}{suffix}")
            assert reply.status == 404
            assert missing in reply.json()["message"]

    def test_malformed_execution_id(self, client: RawClient) -> None:
        """An id that is not a UUID gets 404 naming it."""
        reply = client.send("GET", f"{client.base}/not-a-uuid")
        assert reply.status == 404
        assert "not-a-uuid" in reply.json()["message"]

    def test_unknown_result(self, client: RawClient) -> None:
        """An unknown or malformed result id gets 404 naming it."""
        uid = client.run(1)["id"]
        for result_id in (str(uuid.uuid4()), "bogus"):
            reply = client.send("GET", f"{client.base}/{uid}/results/{result_id}")
            assert reply.status == 404
            assert result_id in reply.json()["message"]

    @pytest.mark.parametrize("which", ["project", "design_space"])
    def test_other_scope(
        self, client: RawClient, emulator: Emulator, which: str
    ) -> None:
        """Ids under another project or design space get 404."""
        uid = client.run(1)["id"]
        other = str(uuid.uuid4())
        project = other if which == "project" else emulator.project_id
        space = other if which == "design_space" else emulator.design_space_id
        base = f"/api/v3/projects/{project}/design-spaces/{space}/sample"
        for path in (base, f"{base}/{uid}", f"{base}/{uid}/results"):
            reply = client.send("GET", path)
            assert reply.status == 404
            assert other in reply.json()["message"]

    def test_unknown_path(self, client: RawClient) -> None:
        """A path outside the API gets 404 and counts as other."""
        reply = client.send("GET", "/api/v3/nothing")
        assert reply.status == 404
        assert client.emulator.counters.requests["other"] == 1

    @pytest.mark.parametrize(
        ("method", "suffix", "allowed"),
        [("DELETE", "", "GET, POST"), ("PUT", "/x", "GET"), ("POST", "/x", "GET")],
    )
    def test_wrong_method(
        self, client: RawClient, method: str, suffix: str, allowed: str
    ) -> None:
        """An unsupported method gets 405 with Allow."""
        reply = client.send(method, f"{client.base}{suffix}", "{}")
        assert reply.status == 405
        assert reply.headers["Allow"] == allowed

    def test_get_token_endpoint_not_allowed(self, emulator: Emulator) -> None:
        """GET on the token endpoint gets 405."""
        reply = RawClient(emulator).send("GET", "/api/v1/tokens/refresh", token="")
        assert reply.status == 405

    def test_trailing_slash_accepted(self, client: RawClient) -> None:
        """A trailing slash on a path is ignored."""
        assert client.send("GET", f"{client.base}/").status == 200


class TestConcurrency:
    def test_parallel_clients(self, emulator: Emulator) -> None:
        """Eight clients triggering and reading at once all succeed."""
        statuses: list[int] = []
        lock = threading.Lock()

        def work() -> None:
            client = RawClient(emulator)
            client.refresh()
            for _ in range(3):
                execution = client.run(2)
                reply = client.send("GET", f"{client.base}/{execution['id']}/results")
                with lock:
                    statuses.append(reply.status)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == [200] * 24
        assert emulator.counters.executions_created == 24
        assert emulator.counters.token_refreshes == 8


class TestRequestLog:
    def test_logs_without_secrets(
        self, client: RawClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        """Each request is logged at INFO without token, key or query."""
        caplog.set_level(logging.INFO, logger="design_space_sampling.emulator")
        client.refresh()
        client.send("GET", f"{client.base}?page=1&per_page=3")
        client.send("GET", client.base, token="")
        messages = [r.getMessage() for r in caplog.records]
        text = "\n".join(messages)
        assert f"GET {client.base} 200" in text
        assert f"GET {client.base} 401" in text
        assert "POST /api/v1/tokens/refresh 200" in text
        assert client.token not in text
        assert client.emulator.api_key not in text
        assert "per_page" not in text
