"""Settings, built once and passed down, and the paths of govgraph's resource folders.

Layer: first (beside errors). Precedence: defaults < ``govgraph.toml`` (or ``--config``) <
``GOVGRAPH_*`` environment variables < command-line flags.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from govgraph.errors import ConfigError

CONFIG_FILE = "govgraph.toml"
ENV_PREFIX = "GOVGRAPH_"
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    """Every setting govgraph reads. Paths are resolved against the working directory.

    Attributes:
        store: a directory for the embedded store, ``":memory:"`` for an in-memory store,
            or the ``http(s)://`` query URL of a remote SPARQL 1.1 server.
        store_update: the remote server's SPARQL Update URL (default: the query URL).
        store_graphs: the remote server's Graph Store Protocol URL (default: none; whole
            graphs are then written with SPARQL Update).
        store_user: the user name for HTTP basic authentication to the remote server.
        store_password: its password.
        data_dir: the folder holding ``reference/`` and ``announcements/``.
        ontology_dir: the folder holding ``govgraph.ttl``, ``schemes/`` and ``shapes/``.
        queries_dir: the folder of named ``.rq`` queries.
        ui_dir: the folder holding the UI's ``package.json`` and, once installed, its
            ``node_modules/`` (YASGUI).
        host: the address ``govgraph serve`` listens on (loopback by default).
        port: the TCP port it listens on.
        write_token: the bearer token that allows SPARQL Update and Graph Store writes over
            HTTP; empty (the default) means the endpoint is read-only.
        query_timeout: seconds a query may run before it is stopped and answered with 503.
        max_rows: the most rows (or triples) one answer carries; longer results are cut.
        max_body: the largest request body accepted, in bytes (larger ones get 413).
        query_workers: evaluation processes (0: one per CPU).
        service_allow: endpoint IRIs that SERVICE and LOAD may reach, comma-separated; empty
            (the default) refuses every SERVICE and LOAD.
        cors_origins: origins allowed to read answers from a browser, comma-separated; ``*``
            allows any origin (never with credentials).
        cache_bytes: the size of the answer cache in bytes (0 disables it).
    """

    store: str = "var/store"
    store_update: str = ""
    store_graphs: str = ""
    store_user: str = ""
    store_password: str = ""
    data_dir: str = ""
    ontology_dir: str = ""
    queries_dir: str = ""
    ui_dir: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    write_token: str = ""
    query_timeout: float = 10.0
    max_rows: int = 100_000
    max_body: int = 1_000_000
    query_workers: int = 0
    service_allow: str = ""
    cors_origins: str = "*"
    cache_bytes: int = 64_000_000

    def with_overrides(self, **values: Any) -> Settings:
        """Return a copy with the given non-None values replaced, converted to each field's type.

        Raises:
            ConfigError: a value cannot be read as the field's type.
        """
        given = {k: v for k, v in values.items() if v is not None}
        return replace(self, **{k: _convert(k, v) for k, v in given.items()})

    @property
    def allowed_services(self) -> frozenset[str]:
        """The endpoint IRIs SERVICE and LOAD may reach."""
        return frozenset(item.strip() for item in self.service_allow.split(",") if item.strip())


def _convert(key: str, value: Any) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}.get(key)
    if kind in ("int", "float"):
        try:
            number = int(value) if kind == "int" else float(value)
        except (TypeError, ValueError):
            raise ConfigError(
                f"setting {key}: cannot read {value!r} as a number; expected a {kind}"
            ) from None
        if number < 0:
            raise ConfigError(f"setting {key}: {value!r} is negative; expected 0 or more")
        return number
    return str(value)


def _known_keys() -> set[str]:
    return {f.name for f in fields(Settings)}


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            table = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: cannot read the configuration file: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot open the configuration file: {exc.strerror}") from exc
    section = table.get("govgraph", table)
    unknown = set(section) - _known_keys()
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(_known_keys()))}"
        )
    return dict(section)


def load_settings(
    config_path: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Build the Settings from defaults, a configuration file, the environment and overrides.

    Args:
        config_path: a TOML file; when None, ``govgraph.toml`` in the working directory is read
            if it exists.
        environ: the environment to read ``GOVGRAPH_*`` variables from (default ``os.environ``).
        overrides: values given on the command line; None means "not given".

    Raises:
        ConfigError: the configuration file is unreadable or names an unknown setting.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    if config_path is not None:
        values.update(_read_config_file(Path(config_path)))
    elif Path(CONFIG_FILE).is_file():
        values.update(_read_config_file(Path(CONFIG_FILE)))
    for key in _known_keys():
        env_value = environ.get(ENV_PREFIX + key.upper())
        if env_value:
            values[key] = env_value
    return Settings().with_overrides(**values).with_overrides(**overrides)


def resource_dir(settings: Settings, name: str) -> Path:
    """Return the folder ``ontology``, ``queries``, ``data`` or ``ui`` for these settings.

    The setting (``ontology_dir``, ``queries_dir``, ``data_dir``, ``ui_dir``) wins; otherwise
    the folder in the repository is used.

    Raises:
        ConfigError: the folder does not exist.
    """
    setting = {
        "ontology": "ontology_dir",
        "queries": "queries_dir",
        "data": "data_dir",
        "ui": "ui_dir",
    }[name]
    configured = getattr(settings, setting)
    path = Path(configured) if configured else REPO_ROOT / name
    if not path.is_dir():
        raise ConfigError(
            f"{path}: the {name} folder does not exist; set {setting} in {CONFIG_FILE} "
            f"or {ENV_PREFIX}{setting.upper()} to the folder that holds it"
        )
    return path
