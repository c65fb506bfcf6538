"""Rows of results, the console table and the BENCHMARKS.md page."""

from __future__ import annotations

import dataclasses
import datetime
import os
import platform
from collections.abc import Sequence
from pathlib import Path

START_MARK = "<!-- bench:start -->"
END_MARK = "<!-- bench:end -->"


@dataclasses.dataclass(frozen=True)
class Row:
    """One figure of the benchmark.

    Attributes:
        figure: Number and name of the figure, such as ``"1 build"``.
        measure: What is compared, such as ``"incumbent / SDK"``.
        value: The measured value, formatted.
        target: The target, formatted, or ``"-"`` when there is none.
        met: Whether the target is met; None when there is no target.
        context: Absolute numbers behind the value, for reading only.
    """

    figure: str
    measure: str
    value: str
    target: str = "-"
    met: bool | None = None
    context: str = ""


def ratio_row(
    figure: str,
    measure: str,
    ratio: float,
    *,
    at_least: float | None = None,
    at_most: float | None = None,
    context: str = "",
) -> Row:
    """Return a row for a ratio with an optional lower or upper bound."""
    if at_least is not None:
        target, met = f">= {at_least:g}", ratio >= at_least
    elif at_most is not None:
        target, met = f"<= {at_most:g}", ratio <= at_most
    else:
        target, met = "-", None
    return Row(figure, measure, f"{ratio:.2f}", target, met, context)


def format_seconds(seconds: float) -> str:
    """Format a duration with a unit that keeps three significant digits."""
    if seconds >= 1:
        return f"{seconds:.3g} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds * 1e6:.3g} us"


def _met_text(met: bool | None) -> str:
    if met is None:
        return "-"
    return "yes" if met else "NO"


def format_table(rows: Sequence[Row]) -> str:
    """Return the rows as an aligned plain-text table."""
    header = ("figure", "measure", "value", "target", "met", "context")
    lines = [header] + [
        (r.figure, r.measure, r.value, r.target, _met_text(r.met), r.context)
        for r in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = []
    for index, line in enumerate(lines):
        text.append(
            "  ".join(
                cell.ljust(width) for cell, width in zip(line, widths, strict=True)
            ).rstrip()
        )
        if index == 0:
            text.append("  ".join("-" * width for width in widths))
    return "\n".join(text)


def machine_lines(command: str) -> list[str]:
    """Return the lines that describe how and where the figures were measured."""
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    return [
        f"- command: `{command}`",
        f"- Python {platform.python_version()} ({platform.python_implementation()})"
        f" on {platform.system()} {platform.machine()}",
        f"- cores: {os.cpu_count()}",
        f"- date: {today}",
        f"- load average over the minute before the run: {_load_average()}",
    ]


def _load_average() -> str:
    """Return the one-minute load average, which shows other work on the machine."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except (AttributeError, OSError):
        return "unknown"


def markdown_section(rows: Sequence[Row], command: str, notes: Sequence[str]) -> str:
    """Return the generated part of BENCHMARKS.md."""
    lines = [
        START_MARK,
        "## Latest run",
        "",
        *machine_lines(command),
        "",
        "| figure | measure | value | target | met | context |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        cells = (r.figure, r.measure, r.value, r.target, _met_text(r.met), r.context)
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    if notes:
        lines += ["", *(f"- {note}" for note in notes)]
    lines.append(END_MARK)
    return "\n".join(lines) + "\n"


_INTRO = """# Benchmarks

`scripts/bench` measures the SDK against `json.loads` of the same bytes (the
floor), msgspec decoding into equivalent structs (a reference ceiling) and the
incumbent client, `citrine` 5.0.0. Every target is a ratio measured side by
side in one run; absolute times are context only and vary between machines.
Each figure is the median of interleaved rounds.

The section between the markers below is rewritten by each full run; write
notes on what moved a figure outside it.

"""


def write_markdown(path: Path, section: str) -> None:
    """Replace the generated section of ``path``, keeping the text around it."""
    if path.exists():
        text = path.read_text(encoding="utf-8")
        start = text.find(START_MARK)
        end = text.find(END_MARK)
        if start != -1 and end > start:
            text = text[:start] + section + text[end + len(END_MARK) + 1 :]
        else:
            text = text.rstrip("\n") + "\n\n" + section
    else:
        text = _INTRO + section
    path.write_text(text, encoding="utf-8")


def python_command(argv: Sequence[str]) -> str:
    """Return the command line that started this run, for the record."""
    return " ".join(["scripts/bench", *argv]) if argv else "scripts/bench"


__all__ = [
    "Row",
    "format_seconds",
    "format_table",
    "markdown_section",
    "python_command",
    "ratio_row",
    "write_markdown",
]
