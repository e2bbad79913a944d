"""The retry policy, error messages and cache modes, through the SDK's own http_client seam."""

from __future__ import annotations

from pathlib import Path

import httpx2
import pytest
from fakes import completion, mock_client

from summarizer.config import Backend, CacheMode, Settings
from summarizer.errors import (
    AuthenticationFailed,
    CacheMiss,
    EndpointUnreachable,
    ModelNotFound,
    OutputInvalid,
    RequestRejected,
    ServerFailed,
)
from summarizer.llm.cache import Cache
from summarizer.llm.chat import parse_completion
from summarizer.llm.client import LLM, ChatRequest

KEY = "sk-canary-0123456789abcdefghijklmnop"
URL = "http://127.0.0.1:9/v1"
REQUEST = ChatRequest(task="summarise", messages=({"role": "user", "content": "hi"},), max_tokens=20, article="seed")


def ok(text: str = "done") -> httpx2.Response:
    return httpx2.Response(200, json=completion(text))


def status(code: int, **headers: str) -> httpx2.Response:
    return httpx2.Response(code, headers=headers, json={"error": {"message": f"status {code} for {KEY}"}})


def make(
    replies: list[httpx2.Response | Exception],
    *,
    cache: Cache | None = None,
    mode: CacheMode = CacheMode.OFF,
    attempts: int = 5,
) -> tuple[LLM, list[httpx2.Request], list[float]]:
    seen: list[httpx2.Request] = []
    sleeps: list[float] = []
    settings = Settings(
        backend=Backend.OPENAI, model="gpt-4o-mini", base_url=URL, api_key=KEY, cache_mode=mode, max_attempts=attempts
    )
    llm = LLM(settings, cache=cache, http_client=mock_client(replies, seen), sleep=sleeps.append)
    return llm, seen, sleeps


def test_success_parses_text_usage_and_finish_reason() -> None:
    llm, seen, _ = make([ok("the summary")])
    result = llm.complete(REQUEST)
    assert (result.text, result.finish_reason, result.cached) == ("the summary", "stop", False)
    assert result.usage.prompt_tokens == 100 and result.usage.completion_tokens == 20
    assert len(seen) == 1
    assert seen[0].headers["authorization"] == f"Bearer {KEY}"


def test_429_honours_retry_after() -> None:
    llm, seen, sleeps = make([status(429, **{"retry-after": "7"}), ok()])
    assert llm.complete(REQUEST).text == "done"
    assert len(seen) == 2
    assert sleeps == [7.0]


def test_retry_after_ms_is_understood() -> None:
    llm, _, sleeps = make([status(429, **{"retry-after-ms": "250"}), ok()])
    llm.complete(REQUEST)
    assert sleeps == [0.25]


@pytest.mark.parametrize("code", [408, 409, 500, 502, 503, 504])
def test_transient_statuses_are_retried(code: int) -> None:
    llm, seen, sleeps = make([status(code), status(code), ok()])
    assert llm.complete(REQUEST).text == "done"
    assert len(seen) == 3
    assert len(sleeps) == 2 and all(0 <= s <= 20 for s in sleeps)


def test_connection_errors_and_timeouts_are_retried() -> None:
    llm, seen, _ = make([httpx2.ConnectError("refused"), httpx2.ReadTimeout("slow"), ok()])
    assert llm.complete(REQUEST).text == "done"
    assert len(seen) == 3


@pytest.mark.parametrize(
    ("code", "error", "words"),
    [
        (400, RequestRejected, "rejected the request"),
        (401, AuthenticationFailed, "rejected the API key"),
        (403, AuthenticationFailed, "rejected the API key"),
        (404, ModelNotFound, "has no model 'gpt-4o-mini'"),
        (422, RequestRejected, "rejected the request"),
    ],
)
def test_permanent_errors_are_not_retried_and_never_show_the_key(code: int, error: type, words: str) -> None:
    llm, seen, sleeps = make([status(code)])
    with pytest.raises(error, match=words) as info:
        llm.complete(REQUEST)
    assert len(seen) == 1 and sleeps == []
    assert KEY not in str(info.value)
    assert "sk-canary" not in str(info.value)
    assert "127.0.0.1:9" in str(info.value)


