"""Reference stage: the ISO 3166-1 country graph, built from pycountry and a curated Wikidata table.

Contract:
    Input: pycountry's ISO 3166-1 database and its gettext catalogues (the Debian iso-codes
    data, LGPL-2.1), and ``data/reference/wikidata-countries.csv`` (columns ``alpha2,qid,name_en``).
    Output: an rdflib ``Graph`` with one ``gg:Country`` per ISO 3166-1 entry, and its
    deterministic Turtle serialization (``data/reference/countries.ttl``, loaded into
    ``graph/reference``).
    May import: ``govgraph.errors``, ``govgraph.model.*``, rdflib, pycountry, the standard library.
    Reads files only when a function is called; never prints.

Each country ``id:country/<ALPHA2>`` gets ``skos:notation``, ``skos:prefLabel`` in en, fr and ar,
``skos:altLabel`` for the ISO short and official names where they differ from the prefLabel,
``skos:hiddenLabel`` (the normalized Arabic of every Arabic label), ``dcterms:source`` and,
from the curated table, ``schema:sameAs`` its Wikidata item.
"""

from __future__ import annotations

import csv
import gettext
import importlib.metadata
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import BinaryIO

import pycountry
from rdflib import Graph, Literal, URIRef

from govgraph.errors import Location, SourceError, cut
from govgraph.model.namespaces import (
    DCTERMS,
    GG,
    ID,
    ISO_CODES_SOURCE,
    RDF,
    SCHEMA,
    SKOS,
    WD,
    bind_prefixes,
)
from govgraph.model.text import normalize_arabic

__all__ = [
    "LANGUAGES",
    "WIKIDATA_COLUMNS",
    "build_country_graph",
    "load_wikidata_table",
    "write_country_turtle",
]


LANGUAGES = ("en", "fr", "ar")
"""Label languages; en comes from pycountry's records, the others from its gettext catalogues."""

WIKIDATA_COLUMNS = ("alpha2", "qid", "name_en")

_ALPHA2 = re.compile(r"[A-Z]{2}")
_QID = re.compile(r"Q[1-9][0-9]*")

# Translations in iso-codes that name another country; (language, msgid, msgstr). The msgstr is
# part of the key so that a corrected upstream translation is used as soon as it ships.
# Seen with pycountry 26.2.16 (2026): "Moldova" is translated as the Maldives in Arabic; the
# ISO short name "Moldova, Republic of" has the right translation (جمهورية مولدوفا) and is used.
_REJECTED_TRANSLATIONS = frozenset({("ar", "Moldova", "المالديف")})


class _Missing(gettext.NullTranslations):
    """Fallback catalogue answering "" for a message the real catalogue lacks.

    ``GNUTranslations.gettext`` returns the English msgid when a message is untranslated; with this
    fallback a missing translation is told apart from one that equals the English ("Canada").
    msgfmt never compiles an empty msgstr, so "" cannot be a real translation.
    """

    def gettext(self, message: str) -> str:
        return ""


def _country_iri(alpha2: str) -> URIRef:
    """Return the IRI of a country, keyed by its ISO 3166-1 alpha-2 code.

    >>> str(_country_iri("MA"))
    'https://w3id.org/govgraph/id/country/MA'
    """
    return ID[f"country/{alpha2}"]


def _pycountry_version() -> str:
    return importlib.metadata.version("pycountry")


def _load_catalogs() -> dict[str, gettext.NullTranslations]:
    """Open pycountry's iso3166-1 catalogue for every non-English label language."""
    catalogs: dict[str, gettext.NullTranslations] = {}
    for lang in LANGUAGES:
        if lang == "en":
            continue
        try:
            catalog = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        except OSError as exc:
            raise SourceError(
                Location(pycountry.LOCALES_DIR),
                f"no iso3166-1 catalogue for language {lang!r}: {exc}; "
                "reinstall pycountry (its wheel ships the catalogues)",
            ) from exc
        catalog.add_fallback(_Missing())
        catalogs[lang] = catalog
    return catalogs


def _translate(catalog: gettext.NullTranslations, lang: str, message: str | None) -> str | None:
    """Translate ``message``; None when it is absent, untranslated or known to be wrong."""
    if not message:
        return None
    translated = catalog.gettext(message)
    if not translated or (lang, message, translated) in _REJECTED_TRANSLATIONS:
        return None
    return unicodedata.normalize("NFC", translated)


