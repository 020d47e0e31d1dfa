"""The message schemas in ``schemas/``, compiled once (fastjsonschema) for the hot path."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Callable

import fastjsonschema
import orjson

BASE = "https://conflict-stream.dev/schemas/"


class SchemaError(ValueError):
    """A message does not match its schema; the message names the field."""


def _load(name: str) -> dict:
    return orjson.loads(resources.files("stream").joinpath("schemas", name).read_bytes())


def _resolve(uri: str) -> dict:
    if not uri.startswith(BASE):
        raise SchemaError(f"schema reference outside this project: {uri}")
    return _load(uri.removeprefix(BASE).split("#")[0])


@lru_cache(maxsize=None)
def validator(name: str) -> Callable[[dict], dict]:
    """A compiled validator for ``schemas/<name>``, or ``definitions.json#<definition>`` for one shared
    definition (its errors name the field where a ``oneOf`` cannot); raises SchemaError."""
    if "#" in name:
        file, definition = name.split("#")
        schema = {"$id": BASE + "root.json", "$ref": f"{file}#/definitions/{definition}"}
    else:
        schema = _load(name)
    compiled = fastjsonschema.compile(schema, handlers={"https": _resolve})

    def validate(value: dict) -> dict:
        try:
            return compiled(value)
        except fastjsonschema.JsonSchemaValueException as exc:
            raise SchemaError(f"{name}: {exc.message}") from None

    return validate


def schema_names() -> list[str]:
    return sorted(p.name for p in resources.files("stream").joinpath("schemas").iterdir() if p.name.endswith(".json"))