def test_attempts_are_capped() -> None:
    llm, seen, sleeps = make([status(503)] * 10, attempts=3)
    with pytest.raises(ServerFailed, match="HTTP 503 after retries"):
        llm.complete(REQUEST)
    assert len(seen) == 3 and len(sleeps) == 2


def test_unreachable_endpoint_names_its_url() -> None:
    llm, _, _ = make([httpx2.ConnectError("refused")] * 5)
    with pytest.raises(EndpointUnreachable, match=r"cannot reach http://127\.0\.0\.1:9/v1"):
        llm.complete(REQUEST)


def test_timeout_message_says_what_to_do() -> None:
    llm, _, _ = make([httpx2.ReadTimeout("slow")] * 5)
    with pytest.raises(EndpointUnreachable, match="did not answer within .* raise --timeout"):
        llm.complete(REQUEST)


def test_readwrite_sends_one_request_for_two_identical_calls(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite")
    llm, seen, _ = make([ok("first")], cache=cache, mode=CacheMode.READWRITE)
    first, second = llm.complete(REQUEST), llm.complete(REQUEST)
    assert len(seen) == 1
    assert (first.cached, second.cached) == (False, True)
    assert first.text == second.text == "first"


def test_replay_miss_names_cache_and_task(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite")
    llm, seen, _ = make([], cache=cache, mode=CacheMode.REPLAY)
    with pytest.raises(CacheMiss) as info:
        llm.complete(REQUEST)
    assert str(tmp_path / "c.sqlite") in str(info.value)
    assert "'summarise'" in str(info.value) and "seed" in str(info.value)
    assert seen == []


def test_refresh_ignores_the_cache_but_updates_it(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite")
    make([ok("old")], cache=cache, mode=CacheMode.READWRITE)[0].complete(REQUEST)
    llm, seen, _ = make([ok("new")], cache=cache, mode=CacheMode.REFRESH)
    assert llm.complete(REQUEST).text == "new"
    assert len(seen) == 1
    replay, _, _ = make([], cache=cache, mode=CacheMode.REPLAY)
    assert replay.complete(REQUEST).text == "new"


def test_off_never_reads_or_writes(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite")
    llm, seen, _ = make([ok("a"), ok("b")], cache=cache, mode=CacheMode.OFF)
    assert [llm.complete(REQUEST).text for _ in range(2)] == ["a", "b"]
    assert cache.stats().entries == 0


def test_the_key_never_reaches_the_cache(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite")
    llm, _, _ = make([ok()], cache=cache, mode=CacheMode.READWRITE)
    llm.complete(REQUEST)
    cache.close()
    for path in tmp_path.iterdir():
        assert KEY.encode() not in path.read_bytes()


def test_local_penalties_apply_to_free_text_only(tmp_path: Path) -> None:
    """A structured answer copies the article verbatim; repetition penalties would push it off the text."""
    llm = LLM(Settings(backend=Backend.LOCAL, local_model=str(tmp_path / "model.gguf"), cache_mode=CacheMode.OFF))
    free = llm._document(REQUEST)["params"]
    structured = llm._document(
        ChatRequest(task="facts", messages=REQUEST.messages, max_tokens=20, response_schema={"type": "object"})
    )["params"]  # noqa: E501
    assert free["frequency_penalty"] > 0 and free["presence_penalty"] > 0
    assert "frequency_penalty" not in structured and "presence_penalty" not in structured
    assert structured["response_format"]["json_schema"]["schema"] == {"type": "object"}


# -- the route: the backend chosen once, and what the model can do --------------------------


def _settings(backend: Backend, tmp_path: Path) -> Settings:
    if backend is Backend.LOCAL:  # a file that is never loaded: building the route reads no weights
        return Settings(backend=backend, local_model=str(tmp_path / "model.gguf"), cache_mode=CacheMode.OFF)
    return Settings(backend=backend, model="gpt-4o-mini", base_url=URL, api_key=KEY, cache_mode=CacheMode.OFF)


@pytest.mark.parametrize(
    ("backend", "serial", "tiny", "priced", "schema_in_prompt", "batch_api", "where"),
    [
        (Backend.LOCAL, True, True, False, False, False, "embedded"),
        (Backend.OPENAI, False, False, True, True, True, URL),
    ],
)
def test_the_embedded_model_is_serial_tiny_and_free_and_an_endpoint_is_none_of_these(
    tmp_path: Path,
    backend: Backend,
    serial: bool,
    tiny: bool,
    priced: bool,
    schema_in_prompt: bool,
    batch_api: bool,
    where: str,
) -> None:
    from summarizer.llm.plan import planning_model

    settings = _settings(backend, tmp_path)
    with LLM(settings) as llm:
        caps = llm.capabilities
    expected = (serial, tiny, priced, schema_in_prompt, batch_api, where)
    assert (caps.serial, caps.tiny, caps.priced, caps.schema_in_prompt, caps.batch_api, caps.where) == expected
    assert caps.where == llm.endpoint  # the health page and the cache key name the same place
    assert planning_model(settings).capabilities == caps  # planning (inspect) is told the same


@pytest.mark.parametrize(
    ("backend", "in_process", "sampling", "keep_counts", "base_url"),
    [
        (Backend.LOCAL, True, {"frequency_penalty": 0.5, "presence_penalty": 0.3}, True, "http://embedded.invalid/v1"),
        (Backend.OPENAI, False, {}, False, URL),
    ],
)
def test_the_route_carries_every_difference_between_the_backends(
    tmp_path: Path, backend: Backend, in_process: bool, sampling: dict[str, float], keep_counts: bool, base_url: str
) -> None:
    from summarizer.llm.route import route

    chosen = route(_settings(backend, tmp_path))
    assert (chosen.engine is not None, dict(chosen.sampling), chosen.keep_counts) == (in_process, sampling, keep_counts)
    assert chosen.base_url == base_url and chosen.backend is backend
    assert KEY not in repr(chosen)  # the key is in the route, for the SDK, and never printed


# -- reading an answer: straight from its JSON (chat.parse_completion) ------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            completion("Hello."),
            {"text": "Hello.", "finish_reason": "stop", "usage": {"prompt_tokens": 100, "completion_tokens": 20}},
        ),
        (  # a tool-call or refusal answer carries no text: empty, which the checks then flag
            {"choices": [{"message": {"content": None}, "finish_reason": "length"}], "model": "m"},
            {"text": "", "finish_reason": "length", "usage": {"prompt_tokens": 0, "completion_tokens": 0}},
        ),
        (  # no choices at all (some servers, on a filtered prompt)
            {"choices": [], "model": "m", "usage": {"prompt_tokens": 3}},
            {"text": "", "finish_reason": "empty", "usage": {"prompt_tokens": 3, "completion_tokens": 0}},
        ),
    ],
)
def test_an_answer_is_read_from_its_json(body: dict[str, object], expected: dict[str, object]) -> None:
    parsed = parse_completion(body, model="asked-for", endpoint=URL)
    assert {k: parsed[k] for k in expected} == expected
    assert parsed["model"] == body.get("model", "asked-for")


@pytest.mark.parametrize(
    "body",
    [
        "<html>502 Bad Gateway</html>",  # the SDK hands back the text when the type is not JSON
        {"choices": "not a list"},
        {"choices": [{"message": {"content": {"nested": "object"}}}]},
        {"choices": [{"message": {"content": "x"}}], "usage": {"prompt_tokens": "many"}},
        [1, 2, 3],
    ],
)
def test_anything_else_is_one_clear_error(body: object) -> None:
    with pytest.raises(OutputInvalid, match=r"127\.0\.0\.1:9/v1 answered with something that is not a chat completion"):
        parse_completion(body, model="m", endpoint=URL)


@pytest.mark.parametrize(
    ("base_url", "trusts_cas"), [("http://127.0.0.1:8000/v1", False), ("https://gw.example/v1", True)]
)
def test_a_plain_http_endpoint_skips_the_ca_store_and_still_fails_closed(base_url: str, trusts_cas: bool) -> None:
    import ssl

    from summarizer.llm.route import route
    from summarizer.llm.sdk import _tls

    settings = Settings(backend=Backend.OPENAI, model="m", base_url=base_url, api_key="sk-test")
    context = _tls(route(settings).plain_http)  # what both SDK clients are built with
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert (context.cert_store_stats()["x509_ca"] > 0) is trusts_cas
