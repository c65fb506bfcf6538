"""Candidates as table rows: one row per candidate, one column per variable.

The columns are those of the command-line tool's CSV output:

- ``candidate_id`` and ``execution_id``;
- one column per variable of the candidate's root material, named by its
  descriptor key: the mean of a real value, the most probable category, the
  chemical formula or the SMILES string;
- one column per ingredient of a mixture, named ``"<descriptor key>:
  <ingredient>"``, holding its quantity (empty when the candidate does not
  use that ingredient);
- a variable of a kind this SDK does not know is written as its JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from design_space_sampling_models.design_variable import (
    ChemicalFormula,
    DesignVariable,
    MeanAndStd,
    Mixture,
    MolecularStructure,
    TopCategories,
)
from design_space_sampling_models.sample_search_space_result_candidate import (
    SampleSearchSpaceResultCandidate,
)

from design_space_sampling.errors import InvalidArgumentError

if TYPE_CHECKING:
    import pandas

Cell = str | float | None
"""Value of one table cell."""

ID_COLUMNS = ("candidate_id", "execution_id")


def candidate_row(candidate: SampleSearchSpaceResultCandidate) -> dict[str, Cell]:
    """Flatten one candidate into a row keyed by column name.

    Raises:
        InvalidArgumentError: Two values would share a column, for example a
            descriptor named ``candidate_id``.
    """
    row: dict[str, Cell] = {
        "candidate_id": str(candidate.uid),
        "execution_id": str(candidate.execution_id),
    }
    for key, variable in candidate.material.root.values.items():
        _add_variable(row, key, variable)
    return row


def candidate_rows(
    candidates: Iterable[SampleSearchSpaceResultCandidate],
) -> Iterator[dict[str, Cell]]:
    """Flatten candidates lazily, one row each."""
    for candidate in candidates:
        yield candidate_row(candidate)


def to_dataframe(
    candidates: Iterable[SampleSearchSpaceResultCandidate],
) -> pandas.DataFrame:
    """Return the candidates as a ``pandas.DataFrame``, one row each.

    Raises:
        ImportError: pandas is not installed; install it with
            ``pip install pandas``.
    """
    try:
        import pandas
    except ImportError as error:
        raise ImportError(
            "to_dataframe needs pandas, which is not installed; "
            "install it with 'pip install pandas'"
        ) from error

    rows = list(candidate_rows(candidates))
    # NOTE: mypy reads the pandas-stubs constructor as returning Any, so the
    # annotation keeps the declared type.
    frame: pandas.DataFrame = pandas.DataFrame(rows, columns=column_order(rows))
    return frame


def column_order(rows: Iterable[dict[str, Cell]]) -> list[str]:
    """Return every column of ``rows``: the id columns first, then sorted."""
    names: set[str] = set()
    for row in rows:
        names.update(row)
    names.difference_update(ID_COLUMNS)
    return [*ID_COLUMNS, *sorted(names)]


def _add_variable(row: dict[str, Cell], key: str, variable: DesignVariable) -> None:
    if isinstance(variable, MeanAndStd):
        _put(row, key, variable.mean)
    elif isinstance(variable, TopCategories):
        _put(row, key, _top_category(variable.probabilities))
    elif isinstance(variable, Mixture):
        for ingredient, quantity in variable.quantities.items():
            _put(row, f"{key}: {ingredient}", quantity)
    elif isinstance(variable, ChemicalFormula):
        _put(row, key, variable.formula)
    elif isinstance(variable, MolecularStructure):
        _put(row, key, variable.smiles)
    else:
        # An opaque variable, or a kind added to the schema after this
        # function was written.
        _put(row, key, json.dumps(variable.dump(), sort_keys=True))


def _put(row: dict[str, Cell], column: str, value: Cell) -> None:
    """Set a cell, refusing to overwrite one: two values must not share a column."""
    if column in row:
        raise InvalidArgumentError(
            f"cannot flatten candidate {row['candidate_id']}: the column "
            f"{column!r} would hold two values (a descriptor key repeats an id "
            "column or a mixture column); read such candidates as JSON instead"
        )
    row[column] = value


def _top_category(probabilities: dict[str, float]) -> str | None:
    if not probabilities:
        return None
    best: Any = max(probabilities.items(), key=lambda item: (item[1], item[0]))
    return str(best[0])
