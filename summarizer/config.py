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
``SUMMARIZER_MEMORY``         the house memory's SQLite file (default ``memory.sqlite``
                              beside the cache)
``SUMMARIZER_TIMEOUT``        seconds per request (default 120)
``SUMMARIZER_MAX_ATTEMPTS``   attempts per request, retries included (default 5)
``SUMMARIZER_CONTEXT_TOKENS`` the model's context window, when the built-in table is wrong
``SUMMARIZER_MAX_INPUT_MB``   largest article read, in megabytes (default 10)
``SUMMARIZER_PROMPTS_DIR``    a folder of prompt templates replacing the shipped ``prompts/``
``SUMMARIZER_PRICING``        a pricing table (TOML) replacing the shipped one
``SUMMARIZER_AGENCIES``       a TOML file of wire agencies and their aliases, extending the
                              shipped ``summarizer/data/agencies.toml``
``SUMMARIZER_FROM``           the digest email's ``From`` (default ``summarizer@localhost``)
``SUMMARIZER_SMTP_URL``       where digests are sent: ``smtp://host:port``, ``smtps://...``
``SUMMARIZER_CONFIG``         a TOML file with the same settings under ``[summarizer]``
============================  ==========================================================

The config file takes each setting by its field name (``model``, ``base_url``, ``cache_dir``,
``max_input_mb``, ``prompts_dir``, ``pricing``, ``agencies``, ``mail_from``, ``smtp_url``, ...), never the key.
Code that no caller hands a ``Settings`` (the prompt templates' folder, the input size limit)
asks ``current()``: the environment and the config file, read once per environment.
"""

from __future__ import annotations

import enum
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir, user_config_dir

from .errors import UsageError

__all__ = ["Backend", "CacheMode", "Settings", "DEFAULT_OPENAI_MODEL", "current"]

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
    max_input_mb: float = 10.0
    prompts_dir: Path | None = None
    pricing: Path | None = None
    agencies: Path | None = None  # extends summarizer/data/agencies.toml (see text/agencies.py)
    mail_from: str = "summarizer@localhost"
    # repr=False: an SMTP URL may carry a password.
    smtp_url: str | None = field(default=None, repr=False)
    memory: Path | None = None  # the house memory (summarizer/memory); None: beside the cache

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
            for name in ("timeout", "max_retry_seconds", "temperature", "max_input_mb"):
                if name in values:
                    values[name] = float(values[name])
            for name in ("max_attempts", "context_tokens", "seed"):
                if name in values:
                    values[name] = int(values[name])
        except ValueError as exc:
            raise UsageError(f"bad setting: {exc}") from None
        for name in ("cache_dir", "prompts_dir", "pricing", "agencies", "memory"):
            if values.get(name) is not None:
                values[name] = Path(values[name]).expanduser()
        settings = cls(**values)
        if settings.backend is Backend.OPENAI and settings.model is None:
            settings = replace(settings, model=DEFAULT_OPENAI_MODEL)
        return settings

    @property
    def cache_path(self) -> Path:
        return self.cache_dir / "cache.sqlite"

    @property
    def memory_path(self) -> Path:
        return self.memory or self.cache_dir / "memory.sqlite"

    @property
    def max_input_bytes(self) -> int:
        return int(self.max_input_mb * 1024 * 1024)

    def aimed_at(self, *, model: str | None = None, base_url: str | None = None) -> Settings:
        """These settings asking another model or endpoint (``--review-model``/``--review-base-url``,
        a stronger judge): an endpoint given means the ``openai`` backend; cache, timeouts and key
        are kept."""
        aimed = replace(self, backend=Backend.OPENAI, base_url=base_url) if base_url else self
        aimed = replace(aimed, model=model) if model else aimed
        if aimed.backend is Backend.OPENAI and aimed.model is None:
            aimed = replace(aimed, model=DEFAULT_OPENAI_MODEL)
        return aimed

    def at_endpoint(self, *, model: str | None = None, base_url: str | None = None) -> Settings:
        """These settings asking ``model`` at an OpenAI-compatible endpoint (``eval --model``):
        ``base_url``, else the configured one, else OpenAI's; never the embedded model."""
        return replace(self, backend=Backend.OPENAI, base_url=base_url or self.base_url).aimed_at(model=model)

    def embedded(self) -> Settings:
        """These settings asking the embedded model (``eval --embedded``); cache and timeouts kept."""
        return replace(self, backend=Backend.LOCAL, base_url=None, model=None)


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
    "SUMMARIZER_MAX_INPUT_MB": "max_input_mb",
    "SUMMARIZER_PROMPTS_DIR": "prompts_dir",
    "SUMMARIZER_PRICING": "pricing",
    "SUMMARIZER_AGENCIES": "agencies",
    "SUMMARIZER_FROM": "mail_from",
    "SUMMARIZER_SMTP_URL": "smtp_url",
    "SUMMARIZER_MEMORY": "memory",
}
# What ``resolve`` reads from the environment: the key of ``current``'s cache. Asked for each
# job of a batch (prompts, agencies), so it reads these few variables, not the whole environment.
_WATCHED = (*_ENV_NAMES, "SUMMARIZER_CONFIG")
_current: dict[tuple[str | None, ...], Settings] = {}


def current() -> Settings:
    """The settings from the environment and the config file alone (no flags), cached per environment."""
    key = tuple(map(os.environ.get, _WATCHED))
    settings = _current.get(key)
    if settings is None:
        settings = _current[key] = Settings.resolve()
    return settings


def prompts_dir() -> Path:
    """The prompt templates in use: ``Settings.prompts_dir``, else the packaged ones."""
    return current().prompts_dir or _packaged_prompts()


@lru_cache(maxsize=1)
def _packaged_prompts() -> Path:  # asked on every render: a batch renders thousands
    package = Path(__file__).resolve().parent  # summarizer/
    packaged = package / "prompts"
    return packaged if packaged.is_dir() else package.parent / "prompts"


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
