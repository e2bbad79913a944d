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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from .agencies import agencies as agency_table
from .cleaning import clean_text, source_offset
from .datelines import parse_dateline, parse_trailer
from .langid import identify_language
from .pages import read_page
from .provenance import Provenance, parse_provenance

__all__ = [
    "MAX_INPUT_BYTES",
    "Article",
    "ArticleMeta",
    "article_files",
    "detect_language",
    "load_article",
    "paragraph_spans",
    "parse_article",
    "split_header",
    "split_paragraphs",
]

# Settings.max_input_mb's default: a wire item is never that big, and summarising a 50 MB dump
# would quietly cost thousands of requests.
MAX_INPUT_BYTES = 10 * 1024 * 1024

# Encodings seen on wire desks in the region, in the order we prefer them on a tie.
_LEGACY_ENCODINGS = ["cp1251", "koi8_r", "iso8859_5", "mac_cyrillic", "cp1252"]
_KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")

# Kazinform's export format opens with ` date 2015-11-25 ` before the dateline.
_EXPORT_DATE = re.compile(r"\A\s*date\s+(?P<date>\d{4}-\d{2}-\d{2})\s+")


@dataclass(frozen=True)
class ArticleMeta:
    """What the wire header (or a page's metadata) says. Every field is None when it lacks it."""

    date: str | None = None  # YYYY-MM-DD, or --MM-DD when the copy gives no year
    dateline: str | None = None  # the place, in its own script, title-cased
    agency: str | None = None  # canonical name from agencies.toml, else the outlet as written
    source: str | None = None  # the agency or office a trailer credits (Source: BELTA)
    title: str | None = None  # a headline line, or an HTML page's title
    subtitle: str | None = None  # a line between the headline and the dateline
    byline: str | None = None  # a correspondent (/Корр. ТАСС Name/) or a page's author
    site: str | None = None  # an HTML page's site name
    wire: Provenance | None = None  # the feed, link, GUID and times of an item ``pull`` wrote

    @property
    def year_known(self) -> bool:
        return bool(self.date) and not str(self.date).startswith("--")

    @property
    def shown_date(self) -> str | None:
        """The date for a reader: ISO when the year is known, else day.month (10.08) rather than --08-10."""
        if not self.date or self.year_known:
            return self.date
        return f"{self.date[5:7]}.{self.date[2:4]}"

    @property
    def header_line(self) -> str | None:
        """Place, date, agency (and the credited source) in one line, as reports list them."""
        parts = [p for p in (self.dateline, self.shown_date, self.agency) if p]
        if self.source and self.source != self.agency:
            parts.append(f"source: {self.source}")
        return ", ".join(parts) or None


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    body: str
    meta: ArticleMeta = field(default_factory=ArticleMeta)
    encoding: str = "utf-8"
    language: str = "en"  # ISO 639-1, or "und" when identification is unsure
    path: str | None = None
    format: str = "text"  # "html" when the text was extracted from a web page
    language_confidence: float = 1.0
    language_guess: str | None = None  # the best guess even when ``language`` is "und"
    body_at: int = 0  # where ``body`` starts in the cleaned ``text`` (see ``source_offset``)

    @property
    def paragraphs(self) -> list[str]:
        return split_paragraphs(self.body)

    @property
    def paragraph_spans(self) -> list[tuple[int, int]]:
        """(start, end) in ``body`` of each of ``paragraphs``."""
        return paragraph_spans(self.body)

    def source_offset(self, at: int) -> int:
        """Where ``body[at]`` stands in ``text``: evidence is pinned in the text as decoded, the
        model reads the cleaned body, and this maps one onto the other without searching."""
        return source_offset(self.text, self.body_at + at)


