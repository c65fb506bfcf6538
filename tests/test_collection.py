"""The execution collection and bound execution over HTTP, scripted exchanges."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from resource_helpers import (
    COLLECTION_PATH,
    DESIGN_SPACE_ID,
    EXECUTION_ID,
    EXECUTION_PATH,
    PROJECT_ID,
    PagedListing,
    bound_execution,
    candidate_document,
    candidate_id,
    collection_on,
    execution_document,
    query_of,
)
from scripted_server import Reply, ScriptedServer

from design_space_sampling import (
    InvalidArgumentError,
    InvalidIdError,
    SampleDesignSpaceExecution,
    SampleDesignSpaceExecutionCollection,
    SampleDesignSpaceInput,
    UnboundResourceError,
    ValidationError,
)
from design_space_sampling.errors import NotFoundError, OutcomeUnknownError
from design_space_sampling.session import Session

MALFORMED_IDS: list[Any] = [
    "",
    "not-a-uuid",
    "00000000-0000-4000-8000-0000000e000",
    "00000000-0000-4000-8000-0000000e0001/../x",
    " 00000000-0000-4000-8000-0000000e0001",
    "{00000000-0000-4000-8000-0000000e0001}",
    "../results",
    12345,
    None,
    True,
    uuid.UUID(EXECUTION_ID).bytes,
]


class TestIds:
    @pytest.mark.parametrize("value", MALFORMED_IDS, ids=repr)
    def test_malformed_uid_rejected_before_request(
        self,
        server: ScriptedServer,
        collection: SampleDesignSpaceExecutionCollection,
        value: Any,
    ) -> None:
        """get() with a malformed id raises InvalidIdError naming the value."""
        with pytest.raises(InvalidIdError) as error:
            collection.get(value)

        assert repr(value) in str(error.value)
        assert isinstance(error.value, ValueError)
        assert server.requests == []

    @pytest.mark.parametrize("value", MALFORMED_IDS[:4], ids=repr)
    def test_malformed_result_id_rejected(
        self, server: ScriptedServer, session: Session, value: Any
    ) -> None:
        """result() with a malformed id raises before any request."""
        execution = bound_execution(session)

        with pytest.raises(InvalidIdError, match="result_id"):
            execution.result(result_id=value)

        assert server.requests == []

    @pytest.mark.parametrize(
        ("project_id", "design_space_id", "name"),
        [
            ("x", DESIGN_SPACE_ID, "project_id"),
            (PROJECT_ID, "y", "design_space_id"),
        ],
    )
    def test_malformed_collection_ids_rejected(
        self, session: Session, project_id: str, design_space_id: str, name: str
    ) -> None:
        """The collection checks its ids when constructed."""
        with pytest.raises(InvalidIdError, match=name):
            SampleDesignSpaceExecutionCollection(project_id, design_space_id, session)

    @pytest.mark.parametrize(
        "value",
        [
            EXECUTION_ID,
            EXECUTION_ID.upper(),
            EXECUTION_ID.replace("-", ""),
            uuid.UUID(EXECUTION_ID),
        ],
        ids=["str", "upper", "hex", "uuid"],
    )
    def test_id_spellings_accepted(
        self,
        server: ScriptedServer,
        collection: SampleDesignSpaceExecutionCollection,
        value: Any,
    ) -> None:
        """A UUID or its usual spellings reach the canonical path."""
        server.route("GET", EXECUTION_PATH, Reply(200, execution_document()))

        execution = collection.get(value)

        assert str(execution.uid) == EXECUTION_ID
        assert [r.path for r in server.calls("GET", EXECUTION_PATH)] == [EXECUTION_PATH]


class TestTrigger:
    def test_posts_input_and_returns_bound(
        self, server: ScriptedServer, collection: SampleDesignSpaceExecutionCollection
    ) -> None:
        """trigger() POSTs n_candidates and returns an execution it can poll."""
        server.expect(
            "POST", COLLECTION_PATH, Reply(200, execution_document("INPROGRESS", ""))
        )
        server.expect("GET", EXECUTION_PATH, Reply(200, execution_document()))

        execution = collection.trigger(SampleDesignSpaceInput(n_candidates=25))
        fresh = execution.refresh()

        posts = server.calls("POST", COLLECTION_PATH)
        assert [request.json() for request in posts] == [{"n_candidates": 25}]
        assert str(execution.project_id) == PROJECT_ID
        assert fresh.status_description == "EXECUTING"

    @pytest.mark.parametrize("status", [500, 502, 504])
    def test_unknown_outcome_not_repeated(
        self,
        server: ScriptedServer,
        collection: SampleDesignSpaceExecutionCollection,
        status: int,
    ) -> None:
        """A failed trigger is sent once, and the error points to list()."""
        server.route("POST", COLLECTION_PATH, Reply(status, {"message": "boom"}))

        with pytest.raises(OutcomeUnknownError) as error:
            collection.trigger(SampleDesignSpaceInput(n_candidates=5))

        assert len(server.calls("POST", COLLECTION_PATH)) == 1
        assert "list()" in str(error.value)

    def test_rate_limited_trigger_repeated(
        self, server: ScriptedServer, collection: SampleDesignSpaceExecutionCollection
    ) -> None:
        """A 429 proves the trigger was not processed, so it is sent again."""
        server.expect("POST", COLLECTION_PATH, Reply(429, {"message": "slow"}))
        server.expect("POST", COLLECTION_PATH, Reply(200, execution_document()))

        execution = collection.trigger(SampleDesignSpaceInput(n_candidates=5))

        assert str(execution.uid) == EXECUTION_ID
        assert len(server.calls("POST", COLLECTION_PATH)) == 2

    @pytest.mark.parametrize(
        "sample_input",
        [
            SampleDesignSpaceInput(n_candidates=0),
            SampleDesignSpaceInput(n_candidates=-3),
            SampleDesignSpaceInput(n_candidates=True),
            {"n_candidates": 5},
            5,
        ],
        ids=repr,
    )
    def test_invalid_input_rejected(
        self,
        server: ScriptedServer,
        collection: SampleDesignSpaceExecutionCollection,
        sample_input: Any,
    ) -> None:
        """A bad request body raises InvalidArgumentError before any request."""
        with pytest.raises(InvalidArgumentError):
            collection.trigger(sample_input)

        assert server.requests == []


class TestGetAndBuild:
    def test_get_returns_bound_execution(
        self, server: ScriptedServer, collection: SampleDesignSpaceExecutionCollection
    ) -> None:
        """get() reads one execution and binds it to the project."""
        server.route("GET", EXECUTION_PATH, Reply(200, execution_document()))

        execution = collection.get(EXECUTION_ID)

        assert execution.in_progress()
        assert str(execution.project_id) == PROJECT_ID
        assert execution.refresh().uid == execution.uid

    def test_get_missing_raises_not_found(
        self, server: ScriptedServer, collection: SampleDesignSpaceExecutionCollection
    ) -> None:
        """A 404 raises NotFoundError whose message names the id."""
        server.route("GET", EXECUTION_PATH, Reply(404, {"message": "not found"}))

        with pytest.raises(NotFoundError) as error:
            collection.get(EXECUTION_ID)

        assert EXECUTION_ID in str(error.value)

    def test_get_invalid_document_has_path(
        self, server: ScriptedServer, collection: SampleDesignSpaceExecutionCollection
    ) -> None:
        """A malformed execution raises ValidationError with its JSON path."""
        document = execution_document()
        document["create_time"] = "yesterday"
        server.route("GET", EXECUTION_PATH, Reply(200, document))

        with pytest.raises(ValidationError, match="create_time"):
            collection.get(EXECUTION_ID)

    def test_build_binds_without_request(
        self, server: ScriptedServer, collection: SampleDesignSpaceExecutionCollection
    ) -> None:
        """build() makes an execution bound to the session, sending nothing."""
        document = execution_document()
        del document["design_space_id"]

        execution = collection.build(document)

        assert str(execution.project_id) == PROJECT_ID
        assert execution.design_space_id is None
        assert "design_space_id" not in execution.dump()
        assert server.requests == []
        server.route("GET", EXECUTION_PATH, Reply(200, execution_document()))
        assert execution.refresh().in_progress()

    def test_unbound_execution_explains(self) -> None:
        """An execution built without a session explains how to get a bound one."""
        execution = SampleDesignSpaceExecution.build(execution_document())

        with pytest.raises(UnboundResourceError, match=EXECUTION_ID):
            execution.refresh()
        with pytest.raises(UnboundResourceError):
            execution.results()

    def test_constructor_sends_nothing(
        self, server: ScriptedServer, session: Session
    ) -> None:
        """Creating a collection sends no request."""
        collection_on(session)

        assert server.requests == []


class TestList:
    def test_lists_all_pages(
        self, server: ScriptedServer, collection: SampleDesignSpaceExecutionCollection
    ) -> None:
        """list() reads every page, with page and per_page on each request."""
        documents = [execution_document(uid=candidate_id(n)) for n in range(5)]
        server.route("GET", COLLECTION_PATH, PagedListing(documents))

        executions = list(collection.list(per_page=2))

        assert [str(e.uid) for e in executions] == [candidate_id(n) for n in range(5)]
        assert [query_of(r) for r in server.calls("GET", COLLECTION_PATH)] == [
            {"page": [str(page)], "per_page": ["2"]} for page in (1, 2, 3)
        ]
        assert all(str(e.project_id) == PROJECT_ID for e in executions)

    def test_default_per_page_is_twenty(
        self, server: ScriptedServer, collection: SampleDesignSpaceExecutionCollection
    ) -> None:
        """list() asks for 20 executions per page unless another size is given."""
        server.route("GET", COLLECTION_PATH, PagedListing([]))

        list(collection.list())

        assert query_of(server.requests[-1])["per_page"] == ["20"]

    def test_listed_execution_is_bound(
        self, server: ScriptedServer, collection: SampleDesignSpaceExecutionCollection
    ) -> None:
        """An execution from list() can read its own results."""
        server.route("GET", COLLECTION_PATH, PagedListing([execution_document()]))
        server.route(
            "GET", f"{EXECUTION_PATH}/results", PagedListing([candidate_document(1)])
        )

        (execution,) = list(collection.list())
        candidates = list(execution.results())

        assert [str(c.uid) for c in candidates] == [candidate_id(1)]

    def test_invalid_listed_item_has_path(
        self, server: ScriptedServer, collection: SampleDesignSpaceExecutionCollection
    ) -> None:
        """A malformed execution in a page raises with its index in the path."""
        documents = [execution_document(), execution_document()]
        documents[1]["status"]["detail"] = "oops"
        server.route("GET", COLLECTION_PATH, PagedListing(documents))

        with pytest.raises(ValidationError) as error:
            list(collection.list())

        assert error.value.path == "response[1].status.detail"


class TestResult:
    def test_result_by_id(self, server: ScriptedServer, session: Session) -> None:
        """result() reads one candidate from its escaped path."""
        path = f"{EXECUTION_PATH}/results/{candidate_id(7)}"
        server.route("GET", path, Reply(200, candidate_document(7)))
        execution = bound_execution(session)

        candidate = execution.result(result_id=uuid.UUID(candidate_id(7)))

        assert str(candidate.uid) == candidate_id(7)
        assert str(candidate.execution_id) == EXECUTION_ID
