"""The text the model reads, and where each of its characters came from.

An article's ``text`` is the input as decoded (CRLF kept) so that fact offsets point into it;
its body is cut from ``clean_text(text)``. ``source_offset`` maps an offset of the cleaned text
back onto the input, so nothing has to be found again by searching.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_text", "source_offset"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """The text the body is cut from: \\n line endings, no control characters, Unicode NFC."""
    return unicodedata.normalize("NFC", _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))


def source_offset(text: str, at: int) -> int:
    """Where character ``at`` of ``clean_text(text)`` stands in ``text``.

    Cleaning drops the CR of a CRLF and control characters, and composes under NFC; a line
    break composes with nothing, so each line is normalised on its own and only a line that
    NFC changes needs its prefixes measured.
    """
    if "\r" not in text and not _CONTROL.search(text) and unicodedata.is_normalized("NFC", text):
        return min(at, len(text))  # cleaning changed nothing
    kept = [i for i, ch in enumerate(text) if not (ch == "\r" and text.startswith("\n", i + 1) or _CONTROL.match(ch))]
    raw = "".join("\n" if text[i] == "\r" else text[i] for i in kept)
    done = line_start = 0  # where this line starts in the cleaned text, and before NFC
    for line in raw.split("\n"):
        normal = unicodedata.normalize("NFC", line)
        if at <= done + len(normal):
            column = at - done
            if normal != line:  # the first character whose arrival makes the cleaned one
                column = next(
                    (j for j in range(len(line)) if len(unicodedata.normalize("NFC", line[: j + 1])) > column),
                    len(line),
                )
            return kept[line_start + column] if line_start + column < len(kept) else len(text)
        done += len(normal) + 1
        line_start += len(line) + 1
    return len(text)
