"""The wire agencies a dateline or a source line may name, read from data, not code.

``summarizer/data/agencies.toml`` ships the agencies of the region and the big international
wires, each with the spellings it signs with in every script. A newsroom adds its own (a local
outlet, a new spelling) in a TOML file of the same shape named by ``Settings.agencies``
(``SUMMARIZER_AGENCIES``): an entry whose ``name`` is already known adds aliases to it, a new
name adds an agency.

Matching is exact on an alias, because upper-case forms are what datelines use and some aliases
are ordinary words in lower case ("Trend", "AA"): a spelling the data does not list is not an
agency (the dateline parser may still report an outlet named in the agency slot as written).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import UsageError

__all__ = ["Agency", "AgencyTable", "agencies", "load_agencies"]

_PACKAGED = Path(__file__).resolve().parent.parent / "data" / "agencies.toml"


@dataclass(frozen=True)
class Agency:
    name: str
    aliases: tuple[str, ...]
    country: str | None = None


@dataclass(frozen=True)
class AgencyTable:
    agencies: tuple[Agency, ...]

    @property
    def by_alias(self) -> dict[str, Agency]:
        return _index(self)

    def find(self, text: str) -> Agency | None:
        """The agency ``text`` names, exactly as an alias (surrounding spaces and quotes ignored)."""
        cleaned = text.strip().strip("\"'«»“”")
        return self.by_alias.get(cleaned) or self.by_alias.get(cleaned.replace("«", '"').replace("»", '"'))

    def longest_prefix(self, text: str) -> tuple[Agency, str] | None:
        """The agency whose alias ``text`` starts with (the longest alias wins), and that alias."""
        for alias in _aliases_longest_first(self):
            if text.startswith(alias):
                rest = text[len(alias) : len(alias) + 1]
                if not rest or not (rest.isalnum() or rest == "-"):
                    return self.by_alias[alias], alias
        return None


@lru_cache(maxsize=8)
def _index(table: AgencyTable) -> dict[str, Agency]:
    return {alias: agency for agency in table.agencies for alias in (agency.name, *agency.aliases)}


@lru_cache(maxsize=8)
def _aliases_longest_first(table: AgencyTable) -> tuple[str, ...]:
    return tuple(sorted(_index(table), key=len, reverse=True))


def load_agencies(*paths: Path) -> AgencyTable:
    """The agencies of each file in turn; a later file extends (never replaces) an earlier one."""
    merged: dict[str, Agency] = {}
    for path in paths:
        for entry in _entries(path):
            old = merged.get(entry.name)
            if old is None:
                merged[entry.name] = entry
            else:
                aliases = old.aliases + tuple(a for a in entry.aliases if a not in old.aliases)
                merged[entry.name] = Agency(entry.name, aliases, entry.country or old.country)
    return AgencyTable(tuple(merged.values()))


def _entries(path: Path) -> list[Agency]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"agencies file {path} does not exist (SUMMARIZER_AGENCIES)") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"cannot read agencies file {path}: {exc}") from None
    entries = []
    for number, item in enumerate(data.get("agency", []), 1):
        name = item.get("name") if isinstance(item, dict) else None
        aliases = item.get("aliases", []) if isinstance(item, dict) else None
        if not isinstance(name, str) or not name.strip() or not isinstance(aliases, list):
            raise UsageError(f"{path}: [[agency]] number {number} needs a name and a list of aliases")
        if not all(isinstance(a, str) and a.strip() for a in aliases):
            raise UsageError(f"{path}: the aliases of {name} must be non-empty strings")
        country = item.get("country")
        entries.append(Agency(name, tuple(aliases), country if isinstance(country, str) else None))
    return entries


def agencies(extra: Path | None = None) -> AgencyTable:
    """The shipped table, extended by the newsroom's file ``extra`` (``Settings.agencies``)."""
    return _cached(extra)


@lru_cache(maxsize=4)
def _cached(extra: Path | None) -> AgencyTable:
    return load_agencies(_PACKAGED, *([extra] if extra else []))
