from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.config import Backend, CacheMode, Settings
from summarizer.errors import UsageError


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({}, Backend.LOCAL),
        ({"OPENAI_API_KEY": "sk-x"}, Backend.OPENAI),
        ({"OPENAI_BASE_URL": "http://127.0.0.1:8000/v1"}, Backend.OPENAI),
        ({"OPENAI_API_KEY": "sk-x", "SUMMARIZER_BACKEND": "local"}, Backend.LOCAL),
    ],
)
def test_default_backend_follows_the_environment(env: dict[str, str], backend: Backend) -> None:
    assert Settings.resolve(env).backend is backend


def test_flags_beat_environment_beat_config_file(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[summarizer]\nmodel = "from-file"\ntimeout = 5\ncache_mode = "off"\n', encoding="utf-8")
    env = {"SUMMARIZER_CONFIG": str(config), "OPENAI_BASE_URL": "http://x/v1", "SUMMARIZER_MODEL": "from-env"}
    settings = Settings.resolve(env, model="from-flag")
    assert (settings.model, settings.timeout, settings.cache_mode) == ("from-flag", 5.0, CacheMode.OFF)
    assert Settings.resolve(env).model == "from-env"
    assert Settings.resolve({**env, "SUMMARIZER_MODEL": ""}).model == "from-file"


def test_openai_backend_gets_a_default_model() -> None:
    assert Settings.resolve({"OPENAI_API_KEY": "sk-x"}).model == "gpt-4o-mini"


def test_the_key_is_not_in_repr() -> None:
    settings = Settings.resolve({"OPENAI_API_KEY": "sk-secret-canary"})
    assert settings.api_key == "sk-secret-canary"
    assert "canary" not in repr(settings)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SUMMARIZER_CACHE_MODE": "sometimes"}, "bad setting"),
        ({"SUMMARIZER_TIMEOUT": "soon"}, "bad setting"),
        ({"SUMMARIZER_BACKEND": "gpu"}, "bad setting"),
        ({"SUMMARIZER_CONFIG": "/nonexistent/config.toml"}, "not a file"),
    ],
)
def test_bad_settings_are_usage_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        Settings.resolve(env)


def test_config_file_refuses_keys_and_unknown_settings(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[summarizer]\napi_key = "sk-x"\n', encoding="utf-8")
    with pytest.raises(UsageError, match="OPENAI_API_KEY"):
        Settings.resolve({"SUMMARIZER_CONFIG": str(config)})
    config.write_text('[summarizer]\ncolour = "blue"\n', encoding="utf-8")
    with pytest.raises(UsageError, match="unknown setting"):
        Settings.resolve({"SUMMARIZER_CONFIG": str(config)})
