"""Announcement records (YAML or JSON) -> ``Announcement`` records, checked field by field.

Layer: ingest. Input: a record file (docs/records.md) and the raw text it points to. Output:
``model.records.Announcement``. Imports: yaml, jsonschema, govgraph.errors, govgraph.model.
Does not import rdflib and does not know the store exists.

Every error names the file, the line and the field, and says what to do.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from govgraph.errors import Location, SourceError, cut
from govgraph.model.records import Announcement, Evidence, Fact, Person
from govgraph.model.text import to_ascii_digits

DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
FACT_KEYS = ("type", "evidence", "kind", "id", "rule")
"""Keys common to every fact; the others are the fact's values."""
DATE_FIELDS = {"issued", "retrieved", "start", "end", "date", "launched"}
ARABIC_INDIC_NUMBER = re.compile(r"^[\u0660-\u0669\u06f0-\u06f9]+$")


class RecordLoader(yaml.SafeLoader):
    """YAML 1.2-like loading: dates stay strings and only true/false are booleans.

    (YAML 1.1 would read ``2026-02-04`` as a date and the country code ``NO`` as False.)
    """


RecordLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in (
        "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
RecordLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@cache
def record_schema() -> dict[str, Any]:
    """Return the JSON Schema of records (shipped with the package)."""
    text = resources.files("govgraph.ingest").joinpath("record.schema.json").read_text("utf-8")
    return dict(json.loads(text))


@cache
def record_validator() -> jsonschema.Draft202012Validator:
    """Return the compiled validator of the record schema (compiling it is slow)."""
    return jsonschema.Draft202012Validator(record_schema())


def _line_map(
    node: yaml.Node, path: str = "", lines: dict[str, int] | None = None
) -> dict[str, int]:
    """Return the 1-based line of every field path (``facts/3/host``) in a composed YAML tree."""
    lines = {} if lines is None else lines
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = f"{path}/{key_node.value}" if path else str(key_node.value)
            lines[child] = key_node.start_mark.line + 1
            _line_map(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, f"{path}/{index}" if path else str(index), lines)
    return lines


def read_record_file(path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """Read a YAML or JSON record: its data and the line of each field path.

    Raises:
        SourceError: the file is unreadable, not UTF-8, or not valid YAML/JSON.
    """
    location = Location(str(path))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(location, f"cannot read the file: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError(
            Location(str(path), line=line),
            f"not valid UTF-8 at byte {exc.start}; save the file as UTF-8",
        ) from exc
    if path.suffix.lower() == ".json":
        data = _parse_json(text, path)
        try:
            node = yaml.compose(text, Loader=RecordLoader)
        except yaml.YAMLError:
            node = None  # valid JSON that YAML cannot read: no line numbers, still loadable
        return _checked_mapping(data, path), _line_map(node) if node is not None else {}
    loader = RecordLoader(text)
    try:
        node = loader.get_single_node()  # one parse gives both the data and the lines
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        mark_line = mark.line + 1 if mark else None
        raise SourceError(
            Location(str(path), line=mark_line),
            f"not valid YAML: {exc.problem or exc}; fix the syntax on this line "
            "(a truncated file ends in the middle of a value)",
        ) from exc
    finally:
        loader.dispose()
    if node is None:
        raise SourceError(location, "the file is empty; a record needs id, publisher, ...")
    return _checked_mapping(data, path), _line_map(node)


def _parse_json(text: str, path: Path) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(
            Location(str(path), line=exc.lineno),
            f"not valid JSON: {exc.msg} (column {exc.colno}); fix the syntax on this line "
            "(a truncated file ends in the middle of a value)",
        ) from exc


def _checked_mapping(data: Any, path: Path) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise SourceError(
            Location(str(path)), "a record must be a mapping of fields (id, publisher, ...)"
        )
    return data


def _convert_digits(value: Any) -> Any:
    """Turn strings of Arabic-Indic digits into integers, recursively."""
    if isinstance(value, str) and ARABIC_INDIC_NUMBER.match(value):
        return int(to_ascii_digits(value))
    if isinstance(value, dict):
        return {k: _convert_digits(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_convert_digits(v) for v in value]
    return value


def _schema_path(error: jsonschema.ValidationError) -> str:
    return "/".join(str(part) for part in error.absolute_path)


def _best_error(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """Pick the most specific error of an ``allOf``/``if-then`` tree."""
    return jsonschema.exceptions.best_match([error]) if error.context else error


def check_against_schema(data: dict[str, Any], path: Path, lines: dict[str, int]) -> list[str]:
    """Return one message per schema error, each naming its line and field."""
    messages = []
    errors = record_validator().iter_errors(data)
    for error in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
        error = _best_error(error)
        field = _schema_path(error)
        location = Location(str(path), line=_line_of(lines, field), field=field or None)
        messages.append(f"{location}: {_describe(error)}")
    return messages


def _describe(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        return f"{error.message}; see docs/records.md for the fields of this fact type"
    if error.validator == "required":
        return f"{error.message}; add it"
    if error.validator == "pattern":
        return f"{cut(error.instance)} does not have the expected form ({error.schema['pattern']})"
    if error.validator == "type" and error.validator_value == "string":
        return f"{cut(error.instance)} is not text; put the value in quotes"
    if error.validator == "enum":
        allowed = ", ".join(map(str, error.schema["enum"]))
        return f"{cut(error.instance)} is not one of: {allowed}"
    return error.message


def _line_of(lines: dict[str, int], field: str) -> int | None:
    parts = field.split("/") if field else []
    while True:
        line = lines.get("/".join(parts))
        if line is not None or not parts:
            return line
        parts.pop()


def check_date(value: str, location: Location) -> str:
    """Return ``value`` if it is a real date of the form YYYY, YYYY-MM or YYYY-MM-DD.

    >>> check_date("2024-02-29", Location("r.yaml"))
    '2024-02-29'
    >>> check_date("2025-02-29", Location("r.yaml", line=3, field="issued"))
    Traceback (most recent call last):
    ...
    govgraph.errors.SourceError: r.yaml: line 3: field "issued": \
cannot read '2025-02-29' as a date: February 2025 has 28 days; expected YYYY-MM-DD
    """
    match = DATE.match(value)
    if not match:
        raise SourceError(location, f"cannot read {cut(value)} as a date; expected YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in match.groups())
    if month is not None and not 1 <= month <= 12:
        raise SourceError(location, f"cannot read {cut(value)} as a date: no month {month}")
    if month is not None and day is not None:
        days = calendar.monthrange(year or 1, month)[1]
        if not 1 <= day <= days:
            name = calendar.month_name[month]
            raise SourceError(
                location,
                f"cannot read {cut(value)} as a date: {name} {year} has {days} days; "
                "expected YYYY-MM-DD",
            )
    return value


def _walk_dates(data: Any, path: str, where: Path, lines: dict[str, int]) -> list[str]:
    problems = []
    if isinstance(data, dict):
        for key, value in data.items():
            child = f"{path}/{key}" if path else key
            if key in DATE_FIELDS and isinstance(value, str):
                location = Location(str(where), line=_line_of(lines, child), field=child)
                try:
                    check_date(value, location)
                except SourceError as exc:
                    problems.append(str(exc))
            else:
                problems.extend(_walk_dates(value, child, where, lines))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            problems.extend(_walk_dates(item, f"{path}/{index}", where, lines))
    return problems


def read_raw_text(path: Path, location: Location) -> tuple[str, str]:
    """Return the raw text of an announcement (NFC, as archived) and the sha256 of its bytes.

    Raises:
        SourceError: the file is missing, not UTF-8, or not in Unicode NFC.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(location, f"cannot read the raw text {path}: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceError(
            Location(str(path), line=line), f"raw text is not valid UTF-8 at byte {exc.start}"
        ) from exc
    if not unicodedata.is_normalized("NFC", text):
        raise SourceError(
            Location(str(path)),
            "raw text is not in Unicode NFC, so offsets would be ambiguous; normalize it to NFC",
        )
    return text, hashlib.sha256(raw).hexdigest()


def _evidence(data: dict[str, Any] | None, text: str | None, location: Location) -> Evidence | None:
    if data is None:
        return None
    quote, start, end = data.get("quote"), data.get("start"), data.get("end")
    if quote is not None and text is not None:
        if start is None:
            start = _find_unique(text, quote, location)
            end = start + len(quote)
        elif text[start:end] != quote:
            raise SourceError(
                location,
                f"evidence quote {cut(quote)} is not the text at [{start}, {end}), which reads "
                f"{cut(text[start:end])}; fix the offsets or the quote",
            )
    return Evidence(quote, start, end, data.get("note"), data.get("source"))


def _find_unique(text: str, quote: str, location: Location) -> int:
    first = text.find(quote)
    if first < 0:
        raise SourceError(location, f"evidence quote {cut(quote)} does not occur in the raw text")
    if text.find(quote, first + 1) >= 0:
        raise SourceError(
            location, f"evidence quote {cut(quote)} occurs more than once; give start and end"
        )
    return first


def load_record(path: Path) -> Announcement:
    """Read, check and return one announcement record.

    Raises:
        SourceError: anything wrong with the record; the message lists every problem found.
    """
    data, lines = read_record_file(path)
    data = _convert_digits(data)
    problems = check_against_schema(data, path, lines) or _walk_dates(data, "", path, lines)
    if problems:
        more = f" (and {len(problems) - 1} more problem(s) below)" if len(problems) > 1 else ""
        raise SourceError(Location(str(path)), f"invalid record{more}:\n  " + "\n  ".join(problems))
    text, sha256 = _text_of(data, path, lines)

    def at(field: str) -> Location:
        return Location(str(path), line=_line_of(lines, field), field=field)

    facts = tuple(
        Fact(
            type=item["type"],
            values={k: v for k, v in item.items() if k not in FACT_KEYS},
            evidence=_evidence(item.get("evidence"), text, at(f"facts/{index}/evidence")),
            kind=item.get("kind", "explicit"),
            id=item.get("id"),
            rule=item.get("rule"),
        )
        for index, item in enumerate(data.get("facts", []))
    )
    people = tuple(
        Person(p["key"], dict(p.get("names", {})), tuple(p.get("aliases", ())))
        for p in data.get("people", [])
    )
    return Announcement(
        id=data["id"], publisher=data["publisher"], language=data["language"],
        title=data["title"], sha256=sha256 or data.get("sha256"), text=text,
        url=data.get("url"), urls=tuple(data.get("urls", ())), issued=data.get("issued"),
        retrieved=data.get("retrieved"), genre=data.get("genre"), people=people, facts=facts,
        path=str(path), lines=lines,
    )


def _text_of(
    data: dict[str, Any], path: Path, lines: dict[str, int]
) -> tuple[str | None, str | None]:
    if "text_path" in data:
        location = Location(str(path), line=_line_of(lines, "text_path"), field="text_path")
        text, sha256 = read_raw_text(path.parent / data["text_path"], location)
    elif "text" in data:
        text = data["text"]
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    else:
        return None, None
    declared = data.get("sha256")
    if declared and declared != sha256:
        raise SourceError(
            Location(str(path), line=_line_of(lines, "sha256"), field="sha256"),
            f"the raw text's sha256 is {sha256}, not {declared}; the text changed since the "
            "record was written: check it, then update sha256",
        )
    return text, sha256
