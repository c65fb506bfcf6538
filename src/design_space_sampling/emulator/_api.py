"""Routing, validation and responses of the emulator's endpoints.

This module turns a parsed request into a :class:`Response` and does not touch
sockets. Status codes beyond the wire format's table:

- A path id that is not a UUID names nothing, so it gets 404 like an unknown
  id. A project or design space other than the emulator's also gets 404.
- Results of an execution still INPROGRESS get 425 (Too Early): retry later.
  Results of a FAILED execution get 409 (Conflict): they will never exist.
- A known path with an unsupported method gets 405 with an ``Allow`` header.
- A request body above 1 MiB gets 413.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote, unquote

from design_space_sampling._guards import is_json_array, is_json_object
from design_space_sampling.emulator._faults import (
    IgnorePage,
    InsertItemBetweenPages,
    Selection,
    UnknownFields,
    UnknownStatus,
    UnknownVariableType,
)
from design_space_sampling.emulator._jwt import InvalidTokenError
from design_space_sampling.emulator._state import (
    FAILED,
    SUCCEEDED,
    State,
    encode_json,
)
from design_space_sampling.emulator._tokens import TokenIssuer

logger = logging.getLogger(__name__)

JSON = "application/json"
MAX_BODY_BYTES = 1024 * 1024
"""Maximum size of a request body, in bytes."""

_INTEGER = re.compile(r"-?[0-9]{1,18}")
_EXTRA_KEY = "x_emulator_unknown_field"
_EXTRA_VALUE = {"note": "added by the UnknownFields fault"}


@dataclass
class Response:
    """An HTTP response: status, body bytes, content type and extra headers."""

    status: int
    body: bytes
    content_type: str = JSON
    headers: dict[str, str] = field(default_factory=dict[str, str])


@dataclass(frozen=True)
class Route:
    """A matched route: its name and the ids taken from the path."""

    name: str
    allowed: tuple[str, ...]
    project_id: str = ""
    design_space_id: str = ""
    execution_id: str = ""
    result_id: str = ""


@dataclass(frozen=True)
class Limits:
    """Request limits the emulator enforces."""

    max_candidates: int
    max_per_page: int
    default_per_page: int


def error_response(
    status: int,
    message: str,
    *,
    reason: str | None = None,
    validation_errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """Build a JSON error response in the wire format's error shape."""
    document: dict[str, Any] = {"code": status, "message": message}
    if reason is not None:
        document["reason"] = reason
    if validation_errors is not None:
        document["validation_errors"] = validation_errors
    return Response(status, encode_json(document), headers=dict(headers or {}))


def invalid_request(
    message: str, prop: str, value: object, failure_id: str
) -> Response:
    """Build a 400 response with one entry in ``validation_errors``."""
    failure = {
        "failure_message": message,
        "property": prop,
        "input": value if isinstance(value, str) else json.dumps(value),
        "failure_id": failure_id,
    }
    return error_response(400, message, validation_errors=[failure])


def match_route(path: str) -> Route | None:
    """Return the route of ``path`` (without query string), or None."""
    segments = [unquote(segment) for segment in path.strip("/").split("/")]
    if segments == ["api", "v1", "tokens", "refresh"]:
        return Route("token", ("POST",))
    if (
        len(segments) < 7
        or segments[:3] != ["api", "v3", "projects"]
        or segments[4] != "design-spaces"
        or segments[6] != "sample"
    ):
        return None

    scope = {"project_id": segments[3], "design_space_id": segments[5]}
    rest = segments[7:]
    if not rest:
        return Route("sample", ("GET", "POST"), **scope)
    if len(rest) == 1:
        return Route("get", ("GET",), **scope, execution_id=rest[0])
    if len(rest) == 2 and rest[1] == "results":
        return Route("results", ("GET",), **scope, execution_id=rest[0])
    if len(rest) == 3 and rest[1] == "results":
        return Route(
            "result",
            ("GET",),
            **scope,
            execution_id=rest[0],
            result_id=rest[2],
        )
    return None


