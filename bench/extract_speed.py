"""Benchmark `govgraph extract`: announcements per second on a generated corpus.

Run from the repository root: ``.venv/bin/python bench/extract_speed.py [N]`` (default 10000).
The corpus is **generated**: each text recombines body sentences of the made-up fixtures of
tests/data/extract (and the seed) in one language, with the persons' names replaced by invented
ones, under the title "Generated benchmark announcement <n> (not a real event)". Generation is
deterministic (fixed random seed). Prints one line per measurement.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

import rdflib

from govgraph.extract import extract_announcement
from govgraph.extract.html import html_to_text, is_html
from govgraph.extract.normalize import Document
from govgraph.model.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "data" / "extract"
SEED = ROOT / "data" / "announcements" / "ma-mtnra" / "e8c76b1901d040da.txt"
LATIN = (["Amina", "Karim", "Sofia", "Omar", "Lea", "Ibrahim", "Nadia", "Yusuf", "Ines", "Tariq"],
         ["Benali-Rosen", "Okafor-Lind", "Haddou-Marsh", "Qasimi-Drew", "Ferhat-Lowe"])
ARABIC = (["سلمى", "كريم", "نادية", "يوسف", "ليلى", "طارق"],
          ["البناني الزرهوني", "العمراني الفاسي", "الحسني التازي", "الإدريسي الودغيري"])


def sentences_by_language() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Body sentences of every fixture, by language, and the person names they contain."""
    pools: dict[str, list[str]] = {"ar": [], "fr": [], "en": []}
    names: dict[str, list[str]] = {"ar": [], "fr": [], "en": []}
    paths = sorted(p for p in FIXTURES.glob("*/*") if p.suffix in (".txt", ".html"))
    for path in [SEED, *paths]:
        raw = path.read_text(encoding="utf-8")
        text = html_to_text(raw).text if is_html(raw) else raw
        lang = "ar" if path == SEED else path.parent.name
        lines = [line.strip() for line in text.splitlines() if len(line.split()) >= 6]
        pools[lang].extend(lines[1:])
        expected = path.with_name(path.stem + ".expected.json")
        if expected.exists():
            for word in json.dumps(json.loads(expected.read_text(encoding="utf-8")),
                                   ensure_ascii=False).split('"person": "')[1:]:
                names[lang].append(word.split('"', 1)[0])
    names["ar"].append("أمل الفلاح السغروشني")
    return pools, names


def generate(n: int) -> list[tuple[str, str]]:
    """``n`` generated (language, text) pairs."""
    rng = random.Random(20260204)
    pools, names = sentences_by_language()
    corpus = []
    languages = ["ar", "fr", "en"]
    for index in range(n):
        lang = languages[index % 3]
        body = rng.sample(pools[lang], k=min(len(pools[lang]), rng.randint(4, 9)))
        text = "\n\n".join(body)
        first, last = ARABIC if lang == "ar" else LATIN
        for name in sorted(set(names[lang]), key=len, reverse=True):
            text = text.replace(name, f"{rng.choice(first)} {rng.choice(last)}")
        title = f"Generated benchmark announcement {index} (not a real event)"
        corpus.append((lang, f"{title}\n\n{text}\n"))
    return corpus


def main(n: int) -> None:
    start = time.perf_counter()
    graph = rdflib.Graph()
    for path in sorted((ROOT / "data" / "reference").glob("*.ttl")) + sorted(
            (ROOT / "ontology" / "schemes").glob("*.ttl")):
        graph.parse(path, format="turtle")
    gazetteer = Gazetteer.from_graph(graph)
    print(f"gazetteer: {len(gazetteer)} labels in {time.perf_counter() - start:.2f} s")
    corpus = generate(n)
    chars = sum(len(text) for _, text in corpus)
    print(f"corpus: {n} generated announcements, {chars / n:,.0f} characters on average")
    extract_announcement(corpus[0][1], path="warm-up", gazetteer=gazetteer, publisher="dco")
    start = time.perf_counter()
    facts = 0
    for index, (lang, text) in enumerate(corpus):
        record = extract_announcement(text, path=f"generated/{lang}/{index}.txt",
                                      gazetteer=gazetteer, publisher="dco")
        facts += len(record.facts)
    elapsed = time.perf_counter() - start
    print(f"extract: {n / elapsed:,.0f} announcements/s ({elapsed:.1f} s, {facts / n:.1f} facts "
          f"per announcement, {chars / elapsed / 1e6:.2f} M characters/s)")
    start = time.perf_counter()
    for _, text in corpus[: min(n, 2000)]:
        Document(text)
    tokenize = time.perf_counter() - start
    print(f"of which folding and tokenizing: {min(n, 2000) / tokenize:,.0f} announcements/s")


if __name__ == "__main__":
    import logging

    logging.disable(logging.WARNING)  # generated texts lack publishers' metadata on purpose
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
