"""Helpers for the emulator's tests: small design spaces and a raw client.

The client speaks HTTP with ``http.client`` directly, so these tests check the
wire and not the SDK's session.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from design_spaces import two_dimension_space

from design_space_sampling.emulator import Emulator

_FORMULATION = {"type": "Formulation", "descriptor_key": "Formulation"}

TINY_SPACE = two_dimension_space("Tiny", "one continuous and one categorical dimension")

IMPOSSIBLE_SPACE: dict[str, Any] = {
    "type": "ProductDesignSpace",
    "name": "Impossible",
    "description": "two required ingredients of at least 80 % each",
    "dimensions": [],
    "subspaces": [
        {
            "type": "FormulationDesignSpace",
            "name": "Formulation",
            "description": "",
            "formulation_descriptor": _FORMULATION,
            "ingredients": ["a", "b"],
            "labels": {},
            "constraints": [
                {
                    "type": "IngredientFractionConstraint",
                    "formulation_descriptor": _FORMULATION,
                    "ingredient": name,
                    "min": 0.8,
                    "max": 1.0,
                    "is_required": True,
                }
                for name in ("a", "b")
            ],
            "resolution": 0.01,
        }
    ],
}


@dataclass
class Reply:
    """A raw HTTP response."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        """Decode the body as JSON."""
        return json.loads(self.body)


class RawClient:
    """Send single requests to an emulator, one connection per request."""

    def __init__(self, emulator: Emulator, timeout: float = 10.0) -> None:
        self.emulator = emulator
        self.timeout = timeout
        self.token = ""

    @property
    def base(self) -> str:
        """The path of the sample collection of the emulator's design space."""
        return (
            f"/api/v3/projects/{self.emulator.project_id}/design-spaces/"
            f"{self.emulator.design_space_id}/sample"
        )

    def connect(self, timeout: float | None = None) -> http.client.HTTPConnection:
        """Open a connection to the emulator."""
        return http.client.HTTPConnection(
            self.emulator.host, self.emulator.port, timeout=timeout or self.timeout
        )

    def send(
        self,
        method: str,
        path: str,
        body: bytes | str | None = None,
        *,
        token: str | None = None,
        connection: http.client.HTTPConnection | None = None,
    ) -> Reply:
        """Send a request, with the bearer token unless ``token`` is ``""``."""
        headers = {"Content-Type": "application/json"}
        bearer = self.token if token is None else token
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        own = connection is None
        conn = self.connect() if connection is None else connection
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            return Reply(response.status, dict(response.getheaders()), data)
        finally:
            if own:
                conn.close()

    def refresh(self, api_key: str | None = None) -> Reply:
        """Exchange the API key for an access token and keep it."""
        key = self.emulator.api_key if api_key is None else api_key
        reply = self.send(
            "POST",
            "/api/v1/tokens/refresh",
            json.dumps({"refresh_token": key}),
            token="",
        )
        if reply.status == 200:
            self.token = reply.json()["access_token"]
        return reply

    def trigger(self, n_candidates: int) -> dict[str, Any]:
        """Start an execution and return its document."""
        reply = self.send("POST", self.base, json.dumps({"n_candidates": n_candidates}))
        assert reply.status == 200, reply.body
        document: dict[str, Any] = reply.json()
        return document

    def execution(self, execution_id: str) -> dict[str, Any]:
        """Read one execution."""
        reply = self.send("GET", f"{self.base}/{execution_id}")
        assert reply.status == 200, reply.body
        document: dict[str, Any] = reply.json()
        return document

    def run(self, n_candidates: int) -> dict[str, Any]:
        """Start an execution and wait until it leaves INPROGRESS."""
        document = self.trigger(n_candidates)
        while document["status"]["major"] == "INPROGRESS":
            document = self.execution(document["id"])
        return document
