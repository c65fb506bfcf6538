"""SampleDesignSpaceExecution without a network: flat fields and predicates."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from design_space_sampling import (
    ExecutionRecord,
    SampleDesignSpaceExecution,
    StatusDetail,
    StatusLevel,
)

PROJECT_ID = uuid.UUID("5a486531-0201-43e0-bd81-d544bb08d0dc")


def execution_document(**status: Any) -> dict[str, Any]:
    """Return an execution document whose status has the given keys."""
    return {
        "id": "2d070527-5f3f-4a0c-b426-2e598f6d470d",
        "design_space_id": "2c21a4b6-c51a-4990-b440-b0841534f73a",
        "status": status,
        "create_time": "2026-11-30T09:12:03Z",
        "update_time": "2026-11-30T09:13:41.517Z",
        "created_by": "d57b64f7-8728-4717-bd9c-a09719a06ba0",
        "updated_by": "d57b64f7-8728-4717-bd9c-a09719a06ba1",
        "experimental": False,
        "experimental_reasons": [],
    }


class TestFlatFields:
    """The nested wire status is shown flat, with typed values."""

    def test_fields_from_document(self) -> None:
        document = execution_document(
            major="FAILED",
            minor="ERROR",
            detail=[{"msg": "No dimensions", "level": "Error"}],
        )
        execution = SampleDesignSpaceExecution.build(document, project_id=PROJECT_ID)
        assert execution.uid == uuid.UUID("2d070527-5f3f-4a0c-b426-2e598f6d470d")
        assert execution.project_id == PROJECT_ID
        assert execution.design_space_id == uuid.UUID(
            "2c21a4b6-c51a-4990-b440-b0841534f73a"
        )
        assert execution.status == "FAILED"
        assert type(execution.status) is str
        assert execution.status_description == "ERROR"
        assert execution.status_detail == [
            StatusDetail(msg="No dimensions", level=StatusLevel.Error)
        ]
        assert execution.create_time == datetime(
            2026, 11, 30, 9, 12, 3, tzinfo=timezone.utc
        )
        assert execution.update_time == datetime(
            2026, 11, 30, 9, 13, 41, 517000, tzinfo=timezone.utc
        )
        assert execution.created_by == uuid.UUID("d57b64f7-8728-4717-bd9c-a09719a06ba0")
        assert execution.updated_by == uuid.UUID("d57b64f7-8728-4717-bd9c-a09719a06ba1")

    def test_project_id_defaults_none(self) -> None:
        execution = SampleDesignSpaceExecution.build(execution_document(major="FAILED"))
        assert execution.project_id is None

    def test_unknown_status_kept_as_text(self) -> None:
        document = execution_document(major="PAUSED")
        execution = SampleDesignSpaceExecution.build(document)
        assert execution.status == "PAUSED"

    def test_unknown_level_kept_as_text(self) -> None:
        document = execution_document(detail=[{"msg": "m", "level": "Debug"}])
        detail = SampleDesignSpaceExecution.build(document).status_detail
        assert detail[0].level == "Debug"
        assert SampleDesignSpaceExecution.build(document).dump() == document

    def test_missing_optional_fields_none(self) -> None:
        document = {"id": "2d070527-5f3f-4a0c-b426-2e598f6d470d", "status": {}}
        execution = SampleDesignSpaceExecution.build(document)
        assert execution.design_space_id is None
        assert execution.create_time is None
        assert execution.created_by is None
        assert execution.status_description is None
        assert execution.status_detail == []
        assert execution.dump() == document


class TestPredicates:
    """in_progress, succeeded and failed follow the major state."""

    @pytest.mark.parametrize(
        ("status", "expected"),
        [
            ({"major": "INPROGRESS"}, (True, False, False)),
            ({"major": "SUCCEEDED"}, (False, True, False)),
            ({"major": "FAILED"}, (False, False, True)),
            ({}, (True, False, False)),
            ({"major": None}, (True, False, False)),
            ({"minor": "VALIDATING"}, (True, False, False)),
            ({"major": "PAUSED"}, (False, False, False)),
            ({"major": "CANCELLED"}, (False, False, False)),
            ({"major": "succeeded"}, (False, False, False)),
            ({"major": ""}, (False, False, False)),
        ],
    )
    def test_predicates(
        self, status: dict[str, Any], expected: tuple[bool, bool, bool]
    ) -> None:
        execution = SampleDesignSpaceExecution.build(execution_document(**status))
        assert execution.in_progress() is expected[0]
        assert execution.succeeded() is expected[1]
        assert execution.failed() is expected[2]


class TestDump:
    """dump returns the full wire document, never an empty one."""

    def test_dump_is_full_document(self) -> None:
        document = execution_document(
            major="SUCCEEDED", minor="COMPLETED", detail=[], info=[{"k": 1}]
        )
        execution = SampleDesignSpaceExecution.build(document, project_id=PROJECT_ID)
        dumped = execution.dump()
        assert dumped == document
        assert "project_id" not in dumped

    def test_dump_is_json(self) -> None:
        document = execution_document(major="SUCCEEDED")
        dumped = SampleDesignSpaceExecution.build(document).dump()
        assert json.loads(json.dumps(dumped)) == document

    def test_dump_matches_record(self) -> None:
        document = execution_document(major="SUCCEEDED")
        execution = SampleDesignSpaceExecution.build(document)
        assert execution.record == ExecutionRecord.build(document)
        assert execution.dump() == execution.record.dump()

    def test_fixture_dumps_back(self, shared_dir: Path) -> None:
        path = shared_dir / "fixtures" / "execution-succeeded.json"
        document = json.loads(path.read_text())
        assert SampleDesignSpaceExecution.build(document).dump() == document


class TestAccessControl:
    """access_control_dict names the entity for access control."""

    def test_access_control_dict(self) -> None:
        execution = SampleDesignSpaceExecution.build(execution_document(major="FAILED"))
        assert execution.access_control_dict() == {
            "type": "sample_design_space_execution",
            "id": "2d070527-5f3f-4a0c-b426-2e598f6d470d",
        }

    def test_access_control_dict_json(self) -> None:
        execution = SampleDesignSpaceExecution.build(execution_document())
        json.dumps(execution.access_control_dict())
