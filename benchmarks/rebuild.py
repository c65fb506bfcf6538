"""A lower bound for any dump to dictionaries written in Python.

``rebuild_candidate`` makes the same dictionaries and lists that dumping a
candidate returns, straight from the decoded page: no objects to read, no
class checks and no sorting, only the containers themselves. No Python
function whose output is these containers can be much faster, so it shows
how much of the dump figure the output alone costs.
"""

from __future__ import annotations

from typing import Any


def _variable(variable: dict[str, Any]) -> dict[str, Any]:
    kind = variable["type"]
    if kind == "R":
        return {"type": kind, "m": variable["m"], "s": variable["s"]}
    if kind == "C":
        return {"type": kind, "cp": variable["cp"].copy()}
    if kind == "M":
        return {"type": kind, "q": variable["q"].copy(), "l": _labels(variable["l"])}
    if kind == "F":
        return {"type": kind, "f": variable["f"]}
    return {"type": kind, "s": variable["s"]}


def _labels(labels: dict[str, list[str]]) -> dict[str, list[str]]:
    return {label: list(names) for label, names in labels.items()}


def _identifiers(identifiers: dict[str, Any]) -> dict[str, Any]:
    external = identifiers.get("external")
    return {
        "id": identifiers["id"],
        "external": None if external is None else list(external),
        "process_template": identifiers.get("process_template"),
        "material_template": identifiers.get("material_template"),
    }


def _material(material: dict[str, Any]) -> dict[str, Any]:
    return {
        "vars": {name: _variable(value) for name, value in material["vars"].items()},
        "identifiers": _identifiers(material["identifiers"]),
    }


def rebuild_candidate(candidate: dict[str, Any]) -> dict[str, Any]:
    """Return new containers equal to ``candidate``, built in Python."""
    material = candidate["material"]
    return {
        "id": candidate["id"],
        "execution_id": candidate["execution_id"],
        "material": {
            "terminal": _material(material["terminal"]),
            "sub_materials": [_material(sub) for sub in material["sub_materials"]],
            "mixtures": {
                key: {"q": mixture["q"].copy(), "l": _labels(mixture["l"])}
                for key, mixture in material["mixtures"].items()
            },
        },
    }
