"""Executions and candidates the emulator serves, guarded by one lock.

Candidates are encoded to compact JSON once, when an execution finishes, and
kept as bytes: a page of results is the stored bytes joined, so paging through
100,000 candidates costs no JSON encoding per read.
"""

from __future__ import annotations

import json
import random
import threading
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

INPROGRESS = "INPROGRESS"
SUCCEEDED = "SUCCEEDED"
FAILED = "FAILED"


def format_time(moment: datetime) -> str:
    """Format ``moment`` as RFC 3339 in UTC with milliseconds and a ``Z``."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def utc_now() -> str:
    """Return the current time formatted by :func:`format_time`."""
    return format_time(datetime.now(timezone.utc))


def encode_json(document: object) -> bytes:
    """Encode ``document`` as compact UTF-8 JSON."""
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass
class Execution:
    """One sample execution and, once it succeeded, its candidates."""

    uid: str
    number: int
    n_candidates: int
    create_time: str
    update_time: str
    major: str = INPROGRESS
    minor: str = "VALIDATING"
    detail: list[dict[str, str]] = field(
        default_factory=lambda: [{"msg": "System processing", "level": "Info"}]
    )
    candidate_ids: list[str] = field(default_factory=list[str])
    candidate_bytes: list[bytes] = field(default_factory=list[bytes])
    candidate_index: dict[str, int] = field(default_factory=dict[str, int])


class IdFactory:
    """Make UUIDs, reproducible when a seed is given."""

    def __init__(self, seed: int | None) -> None:
        self._random = None if seed is None else random.Random(f"ids:{seed}")
        self._lock = threading.Lock()

    def new(self) -> str:
        """Return a new version 4 UUID as a string."""
        if self._random is None:
            return str(uuid.uuid4())
        with self._lock:
            bits = self._random.getrandbits(128)
        return str(uuid.UUID(int=bits, version=4))


class State:
    """The emulator's project, design space, executions and candidates.

    Every method takes the lock, so handler threads and the execution worker
    can call them concurrently.
    """

    def __init__(self, ids: IdFactory) -> None:
        self._lock = threading.Lock()
        self._ids = ids
        self.project_id = ids.new()
        self.design_space_id = ids.new()
        self.user_id = ids.new()
        self._executions: dict[str, Execution] = {}
        self._order: list[str] = []

    def create_execution(self, n_candidates: int) -> dict[str, Any]:
        """Create an INPROGRESS execution and return its JSON document."""
        uid = self._ids.new()
        now = utc_now()
        with self._lock:
            execution = Execution(
                uid=uid,
                number=len(self._order) + 1,
                n_candidates=n_candidates,
                create_time=now,
                update_time=now,
            )
            self._executions[uid] = execution
            self._order.append(uid)
            return self._document(execution)

    def execution_plan(self, uid: str) -> tuple[int, int]:
        """Return the number and the requested candidate count of ``uid``."""
        with self._lock:
            execution = self._executions[uid]
            return execution.number, execution.n_candidates

    def set_status(
        self, uid: str, major: str, minor: str, detail: list[dict[str, str]]
    ) -> None:
        """Move execution ``uid`` to a new status."""
        with self._lock:
            execution = self._executions[uid]
            execution.major = major
            execution.minor = minor
            execution.detail = detail
            execution.update_time = utc_now()

    def finish(self, uid: str, candidates: Iterable[Mapping[str, Any]]) -> None:
        """Store the candidates of ``uid`` and mark it SUCCEEDED.

        The candidates are encoded before the lock is taken, so readers are not
        blocked while a large result is encoded.
        """
        ids: list[str] = []
        encoded: list[bytes] = []
        for candidate in candidates:
            ids.append(str(candidate["id"]))
            encoded.append(encode_json(candidate))
        index = {candidate_id: i for i, candidate_id in enumerate(ids)}

        with self._lock:
            execution = self._executions[uid]
            execution.candidate_ids = ids
            execution.candidate_bytes = encoded
            execution.candidate_index = index
            execution.major = SUCCEEDED
            execution.minor = "COMPLETED"
            execution.detail = []
            execution.update_time = utc_now()

    def get_execution(self, uid: str) -> dict[str, Any] | None:
        """Return the JSON document of execution ``uid``, or None."""
        with self._lock:
            execution = self._executions.get(uid)
            return None if execution is None else self._document(execution)

    def list_executions(self, start: int, stop: int) -> tuple[list[bytes], int]:
        """Return encoded executions ``start:stop``, newest first, and the total."""
        with self._lock:
            newest_first = self._order[::-1][start:stop]
            documents = [self._document(self._executions[u]) for u in newest_first]
            total = len(self._order)
        return [encode_json(document) for document in documents], total

    def execution_major(self, uid: str) -> str | None:
        """Return ``status.major`` of execution ``uid``, or None if unknown."""
        with self._lock:
            execution = self._executions.get(uid)
            return None if execution is None else execution.major

    def list_candidates(
        self, uid: str, start: int, stop: int
    ) -> tuple[list[bytes], int]:
        """Return encoded candidates ``start:stop`` of ``uid`` and their total."""
        with self._lock:
            execution = self._executions[uid]
            return (
                execution.candidate_bytes[start:stop],
                len(execution.candidate_bytes),
            )

    def get_candidate(self, uid: str, candidate_id: str) -> bytes | None:
        """Return the encoded candidate ``candidate_id`` of ``uid``, or None."""
        with self._lock:
            execution = self._executions[uid]
            position = execution.candidate_index.get(candidate_id)
            if position is None:
                return None
            return execution.candidate_bytes[position]

    def insert_candidate_copy(self, uid: str) -> str | None:
        """Insert a copy of the first candidate of ``uid`` under a new id.

        Returns:
            The new candidate's id, or None when the execution has none.
        """
        new_id = self._ids.new()
        with self._lock:
            execution = self._executions[uid]
            if not execution.candidate_bytes:
                return None
            document = json.loads(execution.candidate_bytes[0])
            document["id"] = new_id
            execution.candidate_ids.insert(0, new_id)
            execution.candidate_bytes.insert(0, encode_json(document))
            execution.candidate_index = {
                candidate_id: i
                for i, candidate_id in enumerate(execution.candidate_ids)
            }
        return new_id

    def _document(self, execution: Execution) -> dict[str, Any]:
        return {
            "id": execution.uid,
            "design_space_id": self.design_space_id,
            "status": {
                "major": execution.major,
                "minor": execution.minor,
                "detail": [dict(entry) for entry in execution.detail],
                "info": [],
            },
            "create_time": execution.create_time,
            "update_time": execution.update_time,
            "created_by": self.user_id,
            "updated_by": self.user_id,
            "experimental": False,
            "experimental_reasons": [],
        }
