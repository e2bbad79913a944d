"""What a batch costs: a pricing table in a data file (``--dry-run`` in ``dry_run.py`` prices with it).

The table (``summarizer/data/pricing.toml``: USD per million tokens, by model-name prefix) is a
copy of published list prices and goes stale; point ``--pricing FILE`` or ``SUMMARIZER_PRICING``
at your own (same format) for your contract or your provider. A model it does not list has no
price (the report says "unknown" rather than guess); a model that is not ``priced`` (its
``Capabilities``: the embedded one) costs nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from ..config import Backend, current
from ..errors import UsageError
from ..llm.chat import Usage, capabilities_of

__all__ = ["Price", "Pricing", "load_pricing"]


class Price(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    input: float  # USD per million prompt tokens
    output: float  # USD per million completion tokens


class _Table(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    checked: str = ""
    batch_discount: float = 0.5  # the Batch API's price as a share of the list price
    models: dict[str, Price]


@dataclass(frozen=True)
class Pricing:
    source: str
    table: _Table

    def price(self, model: str, *, priced: bool = True) -> Price | None:
        if not priced:
            return Price(input=0.0, output=0.0)
        for prefix in sorted(self.table.models, key=len, reverse=True):
            if model.startswith(prefix):
                return self.table.models[prefix]
        return None

    def cost(
        self,
        model: str,
        usage: Usage,
        *,
        priced: bool = True,
        batch_api: bool = False,
        backend: Backend | str | None = None,
    ) -> float | None:
        """``priced``: the model's ``capabilities.priced``. ``backend`` is the older spelling of the
        same question, for a caller that has the setting and not the model; it is answered by the
        one function that maps a backend to what it can do."""
        if backend is not None:
            priced = capabilities_of(Backend(backend), "").priced
        price = self.price(model, priced=priced)
        if price is None:
            return None
        usd = (usage.prompt_tokens * price.input + usage.completion_tokens * price.output) / 1_000_000
        return usd * (self.table.batch_discount if batch_api else 1.0)


def load_pricing(path: Path | None = None) -> Pricing:
    """The table from ``path``, else ``SUMMARIZER_PRICING``, else the one shipped with the package."""
    chosen = path or current().pricing
    try:
        text = (
            chosen.read_text(encoding="utf-8")
            if chosen
            else files("summarizer").joinpath("data/pricing.toml").read_text("utf-8")
        )
        table = _Table.model_validate(tomllib.loads(text))
    except FileNotFoundError:
        raise UsageError(f"pricing file {chosen}: no such file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValidationError) as exc:
        raise UsageError(f"pricing file {chosen or 'summarizer/data/pricing.toml'}: {exc}") from None
    return Pricing(source=str(chosen or "built-in table"), table=table)
