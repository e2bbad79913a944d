"""OpenAI's Batch API (``--openai-batch``): the SDK side. ``batch/openai_batch.py`` drives it.

A request's Batch API line carries the same body the client would post, and its cache key as
``custom_id``, so an answer that comes back hours later is stored under the very key a later
``LLM.complete`` of the same request looks up.
"""

from __future__ import annotations

from typing import Any

from .cache import cache_key
from .chat import ChatRequest, ChatResult, parse_completion
from .client import LLM
from .sdk import sdk_args

__all__ = ["BatchAPI"]


class BatchAPI:
    def __init__(self, llm: LLM) -> None:
        self.llm = llm

    def line(self, request: ChatRequest) -> dict[str, Any]:
        """One line of a Batch API input file; ``custom_id`` is the request's cache key."""
        doc = self.llm.document(request)
        return {"custom_id": cache_key(doc), "method": "POST", "url": "/v1/chat/completions", "body": sdk_args(doc)}

    def key(self, request: ChatRequest) -> str:
        return cache_key(self.llm.document(request))

    def submit(self, jsonl: bytes) -> str:
        upload = self.llm.sdk_call(lambda sdk: sdk.files.create(file=("requests.jsonl", jsonl), purpose="batch"))
        args = {"input_file_id": upload.id, "endpoint": "/v1/chat/completions", "completion_window": "24h"}
        # Not retried: a create whose answer was lost may exist already, and a second one is paid twice.
        return str(self.llm.sdk_call(lambda sdk: sdk.batches.create(**args), retry=False).id)

    def state(self, batch_id: str) -> tuple[str, str | None, str | None]:
        """The batch's status, and its output and error files when it has them."""
        batch = self.llm.sdk_call(lambda sdk: sdk.batches.retrieve(batch_id))
        return str(batch.status), batch.output_file_id, batch.error_file_id

    def file(self, file_id: str) -> str:
        return str(self.llm.sdk_call(lambda sdk: sdk.files.content(file_id).text))

    def store_answer(self, request: ChatRequest, body: dict[str, Any]) -> ChatResult:
        """A chat completion from a Batch API output line -> the response cache."""
        parsed = parse_completion(body, model=self.llm.model, endpoint=self.llm.endpoint)
        return self.llm.store(request, parsed)
