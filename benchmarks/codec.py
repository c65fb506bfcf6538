"""Figures 1 and 2: build, dump, and bytes to objects for one page.

Every case works on the same seeded page: the SDK, ``json.loads`` of its
bytes, msgspec structs and the incumbent client. Times are per candidate.
"""

from __future__ import annotations

import copy
import gc
import json
from typing import Any

import msgspec

from benchmarks import incumbent, msgspec_structs
from benchmarks.page_factory import page_bytes
from benchmarks.rebuild import rebuild_candidate
from benchmarks.report import Row, format_seconds, ratio_row
from benchmarks.timing import interleaved
from design_space_sampling import SampleSearchSpaceResultCandidate, ValidationError
from design_space_sampling._uuids import forget_uuids


def _check_round_trip(items: list[dict[str, Any]]) -> None:
    for index, item in enumerate(items):
        if SampleSearchSpaceResultCandidate.build(item).dump() != item:
            raise AssertionError(f"candidate {index} does not survive build and dump")


def _error_path_kept(item: dict[str, Any]) -> bool:
    """Return whether an invalid value deep in a candidate is reported by path."""
    broken = copy.deepcopy(item)
    variables = broken["material"]["terminal"]["vars"]
    key = next(iter(variables))
    variables[key]["type"] = "R"
    variables[key]["m"] = "not a number"
    try:
        SampleSearchSpaceResultCandidate.build(broken)
    except ValidationError as error:
        return f"material.terminal.vars[{json.dumps(key)}]" in str(error)
    return False


def run_codec(count: int, seed: int, rounds: int, budget: float) -> list[Row]:
    """Measure figures 1 and 2 on a page of ``count`` candidates."""
    raw = page_bytes(count, seed)
    items: list[dict[str, Any]] = json.loads(raw)["response"]
    _check_round_trip(items)
    build = SampleSearchSpaceResultCandidate.build
    ours = [build(item) for item in items]

    decoder = msgspec.json.Decoder(msgspec_structs.CandidatePage)
    encoder = msgspec.json.Encoder()
    structs = decoder.decode(raw)
    if len(structs.response) != count:
        raise AssertionError("msgspec decoded a different number of candidates")

    if [rebuild_candidate(item) for item in items] != items:
        raise AssertionError(
            "the Python rebuild differs from dump: check benchmarks/rebuild.py"
        )
    # "deterministic" sorts sets, as dump sorts the label sets.
    if msgspec.to_builtins(structs, order="deterministic") != json.loads(raw):
        raise AssertionError(
            "msgspec.to_builtins differs from the page: "
            "check benchmarks/msgspec_structs.py"
        )

    incumbent_build, incumbent_dump = incumbent.load_candidate_codec()
    theirs = [incumbent_build(item) for item in items]

    # The pages built above live through the whole run. Without freezing
    # them, every full collection rescans them and charges whichever case
    # happens to trigger it, which made single figures jump by half.
    gc.collect()
    gc.freeze()

    def sdk_build() -> object:
        # Every call reads the page as if for the first time: UUIDs repeated
        # within the page still hit the cache, those of the last call do not.
        forget_uuids()
        return [build(item) for item in items]

    def sdk_bytes_to_objects() -> object:
        forget_uuids()
        return [build(item) for item in json.loads(raw)["response"]]

    cases = {
        "json.loads": lambda: json.loads(raw),
        "SDK build": sdk_build,
        "SDK dump": lambda: [obj.dump() for obj in ours],
        "msgspec decode": lambda: decoder.decode(raw),
        "msgspec encode": lambda: encoder.encode(structs),
        "msgspec to_builtins": lambda: msgspec.to_builtins(
            structs, order="deterministic"
        ),
        "Python rebuild": lambda: [rebuild_candidate(item) for item in items],
        "incumbent build": lambda: [incumbent_build(item) for item in items],
        "incumbent dump": lambda: [incumbent_dump(obj) for obj in theirs],
        "SDK bytes to objects": sdk_bytes_to_objects,
        "incumbent bytes to objects": lambda: [
            incumbent_build(item) for item in json.loads(raw)["response"]
        ],
    }
    try:
        seconds = interleaved(cases, rounds=rounds, budget=budget)
    finally:
        gc.unfreeze()
    per = {name: value / count for name, value in seconds.items()}

    def each(*names: str) -> str:
        return ", ".join(f"{name} {format_seconds(per[name])}" for name in names)

    return [
        ratio_row(
            "1 build",
            "incumbent / SDK",
            per["incumbent build"] / per["SDK build"],
            at_least=10,
            context=each("SDK build", "incumbent build") + " per candidate",
        ),
        ratio_row(
            "1 build",
            "SDK / json.loads",
            per["SDK build"] / per["json.loads"],
            at_most=1.5,
            context=each("json.loads") + f" per candidate, page of {len(raw)} bytes",
        ),
        ratio_row(
            "1 build",
            "SDK / msgspec decode",
            per["SDK build"] / per["msgspec decode"],
            at_most=3,
            context=each("msgspec decode") + " per candidate (includes parsing)",
        ),
        Row(
            "1 build",
            "invalid input: JSON path in the error",
            "yes" if _error_path_kept(items[0]) else "no",
            "yes",
            _error_path_kept(items[0]),
        ),
        ratio_row(
            "1 dump",
            "incumbent / SDK",
            per["incumbent dump"] / per["SDK dump"],
            at_least=12,
            context=each("SDK dump", "incumbent dump") + " per candidate",
        ),
        ratio_row(
            "1 dump",
            "SDK / json.loads",
            per["SDK dump"] / per["json.loads"],
            at_most=1,
        ),
        ratio_row(
            "1 dump",
            "SDK / msgspec to_builtins",
            per["SDK dump"] / per["msgspec to_builtins"],
            at_most=2,
            context=each("msgspec to_builtins")
            + " per candidate (structs to the same dicts and lists as dump)",
        ),
        ratio_row(
            "1 dump",
            "SDK / msgspec encode",
            per["SDK dump"] / per["msgspec encode"],
            context=each("msgspec encode")
            + " per candidate (structs to JSON bytes, making no Python objects)",
        ),
        ratio_row(
            "1 dump",
            "Python rebuild / msgspec encode",
            per["Python rebuild"] / per["msgspec encode"],
            context=each("Python rebuild")
            + " per candidate (the same dicts rebuilt from the decoded page:"
            " a floor for any dump written in Python)",
        ),
        ratio_row(
            "2 bytes to objects",
            "incumbent / SDK",
            per["incumbent bytes to objects"] / per["SDK bytes to objects"],
            at_least=5,
            context=each("SDK bytes to objects", "incumbent bytes to objects")
            + " per candidate",
        ),
    ]
