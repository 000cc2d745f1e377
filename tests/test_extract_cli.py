"""govgraph extract and load --from-text from the command line, as a steward uses them."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner

from govgraph.cli import main
from govgraph.config import REPO_ROOT

SEED = REPO_ROOT / "data" / "announcements" / "ma-mtnra" / "e8c76b1901d040da.txt"


def run(store: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--store", str(store), *args])
    return result.exit_code, result.stdout, result.stderr


def test_extract_writes_a_draft_that_loads(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "drafts"
    code, _, err = run(built, "extract", "--publisher", "ma/mtnra", "--out", str(out), str(SEED))
    assert code == 0, err
    draft = yaml.safe_load((out / "771cd515f9beca8f.yaml").read_text(encoding="utf-8"))
    assert draft["language"] == "ar" and draft["publisher"] == "ma/mtnra"
    assert "issued" not in draft and "url" not in draft
    text = (out / "771cd515f9beca8f.txt").read_text(encoding="utf-8")
    for fact in draft["facts"]:
        evidence = fact["evidence"]
        assert text[evidence["start"] : evidence["end"]] == evidence["quote"]
        assert fact["kind"] in {"explicit", "inferred", "claim"} and fact["rule"]
    store = tmp_path / "store"
    shutil.copytree(built, store)
    code, _, err = run(store, "load", str(out / "771cd515f9beca8f.yaml"))
    assert code == 0, err


def test_a_text_with_nothing_recognizable_gives_a_warning(built: Path, tmp_path: Path) -> None:
    path = tmp_path / "weather.txt"
    path.write_text("Made-up text: sunny tomorrow, light wind from the west.\n", "utf-8")
    code, out, err = run(built, "extract", "--publisher", "dco", str(path))
    assert code == 0
    assert f"warning: {path}: no fact recognized; nothing to load" in err
    assert not yaml.safe_load(out.removeprefix("---\n")).get("facts")


def test_invalid_utf8_names_the_line(built: Path, tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Made-up text.\nLe Koweït accueille.\n".encode("latin-1"))
    code, _, err = run(built, "extract", "--publisher", "dco", str(path))
    assert code == 1
    assert f"error: {path}: line 2: raw text is not valid UTF-8 at byte 21" in err


def test_load_from_text_needs_a_publisher(built: Path) -> None:
    code, _, err = run(built, "load", "--from-text", str(SEED))
    assert code == 2
    assert "--from-text needs --publisher" in err
