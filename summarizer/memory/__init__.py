"""The house memory: approved translation units, the glossary they teach, findings ruled out.

``store`` (the SQLite file, units), ``align`` (an approved pair cut into units), ``recall``
(exact matches to reuse, close ones for the prompt), ``terms`` (glossary entries proposed from
approvals; the accepted ones are the house glossary), ``dismissals``, ``tmx`` (TMX 1.4b out and in).
"""

from __future__ import annotations

from .align import Misaligned
from .store import HouseMemory, Unit, open_memory

__all__ = ["HouseMemory", "Misaligned", "Unit", "open_memory"]
