"""Stage 1: read an article from a file or stdin, decode it, and parse its wire header.

Newsroom files arrive in whatever encoding the sending desk used: UTF-8 with or without a BOM,
and still cp1251 or KOI8-R from older Russian-language systems. We decode strictly as UTF-8
first (it almost never decodes other encodings by accident) and only then ask
charset-normalizer, restricted to the encodings a newsroom actually sends, to guess.

Two texts are kept: ``text`` is the input exactly as decoded (BOM removed, line endings
untouched) so that fact offsets can point into it; ``body`` is the cleaned article that goes to
the model (header and trailer removed, Unicode NFC, ``\\n`` line endings).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from ..config import current
from ..errors import InputError

__all__ = ["Article", "ArticleMeta", "article_files", "detect_language", "load_article", "parse_article"]

# Encodings seen on wire desks in the region, in the order we prefer them on a tie.
_LEGACY_ENCODINGS = ["cp1251", "koi8_r", "iso8859_5", "mac_cyrillic", "cp1252"]
_KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"

# ` date 2015-11-25 MOGILEV. KAZINFORM Kazakhstan would like ...` (Kazinform's export format)
# or `АЛМАТЫ. КАЗИНФОРМ — ...`: an optional date line, an upper-case place, a full stop, an
# upper-case agency, then an optional dash.
_HEADER = re.compile(
    rf"""\A\s*
    (?:date\s+(?P<date>\d{{4}}-\d{{2}}-\d{{2}})\s+)?
    (?P<place>[{_UPPER}][{_UPPER}\-' ]{{1,40}}?)\.\s+
    (?P<agency>[{_UPPER}][{_UPPER}\-]{{1,30}})\b
    (?:\s*[-–—]\s*|\s+)""",
    re.VERBOSE,
)
_DATE_ONLY = re.compile(r"\A\s*date\s+(?P<date>\d{4}-\d{2}-\d{2})\s+")
_TRAILER = re.compile(r"\s*(?:Source|Источник|Дереккөз)\s*:\s*(?P<source>[^\n]{1,80}?)\s*\Z")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class ArticleMeta:
    """What the wire header says. Every field is None when the header lacks it."""

    date: str | None = None
    dateline: str | None = None
    agency: str | None = None
    source: str | None = None
    title: str | None = None  # from an HTML page's metadata


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    body: str
    meta: ArticleMeta = field(default_factory=ArticleMeta)
    encoding: str = "utf-8"
    language: str = "en"
    path: str | None = None
    format: str = "text"  # "html" when the text was extracted from a web page

    @property
    def paragraphs(self) -> list[str]:
        return split_paragraphs(self.body)


def load_article(source: str | Path, *, stdin: BinaryIO | None = None, max_bytes: int | None = None) -> Article:
    """Read ``source`` (a path, or ``"-"`` for stdin) and parse it.

    Raises :class:`InputError` with a one-line message for anything that is not a readable
    text article: missing, a directory, unreadable, empty, blank, binary, or larger than
    ``max_bytes`` (default ``SUMMARIZER_MAX_INPUT_MB``, 10 MB: a wire item is never that big,
    and summarising a 50 MB dump would quietly cost thousands of requests).
    """
    limit = max_bytes if max_bytes is not None else current().max_input_bytes
    if str(source) == "-":
        data = (stdin or sys.stdin.buffer).read(limit + 1)
        if len(data) > limit:
            raise InputError(f"stdin is larger than {_mb(limit)}; raise SUMMARIZER_MAX_INPUT_MB to allow it")
        return parse_article(data, name="stdin")
    path = Path(source)
    if path.is_dir():
        raise InputError(f"{path} is a directory; give one article file (or '-' for stdin)")
    try:
        size = path.stat().st_size
        if size > limit:
            raise InputError(
                f"{path} is {_mb(size)}, over the {_mb(limit)} limit; raise SUMMARIZER_MAX_INPUT_MB to allow it"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return parse_article(data, name=path.stem, path=str(path))


_NOT_ARTICLES = ("readme", "license", "licence", "changelog")


def article_files(folder: Path) -> list[Path]:
    """What a folder of articles is, for every command: its files, sorted, not recursive, without
    hidden files and without the README or LICENSE that sits beside the articles. Any other file is
    an article to try, so a file that cannot be read is reported by name rather than skipped."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and not p.name.lower().startswith(_NOT_ARTICLES)
    )


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def parse_article(data: bytes, *, name: str, path: str | None = None) -> Article:
    label = path or name
    if not data:
        raise InputError(f"{label} is empty")
    text, encoding = decode(data, label=label)
    if not text.strip():
        raise InputError(f"{label} contains only whitespace")
    title, fmt = None, "text"
    if _looks_like_html(text):
        # From here on the extracted article is the input: fact offsets point into it.
        text, title = _html_to_text(text, label)
        fmt = "html"
    clean = unicodedata.normalize("NFC", _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))
    body, meta = _split_header(clean)
    if title:
        meta = replace(meta, title=title)
    if not body.strip():
        raise InputError(f"{label} has a wire header but no article text")
    return Article(
        id=name,
        text=text,
        body=body,
        meta=meta,
        encoding=encoding,
        language=detect_language(body),
        path=path,
        format=fmt,
    )


