"""Command-line tool: ``python -m design_space_sampling`` or ``design-space-sampling``.

Sub-commands:

- ``sample``: trigger a sample of N candidates, wait for it, page through the
  results and write them as CSV or JSON Lines. Without ``--host`` it starts
  the embedded emulator on the bundled example design space (or
  ``--design-space FILE``). With ``--host`` it talks to a platform and takes
  the API key from ``CITRINE_API_KEY``.
- ``emulator``: serve the local emulator until interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Generator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from uuid import UUID

from design_space_sampling._ids import MAX_PER_PAGE
from design_space_sampling._json import to_json
from design_space_sampling.errors import ValidationError
from design_space_sampling.table import Cell, candidate_row, column_order

if TYPE_CHECKING:
    from design_space_sampling import ProductDesignSpace
    from design_space_sampling.session import Session


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["emulator"]:
        # The emulator parses its own options, so hand them over untouched.
        from design_space_sampling.emulator._cli import main as emulator_main

        return emulator_main(arguments[1:])
    return _sample(_parser().parse_args(arguments))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="design-space-sampling",
        description="Sample candidates from a design space.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    sample = commands.add_parser(
        "sample",
        help="trigger a sample, wait for it and write its candidates",
        description="Trigger a sample of N candidates, wait for it and write "
        "the candidates. Without --host, a local emulator is started.",
    )
    sample.add_argument(
        "--n-candidates",
        type=_positive_int,
        default=100,
        help="number of candidates to draw (default: 100)",
    )
    sample.add_argument(
        "--per-page",
        type=_per_page,
        default=100,
        help="candidates fetched per page request, 1 to 1000 (default: 100)",
    )
    sample.add_argument(
        "--format",
        choices=("csv", "jsonl"),
        default="csv",
        help="csv: one row per candidate and one column per variable; "
        "jsonl: the wire documents, one per line (default: csv)",
    )
    sample.add_argument(
        "--out",
        type=Path,
        default=None,
        help="file to write; standard output when absent",
    )
    sample.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=600.0,
        help="seconds to wait for the execution to finish (default: 600)",
    )
    sample.add_argument(
        "--no-progress",
        action="store_true",
        help="do not show a progress bar on standard error",
    )
    local = sample.add_argument_group("local emulator (when --host is absent)")
    local.add_argument(
        "--design-space",
        type=Path,
        default=None,
        help="JSON file of the design space to sample (default: the bundled example)",
    )
    local.add_argument(
        "--seed", type=int, default=None, help="seed that makes the sample repeatable"
    )
    remote = sample.add_argument_group("platform (when --host is given)")
    remote.add_argument(
        "--host",
        default=None,
        help="platform host name; the API key is read from CITRINE_API_KEY",
    )
    remote.add_argument(
        "--scheme", choices=("https", "http"), default="https", help="URL scheme"
    )
    remote.add_argument("--port", type=int, default=None, help="TCP port")
    remote.add_argument("--project-id", type=UUID, default=None, help="project id")
    remote.add_argument(
        "--design-space-id", type=UUID, default=None, help="design space id"
    )

    # Listed for --help only: main() hands "emulator" to its own parser.
    commands.add_parser(
        "emulator",
        help="serve the local emulator of the platform "
        "(see 'emulator --help' for its options)",
    )
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _per_page(text: str) -> int:
    value = _positive_int(text)
    if value > MAX_PER_PAGE:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_PER_PAGE}, got {value}")
    return value


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(
            f"must be a positive number of seconds, got {text}"
        )
    return value


def _sample(args: argparse.Namespace) -> int:
    from design_space_sampling.errors import DesignSpaceSamplingError

    started = time.monotonic()
    try:
        with contextlib.ExitStack() as stack:
            session, project_id, design_space_id = _connect(args, stack)
            written, pages = _run_job(args, session, project_id, design_space_id)
    except DesignSpaceSamplingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130

    elapsed = time.monotonic() - started
    target = args.out if args.out is not None else "standard output"
    print(
        f"wrote {written} candidates to {target} from {pages} "
        f"{'page' if pages == 1 else 'pages'} in {elapsed:.1f} s",
        file=sys.stderr,
    )
    return 0


def _load_design_space(path: Path | None) -> ProductDesignSpace | None:
    """Read ``--design-space``, naming the file in every error."""
    if path is None:
        return None
    from design_space_sampling.emulator.sampler import load_design_space

    try:
        return load_design_space(path)
    except ValidationError as error:
        raise ValidationError(
            f"{path}: {error.path}" if error.path else str(path),
            error.expected,
            error.found,
        ) from None


def _connect(
    args: argparse.Namespace, stack: contextlib.ExitStack
) -> tuple[Session, UUID, UUID]:
    from design_space_sampling.session import Session

    if args.host is None:
        from design_space_sampling.emulator import Emulator

        emulator = stack.enter_context(
            Emulator(_load_design_space(args.design_space), seed=args.seed)
        )
        session = Session(
            emulator.api_key,
            host=emulator.host,
            port=emulator.port,
            scheme="http",
        )
        stack.callback(session.close)
        return session, UUID(emulator.project_id), UUID(emulator.design_space_id)

    if args.project_id is None or args.design_space_id is None:
        raise SystemExit(
            "error: --project-id and --design-space-id are required with --host"
        )
    session = Session(
        os.environ.get("CITRINE_API_KEY"),
        host=args.host,
        scheme=args.scheme,
        port=args.port,
    )
    stack.callback(session.close)
    return session, args.project_id, args.design_space_id


def _run_job(
    args: argparse.Namespace,
    session: Session,
    project_id: UUID,
    design_space_id: UUID,
) -> tuple[int, int]:
    from design_space_sampling import SampleDesignSpaceInput
    from design_space_sampling.collection import SampleDesignSpaceExecutionCollection

    collection = SampleDesignSpaceExecutionCollection(
        project_id, design_space_id, session
    )
    execution = collection.trigger(
        SampleDesignSpaceInput(n_candidates=args.n_candidates)
    )
    print(f"triggered execution {execution.uid}", file=sys.stderr)
    progress = _Progress(args.n_candidates, enabled=not args.no_progress)
    try:
        finished = execution.wait(
            timeout=args.timeout,
            # Short first polls: a small sample often finishes in a second.
            interval=0.25,
            max_interval=5.0,
            on_status=lambda event: progress.status(
                f"{event.status} {event.status_description or ''}".strip()
            ),
        )
        results = finished.results(per_page=args.per_page)
        with _open_output(args.out) as stream:
            if args.format == "jsonl":
                written = _write_jsonl(results, stream, progress.advance)
            else:
                written = _write_csv(results, stream, progress.advance)
    finally:
        progress.close()
    pages = getattr(results, "pages_read", -(-written // args.per_page))
    return written, int(pages)


@contextlib.contextmanager
def _open_output(path: Path | None) -> Generator[IO[str], None, None]:
    if path is None:
        yield sys.stdout
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write beside the target and rename at the end, so a failed run leaves
    # no partial file and does not clobber an earlier result.
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as stream:
            yield stream
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def _write_jsonl(candidates: Any, stream: IO[str], advance: Callable[[], None]) -> int:
    written = 0
    for candidate in candidates:
        stream.write(to_json(candidate))
        stream.write("\n")
        written += 1
        advance()
    return written


def _write_csv(candidates: Any, stream: IO[str], advance: Callable[[], None]) -> int:
    """Write CSV in two passes so memory stays bounded by one page.

    The columns are known only once every candidate has been seen (a
    formulation may use an ingredient first in a late candidate), so rows go
    to a temporary JSON Lines file first and become CSV at the end.
    """
    columns: set[str] = set()
    written = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for candidate in candidates:
            row = candidate_row(candidate)
            columns.update(row)
            spool.write(json.dumps(row))
            spool.write("\n")
            written += 1
            advance()
        header = column_order([dict.fromkeys(columns)])
        writer = csv.DictWriter(stream, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        spool.seek(0)
        for line in spool:
            stored: dict[str, Cell] = json.loads(line)
            writer.writerow(stored)
    return written


class _Progress:
    """A tqdm progress bar on standard error, or nothing when unavailable."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self._bar: Any = None
        if not enabled:
            return
        try:
            from tqdm import tqdm
        except ImportError:
            return
        self._bar = tqdm(total=total, unit="candidate", file=sys.stderr)

    def status(self, text: str) -> None:
        if self._bar is not None:
            self._bar.set_description(text)

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


if __name__ == "__main__":
    sys.exit(main())
