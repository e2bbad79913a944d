"""What a user may ask of the tasks: languages, lengths, targets and scripts.

Kept apart from the tasks themselves so that the CLI's grammar (``--help``) and an outlets file
can be checked without importing templates, tokenizers and checks.
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "LENGTHS", "SCRIPTS", "TARGETS"]

LANGUAGES = {"en": "English", "ru": "Russian", "kk": "Kazakh"}
# What each --length asks for, and the output budget that fits it with room to spare.
LENGTHS = {
    "headline": ("a single headline of at most 15 words, no full stop", 48),
    "short": ("two or three sentences", 200),
    "medium": ("one paragraph of 80 to 150 words", 400),
    "bullets": ("three to five bullet points, each one line starting with '- '", 360),
}
TARGETS = ("ru", "kk")  # languages a translation goes into
SCRIPTS = ("cyrl", "latn")  # Kazakh's alphabets: Cyrillic, and the 2021 Latin (by transliteration)
