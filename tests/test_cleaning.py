from __future__ import annotations

import pytest

from summarizer.text.cleaning import clean_text, source_offset


@pytest.mark.parametrize(
    "text",
    [
        "Plain ASCII.\n\nTwo paragraphs.",
        "Windows\r\nline ends\r\n\r\nand a lone\rCR, and CR CR LF\r\r\n.",
        "Bell\x07 and escape\x1b gone.\n\x00Start.",
        "Cafe\u0301 and re\u0301sume\u0301\nna\u0308ive",  # composed under NFC
        "\u1100\u1161\u11a8 jamo compose into one syllable\r\n\u212b angstrom becomes \u00c5",
        "Already composed: Ерғали, Алматы, café.\r\n",
        "",
    ],
)
def test_every_cleaned_character_maps_back_to_where_it_came_from(text: str) -> None:
    clean = clean_text(text)
    offsets = [source_offset(text, at) for at in range(len(clean) + 1)]
    assert offsets == sorted(offsets) and offsets[-1] == len(text)
    for at, pos in enumerate(offsets):
        # What follows the offset in the text cleans to what follows the character.
        assert clean_text(text[pos:]) == clean[at:], (at, pos)
