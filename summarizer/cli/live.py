"""The text on a terminal as the model writes it (``summarise``, ``headline``, ``translate``).

A ``Live`` is the step driver's listener (``llm.chat.Listener``). What it shows is what the
command prints at the end, so that the screen, once the run is over, holds the very text a pipe
would have received:

- the parts of a long summary (``summarise part 3``, ``combine level 1``) are not the user's
  text: they show as one progress line each on stderr; the final combine streams;
- every part of a translation streams, one after another, a blank line between them;
- a translation part asked again after failing its checks: a line on stderr says so, the first
  attempt is wiped from the screen, and the new one streams in its place;
- Kazakh in Latin script is transliterated as it streams, a whole word at a time (the same
  deterministic ``translit.to_latin`` the result uses);
- at the end ``finish`` compares the screen with the final text (the better of two attempts
  may be the first; quotes become «»; parts join as the task joins them) and, when they
  differ, rewrites it: wiped and printed again if it is all still on screen, else printed
  again below a rule.

Output to a pipe or a file, and ``--json``, never come here: they print as they always did.
"""

from __future__ import annotations

import re
import shutil
import sys
import unicodedata
from collections.abc import Callable
from typing import TextIO

from ..llm.chat import ChatRequest
from .common import PROG

__all__ = ["Live", "visible"]

_PARTIAL = re.compile(r"^summarise (part \d+|combine level \d+)$")
_RETRY = re.compile(r" retry$")


def visible(task: str) -> bool:
    """Is this request's answer (part of) the text the user asked for?"""
    return not _PARTIAL.match(task)


class Live:
    def __init__(
        self,
        out: TextIO | None = None,
        err: TextIO | None = None,
        *,
        convert: Callable[[str], str] | None = None,
        width: int | None = None,
    ) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.convert = convert  # Kazakh Latin: whole words, as they complete
        self.width = width or shutil.get_terminal_size().columns
        self.height = shutil.get_terminal_size().lines
        self.shown = ""  # everything this run put on the screen (notes on stderr too, when it is the terminal)
        self.text = ""  # the answers' text among it
        self.noted = False  # a note on stderr is on the screen among the text
        self.attempt_at = 0  # where the current answer starts in ``shown``
        self.text_at = 0  # and in ``text``
        self.shared = _tty(self.err)  # stderr writes on the same screen
        self.task = ""
        self.pending = ""  # leading/trailing whitespace and an unfinished word, held back
        self.started = False  # the current answer has shown a character
        self.tokens = 0

    # -- the listener ---------------------------------------------------------------------------

    def on_text(self, request: ChatRequest, delta: str) -> None:
        if request.task != self.task:
            self._begin(request.task)
        self.tokens += 1
        if not visible(request.task):
            return
        text = self.pending + delta
        if not self.started:
            text = text.lstrip()
            if not text:
                self.pending = ""
                return
        # Hold back trailing whitespace (the answer is stripped at the end) and, for
        # transliteration, the word still being written.
        keep = len(text) - len(text.rstrip())
        if self.convert is not None:
            cut = max(text.rfind(" ", 0, len(text) - keep), text.rfind("\n", 0, len(text) - keep))
            keep = len(text) - (cut + 1) if cut >= 0 else len(text)
        ready, self.pending = text[: len(text) - keep], text[len(text) - keep :]
        if ready:
            self._write(self.convert(ready) if self.convert is not None else ready)
            self.started = True

    def _begin(self, task: str) -> None:
        previous, self.task = self.task, task
        self._flush_word()
        self.pending, self.tokens = "", 0
        if not visible(task):
            self._say(f"{task.removeprefix('summarise ')} of a long article...")
            return
        if _RETRY.search(task) and previous and visible(previous):
            self._erase(self.attempt_at)
            self.text = self.text[: self.text_at]
            self._say("the checks failed: asking the model again")
        elif self.text:
            self._write("\n\n")  # the next part of a translation
        self.attempt_at, self.text_at, self.started = len(self.shown), len(self.text), False

    # -- the end -----------------------------------------------------------------------------------

    def finish(self, final: str) -> None:
        """The run is over and ``final`` is what the command prints: make the screen hold it."""
        self._flush_word()
        if self.text == final and not self.noted:
            self.out.write("\n")
        elif self.shown and self._rows(self.shown) < self.height:
            self._erase(0)
            self.out.write(final + "\n")
        else:
            if self.shown:
                self.out.write("\n" + "-" * min(self.width, 40) + "\n")
            self.out.write(final + "\n")
        self.out.flush()

    # -- the screen --------------------------------------------------------------------------------

    def _flush_word(self) -> None:
        # The last word of an answer, held back for transliteration (its trailing space dropped).
        if self.convert is not None and self.pending.strip() and visible(self.task):
            self._write(self.convert(self.pending.rstrip()))
            self.pending = ""

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()
        self.shown += text
        self.text += text

    def _say(self, line: str) -> None:
        note = f"{PROG}: {line}\n"
        if self.shared:  # on the screen too: on a line of its own, and wiped with the rest at the end
            if self.shown and not self.shown.endswith("\n"):
                self.out.write("\n")
                self.out.flush()
                self.shown += "\n"
            self.shown += note
            self.noted = True
        self.err.write(note)
        self.err.flush()

    def _rows(self, text: str) -> int:
        return sum(max(1, -(-_width(line) // self.width)) for line in text.split("\n"))

    def _erase(self, start: int) -> None:
        """Wipe what was written from ``shown[start:]``, when it is all still on the screen."""
        gone, before = self.shown[start:], self.shown[:start]
        if not gone:
            return
        rows = self._rows(self.shown) - (self._rows(before) if before else 1)
        column = _width(before.rsplit("\n", 1)[-1]) % self.width if before else 0
        if self._rows(self.shown) >= self.height:  # scrolled away: a rule instead
            self.out.write("\n" + "-" * min(self.width, 40) + "\n")
            self.shown = ""
            self.noted = True  # the screen no longer holds the text alone
            return
        # Up to the row the erased text began on, to its column, then clear to the end of screen.
        self.out.write(("\x1b[%dA" % rows if rows > 0 else "") + "\r" + ("\x1b[%dC" % column if column else "") + "\x1b[J")
        self.out.flush()
        self.shown = before


def _tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _width(line: str) -> int:
    # Wide (CJK) characters take two columns; combining marks none.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in line)
