"""Run the benchmarks, print a table of ratios and record it in BENCHMARKS.md.

Usage: scripts/bench [--smoke | --quick] [--only 1,2,...] [--paging-size N]

The full run records its table in BENCHMARKS.md. ``--quick`` (smaller sizes
and fewer rounds, for iterating) and ``--smoke`` (tiny sizes that run in
seconds, for the test suite) only print it. The exit status is 0 whether or not targets
are met, unless ``--strict`` is given.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.report import (
    Row,
    format_table,
    markdown_section,
    python_command,
    write_markdown,
)

ROOT = Path(__file__).resolve().parent.parent


@dataclasses.dataclass(frozen=True)
class Sizes:
    """Sizes and repeat counts of one mode."""

    page: int
    rounds: int
    budget: float
    """Seconds each case runs per round in figures 1 and 2."""
    import_rounds: int
    paging: int
    per_page: int
    paging_rounds: int
    sampling: int
    sampling_rounds: int
    generate_rounds: int


MODES = {
    "full": Sizes(100, 21, 0.05, 21, 100_000, 1000, 3, 10_000, 3, 3),
    "quick": Sizes(100, 7, 0.02, 7, 10_000, 1000, 1, 2_000, 1, 1),
    "smoke": Sizes(10, 2, 0.002, 2, 200, 50, 1, 50, 1, 1),
}

SEED = 20240601


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scripts/bench",
        description="Measure the SDK against json.loads, msgspec and the "
        "incumbent client; print ratios and, on a full run, write BENCHMARKS.md.",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--smoke", action="store_true", help="tiny sizes, a few seconds, no file"
    )
    mode.add_argument(
        "--quick", action="store_true", help="smaller sizes for iterating, no file"
    )
    parser.add_argument(
        "--only",
        metavar="FIGURES",
        help="comma-separated figure numbers to run (1 and 2 run together)",
    )
    parser.add_argument(
        "--paging-size",
        type=int,
        metavar="N",
        help="candidates to page in figure 4 (100000 on a full run)",
    )
    parser.add_argument(
        "--per-page", type=int, metavar="N", help="page size of figure 4 (1000)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "BENCHMARKS.md",
        help="file that a full run writes (BENCHMARKS.md at the repository root)",
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print only, even on a full run"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with 1 when a target is missed"
    )
    return parser


def _figures(sizes: Sizes) -> dict[str, Callable[[], list[Row]]]:
    # Imported here so that a run of some figures needs only their packages.
    def codec() -> list[Row]:
        from benchmarks.codec import run_codec

        return run_codec(sizes.page, SEED, sizes.rounds, sizes.budget)

    def imports() -> list[Row]:
        from benchmarks.processes import run_import

        return run_import(sizes.import_rounds)

    def paging() -> list[Row]:
        from benchmarks.paging import run_paging

        return run_paging(sizes.paging, sizes.per_page, sizes.paging_rounds)

    def sampling() -> list[Row]:
        from benchmarks.processes import run_sampling

        return run_sampling(sizes.sampling, sizes.sampling_rounds)

    def generate() -> list[Row]:
        from benchmarks.processes import run_generate

        return run_generate(sizes.generate_rounds)

    return {"1": codec, "3": imports, "4": paging, "5": sampling, "6": generate}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks that ``argv`` selects and return the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    sizes = MODES[mode]
    if args.paging_size is not None:
        sizes = dataclasses.replace(sizes, paging=args.paging_size)
    if args.per_page is not None:
        sizes = dataclasses.replace(sizes, per_page=args.per_page)

    figures = _figures(sizes)
    selected = list(figures)
    if args.only:
        requested = {
            "1" if n.strip() == "2" else n.strip() for n in args.only.split(",")
        }
        unknown = requested - set(figures) - {""}
        if unknown:
            raise SystemExit(
                f"error: unknown figure {sorted(unknown)}: use numbers 1 to 6"
            )
        selected = [name for name in figures if name in requested]

    rows: list[Row] = []
    started = time.perf_counter()
    for name in selected:
        print(f"running figure {name}...", file=sys.stderr, flush=True)
        rows += figures[name]()
    elapsed = time.perf_counter() - started

    print(format_table(rows))
    print(f"\n{mode} run in {elapsed:.1f} s", file=sys.stderr)
    if mode == "full" and not args.only and not args.no_write:
        notes = [
            f"Figures 1 and 2 use a page of {sizes.page} candidates from "
            f"`benchmarks/page_factory.py` (seed {SEED}); each case runs about "
            f"{sizes.budget * 1000:g} ms per round, {sizes.rounds} rounds, "
            "with garbage collection enabled.",
            f"The whole run took {elapsed:.0f} s.",
        ]
        section = markdown_section(rows, python_command(argv), notes)
        write_markdown(args.output, section)
        print(f"wrote {args.output.name}", file=sys.stderr)
    missed = [row for row in rows if row.met is False]
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
