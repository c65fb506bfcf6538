"""Regenerate the attrs bindings in generated/ from the JSON Schema in schema/.

The output depends only on the schema, the templates and the pinned
datamodel-code-generator, so two runs give identical bytes. Python names that
differ from wire keys are declared in the schema with ``x-python-name`` and
passed to the generator as scoped aliases (``Class.wire_key``).

Usage: python scripts/generate.py [--schema DIR] [--out DIR] [--check]
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "design_space_sampling_models"
HEADER = (
    "# Generated from schema/ by scripts/generate; do not edit by hand.\n"
    "# Change the schema and run scripts/generate instead."
)


CACHES = ("__pycache__", ".ruff_cache")
"""Folders that tools leave beside the generated modules; never part of the output."""


def collect_aliases(schema_dir: Path) -> dict[str, str]:
    """Map ``Class.wire_key`` to the Python name that ``x-python-name`` gives."""
    aliases: dict[str, str] = {}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            title = node.get("title")
            properties = node.get("properties")
            if isinstance(title, str) and isinstance(properties, dict):
                for key, prop in properties.items():
                    if isinstance(prop, dict) and "x-python-name" in prop:
                        aliases[f"{title}.{key}"] = prop["x-python-name"]
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    for path in sorted(schema_dir.glob("*.json")):
        visit(json.loads(path.read_text(encoding="utf-8")))
    return dict(sorted(aliases.items()))


def generate(schema_dir: Path, out_dir: Path) -> None:
    """Write the package generated from ``schema_dir`` into ``out_dir``."""
    with tempfile.TemporaryDirectory() as scratch:
        scratch_out = Path(scratch) / PACKAGE
        aliases_file = Path(scratch) / "aliases.json"
        aliases_file.write_text(json.dumps(collect_aliases(schema_dir)))
        command = [
            sys.executable,
            "-m",
            "datamodel_code_generator",
            "--input",
            str(schema_dir),
            "--input-file-type",
            "jsonschema",
            "--output",
            str(scratch_out),
            "--output-model-type",
            "dataclasses.dataclass",
            "--custom-template-dir",
            str(ROOT / "templates"),
            "--aliases",
            str(aliases_file),
            "--additional-imports",
            "attrs.define,attrs.field,collections.abc.Mapping,typing.Any,uuid.UUID,"
            "design_space_sampling._base.WireModel",
            "--custom-file-header",
            HEADER,
            "--disable-timestamp",
            "--use-standard-primitive-types",
            "--output-datetime-class",
            "datetime",
            "--use-field-description",
            "--field-constraints",
            "--use-schema-description",
            "--use-subclass-enum",
            "--keyword-only",
            "--target-python-version",
            "3.10",
            "--use-unique-items-as-set",
            "--use-double-quotes",
            "--formatters",
            "ruff-check",
            "ruff-format",
        ]
        result = subprocess.run(
            command, cwd=ROOT, stderr=subprocess.PIPE, text=True, check=False
        )
        if result.returncode != 0:
            # The generator warns on every run; show its output only on failure.
            sys.stderr.write(result.stderr)
            raise SystemExit(f"datamodel-codegen failed with exit {result.returncode}")
        (scratch_out / "py.typed").write_text("")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        shutil.copytree(scratch_out, out_dir, ignore=shutil.ignore_patterns(*CACHES))


def differences(left: Path, right: Path) -> list[str]:
    """List the files that differ between two generated trees."""
    comparison = filecmp.dircmp(left, right, ignore=list(CACHES))
    found = [*comparison.left_only, *comparison.right_only, *comparison.diff_files]
    found += [
        name
        for name in comparison.common_files
        if not filecmp.cmp(left / name, right / name, shallow=False)
    ]
    return sorted(set(found))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schema", type=Path, default=ROOT / "schema")
    parser.add_argument("--out", type=Path, default=ROOT / "generated" / PACKAGE)
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temporary folder and fail if --out differs",
    )
    args = parser.parse_args(argv)

    if not args.check:
        generate(args.schema, args.out)
        return 0

    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / PACKAGE
        generate(args.schema, fresh)
        changed = differences(fresh, args.out)
    if changed:
        print(
            "generated/ is out of date with schema/ in: "
            + ", ".join(changed)
            + ". Run scripts/generate and commit the result.",
            file=sys.stderr,
        )
        return 1
    print("generated/ matches schema/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
