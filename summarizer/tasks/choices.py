"""What a user may ask of the tasks: languages, lengths, targets and scripts.

Kept apart from the tasks themselves so that the CLI's grammar (``--help``) and an outlets file
can be checked without importing templates, tokenizers and checks.
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "LENGTHS", "SCRIPTS", "SOURCE_LANGUAGES", "TARGETS", "source_name"]

LANGUAGES = {"en": "English", "ru": "Russian", "kk": "Kazakh"}
# What each --length asks for, and the output budget that fits it with room to spare.
LENGTHS = {
    "headline": ("a single headline of at most 15 words, no full stop", 48),
    "short": ("two or three sentences", 200),
    "medium": ("one paragraph of 80 to 150 words", 400),
    "bullets": ("three to five bullet points, each one line starting with '- '", 360),
}
TARGETS = ("ru", "kk", "en")  # languages a translation goes into
SCRIPTS = ("cyrl", "latn")  # Kazakh's alphabets: Cyrillic, and the 2021 Latin (by transliteration)
# What an article may arrive in (text.langid identifies these), by name for the prompts.
SOURCE_LANGUAGES = {
    **LANGUAGES,
    "be": "Belarusian",
    "uk": "Ukrainian",
    "ky": "Kyrgyz",
    "uz": "Uzbek",
    "tg": "Tajik",
    "tk": "Turkmen",
    "tr": "Turkish",
    "az": "Azerbaijani",
    "mn": "Mongolian",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "pl": "Polish",
    "bg": "Bulgarian",
    "sr": "Serbian",
    "mk": "Macedonian",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "ar": "Arabic",
    "fa": "Persian",
}


def source_name(code: str) -> str:
    """A language's English name for a prompt; an unidentified one is "the original language"."""
    return SOURCE_LANGUAGES.get(code, "the original language")
