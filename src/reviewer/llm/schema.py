"""The JSON schemas replies must match, and a strict validator for the subset they use.

A reply that does not match is rejected, never repaired: a model that invents fields or drops
required ones has not answered the question.
"""

from __future__ import annotations

from typing import Any

SEVERITIES = ["error", "warning", "note"]
CONFIDENCES = ["low", "medium", "high"]
VERDICTS = ["likely-true", "likely-false"]


def critique_schema(codes: list[str]) -> dict[str, Any]:
    """`{"findings": [{check, line, end_line, evidence, message, severity, confidence}]}`."""
    finding = {
        "type": "object",
        "additionalProperties": False,
        "required": ["check", "line", "end_line", "evidence", "message", "severity", "confidence"],
        "properties": {
            "check": {"type": "string", "enum": list(codes)},
            "line": {"type": "integer"},
            "end_line": {"type": "integer"},
            "evidence": {"type": "string"},
            "message": {"type": "string"},
            "severity": {"type": "string", "enum": SEVERITIES},
            "confidence": {"type": "string", "enum": CONFIDENCES},
        },
    }
    return _root("findings", finding)


def triage_schema() -> dict[str, Any]:
    """`{"verdicts": [{id, verdict, reason}]}`."""
    verdict = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "verdict", "reason"],
        "properties": {
            "id": {"type": "integer"},
            "verdict": {"type": "string", "enum": VERDICTS},
            "reason": {"type": "string"},
        },
    }
    return _root("verdicts", verdict)


def _root(key: str, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [key],
        "properties": {key: {"type": "array", "items": item}},
    }


_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def problems(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """Every way `value` fails `schema` (type, enum, required, additionalProperties, items)."""
    expected = schema.get("type")
    if expected is not None:
        names = [expected] if isinstance(expected, str) else list(expected)
        ok = any(
            isinstance(value, _TYPES[name])
            and not (isinstance(value, bool) and name in ("integer", "number"))
            for name in names
        )
        if not ok:
            return [f"{where}: expected {' or '.join(names)}, got {type(value).__name__}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} is not one of {schema['enum']}"]
    out: list[str] = []
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        out += [f"{where}: missing {key!r}" for key in schema.get("required", ()) if key not in value]
        if schema.get("additionalProperties") is False:
            out += [f"{where}: unexpected {key!r}" for key in value if key not in properties]
        for key, sub in properties.items():
            if key in value:
                out += problems(value[key], sub, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            out += problems(item, schema["items"], f"{where}[{index}]")
    return out