def load_article(
    source: str | Path,
    *,
    stdin: BinaryIO | None = None,
    max_bytes: int = MAX_INPUT_BYTES,
    agencies: Path | None = None,
) -> Article:
    """Read ``source`` (a path, or ``"-"`` for stdin) and parse it.

    Raises :class:`InputError` with a one-line message for anything that is not a readable
    text article: missing, a directory, unreadable, empty, blank, binary, or larger than
    ``max_bytes`` (``Settings.max_input_bytes``). ``agencies``: the newsroom's agencies file
    (``Settings.agencies``), extending the shipped table.
    """
    if str(source) == "-":
        data = (stdin or sys.stdin.buffer).read(max_bytes + 1)
        if len(data) > max_bytes:
            raise InputError(f"stdin is larger than {_mb(max_bytes)}; raise SUMMARIZER_MAX_INPUT_MB to allow it")
        return parse_article(data, name="stdin", agencies=agencies)
    path = Path(source)
    if path.is_dir():
        raise InputError(f"{path} is a directory; give one article file (or '-' for stdin)")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{path} is {_mb(size)}, over the {_mb(max_bytes)} limit; raise SUMMARIZER_MAX_INPUT_MB to allow it"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return parse_article(data, name=path.stem, path=str(path), agencies=agencies)


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


def parse_article(data: bytes, *, name: str, path: str | None = None, agencies: Path | None = None) -> Article:
    label = path or name
    if not data:
        raise InputError(f"{label} is empty")
    text, encoding = decode(data, label=label)
    if not text.strip():
        raise InputError(f"{label} contains only whitespace")
    page, fmt = None, "text"
    if _looks_like_html(text):
        # From here on the extracted article is the input: fact offsets point into it.
        page = read_page(text, label)
        text, fmt = page.text, "html"
    clean = clean_text(text)
    # A page's title comes from its metadata; a text file may open with a headline line.
    start, end, meta = _split_header(clean, headline=page is None, agencies=agencies)
    body = clean[start:end]
    if page is not None:
        meta = replace(
            meta,
            title=page.title or meta.title,
            date=_page_date(page.date, meta.date),
            byline=meta.byline or page.author,
            site=page.site,
        )
    if not body.strip():
        raise InputError(f"{label} has a wire header but no article text")
    found = identify_language(body)
    return Article(
        id=name,
        text=text,
        body=body,
        meta=meta,
        encoding=encoding,
        language=found.code,
        path=path,
        format=fmt,
        language_confidence=round(found.confidence, 3),
        language_guess=found.best,
        body_at=start,
    )


def _page_date(page: str | None, dateline: str | None) -> str | None:
    """A page states the full date; a dateline often only month and day. The dateline's day is
    the story's (a page's timestamp may be the next day in UTC), the page gives the year."""
    if not page or (dateline and not dateline.startswith("--")):
        return dateline or page
    if not dateline:
        return page
    year = int(page[:4]) - (1 if dateline[2:4] == "12" and page[5:7] == "01" else 0)
    return f"{year}{dateline[1:]}"


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
    from charset_normalizer import from_bytes  # here: only legacy-encoded copy needs it (16 ms to import)

    best = from_bytes(data, cp_isolation=_LEGACY_ENCODINGS).best()
    if best is None or not _looks_like_text(str(best)):
        raise InputError(f"{label} is not text in UTF-8, cp1251 or KOI8-R (binary file?)")
    return str(best), best.encoding


_HTML_START = re.compile(r"\A\s*(?:<!doctype\s+html|<html|<head|<body)", re.IGNORECASE)
_HTML_TAGS = re.compile(r"</(?:p|div|span|a|li|body|html|script)>", re.IGNORECASE)


def _looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text)) or len(_HTML_TAGS.findall(text[:20000])) >= 5


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


def split_header(text: str, *, headline: bool = True, agencies: Path | None = None) -> tuple[str, ArticleMeta]:
    """(body, meta): the headline, dateline and source trailer parsed off ``text``.

    What is not recognised stays in the body: a first line is a headline only when it reads
    like one (one short line without a closing full stop, with the story after a blank line),
    and a dateline must carry weight (``datelines.py``).
    """
    start, end, meta = _split_header(text, headline=headline, agencies=agencies)
    return text[start:end], meta


