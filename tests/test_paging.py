"""The page iterator over HTTP: parameters, stop rules, anomalies and tokens."""

from __future__ import annotations

import base64
import json
import pickle
from collections.abc import Iterator
from itertools import islice
from typing import Any

import pytest
from resource_helpers import (
    PROJECT_ID,
    RESULTS_PATH,
    PagedListing,
    bound_execution,
    candidate_document,
    candidate_id,
    collection_on,
    execution_document,
    open_session,
    query_of,
)
from scripted_server import FakeClock, Reply, ScriptedServer

from design_space_sampling import (
    ContinuationTokenError,
    InvalidArgumentError,
    PageIterator,
    SampleDesignSpaceExecution,
    SampleSearchSpaceResultCandidate,
    ValidationError,
)
from design_space_sampling.paging import (
    DUPLICATE_IN_PAGE,
    OVERLAPPING_ITEMS,
    PER_PAGE_CAPPED,
    REPEATED_PAGE,
    SHORT_PAGE_WITH_NEXT,
)
from design_space_sampling.session import Session

OTHER_EXECUTION_ID = "00000000-0000-4000-8000-0000000e0002"


@pytest.fixture
def execution(session: Session) -> SampleDesignSpaceExecution:
    return bound_execution(session)


def serve(server: ScriptedServer, count: int, **options: Any) -> PagedListing:
    listing = PagedListing([candidate_document(n) for n in range(count)], **options)
    server.route("GET", RESULTS_PATH, listing)
    return listing


def ids_of(items: Iterator[SampleSearchSpaceResultCandidate] | list[Any]) -> list[str]:
    return [str(item.uid) for item in items]


def expected_ids(numbers: range | list[int]) -> list[str]:
    return [candidate_id(n) for n in numbers]


class TestParameters:
    @pytest.mark.parametrize(
        "per_page", [0, -1, 1001, True, False, 2.0, "20", None], ids=repr
    )
    def test_bad_per_page_rejected(
        self,
        server: ScriptedServer,
        execution: SampleDesignSpaceExecution,
        per_page: Any,
    ) -> None:
        """An invalid per_page raises before any request, naming the value."""
        with pytest.raises(InvalidArgumentError, match="invalid per_page") as error:
            execution.results(per_page=per_page)

        assert repr(per_page) in str(error.value)
        assert server.requests == []

    @pytest.mark.parametrize("page", [0, -3, True, 1.0, "2"], ids=repr)
    def test_bad_page_rejected(
        self, server: ScriptedServer, execution: SampleDesignSpaceExecution, page: Any
    ) -> None:
        """Pages are numbered from 1; anything else raises before a request."""
        with pytest.raises(InvalidArgumentError, match="invalid page"):
            execution.results(page=page)

        assert server.requests == []

    @pytest.mark.parametrize("max_items", [-1, True, 1.5], ids=repr)
    def test_bad_max_items_rejected(
        self, execution: SampleDesignSpaceExecution, max_items: Any
    ) -> None:
        """max_items must be None or an integer >= 0."""
        with pytest.raises(InvalidArgumentError, match="invalid max_items"):
            execution.results(max_items=max_items)

    def test_bad_per_page_is_value_error(
        self, execution: SampleDesignSpaceExecution
    ) -> None:
        """Callers catching ValueError catch invalid arguments."""
        with pytest.raises(ValueError):
            execution.results(per_page=0)

    @pytest.mark.parametrize("per_page", [1, 1000])
    def test_per_page_bounds_accepted(
        self,
        server: ScriptedServer,
        execution: SampleDesignSpaceExecution,
        per_page: int,
    ) -> None:
        """per_page 1 and 1000 are sent as given."""
        serve(server, 3)

        next(execution.results(per_page=per_page))

        assert query_of(server.requests[-1])["per_page"] == [str(per_page)]

    def test_no_request_until_first_item(
        self, server: ScriptedServer, execution: SampleDesignSpaceExecution
    ) -> None:
        """Creating the iterator sends nothing; the first next() reads page 1."""
        serve(server, 3)

        iterator = execution.results(per_page=2)
        assert server.requests == []
        next(iterator)

        assert [query_of(r) for r in server.calls("GET", RESULTS_PATH)] == [
            {"page": ["1"], "per_page": ["2"]}
        ]

    def test_iterator_type_is_iterator(
        self, execution: SampleDesignSpaceExecution
    ) -> None:
        """results() returns the page iterator, which is its own iterator."""
        iterator = execution.results()

        assert isinstance(iterator, PageIterator)
        assert iter(iterator) is iterator
        assert iterator.per_page == 100


