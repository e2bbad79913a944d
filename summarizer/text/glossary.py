"""House spellings of names and terms: a CSV glossary, and matching that tolerates inflection.

The file's header row names language codes (``en,ru,kk``; more columns are allowed), and each
row is one term in each language: ``Yergali Bulegenov,Ергали Булегенов,Ерғали Бұлегенов``.
A cell may be empty when a language has no house form.

Russian and Kazakh inflect names, so a term is found by its stem, not its exact form:
``Доманевским`` and ``Доманевскиймен`` both contain ``Доманевский``. The rules, per word of a
term, after folding case and ``ё`` to ``е``:

* the stem is the word without its final vowels, ``й`` or ``ь``: up to two in Russian
  (``Доманевский`` -> ``доманевск``, ``область`` -> ``област``), one in Kazakh, which adds
  suffixes rather than changing endings (``Ақтау`` -> ``ақта``, not ``ақт``, which would match
  ``Ақтөбе``); a stem keeps at least four letters;
* Kazakh voices a final ``к``/``қ``/``п`` before a vowel (``кітап`` -> ``кітабы``), so those
  stems also match with ``г``/``ғ``/``б`` in that place;
* a word of text matches when it starts with the stem and adds at most a few letters: four
  in Russian (``-ями``, ``-ского`` is five), ten in Kazakh (``облысындағы``), so in Russian
  ``Астана`` does not match ``Астанабанк``.

English and other languages match whole words, case-insensitively, with an optional plural or
possessive ending (``Kazakhstan's``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from .words import TERM, fold, matcher

__all__ = ["Glossary", "Term", "find_term", "load_glossary", "parse_glossary"]

# A word: letters and digits, joined by inner hyphens or apostrophes (Северо-Казахстанская).
_LANG_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z]{2,4})?$")


@dataclass(frozen=True)
class Term:
    """One glossary row: ``forms`` pairs a language code with that language's spelling."""

    forms: tuple[tuple[str, str], ...]

    def form(self, lang: str) -> str:
        return dict(self.forms).get(lang, "")


@dataclass(frozen=True)
class Glossary:
    languages: tuple[str, ...]
    terms: tuple[Term, ...]
    path: str | None = None

    def select(self, text: str, *, lang: str, target: str | None = None) -> tuple[Term, ...]:
        """The terms whose ``lang`` form occurs in ``text`` (and, if given, that have a ``target`` form)."""
        if lang not in self.languages:
            return ()
        words = _words(text)
        chosen = []
        for term in self.terms:
            if target is not None and not term.form(target):
                continue
            source_form = term.form(lang)
            if source_form and _find(words, source_form, lang) is not None:
                chosen.append(term)
        return tuple(chosen)


def load_glossary(path: str | Path) -> Glossary:
    """The glossary in the CSV file at ``path``, read and parsed once while the file stays as it
    is: a batch asks for it per job and the desk per page (a ``Glossary`` is frozen, so one
    parsed copy is shared)."""
    file = Path(path)
    try:
        stat = file.stat()
        return _load(str(file), str(file.resolve()), stat.st_mtime_ns, stat.st_size)
    except FileNotFoundError:
        raise InputError(f"glossary {file}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"glossary {file} is a directory; give a CSV file") from None
    except OSError as exc:
        raise InputError(f"glossary {file}: cannot read ({exc.strerror or exc})") from None


@lru_cache(maxsize=16)
def _load(shown: str, resolved: str, mtime_ns: int, size: int) -> Glossary:
    """``resolved``, ``mtime_ns`` and ``size`` are the cache key: a changed file is read again."""
    data = Path(resolved).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"glossary {shown} is not UTF-8 text") from None
    glossary = parse_glossary(text, name=f"glossary {shown}")
    return Glossary(languages=glossary.languages, terms=glossary.terms, path=shown)


@lru_cache(maxsize=16)
def parse_glossary(text: str, *, name: str = "glossary") -> Glossary:
    """The glossary a CSV text states, parsed once per text (errors are raised, never cached)."""
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows:
        raise InputError(f"{name} is empty; the first row names the languages, e.g. en,ru,kk")
    header = [cell.strip() for cell in rows[0]]
    bad = [code for code in header if not _LANG_CODE.match(code)]
    if bad:
        raise InputError(
            f"{name}: the header row must name language codes (e.g. en,ru,kk), not {', '.join(map(repr, bad))}"
        )
    if len(set(header)) != len(header):
        raise InputError(f"{name}: a language appears twice in the header row")
    terms = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise InputError(f"{name} row {number}: {len(row)} cells, but the header names {len(header)} languages")
        forms = tuple((code, cell.strip()) for code, cell in zip(header, row, strict=True) if cell.strip())
        if len(forms) >= 2:  # a term in one language only maps to nothing
            terms.append(Term(forms))
    return Glossary(languages=tuple(header), terms=tuple(terms))


@dataclass(frozen=True)
class _Word:
    text: str
    folded: str
    start: int
    end: int


def find_term(text: str, form: str, *, lang: str) -> tuple[int, int] | None:
    """Where ``form`` (a term in language ``lang``) first occurs in ``text``, in any inflected form."""
    return _find(_words(text), form, lang)


def _words(text: str) -> list[_Word]:
    return [_Word(m.group(), fold(m.group()), m.start(), m.end()) for m in TERM.finditer(text)]


def _find(words: list[_Word], form: str, lang: str) -> tuple[int, int] | None:
    wanted = [fold(w) for w in TERM.findall(form)]
    if not wanted:
        return None
    matchers = [matcher(w, lang) for w in wanted]
    for i in range(len(words) - len(wanted) + 1):
        if all(match(words[i + k].folded) for k, match in enumerate(matchers)):
            return words[i].start, words[i + len(wanted) - 1].end
    return None
