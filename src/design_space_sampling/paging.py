"""Lazy iteration over paged listings, with stop rules and resumable tokens.

A :class:`PageIterator` requests ``?page=P&per_page=N`` with pages numbered
from 1 and ``per_page`` on every request, and keeps one page of items in
memory at a time. It stops after a page that is empty, shorter than ``per_page``, or
whose ``next`` is empty, null or absent. A server that reports a smaller
``per_page`` than requested caps the page size, and the iterator then
measures short pages against the reported size.

Servers misbehave in two known ways, and the iterator guards against both:

* An item created while a client pages shifts the list, so the last items of
  one page show up again at the start of the next. The iterator remembers the
  ids of the previous page only (memory stays bounded by the page size) and
  skips items it has just yielded.
* A server that ignores ``page`` returns the same items for every page. A
  page whose ids were all on the previous page ends the iteration with a
  warning instead of looping forever.

A page with more items than ``per_page`` is accepted whole, because the
server decides its page size, and counted as an anomaly too.

Each such event is logged at WARNING (the first of each kind per iterator,
later ones at DEBUG) and counted in :attr:`PageIterator.anomalies`.

The :attr:`PageIterator.continuation_token` is an opaque string (base64url of
versioned JSON) that records where the iteration is, so another iterator,
in this process or another one, goes on from there.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, Generic, TypeVar

import attrs
from design_space_sampling_models.page import Page

from design_space_sampling._converter import structure
from design_space_sampling._guards import is_json_array, is_json_object
from design_space_sampling._ids import (
    MAX_PER_PAGE,
    check_max_items,
    check_page,
    check_per_page,
)
from design_space_sampling.errors import ContinuationTokenError

__all__ = [
    "DUPLICATE_IN_PAGE",
    "OVERLAPPING_ITEMS",
    "OVERSIZED_PAGE",
    "PAGE_NUMBER_MISMATCH",
    "PER_PAGE_CAPPED",
    "REPEATED_PAGE",
    "SHORT_PAGE_WITH_NEXT",
    "ListingScope",
    "PageIterator",
]

logger = logging.getLogger(__name__)

_ItemT = TypeVar("_ItemT")

#: Anomaly: items of the previous page repeated on this one (the list
#: shifted); they were skipped. Counted per skipped item.
OVERLAPPING_ITEMS: Final = "overlapping_items"
#: Anomaly: every item of a page was on the previous page, so the server
#: likely ignores ``page``; the iteration stopped.
REPEATED_PAGE: Final = "repeated_page"
#: Anomaly: a page shorter than ``per_page`` still named a next page. The
#: iteration stopped there, as a short page is the last one; if the server
#: had more items, they were not read.
SHORT_PAGE_WITH_NEXT: Final = "short_page_with_next"
#: Anomaly: the response reports a ``per_page`` smaller than requested, so the
#: server caps pages; short pages are measured against the reported size.
PER_PAGE_CAPPED: Final = "per_page_capped"
#: Anomaly: the same id twice on one page; the repeat was skipped.
DUPLICATE_IN_PAGE: Final = "duplicate_in_page"
#: Anomaly: the page number in the response differs from the one requested.
PAGE_NUMBER_MISMATCH: Final = "page_number_mismatch"
#: Anomaly: a page contains more items than ``per_page``. Every item was
#: kept, so that page alone takes more memory than ``per_page`` items.
OVERSIZED_PAGE: Final = "oversized_page"

_TOKEN_VERSION = 1
# A token contains at most two pages of ids (36 characters each) and a few
# fields; anything much larger was not made by this module.
_MAX_TOKEN_LENGTH = 4 * 2 * MAX_PER_PAGE * 40

FetchPage = Callable[[int, int], Mapping[str, Any]]
"""Request one page: called with the page number and ``per_page``, returns
the decoded JSON object of the response."""


@attrs.frozen
class ListingScope:
    """Identity of a listing, recorded in continuation tokens.

    Attributes:
        kind: What is listed, such as ``"results"`` or ``"executions"``.
        ids: Ids in the listing's path, outermost first, as canonical UUID
            strings.
    """

    kind: str
    ids: tuple[str, ...]

    def describe(self) -> str:
        """Return a text naming the listing with all its ids, for errors."""
        return f"{self.kind} of {'/'.join(self.ids)}"

    def label(self) -> str:
        """Return a short text naming the listing by its innermost id, for logs."""
        return f"{self.kind} of {self.ids[-1]}" if self.ids else self.kind


@attrs.frozen
class _Position:
    """Position of an iteration: the state a continuation token carries."""

    page: int
    previous_ids: frozenset[str]
    delivered_ids: frozenset[str]
    done: bool


class PageIterator(Iterator[_ItemT], Generic[_ItemT]):
    """An iterator over the items of a paged listing, read lazily.

    Construct it through the resources (``execution.results()``,
    ``collection.list()``); constructing it sends no request. The first
    ``next()`` reads the first page.

    Args:
        fetch: Requests one page; see :data:`FetchPage`.
        build_items: Builds the items of a page from its ``response`` array.
            It should raise ``ValidationError`` with a path such as
            ``response[2].material``. The array is the iterator's own, so
            the function may empty its entries as it builds them.
        item_id: Returns the id of an item.
        scope: Identity of the listing, checked against continuation tokens.
        per_page: Items per page, 1 to 1000.
        page: ``None`` to read every page from the first; a page number to
            read that page alone.
        max_items: Stop after this many items (the iterator's continuation
            token then points at the next one); ``None`` for no limit.
        continuation_token: A token from an iterator over the same listing
            with the same ``per_page`` and ``page``, to go on from there.

    Raises:
        InvalidArgumentError: ``per_page``, ``page`` or ``max_items`` is
            invalid.
        ContinuationTokenError: The token is malformed, or was made for
            another listing or with other parameters.
    """

    def __init__(
        self,
        fetch: FetchPage,
        build_items: Callable[[Any], Sequence[_ItemT]],
        item_id: Callable[[_ItemT], object],
        *,
        scope: ListingScope,
        per_page: int,
        page: int | None = None,
        max_items: int | None = None,
        continuation_token: str | None = None,
    ) -> None:
        self._fetch = fetch
        self._build_items = build_items
        self._item_id = item_id
        self._scope = scope
        self._per_page = check_per_page(per_page)
        self._single_page = check_page(page)
        self._max_items = check_max_items(max_items)

        position = _Position(
            page=page if page is not None else 1,
            previous_ids=frozenset(),
            delivered_ids=frozenset(),
            done=False,
        )
        if continuation_token is not None:
            position = _decode_token(
                continuation_token, scope, self._per_page, self._single_page
            )

        self._next_page = position.page
        # Ids of the page before the current one: needed only to re-read the
        # current page from a token taken in the middle of it.
        self._previous_page_ids: frozenset[str] = frozenset()
        # Ids of the last page read, compared with the next page to skip
        # repeated items. Only one page is kept, so memory stays bounded.
        self._current_page_ids = position.previous_ids
        # Ids already yielded from the page a token was taken in.
        self._resume_delivered: frozenset[str] = position.delivered_ids
        self._exhausted = position.done
        self._buffer: list[_ItemT] = []
        self._buffer_ids: list[str] = []
        self._position_in_buffer = 0
        self._current_page = 0
        self._yielded = 0
        self._pages_read = 0
        self._anomalies: dict[str, int] = {}

    # Iteration.

    def __iter__(self) -> PageIterator[_ItemT]:
        return self

    def __next__(self) -> _ItemT:
        if self._max_items is not None and self._yielded >= self._max_items:
            raise StopIteration
        while self._position_in_buffer >= len(self._buffer):
            self._release_buffer()
            if self._exhausted:
                raise StopIteration
            self._read_page()

        item = self._buffer[self._position_in_buffer]
        self._position_in_buffer += 1
        self._yielded += 1
        if self._position_in_buffer == len(self._buffer):
            # The page before is needed only to resume inside this page.
            self._previous_page_ids = frozenset()
        return item

    def _release_buffer(self) -> None:
        self._buffer = []
        self._buffer_ids = []
        self._position_in_buffer = 0
        self._previous_page_ids = frozenset()

    def _read_page(self) -> None:
        number = self._next_page
        logger.debug(
            "Reading page %d of %s (per_page=%d)",
            number,
            self._scope.label(),
            self._per_page,
        )
        page = structure(self._fetch(number, self._per_page), Page)
        items = self._build_items(page.response)
        self._pages_read += 1
        self._current_page = number
        self._next_page = number + 1
        if page.page is not None and page.page != number:
            self._note(
                PAGE_NUMBER_MISMATCH,
                "page %d of %s: the server returned page %d",
                number,
                self._scope.label(),
                page.page,
            )

        if len(items) > self._per_page:
            self._note(
                OVERSIZED_PAGE,
                "page %d of %s has %d items, more than per_page=%d; keeping them all",
                number,
                self._scope.label(),
                len(items),
                self._per_page,
            )

        if not items:
            logger.debug("Page %d is empty; the listing ends", number)
            self._exhausted = True
            return

        page_ids = [str(self._item_id(item)) for item in items]
        known = self._current_page_ids
        delivered = self._resume_delivered
        self._resume_delivered = frozenset[str]()
        if all(item_id in known or item_id in delivered for item_id in page_ids):
            self._note(
                REPEATED_PAGE,
                "page %d of %s repeats items already read, so the server seems "
                "to ignore the page parameter; stopping",
                number,
                self._scope.label(),
            )
            self._exhausted = True
            return

        self._keep_new_items(number, items, page_ids, known, delivered)
        self._previous_page_ids = known
        self._current_page_ids = frozenset(page_ids)
        if self._single_page is not None:
            self._exhausted = True
        else:
            size = self._page_size(number, page.per_page)
            self._exhausted = self._is_last(number, len(items), size, page.next)

    def _keep_new_items(
        self,
        number: int,
        items: Sequence[_ItemT],
        page_ids: list[str],
        known: frozenset[str],
        delivered: frozenset[str],
    ) -> None:
        """Put the items not yielded yet into the buffer, in page order."""
        on_page: set[str] = set()
        overlapping = 0
        duplicates = 0
        for item, item_id in zip(items, page_ids, strict=True):
            if item_id in delivered:
                pass
            elif item_id in known:
                overlapping += 1
            elif item_id in on_page:
                duplicates += 1
            else:
                self._buffer.append(item)
                self._buffer_ids.append(item_id)
            on_page.add(item_id)

        if overlapping:
            self._note(
                OVERLAPPING_ITEMS,
                "page %d of %s starts with %d item(s) of the previous page, "
                "likely because the list shifted; skipped them",
                number,
                self._scope.label(),
                overlapping,
                count=overlapping,
            )
        if duplicates:
            self._note(
                DUPLICATE_IN_PAGE,
                "page %d of %s lists %d id(s) twice; skipped the repeats",
                number,
                self._scope.label(),
                duplicates,
                count=duplicates,
            )

    def _page_size(self, number: int, reported: int | None) -> int:
        """Return the page size the server uses: ``per_page`` or a smaller cap."""
        if reported is None or not 1 <= reported < self._per_page:
            return self._per_page
        self._note(
            PER_PAGE_CAPPED,
            "page %d of %s: the server reports per_page=%d, less than the %d "
            "requested; treating pages of %d items as full",
            number,
            self._scope.label(),
            reported,
            self._per_page,
            reported,
        )
        return reported

    def _is_last(
        self, number: int, length: int, size: int, next_link: str | None
    ) -> bool:
        if not next_link:
            logger.debug(
                "Page %d has no next page (next=%r); the listing ends",
                number,
                next_link,
            )
            return True
        if length < size:
            self._note(
                SHORT_PAGE_WITH_NEXT,
                "page %d of %s has %d item(s), fewer than per_page=%d, yet names "
                "a next page; stopping, because a short page is the last one",
                number,
                self._scope.label(),
                length,
                size,
            )
            return True
        return False

    def _note(self, kind: str, message: str, *args: object, count: int = 1) -> None:
        """Count an anomaly, logging its first occurrence at WARNING."""
        first = kind not in self._anomalies
        self._anomalies[kind] = self._anomalies.get(kind, 0) + count
        logger.log(logging.WARNING if first else logging.DEBUG, message, *args)

    # State.

    @property
    def per_page(self) -> int:
        """Items requested per page."""
        return self._per_page

    @property
    def pages_read(self) -> int:
        """Number of pages requested so far."""
        return self._pages_read

    @property
    def items_yielded(self) -> int:
        """Number of items this iterator returned so far."""
        return self._yielded

    @property
    def anomalies(self) -> Mapping[str, int]:
        """Counts of server misbehaviour noticed so far, by kind.

        Kinds are the module constants such as :data:`OVERLAPPING_ITEMS` and
        :data:`REPEATED_PAGE`; a kind that never happened is absent.
        """
        return MappingProxyType(dict(self._anomalies))

    @property
    def exhausted(self) -> bool:
        """Whether the last page was read and every item of it returned."""
        return self._exhausted and self._position_in_buffer >= len(self._buffer)

    @property
    def remembered_id_count(self) -> int:
        """Number of item ids held to detect repeats: at most two pages' worth.

        The ids of the page before the current one are held only while items
        of the current page remain to be returned.
        """
        return len(self._current_page_ids) + len(self._previous_page_ids)

    @property
    def continuation_token(self) -> str:
        """An opaque token that resumes this iteration at the next item.

        Pass it as ``continuation_token=`` to the method that made this
        iterator, with the same ``per_page`` and ``page``. The token is
        base64url-encoded JSON. It contains the listing's ids, the page
        parameters and the ids of up to two pages, and no credentials.
        """
        if self._position_in_buffer < len(self._buffer):
            position = _Position(
                page=self._current_page,
                previous_ids=self._previous_page_ids,
                delivered_ids=frozenset(self._buffer_ids[: self._position_in_buffer]),
                done=False,
            )
        else:
            position = _Position(
                page=self._next_page,
                previous_ids=self._current_page_ids,
                delivered_ids=frozenset(),
                done=self._exhausted,
            )
        return _encode_token(self._scope, self._per_page, self._single_page, position)

    def __repr__(self) -> str:
        return (
            f"<PageIterator {self._scope.label()} per_page={self._per_page} "
            f"pages_read={self._pages_read} items_yielded={self._yielded}>"
        )


# Continuation tokens.


def _encode_token(
    scope: ListingScope, per_page: int, single_page: int | None, position: _Position
) -> str:
    document = {
        "v": _TOKEN_VERSION,
        "kind": scope.kind,
        "ids": list(scope.ids),
        "per_page": per_page,
        "single_page": single_page,
        "page": position.page,
        "previous_ids": sorted(position.previous_ids),
        "delivered_ids": sorted(position.delivered_ids),
        "done": position.done,
    }
    raw = json.dumps(document, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _decode_token(
    token: object, scope: ListingScope, per_page: int, single_page: int | None
) -> _Position:
    document = _token_document(token)
    if document.get("v") != _TOKEN_VERSION:
        raise ContinuationTokenError(
            f"unsupported continuation token version {document.get('v')!r}: this "
            f"SDK reads version {_TOKEN_VERSION}; start the iteration again "
            "without a token"
        )

    token_scope = ListingScope(
        kind=_field(document, "kind", str),
        ids=tuple(_string_list(document, "ids")),
    )
    if token_scope != scope:
        raise ContinuationTokenError(
            f"the continuation token belongs to {token_scope.describe()}, not "
            f"{scope.describe()}; use a token from this listing"
        )
    token_per_page = _field(document, "per_page", int)
    if token_per_page != per_page:
        raise ContinuationTokenError(
            f"the continuation token was made with per_page={token_per_page}, "
            f"not {per_page}; pass per_page={token_per_page}"
        )
    token_single_page = document.get("single_page")
    if token_single_page != single_page:
        raise ContinuationTokenError(
            f"the continuation token was made with page={token_single_page!r}, "
            f"not {single_page!r}; pass page={token_single_page!r}"
        )

    page = _field(document, "page", int)
    previous_ids = _string_list(document, "previous_ids")
    delivered_ids = _string_list(document, "delivered_ids")
    if (
        page < 1
        or len(previous_ids) > 2 * MAX_PER_PAGE
        or (len(delivered_ids) > 2 * MAX_PER_PAGE)
    ):
        raise ContinuationTokenError(
            "invalid continuation token: its page or id lists are out of range"
        )
    return _Position(
        page=page,
        previous_ids=frozenset(previous_ids),
        delivered_ids=frozenset(delivered_ids),
        done=_field(document, "done", bool),
    )


def _token_document(token: object) -> dict[str, Any]:
    if not isinstance(token, str):
        raise ContinuationTokenError(
            f"invalid continuation token {token!r}: expected the str from an "
            "iterator's continuation_token"
        )
    if len(token) > _MAX_TOKEN_LENGTH:
        raise ContinuationTokenError(
            f"invalid continuation token: {len(token)} characters is longer "
            "than any token this SDK makes"
        )
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        document = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError) as error:
        # A forged token nested deeply enough makes json.loads recurse too far.
        raise ContinuationTokenError(
            f"invalid continuation token {_preview(token)}: not a token made by "
            "this SDK; pass the value of an iterator's continuation_token "
            "unchanged"
        ) from error
    if not is_json_object(document):
        raise ContinuationTokenError(
            f"invalid continuation token {_preview(token)}: not a token made by "
            "this SDK"
        )

    return document


_FieldT = TypeVar("_FieldT")

_TYPE_WORDS: dict[type, str] = {
    int: "an integer",
    str: "a string",
    bool: "true or false",
}


def _field(document: dict[str, Any], name: str, kind: type[_FieldT]) -> _FieldT:
    value = document.get(name)
    if type(value) is not kind:
        raise ContinuationTokenError(
            f"invalid continuation token: field {name!r} is {value!r}, expected "
            f"{_TYPE_WORDS.get(kind, kind.__name__)}"
        )
    return value


def _string_list(document: dict[str, Any], name: str) -> list[str]:
    value = document.get(name)
    if not is_json_array(value):
        raise ContinuationTokenError(
            f"invalid continuation token: field {name!r} is not a list of strings"
        )
    strings: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise ContinuationTokenError(
                f"invalid continuation token: field {name!r} is not a list of strings"
            )
        strings.append(item)
    return strings


def _preview(token: str) -> str:
    return repr(token if len(token) <= 40 else token[:40] + "...")