class TestAllPages:
    @pytest.mark.parametrize(
        ("count", "per_page", "gets"),
        [(0, 3, 1), (1, 3, 1), (3, 3, 1), (7, 3, 3), (9, 3, 3), (10, 1, 10)],
    )
    def test_reads_every_page_once(
        self,
        server: ScriptedServer,
        execution: SampleDesignSpaceExecution,
        count: int,
        per_page: int,
        gets: int,
    ) -> None:
        """Every item comes once, and a page with an empty next is the last."""
        listing = serve(server, count)
        iterator = execution.results(per_page=per_page)

        assert ids_of(list(iterator)) == expected_ids(range(count))
        assert listing.pages == list(range(1, gets + 1))
        assert iterator.pages_read == gets
        assert dict(iterator.anomalies) == {}

    @pytest.mark.parametrize(("count", "gets"), [(6, 3), (8, 3)])
    def test_next_always_set_ends_on_empty_or_short(
        self,
        server: ScriptedServer,
        execution: SampleDesignSpaceExecution,
        count: int,
        gets: int,
    ) -> None:
        """With next always set, a full last page is followed by an empty one
        and a short page ends the listing."""
        listing = serve(server, count, next_link=lambda page, more: "more")

        items = list(execution.results(per_page=3))

        assert ids_of(items) == expected_ids(range(count))
        assert listing.pages == list(range(1, gets + 1))

    def test_short_page_ends_without_next(
        self, server: ScriptedServer, execution: SampleDesignSpaceExecution
    ) -> None:
        """A short page ends the listing when next is empty."""
        listing = serve(server, 5)

        list(execution.results(per_page=3))

        assert listing.pages == [1, 2]

    def test_short_page_with_next_stops(
        self, server: ScriptedServer, execution: SampleDesignSpaceExecution
    ) -> None:
        """A short page that names a next page ends the listing, counted."""
        listing = serve(server, 7, next_link=lambda page, more: "more")
        iterator = execution.results(per_page=3)

        assert ids_of(list(iterator)) == expected_ids(range(7))
        assert listing.pages == [1, 2, 3]
        assert iterator.anomalies[SHORT_PAGE_WITH_NEXT] == 1

    def test_capped_per_page_read_on(
        self, server: ScriptedServer, execution: SampleDesignSpaceExecution
    ) -> None:
        """A server that caps pages and reports it is read to the end."""
        items = [candidate_document(n) for n in range(5)]

        def reply(request: Any) -> Reply:
            page = int(query_of(request)["page"][0])
            chunk = items[(page - 1) * 2 : page * 2]
            more = page * 2 < len(items)
            body = {"response": chunk, "per_page": 2, "next": "more" if more else ""}
            return Reply(200, body)

        server.route("GET", RESULTS_PATH, reply)
        iterator = execution.results(per_page=3)

        assert ids_of(list(iterator)) == expected_ids(range(5))
        assert iterator.pages_read == 3
        assert iterator.anomalies[PER_PAGE_CAPPED] == 3

    def test_max_items_bounds_iteration(
        self, server: ScriptedServer, execution: SampleDesignSpaceExecution
    ) -> None:
        """max_items stops the iterator early and reads no further page."""
        listing = serve(server, 10)
        iterator = execution.results(per_page=3, max_items=4)

        assert ids_of(list(iterator)) == expected_ids(range(4))
        assert listing.pages == [1, 2]
        assert list(iterator) == []

    def test_max_items_zero_sends_nothing(
        self, server: ScriptedServer, execution: SampleDesignSpaceExecution
    ) -> None:
        """max_items=0 yields nothing without a request."""
        assert list(execution.results(max_items=0)) == []
        assert server.requests == []

    def test_invalid_item_raises_with_path(
        self, server: ScriptedServer, execution: SampleDesignSpaceExecution
    ) -> None:
        """A malformed candidate raises ValidationError with its JSON path."""
        items = [candidate_document(n) for n in range(3)]
        items[1]["material"]["terminal"]["vars"]["Density"]["m"] = "heavy"
        server.route("GET", RESULTS_PATH, PagedListing(items))

        with pytest.raises(ValidationError) as error:
            list(execution.results(per_page=5))

        assert error.value.path.startswith("response[1].material.terminal.vars")
        assert "heavy" in str(error.value)

    def test_envelope_without_response_rejected(
        self, server: ScriptedServer, execution: SampleDesignSpaceExecution
    ) -> None:
        """A page without a response array raises ValidationError naming it."""
        server.route("GET", RESULTS_PATH, Reply(200, {"items": []}))

        with pytest.raises(ValidationError, match="response"):
            list(execution.results())


