"""Seeded factory of realistic pages of candidates in the wire format.

Each candidate has a terminal material and 0 to 3 sub-materials, each with 5
to 30 variables. Every material carries all five variable kinds (``R``,
``C``, ``M``, ``F``, ``S``) and then more drawn at random. Mixture variables
and the candidate's mixtures have 2 to 10 ingredients. The same seed gives
the same bytes.
"""

from __future__ import annotations

import json
import random
import uuid
from typing import Any

KINDS = ("R", "C", "M", "F", "S")

_INGREDIENTS = (
    "epoxy resin",
    "amine hardener",
    "fumed silica",
    "glass microspheres",
    "toughener",
    "reactive diluent",
    "carbon black",
    "talc",
    "calcium carbonate",
    "silane coupling agent",
    "wetting agent",
    "defoamer",
)
_LABELS = ("resin", "filler", "additive", "curative")
_CATEGORIES = ("planetary", "speed mixer", "hand", "roll mill", "ultrasonic")
_FORMULAS = ("C2H8N2", "SiO2", "Al2O3", "TiO2", "CaCO3", "Fe2O3", "ZnO")
_SMILES = (
    "C1OC1COCCCCOCC1CO1",
    "CC(C)(c1ccc(OCC2CO2)cc1)c1ccc(OCC2CO2)cc1",
    "NCCNCCN",
    "CCO",
    "c1ccccc1O",
)


def make_candidates(
    count: int, seed: int = 20240601, execution_id: str | None = None
) -> list[dict[str, Any]]:
    """Return ``count`` candidate documents drawn from ``seed``."""
    rng = random.Random(seed)
    execution = execution_id or _uuid(rng)
    return [_candidate(rng, execution) for _ in range(count)]


def make_page(count: int = 100, seed: int = 20240601) -> dict[str, Any]:
    """Return a page document holding ``count`` candidates."""
    return {
        "response": make_candidates(count, seed),
        "page": 1,
        "per_page": count,
        "next": "",
    }


def page_bytes(count: int = 100, seed: int = 20240601) -> bytes:
    """Return the page of :func:`make_page` encoded as compact UTF-8 JSON."""
    return json.dumps(make_page(count, seed), separators=(",", ":")).encode()


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _candidate(rng: random.Random, execution_id: str) -> dict[str, Any]:
    terminal = _material(rng)
    sub_materials = [_material(rng) for _ in range(rng.randint(0, 3))]
    mixed = [terminal, *(m for m in sub_materials if rng.random() < 0.5)]
    mixtures = {material["identifiers"]["id"]: _mixture_body(rng) for material in mixed}
    return {
        "id": _uuid(rng),
        "execution_id": execution_id,
        "material": {
            "terminal": terminal,
            "sub_materials": sub_materials,
            "mixtures": mixtures,
        },
    }


def _material(rng: random.Random) -> dict[str, Any]:
    count = rng.randint(5, 30)
    kinds = list(KINDS) + [rng.choice(KINDS) for _ in range(count - len(KINDS))]
    rng.shuffle(kinds)
    variables = {
        f"{kind} descriptor {index}": _variable(rng, kind)
        for index, kind in enumerate(kinds)
    }
    external = rng.sample(_INGREDIENTS, rng.randint(0, 2))
    return {
        "vars": variables,
        "identifiers": {
            "id": _uuid(rng),
            "external": external,
            "process_template": _uuid(rng) if rng.random() < 0.5 else None,
            "material_template": _uuid(rng) if rng.random() < 0.8 else None,
        },
    }


def _variable(rng: random.Random, kind: str) -> dict[str, Any]:
    if kind == "R":
        return {
            "type": "R",
            "m": round(rng.uniform(-50.0, 500.0), rng.randint(0, 6)),
            "s": round(rng.uniform(0.0, 5.0), 4) if rng.random() < 0.5 else 0.0,
        }
    if kind == "C":
        chosen = rng.sample(_CATEGORIES, rng.randint(1, 3))
        weights = [rng.random() for _ in chosen]
        total = sum(weights)
        return {
            "type": "C",
            "cp": {
                name: round(w / total, 6)
                for name, w in zip(chosen, weights, strict=True)
            },
        }
    if kind == "M":
        return {"type": "M", **_mixture_body(rng)}
    if kind == "F":
        return {"type": "F", "f": rng.choice(_FORMULAS)}
    return {"type": "S", "s": rng.choice(_SMILES)}


def _mixture_body(rng: random.Random) -> dict[str, Any]:
    ingredients = rng.sample(_INGREDIENTS, rng.randint(2, 10))
    weights = [rng.random() for _ in ingredients]
    total = sum(weights)
    quantities = {
        name: round(w / total, 6) for name, w in zip(ingredients, weights, strict=True)
    }
    labels: dict[str, list[str]] = {}
    for name in ingredients:
        if rng.random() < 0.6:
            labels.setdefault(rng.choice(_LABELS), []).append(name)
    # Sorted, as the SDK dumps label sets, so a round trip gives equal documents.
    return {"q": quantities, "l": {k: sorted(v) for k, v in labels.items()}}