def route_name(route: Route | None, method: str) -> str:
    """Return the name counted and matched by faults for ``route``."""
    if route is None or method not in route.allowed:
        return "other"
    if route.name == "sample":
        return "trigger" if method == "POST" else "list"
    return route.name


def _normalize_uuid(text: str) -> str | None:
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


class Api:
    """The emulator's endpoints over its state, tokens and execution worker."""

    def __init__(
        self,
        state: State,
        tokens: TokenIssuer,
        limits: Limits,
        create_execution: Callable[[int], dict[str, Any]],
        count_token: Callable[[], None],
    ) -> None:
        self._state = state
        self._tokens = tokens
        self._limits = limits
        self._create_execution = create_execution
        self._count_token = count_token

    def revoke_tokens(self) -> None:
        """Revoke every access token issued so far. A refresh issues a new one."""
        self._tokens.revoke_all()

    def handle(
        self,
        method: str,
        route: Route,
        query: str,
        authorization: str,
        body: bytes,
        selection: Selection,
    ) -> Response:
        """Serve a request on a matched route, with ``selection`` applied."""
        if method not in route.allowed:
            return error_response(
                405,
                f"method {method} is not allowed on this path: use "
                + " or ".join(route.allowed),
                headers={"Allow": ", ".join(route.allowed)},
            )
        if route.name == "token":
            return self._refresh_token(body)

        denied = self._authenticate(authorization, selection)
        if denied is not None:
            return denied
        denied = self._check_scope(route)
        if denied is not None:
            return denied

        name = route_name(route, method)
        if name == "trigger":
            response = self._trigger(body)
        elif name == "list":
            response = self._list(route, query, selection)
        elif name == "get":
            response = self._get(route)
        elif name == "results":
            response = self._results(route, query, selection)
        else:
            response = self._result(route)

        if response.status == 200 and selection.content:
            response.body = self._alter(name, response.body, selection)
        return response

    def _refresh_token(self, body: bytes) -> Response:
        document = _parse_json_object(body)
        if isinstance(document, Response):
            return document
        key = document.get("refresh_token")
        if not isinstance(key, str) or not key:
            return invalid_request(
                "refresh_token is missing: send the API key as a string",
                "refresh_token",
                "",
                "missing-refresh-token",
            )
        if not self._tokens.accepts_key(key):
            return error_response(401, "Invalid API key: check the key and retry")

        token = self._tokens.issue()
        self._count_token()
        return Response(200, encode_json({"access_token": token}))

    def _authenticate(
        self, authorization: str, selection: Selection
    ) -> Response | None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return error_response(
                401,
                "Missing access token: send 'Authorization: Bearer <token>'",
            )
        if selection.revoke_tokens:
            # The server revoked every token before handing the request over.
            return error_response(
                401, "Invalid access token: token revoked", reason="invalid-token"
            )
        try:
            self._tokens.check(token.strip())
        except InvalidTokenError as error:
            return error_response(
                401, f"Invalid access token: {error}", reason="invalid-token"
            )
        return None

    def _check_scope(self, route: Route) -> Response | None:
        if _normalize_uuid(route.project_id) != self._state.project_id:
            return error_response(404, f"Project {route.project_id!r} not found")
        if _normalize_uuid(route.design_space_id) != self._state.design_space_id:
            return error_response(
                404,
                f"Design space {route.design_space_id!r} not found in project "
                f"{self._state.project_id}",
            )
        return None

    def _trigger(self, body: bytes) -> Response:
        document = _parse_json_object(body)
        if isinstance(document, Response):
            return document
        if "n_candidates" not in document:
            return invalid_request(
                "n_candidates is missing: send a positive integer",
                "n_candidates",
                "",
                "missing-n-candidates",
            )
        n_candidates = document["n_candidates"]
        if isinstance(n_candidates, bool) or not isinstance(n_candidates, int):
            return invalid_request(
                f"n_candidates must be an integer, not {n_candidates!r}",
                "n_candidates",
                n_candidates,
                "invalid-n-candidates",
            )
        if n_candidates < 1:
            return invalid_request(
                f"n_candidates must be at least 1, not {n_candidates}",
                "n_candidates",
                n_candidates,
                "invalid-n-candidates",
            )
        if n_candidates > self._limits.max_candidates:
            return invalid_request(
                f"n_candidates must be at most {self._limits.max_candidates}, "
                f"not {n_candidates}",
                "n_candidates",
                n_candidates,
                "too-many-candidates",
            )

        return Response(200, encode_json(self._create_execution(n_candidates)))

    def _list(self, route: Route, query: str, selection: Selection) -> Response:
        paging = _parse_paging(query, self._limits)
        if isinstance(paging, Response):
            return paging
        page, per_page = paging
        served_page = 1 if selection.has(IgnorePage) else page
        start = (served_page - 1) * per_page
        items, total = self._state.list_executions(start, start + per_page)
        more = start + per_page < total
        response = _page_response(
            items, served_page, per_page, self._next_link(route, page, per_page, more)
        )
        if selection.has(InsertItemBetweenPages):
            document = self._create_execution(1)
            logger.info("Fault inserted execution %s", document["id"])
        return response

    def _get(self, route: Route) -> Response:
        execution_id = _normalize_uuid(route.execution_id)
        document = None
        if execution_id is not None:
            document = self._state.get_execution(execution_id)
        if document is None:
            return self._execution_not_found(route.execution_id)
        return Response(200, encode_json(document))

    def _results(self, route: Route, query: str, selection: Selection) -> Response:
        paging = _parse_paging(query, self._limits)
        if isinstance(paging, Response):
            return paging
        page, per_page = paging
        execution_id = _normalize_uuid(route.execution_id)
        not_ready = self._check_results_ready(execution_id, route.execution_id)
        if not_ready is not None:
            return not_ready
        assert execution_id is not None

        served_page = 1 if selection.has(IgnorePage) else page
        start = (served_page - 1) * per_page
        items, total = self._state.list_candidates(
            execution_id, start, start + per_page
        )
        more = start + per_page < total
        response = _page_response(
            items, served_page, per_page, self._next_link(route, page, per_page, more)
        )
        if selection.has(InsertItemBetweenPages):
            new_id = self._state.insert_candidate_copy(execution_id)
            logger.info("Fault inserted candidate %s", new_id)
        return response

    def _result(self, route: Route) -> Response:
        execution_id = _normalize_uuid(route.execution_id)
        not_ready = self._check_results_ready(execution_id, route.execution_id)
        if not_ready is not None:
            return not_ready
        assert execution_id is not None

        result_id = _normalize_uuid(route.result_id)
        encoded = None
        if result_id is not None:
            encoded = self._state.get_candidate(execution_id, result_id)
        if encoded is None:
            return error_response(
                404,
                f"Result {route.result_id!r} not found in execution {execution_id}",
            )
        return Response(200, encoded)

    def _check_results_ready(
        self, execution_id: str | None, raw_id: str
    ) -> Response | None:
        major = (
            None if execution_id is None else self._state.execution_major(execution_id)
        )
        if major is None:
            return self._execution_not_found(raw_id)
        if major == FAILED:
            return error_response(
                409,
                f"Execution {execution_id} failed and has no results: read its "
                "status detail for the reason",
            )
        if major != SUCCEEDED:
            return error_response(
                425,
                f"Execution {execution_id} is still {major}: retry once it SUCCEEDED",
                headers={"Retry-After": "1"},
            )
        return None

    def _execution_not_found(self, raw_id: str) -> Response:
        return error_response(
            404,
            f"Execution {raw_id!r} not found in design space "
            f"{self._state.design_space_id}",
        )

    def _next_link(self, route: Route, page: int, per_page: int, more: bool) -> str:
        if not more:
            return ""
        base = (
            f"/api/v3/projects/{quote(route.project_id)}/design-spaces/"
            f"{quote(route.design_space_id)}/sample"
        )
        if route.name == "results":
            base += f"/{quote(route.execution_id)}/results"
        return f"{base}?page={page + 1}&per_page={per_page}"

    def _alter(self, route: str, body: bytes, selection: Selection) -> bytes:
        document = json.loads(body)
        is_page = route in ("list", "results")
        items = document["response"] if is_page else [document]
        for fault in selection.content:
            for item in items:
                if isinstance(fault, UnknownStatus):
                    item["status"]["major"] = fault.major
                elif isinstance(fault, UnknownVariableType):
                    variables = item["material"]["terminal"]["vars"]
                    variables[fault.descriptor_key] = {
                        "type": fault.variable_type,
                        "z": [1, 2, 3],
                    }
                elif isinstance(fault, UnknownFields):
                    _add_unknown_fields(item)
            if isinstance(fault, UnknownFields) and is_page:
                document[_EXTRA_KEY] = dict(_EXTRA_VALUE)
        return encode_json(document)


