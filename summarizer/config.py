"""One frozen ``Settings``, resolved as: flags > environment > config file > defaults.

Environment variables:

============================  ==========================================================
``OPENAI_API_KEY``            key for the ``openai`` backend (the SDK's own variable)
``OPENAI_BASE_URL``           any OpenAI-compatible server: vLLM, Ollama, llama.cpp, ...
``SUMMARIZER_BACKEND``        ``openai`` or ``local``; default ``openai`` when either
                              variable above is set, else ``local``
``SUMMARIZER_MODEL``          model name for the endpoint (default ``gpt-4o-mini``)
``SUMMARIZER_LOCAL_MODEL``    path of a GGUF file for the ``local`` backend
``SUMMARIZER_CACHE_DIR``      where ``cache.sqlite`` lives (default: user cache dir)
``SUMMARIZER_CACHE_MODE``     ``readwrite`` | ``replay`` | ``refresh`` | ``off``
``SUMMARIZER_TIMEOUT``        seconds per request (default 120)
``SUMMARIZER_MAX_ATTEMPTS``   attempts per request, retries included (default 5)
``SUMMARIZER_CONTEXT_TOKENS`` the model's context window, when the built-in table is wrong
``SUMMARIZER_CONFIG``         a TOML file with the same settings under ``[summarizer]``
============================  ==========================================================
"""

from __future__ import annotations

import enum
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir, user_config_dir

from .errors import UsageError

__all__ = ["Backend", "CacheMode", "Settings", "DEFAULT_OPENAI_MODEL"]

DEFAULT_OPENAI_MODEL = "gpt-4o-mini"


class Backend(enum.StrEnum):
    OPENAI = "openai"
    LOCAL = "local"


class CacheMode(enum.StrEnum):
    READWRITE = "readwrite"
    REPLAY = "replay"
    REFRESH = "refresh"
    OFF = "off"


@dataclass(frozen=True)
class Settings:
    backend: Backend = Backend.LOCAL
    model: str | None = None
    base_url: str | None = None
    # repr=False: a Settings printed in a traceback or a log line must not show the key.
    api_key: str | None = field(default=None, repr=False)
    local_model: str | None = None
    cache_dir: Path = field(default_factory=lambda: Path(user_cache_dir("summarizer")))
    cache_mode: CacheMode = CacheMode.READWRITE
    timeout: float = 120.0
    max_attempts: int = 5
    max_retry_seconds: float = 120.0
    context_tokens: int | None = None
    temperature: float = 0.0
    seed: int = 0

    @classmethod
    def resolve(cls, env: Mapping[str, str] | None = None, **flags: Any) -> Settings:
        """Build settings from flags (None means "not given"), the environment and a config file."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        values.update(_config_file(env))
        values.update(_from_env(env))
        values.update({k: v for k, v in flags.items() if v is not None})
        if "backend" not in values:
            endpoint = env.get("OPENAI_API_KEY") or env.get("OPENAI_BASE_URL")
            values["backend"] = Backend.OPENAI if endpoint else Backend.LOCAL
        return cls._build(values)

    @classmethod
    def _build(cls, values: dict[str, Any]) -> Settings:
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise UsageError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        try:
            values["backend"] = Backend(values["backend"])
            if "cache_mode" in values:
                values["cache_mode"] = CacheMode(values["cache_mode"])
            for name in ("timeout", "max_retry_seconds", "temperature"):
                if name in values:
                    values[name] = float(values[name])
            for name in ("max_attempts", "context_tokens", "seed"):
                if name in values:
                    values[name] = int(values[name])
        except ValueError as exc:
            raise UsageError(f"bad setting: {exc}") from None
        if "cache_dir" in values:
            values["cache_dir"] = Path(values["cache_dir"]).expanduser()
        settings = cls(**values)
        if settings.backend is Backend.OPENAI and settings.model is None:
            settings = replace(settings, model=DEFAULT_OPENAI_MODEL)
        return settings

    @property
    def cache_path(self) -> Path:
        return self.cache_dir / "cache.sqlite"

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **changes)


_ENV_NAMES = {
    "SUMMARIZER_BACKEND": "backend",
    "SUMMARIZER_MODEL": "model",
    "OPENAI_BASE_URL": "base_url",
    "OPENAI_API_KEY": "api_key",
    "SUMMARIZER_LOCAL_MODEL": "local_model",
    "SUMMARIZER_CACHE_DIR": "cache_dir",
    "SUMMARIZER_CACHE_MODE": "cache_mode",
    "SUMMARIZER_TIMEOUT": "timeout",
    "SUMMARIZER_CONTEXT_TOKENS": "context_tokens",
    "SUMMARIZER_MAX_ATTEMPTS": "max_attempts",
}


def _from_env(env: Mapping[str, str]) -> dict[str, Any]:
    return {name: env[var] for var, name in _ENV_NAMES.items() if env.get(var)}


def _config_file(env: Mapping[str, str]) -> dict[str, Any]:
    explicit = env.get("SUMMARIZER_CONFIG")
    path = Path(explicit) if explicit else Path(user_config_dir("summarizer")) / "config.toml"
    if not path.is_file():
        if explicit:
            raise UsageError(f"SUMMARIZER_CONFIG points at {path}, which is not a file")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"cannot read config file {path}: {exc}") from None
    section = data.get("summarizer", {})
    if "api_key" in section:
        # Keys belong in the environment or a secret store, not in a file that gets copied around.
        raise UsageError(f"{path}: put the API key in OPENAI_API_KEY, not in the config file")
    return dict(section)