def _distinct(values: Iterable[str | None], exclude: str | None) -> list[str]:
    """Keep the non-empty values that differ from ``exclude`` and from each other, in order.

    >>> _distinct(["Bolivia, Plurinational State of", None, "Bolivia"], "Bolivia")
    ['Bolivia, Plurinational State of']
    """
    kept: list[str] = []
    for value in values:
        if value and value != exclude and value not in kept:
            kept.append(value)
    return kept


def _country_labels(
    country: pycountry.db.Country, catalogs: Mapping[str, gettext.NullTranslations]
) -> dict[str, tuple[str | None, list[str]]]:
    """Return ``{lang: (prefLabel, altLabels)}`` for one pycountry country record.

    The English prefLabel is pycountry's ``common_name`` when it has one ("Bolivia"), else its
    ``name``. The fr/ar prefLabel translates that same English name; when the catalogue lacks
    it (Arabic "South Korea", "Iran", "Syria" in pycountry 26.2.16), the translation of the ISO
    short name is used instead, and when that is missing too the language gets no prefLabel:
    English is never copied under another language tag. AltLabels are the ISO short name and
    the official name, in the same language, where they exist and differ from the prefLabel.
    """
    name: str = country.name
    common: str | None = getattr(country, "common_name", None)
    official: str | None = getattr(country, "official_name", None)
    labels: dict[str, tuple[str | None, list[str]]] = {}
    english = common or name
    labels["en"] = (english, _distinct([name, official], english))
    for lang, catalog in catalogs.items():
        short = _translate(catalog, lang, name)
        pref = _translate(catalog, lang, common) or short
        alts = _distinct([short, _translate(catalog, lang, official)], pref)
        labels[lang] = (pref, alts)
    return labels


def build_country_graph(wikidata: Mapping[str, str]) -> Graph:
    """Build the graph of every ISO 3166-1 country that pycountry knows (249 in 26.2.16).

    Args:
        wikidata: alpha-2 code → Wikidata QID, as returned by :func:`load_wikidata_table`;
            countries missing from it get no ``schema:sameAs``.

    Returns:
        A new graph, with govgraph's prefixes bound.

    Raises:
        SourceError: a key of ``wikidata`` is not a country pycountry knows, or a pycountry
            catalogue is missing.
    """
    known = {country.alpha_2 for country in pycountry.countries}
    unknown = sorted(set(wikidata) - known)
    if unknown:
        raise SourceError(
            Location("wikidata table", record=unknown[0]),
            f"not an ISO 3166-1 alpha-2 code known to pycountry {_pycountry_version()}: "
            f"{cut(unknown)}; remove the row or fix the code",
        )
    catalogs = _load_catalogs()
    graph = bind_prefixes(Graph())
    for country in pycountry.countries:
        alpha2: str = country.alpha_2
        iri = _country_iri(alpha2)
        graph.add((iri, RDF.type, GG.Country))
        graph.add((iri, SKOS.notation, Literal(alpha2)))
        graph.add((iri, DCTERMS.source, ISO_CODES_SOURCE))
        for lang, (pref, alts) in _country_labels(country, catalogs).items():
            if pref:
                graph.add((iri, SKOS.prefLabel, Literal(pref, lang=lang)))
            for alt in alts:
                graph.add((iri, SKOS.altLabel, Literal(alt, lang=lang)))
            if lang == "ar":
                # Only keys that differ from every label: SKOS S13 keeps pref/alt/hidden
                # labels disjoint. Matchers normalize pref and alt labels themselves.
                labels = ([pref] if pref else []) + alts
                for key in sorted({normalize_arabic(label) for label in labels} - set(labels)):
                    graph.add((iri, SKOS.hiddenLabel, Literal(key, lang=lang)))
        if alpha2 in wikidata:
            graph.add((iri, SCHEMA.sameAs, WD[wikidata[alpha2]]))
    return graph


def load_wikidata_table(path: str | os.PathLike[str]) -> dict[str, str]:
    """Read the curated country → Wikidata table (CSV, UTF-8, header ``alpha2,qid,name_en``).

    Args:
        path: the CSV file, normally ``data/reference/wikidata-countries.csv``.

    Returns:
        ``{alpha2: qid}``, e.g. ``{"MA": "Q1028"}``, in file order. ``name_en`` is for human
        readers and review; it is required but not used.

    Raises:
        SourceError: the file cannot be read, its header is wrong, or a row is malformed (wrong
            number of fields, an alpha-2 code that is not upper-case ISO 3166-1, a QID that is not
            ``Q<digits>``, an empty name, or a code or QID given twice); the Location names the
            file and the line.
    """
    where = os.fspath(path)
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return _read_wikidata_rows(where, csv.reader(handle, strict=True))
    except OSError as exc:
        raise SourceError(
            Location(where), f"cannot read the file: {exc.strerror or exc}; check the path"
        ) from exc
    except UnicodeDecodeError as exc:
        raise SourceError(
            Location(where), f"not UTF-8 (byte {exc.start}): {cut(exc.object[exc.start:exc.end])}"
        ) from exc