def _add_unknown_fields(item: dict[str, Any]) -> None:
    targets: list[object] = [item]
    status = item.get("status")
    if is_json_object(status):
        targets.append(status)
        detail = status.get("detail")
        if is_json_array(detail):
            targets.extend(detail)
    material = item.get("material")
    if is_json_object(material):
        targets.append(material)
        sub_materials = material.get("sub_materials")
        designs = [material.get("terminal")]
        if is_json_array(sub_materials):
            designs.extend(sub_materials)
        for design in designs:
            if is_json_object(design):
                targets.append(design)
                targets.append(design.get("identifiers"))
        mixtures = material.get("mixtures")
        if is_json_object(mixtures):
            targets.extend(mixtures.values())
    for target in targets:
        if is_json_object(target):
            target[_EXTRA_KEY] = dict(_EXTRA_VALUE)


def _page_response(
    items: list[bytes], page: int, per_page: int, next_link: str
) -> Response:
    head = b'{"response":[' + b",".join(items) + b"],"
    tail = encode_json({"page": page, "per_page": per_page, "next": next_link})
    return Response(200, head + tail[1:])


def _parse_json_object(body: bytes) -> dict[str, Any] | Response:
    if not body.strip():
        return invalid_request(
            "Request body is missing: send a JSON object",
            "body",
            "",
            "missing-body",
        )
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return invalid_request(
            f"Request body is not valid JSON: {error}",
            "body",
            body[:200].decode("utf-8", "replace"),
            "malformed-body",
        )
    if not is_json_object(document):
        return invalid_request(
            f"Request body must be a JSON object, not {type(document).__name__}",
            "body",
            body[:200].decode("utf-8", "replace"),
            "malformed-body",
        )
    return document


def _parse_paging(query: str, limits: Limits) -> tuple[int, int] | Response:
    try:
        parameters = parse_qs(query, keep_blank_values=True, strict_parsing=False)
    except ValueError:
        parameters = {}
    values: dict[str, int] = {"page": 1, "per_page": limits.default_per_page}
    for name, minimum, maximum in (
        ("page", 1, None),
        ("per_page", 1, limits.max_per_page),
    ):
        raw_values = parameters.get(name)
        if raw_values is None:
            continue
        if len(raw_values) > 1:
            return invalid_request(
                f"{name} is repeated {len(raw_values)} times: give it once",
                name,
                ",".join(raw_values),
                f"invalid-{name.replace('_', '-')}",
            )
        text = raw_values[0]
        if not _INTEGER.fullmatch(text):
            return invalid_request(
                f"{name} must be an integer, not {text!r}",
                name,
                text,
                f"invalid-{name.replace('_', '-')}",
            )
        value = int(text)
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"at least {minimum}"
            if maximum is not None:
                bound = f"from {minimum} to {maximum}"
            return invalid_request(
                f"{name} must be {bound}, not {value}",
                name,
                text,
                f"invalid-{name.replace('_', '-')}",
            )
        values[name] = value
    return values["page"], values["per_page"]