class TestSinglePage:
    @pytest.mark.parametrize(("page", "numbers"), [(1, [0, 1, 2]), (3, [6]), (4, [])])
    def test_page_read_alone(
        self,
        server: ScriptedServer,
        execution: SampleDesignSpaceExecution,
        page: int,
        numbers: list[int],
    ) -> None:
        """page=k returns page k alone with one GET, even when more follow."""
        listing = serve(server, 7)

        items = list(execution.results(page=page, per_page=3))

        assert ids_of(items) == expected_ids(numbers)
        assert listing.pages == [page]


class TestShiftedAndRepeatedPages:
    def test_shifted_item_skipped_and_counted(
        self, server: ScriptedServer, execution: SampleDesignSpaceExecution
    ) -> None:
        """An item pushed onto the next page by an insertion comes once."""
        listing = serve(server, 7)
        iterator = execution.results(per_page=3)

        first_page = ids_of(list(islice(iterator, 3)))
        listing.items.insert(0, candidate_document(100))
        rest = ids_of(list(iterator))

        assert first_page == expected_ids(range(3))
        assert rest == expected_ids(range(3, 7))
        assert iterator.anomalies[OVERLAPPING_ITEMS] == 1

    def test_duplicate_within_page_skipped(
        self, server: ScriptedServer, execution: SampleDesignSpaceExecution
    ) -> None:
        """An id listed twice on one page comes once and is counted."""
        items = [candidate_document(n) for n in (0, 1, 1)]
        server.route("GET", RESULTS_PATH, PagedListing(items))
        iterator = execution.results(per_page=5)

        assert ids_of(list(iterator)) == expected_ids([0, 1])
        assert iterator.anomalies[DUPLICATE_IN_PAGE] == 1

    def test_ignored_page_stops_at_second_get(
        self, server: ScriptedServer, execution: SampleDesignSpaceExecution
    ) -> None:
        """A server serving page 1 for every page costs two GETs, then stops."""
        listing = serve(server, 9, ignore_page=True)
        iterator = execution.results(per_page=3)

        assert ids_of(list(iterator)) == expected_ids(range(3))
        assert listing.pages == [1, 2]
        assert iterator.anomalies[REPEATED_PAGE] == 1

    def test_seen_ids_bounded_by_page(
        self, server: ScriptedServer, execution: SampleDesignSpaceExecution
    ) -> None:
        """The ids held for repeat detection never exceed two pages, and one
        page once the current page is used up, however long the listing."""
        serve(server, 60)
        iterator = execution.results(per_page=4)
        sizes = []
        count = 0
        for _ in iterator:
            count += 1
            sizes.append(iterator.remembered_id_count)
            if count % 4 == 0:
                # The page is used up: only its own ids remain.
                assert iterator.remembered_id_count <= 4

        assert count == 60
        assert max(sizes) <= 8