def _read_wikidata_rows(where: str, reader: Iterator[list[str]]) -> dict[str, str]:
    known = {country.alpha_2 for country in pycountry.countries}
    table: dict[str, str] = {}
    seen_at: dict[str, int] = {}
    qid_at: dict[str, int] = {}
    try:
        header = next(reader, None)
        line = getattr(reader, "line_num", 1)
        if header is None:
            raise SourceError(
                Location(where), "the file is empty; expected a header alpha2,qid,name_en"
            )
        if tuple(header) != WIKIDATA_COLUMNS:
            raise SourceError(
                Location(where, line=line),
                f"wrong header: {cut(','.join(header))}; expected exactly alpha2,qid,name_en",
            )
        for row in reader:
            line = getattr(reader, "line_num", line + 1)
            if not row:
                continue
            if len(row) != len(WIKIDATA_COLUMNS):
                raise SourceError(
                    Location(where, line=line),
                    f"expected 3 fields (alpha2,qid,name_en), found {len(row)}: "
                    f"{cut(','.join(row))}",
                )
            alpha2, qid, name_en = row
            if not _ALPHA2.fullmatch(alpha2):
                raise SourceError(
                    Location(where, line=line, field="alpha2"),
                    f"not an upper-case ISO 3166-1 alpha-2 code: {cut(alpha2)}; e.g. 'MA'",
                )
            if alpha2 not in known:
                raise SourceError(
                    Location(where, line=line, field="alpha2"),
                    f"not an ISO 3166-1 alpha-2 code known to pycountry {_pycountry_version()}: "
                    f"{cut(alpha2)}",
                )
            if not _QID.fullmatch(qid):
                raise SourceError(
                    Location(where, line=line, field="qid"),
                    f"not a Wikidata item id: {cut(qid)}; expected Q followed by digits, "
                    "e.g. 'Q1028'",
                )
            if not name_en.strip():
                raise SourceError(
                    Location(where, line=line, field="name_en"),
                    f"empty name for {alpha2}; give the English name, for review",
                )
            if alpha2 in seen_at:
                raise SourceError(
                    Location(where, line=line, field="alpha2"),
                    f"{cut(alpha2)} is already given on line {seen_at[alpha2]}; keep one row",
                )
            if qid in qid_at:
                raise SourceError(
                    Location(where, line=line, field="qid"),
                    f"{cut(qid)} is already given on line {qid_at[qid]}; one item per country",
                )
            seen_at[alpha2] = line
            qid_at[qid] = line
            table[alpha2] = qid
    except csv.Error as exc:
        raise SourceError(
            Location(where, line=getattr(reader, "line_num", None)), f"malformed CSV: {exc}"
        ) from exc
    return table


def write_country_turtle(graph: Graph, stream: BinaryIO) -> None:
    """Write ``graph`` as deterministic UTF-8 Turtle to a binary stream.

    The same triples always give the same bytes, whatever their insertion order or the
    graph's own prefix bindings: the triples are copied into a graph with govgraph's prefixes
    only, rdflib's Turtle serializer sorts prefixes, subjects, predicates and objects, the graph
    holds no blank nodes, and the header carries no date. The header says the file is generated
    and by which pycountry version.

    Args:
        graph: normally the result of :func:`build_country_graph`.
        stream: a binary file object (``open(path, "wb")``, ``sys.stdout.buffer``).
    """
    header = (
        "# GENERATED FILE: do not edit by hand.\n"
        f"# Written by `govgraph reference` from pycountry {_pycountry_version()} (ISO 3166-1 and\n"
        "# its translations from Debian iso-codes, LGPL-2.1) and\n"
        "# data/reference/wikidata-countries.csv (Wikidata, CC0). See data/reference/README.md.\n"
        "\n"
    )
    canonical = bind_prefixes(Graph())
    canonical += graph
    stream.write(header.encode("utf-8"))
    stream.write(canonical.serialize(format="turtle", encoding="utf-8"))
