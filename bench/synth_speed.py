"""Benchmark the synth stage: quads per second to generate, and to generate and write N-Quads.

Run from the repository root: ``.venv/bin/python bench/synth_speed.py [N ...]``
(default 100000 and 1000000). Output goes to /dev/null; one line per measurement.
"""

from __future__ import annotations

import sys
import time

from govgraph.config import Settings, resource_dir
from govgraph.model.namespaces import GG, RDF
from govgraph.model.ontology import parse_turtle_files
from govgraph.synth import iter_synthetic_quads, write_nquads


def main(sizes: list[int]) -> None:
    countries_file = resource_dir(Settings(), "data") / "reference" / "countries.ttl"
    countries = sorted(parse_turtle_files([countries_file]).subjects(RDF.type, GG.Country))
    print(f"{len(countries)} countries")
    for n in sizes:
        start = time.perf_counter()
        count = sum(1 for _quad in iter_synthetic_quads(n, 0, countries))
        generated = time.perf_counter() - start
        start = time.perf_counter()
        with open("/dev/null", "w", encoding="utf-8", newline="\n") as sink:
            written = write_nquads(iter_synthetic_quads(n, 0, countries), sink)
        total = time.perf_counter() - start
        assert count == written
        print(f"{n:>9} quads: generate {count / generated:>9,.0f} quads/s ({generated:.2f} s); "
              f"generate+write {written / total:>9,.0f} quads/s ({total:.2f} s)")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100_000, 1_000_000])
