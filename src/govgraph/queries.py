"""The query catalogue: the named SPARQL queries of ``queries/*.rq`` and their headers.

Layer: queries (imports only govgraph.errors, govgraph.config and govgraph.model). Input: a
folder of ``<snake_name>.rq`` files, each starting with header comments
``# title@en: ...``, ``# title@fr: ...``, ``# title@ar: ...`` and the same for
``description@<lang>``. Output: one ``CatalogueQuery`` per file, sorted by name. A file that
cannot be read, or lacks one of the three titles, raises ``SourceError`` naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from govgraph.errors import Location, SourceError, cut

LANGUAGES = ("en", "fr", "ar")
"""The languages every catalogue query is documented in; English is the fallback."""

_HEADER = re.compile(r"#\s*(?P<kind>title|description)@(?P<lang>[A-Za-z-]+)\s*:\s*(?P<text>.*)")


@dataclass(frozen=True)
class CatalogueQuery:
    """A named query of the catalogue.

    Attributes:
        name: the file stem, which is also the query's name in the CLI and the endpoint.
        text: the whole file, header comments included (they are SPARQL comments).
        titles: the title by language (``en``, ``fr``, ``ar``).
        descriptions: the description by language; a language may be missing.
    """

    name: str
    text: str
    titles: dict[str, str] = field(hash=False)
    descriptions: dict[str, str] = field(hash=False)

    def title(self, language: str) -> str:
        """Return the title in ``language``, or in English when the header has none.

        >>> CatalogueQuery("q", "", {"en": "Q", "ar": "س"}, {}).title("ar")
        'س'
        >>> CatalogueQuery("q", "", {"en": "Q"}, {}).title("fr")
        'Q'
        """
        return self.titles.get(language) or self.titles["en"]

    def description(self, language: str) -> str:
        """Return the description in ``language``, else in English, else an empty string."""
        return self.descriptions.get(language) or self.descriptions.get("en", "")


def _read_headers(path: Path, text: str) -> tuple[dict[str, str], dict[str, str]]:
    found: dict[str, dict[str, str]] = {"title": {}, "description": {}}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break  # the header is the comment block before the first line of SPARQL
        match = _HEADER.fullmatch(stripped)
        if match is None:
            continue
        kind, language, value = match["kind"], match["lang"], match["text"].strip()
        where = Location(str(path), line=number)
        if language not in LANGUAGES:
            raise SourceError(
                where,
                f"{kind} in an unknown language: {cut(language)}; "
                f"expected one of {', '.join(LANGUAGES)}",
            )
        if not value:
            raise SourceError(where, f"{kind}@{language} is empty; write the {kind} after ':'")
        if language in found[kind]:
            raise SourceError(
                where, f"a second {kind}@{language}: {cut(value)}; give each language once"
            )
        found[kind][language] = value
    return found["title"], found["description"]


def load_query(path: Path) -> CatalogueQuery:
    """Read one catalogue query from its ``.rq`` file.

    Raises:
        SourceError: the file cannot be read as UTF-8, or its header lacks a title in one of
            en, fr, ar (or repeats one, or names another language).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(Location(str(path)), f"not UTF-8 text: {exc.reason}") from exc
    except OSError as exc:
        raise SourceError(Location(str(path)), f"cannot read the query: {exc.strerror}") from exc
    titles, descriptions = _read_headers(path, text)
    missing = [language for language in LANGUAGES if language not in titles]
    if missing:
        raise SourceError(
            Location(str(path)),
            f"the header has no title in {', '.join(missing)}; start the file with "
            + ", ".join(f"'# title@{language}: ...'" for language in LANGUAGES),
        )
    return CatalogueQuery(path.stem, text, titles, descriptions)


def load_catalogue(folder: Path) -> list[CatalogueQuery]:
    """Read every ``*.rq`` file of ``folder``, sorted by name.

    Raises:
        SourceError: a query file cannot be read or lacks its titles (see ``load_query``).
    """
    return [load_query(path) for path in sorted(Path(folder).glob("*.rq"))]