def decode(data: bytes, *, label: str) -> tuple[str, str]:
    """Bytes -> (text without BOM, encoding name)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", label), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", label).lstrip("\ufeff"), "utf-16"
    if b"\x00" in data:
        raise InputError(f"{label} looks binary (it contains NUL bytes), not a text article")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # A UTF-8 file with a few stray bytes (a fragment pasted from an old cp1251 system) is still
    # a UTF-8 article: keep it, with U+FFFD where the bytes were, rather than mis-decode it all.
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    if bad <= max(3, len(lenient) // 200) and _looks_like_text(lenient):
        return lenient, f"utf-8 ({bad} invalid byte sequence(s) replaced)"
    best = from_bytes(data, cp_isolation=_LEGACY_ENCODINGS).best()
    if best is None or not _looks_like_text(str(best)):
        raise InputError(f"{label} is not text in UTF-8, cp1251 or KOI8-R (binary file?)")
    return str(best), best.encoding


_HTML_START = re.compile(r"\A\s*(?:<!doctype\s+html|<html|<head|<body)", re.IGNORECASE)
_HTML_TAGS = re.compile(r"</(?:p|div|span|a|li|body|html|script)>", re.IGNORECASE)


def _looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text)) or len(_HTML_TAGS.findall(text[:20000])) >= 5


def _html_to_text(html: str, label: str) -> tuple[str, str | None]:
    """The main text of a web page: scripts, navigation and boilerplate never reach the model."""
    try:
        import trafilatura
    except ImportError:
        raise InputError(f"{label} is an HTML page; install summarizer[html] to extract its article text") from None
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True)
    # A page of navigation alone extracts to a word or two ("Home"); that is not an article.
    if not text or len(text.split()) < 8:
        raise InputError(f"{label} is an HTML page, but no article text could be found in it")
    metadata = trafilatura.extract_metadata(html)
    return text, (metadata.title if metadata and metadata.title else None)


def _strict(data: bytes, encoding: str, label: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{label} starts with a {encoding} byte-order mark but is not valid {encoding} ({exc.reason})"
        ) from None


def _looks_like_text(text: str) -> bool:
    # A legacy single-byte decode "succeeds" on any bytes; real prose is mostly letters and spaces.
    if not text:
        return False
    printable = sum(ch.isalnum() or ch.isspace() or ch in ".,;:!?\"'«»()-–—%/" for ch in text)
    return printable / len(text) > 0.85


def _split_header(text: str) -> tuple[str, ArticleMeta]:
    date = place = agency = source = None
    body = text
    match = _HEADER.match(body) or _DATE_ONLY.match(body)
    if match:
        groups = match.groupdict()
        date, place, agency = groups.get("date"), groups.get("place"), groups.get("agency")
        body = body[match.end() :]
    trailer = _TRAILER.search(body)
    if trailer:
        source = trailer.group("source").strip()
        body = body[: trailer.start()]
    meta = ArticleMeta(
        date=date,
        dateline=place.strip().title() if place else None,
        agency=agency,
        source=source,
    )
    return body.strip(), meta


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs are separated by blank lines; a file with none uses single line breaks."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(parts) == 1 and "\n" in parts[0]:
        parts = [p.strip() for p in parts[0].split("\n") if p.strip()]
    return parts


def detect_language(text: str) -> str:
    """en / ru / kk from the script alone: cheap, and right for wire copy.

    Cyrillic without any of the nine letters only Kazakh has is Russian; the translation
    checks use a real language identifier on top of this.
    """
    letters = sum(map(str.isalpha, text))
    if not letters:
        return "en"
    # Counted in C rather than a loop over characters (a batch runs this on every article): in
    # UTF-8 every character of U+0400-U+04FF starts with a byte D0-D3, and all of them are
    # letters but U+0482-U+0489 (a sign and combining marks).
    data = text.encode("utf-8", "surrogatepass")
    cyrillic = sum(data.count(lead) for lead in _CYRILLIC_LEADS) - sum(data.count(s) for s in _CYRILLIC_NON_LETTERS)
    if cyrillic / letters < 0.5:
        return "en"
    kazakh = sum(text.count(letter) for letter in _KAZAKH_LETTERS)
    return "kk" if kazakh / cyrillic > 0.01 else "ru"


_CYRILLIC_LEADS = (b"\xd0", b"\xd1", b"\xd2", b"\xd3")
_CYRILLIC_NON_LETTERS = tuple(chr(code).encode("utf-8") for code in range(0x482, 0x48A))
