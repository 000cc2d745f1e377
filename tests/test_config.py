"""Settings: defaults < configuration file < environment < flags; clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from govgraph.config import Settings, load_settings, resource_dir
from govgraph.errors import ConfigError


def test_defaults() -> None:
    assert load_settings(environ={}).store == "var/store"


def test_precedence(tmp_path: Path) -> None:
    config = tmp_path / "govgraph.toml"
    config.write_text('[govgraph]\nstore = "from-file"\n', encoding="utf-8")
    assert load_settings(config, environ={}).store == "from-file"
    env = {"GOVGRAPH_STORE": "from-env"}
    assert load_settings(config, environ=env).store == "from-env"
    assert load_settings(config, environ=env, store="from-flag").store == "from-flag"
    assert load_settings(config, environ=env, store=None).store == "from-env"


def test_an_unknown_setting_is_named(tmp_path: Path) -> None:
    config = tmp_path / "govgraph.toml"
    config.write_text('[govgraph]\nstroe = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unknown setting\(s\) stroe; known: "):
        load_settings(config, environ={})


def test_a_malformed_file_is_named(tmp_path: Path) -> None:
    config = tmp_path / "govgraph.toml"
    config.write_text("[govgraph\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="govgraph.toml: cannot read the configuration file"):
        load_settings(config, environ={})


def test_a_missing_resource_folder_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="set ontology_dir in govgraph.toml"):
        resource_dir(Settings(ontology_dir=str(tmp_path / "nowhere")), "ontology")
    assert (resource_dir(Settings(), "ontology") / "govgraph.ttl").is_file()
