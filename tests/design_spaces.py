"""Design spaces that several test suites hand to the emulator."""

from __future__ import annotations

from typing import Any


def two_dimension_space(name: str, description: str) -> dict[str, Any]:
    """Return a new space of one continuous and one categorical dimension.

    The continuous dimension ``x`` spans 0 to 1, and the categorical dimension
    ``c`` takes ``"a"`` or ``"b"``, so the emulator samples it fast.
    """
    return {
        "type": "ProductDesignSpace",
        "name": name,
        "description": description,
        "dimensions": [
            {
                "type": "ContinuousDimension",
                "lower_bound": 0.0,
                "upper_bound": 1.0,
                "descriptor": {
                    "type": "Real",
                    "descriptor_key": "x",
                    "lower_bound": 0.0,
                    "upper_bound": 1.0,
                    "units": "",
                },
            },
            {
                "type": "EnumeratedDimension",
                "list": ["a", "b"],
                "descriptor": {
                    "type": "Categorical",
                    "descriptor_key": "c",
                    "descriptor_values": ["a", "b"],
                },
            },
        ],
        "subspaces": [],
    }
