"""Records: the typed, source-neutral form of an announcement and the facts it states.

Layer: model. Loaders (``ingest``) and extractors (``extract``) produce these; only
``model/mapping.py`` turns them into triples. Records hold plain values (str, int, dates as
ISO strings) and references to entities as keys (see docs/records.md):

- a country: its ISO 3166-1 alpha-2 code, ``"MA"``;
- an organization, organ, post, initiative, framework, platform or index: its reference key,
  the IRI path after the kind, ``"dco/executive-committee"``, ``"ma/d4sd"``;
- a person: the key of an entry of ``Announcement.people`` or of the reference data;
- an event: a session ``"dco/general-assembly/5"`` (organ key and ordinal);
- a fact of the same record: ``"#<fact id>"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("explicit", "inferred", "claim", "metadata")


@dataclass(frozen=True)
class Evidence:
    """Where the source states a fact: code-point offsets into the raw text and the quote.

    ``start``/``end`` are None for curated records whose raw text is not archived; ``note``
    then says where in the source the fact is (e.g. a paragraph, or a dossier line id).
    """

    quote: str | None = None
    start: int | None = None
    end: int | None = None
    note: str | None = None
    source: str | None = None
    """The URL of the source that states it, when it is not the announcement itself."""


@dataclass(frozen=True)
class Person:
    """A person named in an announcement."""

    key: str
    names: dict[str, str] = field(default_factory=dict)
    """Names by language code; a Latin-script name under ``en`` gives the key."""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fact:
    """One statement of the source, with its evidence, its kind and what found it.

    ``type`` names the fact type (session, election, candidacy, membership, post-holding,
    representation, speech, claim, initiative, framework, platform, agreement, ranking,
    video, relation); ``values`` holds its fields as documented in docs/records.md.
    """

    type: str
    values: dict[str, object]
    evidence: Evidence | None = None
    kind: str = "explicit"
    id: str | None = None
    rule: str | None = None


@dataclass(frozen=True)
class Announcement:
    """A source document and the facts it states."""

    id: str
    publisher: str
    language: str
    title: str
    sha256: str | None = None
    text: str | None = None
    """The raw text, exactly as archived (offsets refer to it)."""
    url: str | None = None
    urls: tuple[str, ...] = ()
    issued: str | None = None
    retrieved: str | None = None
    genre: str | None = None
    people: tuple[Person, ...] = ()
    facts: tuple[Fact, ...] = ()
    path: str = "<record>"
    """The file the record came from, for error messages."""
    lines: dict[str, int] = field(default_factory=dict, compare=False)
    """Line of each field path (``facts/3/host``) in the record file, for error messages."""

    def line_of(self, field_path: str) -> int | None:
        """Return the line of a field path, or of its nearest enclosing field."""
        parts = field_path.split("/")
        while parts:
            line = self.lines.get("/".join(parts))
            if line is not None:
                return line
            parts.pop()
        return None