class TestContinuationToken:
    @pytest.mark.parametrize("stop_after", [0, 1, 3, 4, 6, 10])
    def test_resume_in_fresh_iterator(
        self,
        server: ScriptedServer,
        execution: SampleDesignSpaceExecution,
        stop_after: int,
    ) -> None:
        """A fresh iterator from the token yields exactly the remaining items."""
        serve(server, 10)
        first = execution.results(per_page=3)
        head = ids_of(list(islice(first, stop_after)))
        token = first.continuation_token

        rest = ids_of(list(execution.results(per_page=3, continuation_token=token)))

        assert head + rest == expected_ids(range(10))

    def test_resume_from_another_session(
        self, server: ScriptedServer, execution: SampleDesignSpaceExecution
    ) -> None:
        """A token is plain text that a new session and execution object use."""
        serve(server, 8)
        first = execution.results(per_page=3, max_items=5)
        head = ids_of(list(first))
        token = first.continuation_token
        other = bound_execution(open_session(server, FakeClock()))

        rest = ids_of(list(other.results(per_page=3, continuation_token=token)))

        assert head + rest == expected_ids(range(8))

    def test_resume_after_shift_skips_delivered(
        self, server: ScriptedServer, execution: SampleDesignSpaceExecution
    ) -> None:
        """Items shifted onto the resumed page are not yielded a second time."""
        listing = serve(server, 9)
        first = execution.results(per_page=3)
        head = ids_of(list(islice(first, 4)))
        token = first.continuation_token
        listing.items.insert(0, candidate_document(100))

        resumed = execution.results(per_page=3, continuation_token=token)
        rest = ids_of(list(resumed))

        assert head + rest == expected_ids(range(9))

    def test_token_of_finished_iteration(
        self, server: ScriptedServer, execution: SampleDesignSpaceExecution
    ) -> None:
        """The token of a finished iteration resumes to nothing, with no GET."""
        listing = serve(server, 4)
        first = execution.results(per_page=3)
        list(first)
        pages_before = list(listing.pages)

        resumed = execution.results(
            per_page=3, continuation_token=first.continuation_token
        )

        assert list(resumed) == []
        assert listing.pages == pages_before

    def test_token_is_base64url_json(
        self, execution: SampleDesignSpaceExecution
    ) -> None:
        """The token decodes to versioned JSON naming the listing, no pickle."""
        token = execution.results(per_page=7).continuation_token

        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        document = json.loads(raw)

        assert set(token) <= set(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        )
        assert document["v"] == 1
        assert document["per_page"] == 7
        assert document["ids"][0] == PROJECT_ID
        assert document["ids"][-1] == str(execution.uid)

    def test_token_of_other_execution_rejected(
        self, session: Session, execution: SampleDesignSpaceExecution
    ) -> None:
        """A token from another execution's results raises, naming both."""
        other = bound_execution(session, execution_document(uid=OTHER_EXECUTION_ID))
        token = other.results(per_page=3).continuation_token

        with pytest.raises(ContinuationTokenError) as error:
            execution.results(per_page=3, continuation_token=token)

        assert OTHER_EXECUTION_ID in str(error.value)
        assert str(execution.uid) in str(error.value)

    def test_token_of_execution_list_rejected(
        self, session: Session, execution: SampleDesignSpaceExecution
    ) -> None:
        """A token from list() does not resume results(), and back."""
        list_token = collection_on(session).list(per_page=3).continuation_token
        results_token = execution.results(per_page=3).continuation_token

        with pytest.raises(ContinuationTokenError):
            execution.results(per_page=3, continuation_token=list_token)
        with pytest.raises(ContinuationTokenError):
            collection_on(session).list(per_page=3, continuation_token=results_token)

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            ({"per_page": 4}, "per_page=3"),
            ({"per_page": 3, "page": 2}, "page=None"),
        ],
    )
    def test_token_with_other_parameters_rejected(
        self,
        execution: SampleDesignSpaceExecution,
        options: dict[str, Any],
        message: str,
    ) -> None:
        """A token made with other paging parameters raises and names them."""
        token = execution.results(per_page=3).continuation_token

        with pytest.raises(ContinuationTokenError, match=message):
            execution.results(continuation_token=token, **options)

    @pytest.mark.parametrize(
        "token",
        [
            "",
            "not a token!",
            base64.urlsafe_b64encode(b"[1, 2]").decode(),
            base64.urlsafe_b64encode(b'{"v": 99}').decode(),
            base64.urlsafe_b64encode(pickle.dumps({"v": 1})).decode(),
            "A" * 100_000,
            12345,
            base64.urlsafe_b64encode(b"[" * 50_000).decode().rstrip("="),
        ],
        ids=[
            "empty",
            "garbage",
            "json-list",
            "future-version",
            "pickle",
            "huge",
            "int",
            "deeply-nested",
        ],
    )
    def test_malformed_token_rejected(
        self, server: ScriptedServer, execution: SampleDesignSpaceExecution, token: Any
    ) -> None:
        """A token this SDK did not make raises ContinuationTokenError."""
        with pytest.raises(ContinuationTokenError):
            execution.results(continuation_token=token)

        assert server.requests == []

    def test_tampered_token_fields_rejected(
        self, execution: SampleDesignSpaceExecution
    ) -> None:
        """A token whose fields have the wrong types raises, not crashes."""
        token = execution.results(per_page=3).continuation_token
        document = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        document["page"] = "2"
        tampered = base64.urlsafe_b64encode(json.dumps(document).encode()).decode()

        with pytest.raises(ContinuationTokenError, match="'page'") as raised:
            execution.results(per_page=3, continuation_token=tampered)
        assert "expected an integer" in str(raised.value)

    def test_token_error_is_value_error(
        self, execution: SampleDesignSpaceExecution
    ) -> None:
        """Callers catching ValueError catch token errors."""
        with pytest.raises(ValueError):
            execution.results(continuation_token="x")
