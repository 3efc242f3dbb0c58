#!/usr/bin/env python3
"""Validates JSON reports against docseal's published JSON Schemas.

Usage: schema_validate.py SCHEMA.json REPORT.json [REPORT.json ...]
Exits 0 when every report is valid, 1 with each error on stderr otherwise.
Uses the `jsonschema` package (Draft 2020-12), with format checks on.
"""
import json
import os
import sys

import jsonschema
from referencing import Registry, Resource


def sibling_schemas(folder):
    """Every schema in `folder` by its $id, so that one may $ref another."""
    resources = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".schema.json"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                doc = json.load(f)
            resources.append((doc["$id"], Resource.from_contents(doc)))
    return Registry().with_resources(resources)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(
        schema,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        registry=sibling_schemas(os.path.dirname(os.path.abspath(argv[1]))),
    )
    bad = 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for err in validator.iter_errors(doc):
            bad += 1
            where = "/".join(str(p) for p in err.absolute_path)
            print(f"{path}: {where}: {err.message}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
