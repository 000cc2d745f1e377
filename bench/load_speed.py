"""Load throughput: records parsed and mapped, announcements loaded with validation, bulk quads.

Prints figures; asserts nothing. Usage:
    .venv/bin/python bench/load_speed.py [--records 10000] [--validated 200] [--quads 1000000]

The generated corpus is synthetic: copies of the made-up test record
(tests/data/announcements/good.yaml) with generated ids and years, written to a temporary
folder and loaded into a temporary store; nothing reaches data/ or the real store.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

from govgraph.cli import load_context, load_one, main
from govgraph.config import REPO_ROOT, Settings
from govgraph.ingest import load_announcement
from govgraph.model.mapping import to_graphs
from govgraph.store import EmbeddedStore

FIXTURE = REPO_ROOT / "tests" / "data" / "announcements" / "good.yaml"


def write_corpus(folder: Path, count: int) -> list[Path]:
    """Write ``count`` synthetic records (ids 16 hex digits, years varied)."""
    template = FIXTURE.read_text(encoding="utf-8")
    shutil.copy(FIXTURE.with_suffix(".txt"), folder / "good.txt")
    paths = []
    for n in range(count):
        text = template.replace("00000000000000aa", f'"{n + 1:016x}"')
        path = folder / f"{n:05d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--validated", type=int, default=200)
    parser.add_argument("--quads", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        store_dir = root / "store"
        data = root / "data"
        shutil.copytree(REPO_ROOT / "data" / "reference", data / "reference")
        runner = CliRunner()
        result = runner.invoke(
            main, ["--store", str(store_dir), "build"], env={"GOVGRAPH_DATA_DIR": str(data)}
        )
        assert result.exit_code == 0, result.output
        corpus = root / "corpus"
        corpus.mkdir()
        paths = write_corpus(corpus, args.records)

        settings = Settings(store=str(store_dir))
        with EmbeddedStore.open(store_dir) as store:
            context = load_context(settings, store)
            start = time.perf_counter()
            triples = 0
            for path in paths:
                assertions, provenance = to_graphs(load_announcement(path), context.index)
                triples += len(assertions) + len(provenance)
            elapsed = time.perf_counter() - start
            print(
                f"parse + map {len(paths):>7} records: {len(paths) / elapsed:8.1f} records/s, "
                f"{triples / elapsed:9.0f} triples/s ({elapsed:.1f} s)"
            )
            sample = paths[: args.validated]
            start = time.perf_counter()
            written = sum(load_one(store, load_announcement(p), context) for p in sample)
            elapsed = time.perf_counter() - start
            print(
                f"validated load {len(sample):>5} records: {len(sample) / elapsed:8.1f} records/s, "
                f"{written / elapsed:9.0f} triples/s ({elapsed:.1f} s)"
            )

        quads = root / "synth.nq"
        result = runner.invoke(main, ["synth", "--triples", str(args.quads), "--out", str(quads)])
        assert result.exit_code == 0, result.output
        start = time.perf_counter()
        result = runner.invoke(main, ["--store", str(store_dir), "load", "--bulk", str(quads)])
        elapsed = time.perf_counter() - start
        assert result.exit_code == 0, result.output
        print(
            f"bulk load {args.quads:>10} quads: {args.quads / elapsed:10.0f} quads/s "
            f"({elapsed:.1f} s, on disk)"
        )


if __name__ == "__main__":
    main_bench()
