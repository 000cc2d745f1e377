"""Deterministic IRIs for govgraph instances, concepts and graphs.

Layer: model. Pure helpers: the same inputs always give the same IRI.
"""

from __future__ import annotations

import hashlib
import re

from rdflib import URIRef

from govgraph.errors import GovgraphError
from govgraph.model.namespaces import ID

KINDS = frozenset(
    "country org person post event membership candidacy participation occupancy initiative "
    "framework platform agreement index ranking rank-change speech video claim doc graph fact "
    "evidence run concept period instant".split()
)
_SLUG_PART = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_YEAR = re.compile(r"^\d{4}$")


def short_hash(*values: str, length: int = 12) -> str:
    """Return the first ``length`` hex digits of the sha1 of the joined values.

    >>> short_hash("<s> <p> <o> .")
    '593bfa7ab95b'
    """
    return hashlib.sha1("\x1f".join(values).encode("utf-8")).hexdigest()[:length]


def mint_iri(kind: str, *keys: str) -> URIRef:
    """Return the instance IRI ``<base>/id/<kind>/<key>/<key>...``.

    Each key part is a lowercase slug or an ISO 3166-1 alpha-2 country code in upper case
    (``country/MA``, ``membership/dco-executive-committee/MA/2026``); parts may be joined by '/'.

    >>> mint_iri("country", "MA")
    rdflib.term.URIRef('https://w3id.org/govgraph/id/country/MA')
    >>> mint_iri("org", "dco", "executive-committee")
    rdflib.term.URIRef('https://w3id.org/govgraph/id/org/dco/executive-committee')
    >>> mint_iri("period", "2027-2030")
    rdflib.term.URIRef('https://w3id.org/govgraph/id/period/2027-2030')
    >>> mint_iri("org", "DCO")
    Traceback (most recent call last):
    ...
    govgraph.errors.GovgraphError: cannot mint an IRI of kind 'org' from key 'DCO': \
expected lowercase a-z, 0-9 and '-'
    """
    if kind not in KINDS:
        raise GovgraphError(f"unknown IRI kind {kind!r}; known: {', '.join(sorted(KINDS))}")
    if not keys:
        raise GovgraphError(f"cannot mint an IRI of kind {kind!r} without a key")
    for key in keys:
        for part in key.split("/"):
            if not _SLUG_PART.match(part) and not _COUNTRY.match(part):
                raise GovgraphError(
                    f"cannot mint an IRI of kind {kind!r} from key {key!r}: "
                    "expected lowercase a-z, 0-9 and '-'"
                )
    return ID[kind + "/" + "/".join(keys)]


def period_iri(first_year: int, last_year: int | None = None) -> URIRef:
    """Return the IRI of the term running from ``first_year`` to ``last_year`` (inclusive).

    >>> period_iri(2026)
    rdflib.term.URIRef('https://w3id.org/govgraph/id/period/2026')
    >>> period_iri(2027, 2030)
    rdflib.term.URIRef('https://w3id.org/govgraph/id/period/2027-2030')
    """
    last_year = first_year if last_year is None else last_year
    if last_year < first_year:
        raise GovgraphError(f"a period cannot end ({last_year}) before it begins ({first_year})")
    key = str(first_year) if first_year == last_year else f"{first_year}-{last_year}"
    return mint_iri("period", key)


def concept_iri(scheme: str, key: str) -> URIRef:
    """Return the IRI of concept ``key`` in SKOS scheme ``scheme``.

    >>> concept_iri("role", "member-state")
    rdflib.term.URIRef('https://w3id.org/govgraph/id/concept/role/member-state')
    """
    return mint_iri("concept", scheme, key)