def _split_header(text: str, *, headline: bool, agencies: Path | None) -> tuple[int, int, ArticleMeta]:
    """``split_header`` as the (start, end) of the body in ``text``, so that offsets survive."""
    table = agency_table(agencies)
    lead = len(text) - len(text.lstrip())
    wire, after = parse_provenance(text[lead:])
    if wire is not None:  # the header states the title; after it comes the story, dateline and all
        at = lead + after
        start, end, meta = _split_header(text[at:], headline=wire.title is None, agencies=agencies)
        return at + start, at + end, replace(meta, wire=wire, **wire.fills(meta, table.longest_prefix))
    export = _EXPORT_DATE.match(text)
    at = export.end() if export else lead
    body = text[at:] if export else text.strip()
    title = subtitle = None
    dateline = parse_dateline(body, table)
    if dateline is None and headline and not export:
        blocks = _blocks(body)
        if len(blocks) >= 2 and _is_headline(blocks[0][0]):
            title, body, at = blocks[0][0], body[blocks[1][1] :], at + blocks[1][1]
            dateline = parse_dateline(body, table)
            # A standfirst between headline and dateline: only when a dateline follows it.
            if dateline is None and len(blocks) >= 3 and _is_headline(blocks[1][0]):
                skip = blocks[2][1] - blocks[1][1]
                if (below := parse_dateline(body[skip:], table)) is not None:
                    subtitle, body, dateline, at = blocks[1][0], body[skip:], below, at + skip
    if dateline is not None:
        body, at = body[dateline.end :], at + dateline.end
    source, cut = parse_trailer(body, table)
    body = body[:cut]
    meta = ArticleMeta(
        date=export.group("date") if export else (dateline.date if dateline else None),
        dateline=dateline.place if dateline else None,
        agency=dateline.agency if dateline else None,
        source=source,
        title=title,
        subtitle=subtitle,
        byline=dateline.byline if dateline else None,
    )
    at += len(body) - len(body.lstrip())
    return at, at + len(body.strip()), meta


def _blocks(text: str) -> list[tuple[str, int]]:
    """The first few paragraphs with their start offsets (blank-line separated, else lines)."""
    separator = re.compile(r"\n[ \t]*\n\s*") if re.search(r"\n[ \t]*\n", text) else re.compile(r"\n\s*")
    blocks, start = [], 0
    for match in separator.finditer(text):
        blocks.append((text[start : match.start()].strip(), start))
        start = match.end()
        if len(blocks) == 3:
            break
    if len(blocks) < 3 and text[start:].strip():
        blocks.append((text[start:].strip(), start))
    return blocks


def _is_headline(block: str) -> bool:
    # Two words, or a line in a script written without spaces (Chinese, Japanese).
    words = len(block.split()) >= 2 or len(block) >= 8
    return "\n" not in block and 0 < len(block) <= 200 and block[-1] not in ".…:;," and words


_BLANK_LINE = re.compile(r"\n\s*\n")
_LINE_BREAK = re.compile(r"\n")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph in ``text``, whitespace trimmed: blank lines separate
    paragraphs; a text with none uses single line breaks."""
    spans = _spans(text, _BLANK_LINE)
    if len(spans) == 1 and "\n" in text[spans[0][0] : spans[0][1]]:
        spans = _spans(text, _LINE_BREAK)
    return spans


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text`` (``paragraph_spans``), as strings."""
    return [text[start:end] for start, end in paragraph_spans(text)]


def _spans(text: str, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    out, start = [], 0
    for match in [*separator.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[start:end]
        if chunk.strip():
            out.append((start + len(chunk) - len(chunk.lstrip()), start + len(chunk.rstrip())))
        start = match.end() if match else len(text)
    return out


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
