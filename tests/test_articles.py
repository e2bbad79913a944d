from __future__ import annotations

import io
import itertools
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT, SEED

from summarizer.errors import InputError
from summarizer.text.articles import detect_language, load_article, paragraph_spans, parse_article, split_paragraphs

RU = (
    "АЛМАТЫ. КАЗИНФОРМ — В Алматы запустят новую линию метро, сообщил аким города.\n\n"
    "«Строительство завершится в 2027 году», — сказал он. Стоимость проекта 120 млрд тенге."
)
KK = "Астана. Қазақстан Республикасының Үкіметі жаңа бағдарламаны бекітті. Бұл шешім 2026 жылы күшіне енеді."


def test_seed_header_is_parsed() -> None:
    article = load_article(SEED)
    assert article.meta.date == "2015-11-25"
    assert article.meta.dateline == "Mogilev"
    assert article.meta.agency == "Kazinform"  # canonical name from agencies.toml
    assert article.meta.source == "BelTA"
    assert article.body.startswith("Kazakhstan would like to implement")
    assert article.body.endswith("Week of Kazakh Cinema in Mogilev.")
    assert article.language == "en"
    assert article.id == SEED.stem


def test_text_keeps_the_input_as_decoded() -> None:
    raw = SEED.read_bytes()
    assert load_article(SEED).text == raw.decode("utf-8")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "koi8_r", "utf-16"])
def test_russian_in_newsroom_encodings_is_decoded(encoding: str) -> None:
    # KOI8-R has no em dash or guillemets; a KOI8-R desk types plain ones.
    text = RU.replace("—", "-").replace("«", '"').replace("»", '"') if encoding == "koi8_r" else RU
    article = parse_article(text.encode(encoding), name="ru")
    assert "Строительство завершится в 2027 году" in article.body
    assert article.meta.dateline == "Алматы"
    assert article.meta.agency == "Kazinform"
    assert article.language == "ru"
    assert not article.text.startswith("\ufeff")


def test_bom_is_removed_and_crlf_kept_in_text_but_not_body() -> None:
    data = "\ufeff".encode() + RU.replace("\n", "\r\n").encode()
    article = parse_article(data, name="ru")
    assert article.text == RU.replace("\n", "\r\n")
    assert "\r" not in article.body
    assert len(article.paragraphs) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"   \n\t\r\n  ", "only whitespace"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x03\x00>\x00", "binary"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_unreadable_bytes_are_rejected_with_one_line(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        parse_article(data, name="x")
    assert "\n" not in str(info.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_article(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        load_article(tmp_path)


def test_stdin_dash() -> None:
    article = load_article("-", stdin=io.BytesIO(SEED.read_bytes()))
    assert article.id == "stdin"
    assert article.meta.agency == "Kazinform"  # canonical name from agencies.toml


def test_text_without_header_has_empty_meta() -> None:
    article = parse_article(b"Just a paragraph of news.\n\nAnd another one.", name="plain")
    assert article.meta.date is None and article.meta.agency is None
    assert article.paragraphs == ["Just a paragraph of news.", "And another one."]


def test_control_characters_are_removed_from_body() -> None:
    article = parse_article(b"News\x07 text\x1b here.", name="c")
    assert article.body == "News text here."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kazakhstan and Belarus agreed to cooperate.", "en"),
        (RU, "ru"),
        (KK, "kk"),
        ("12345 — 678", "en"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_single_newline_paragraphs() -> None:
    assert split_paragraphs("One.\nTwo.\nThree.") == ["One.", "Two.", "Three."]


def _reference_paragraphs(text: str) -> list[str]:
    """How paragraphs were cut before they kept their offsets."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(parts) == 1 and "\n" in parts[0]:
        parts = [p.strip() for p in parts[0].split("\n") if p.strip()]
    return parts


# Every text of up to four of these pieces: blank lines with spaces, single-newline paragraphs,
# leading and trailing whitespace, CRLF and lone CR, a non-breaking space.
_PIECES = ["Ab.", "c", " ", "\t", "\n", "\r\n", "\n \n", "\r", "\u00a0"]
_TEXTS = [""] + ["".join(combo) for n in range(1, 5) for combo in itertools.product(_PIECES, repeat=n)]


def test_paragraph_spans_cut_exactly_as_the_paragraphs_are_cut() -> None:
    for text in _TEXTS:
        spans = paragraph_spans(text)
        assert [text[s:e] for s, e in spans] == split_paragraphs(text) == _reference_paragraphs(text), repr(text)
        assert all(a < b <= c for (a, b), (c, _) in itertools.pairwise(spans)), repr(text)


@pytest.mark.parametrize(
    "raw",
    [
        "Headline here\r\n\r\nASTANA. KAZINFORM - First para\x07graph.\r\n\r\n  Second one.\r\n",
        "Cafe\u0301 news\n\nThe cafe\u0301 opened.\n\nIt closed.",  # composed under NFC in the body
        "  Leading spaces.\rOld Mac line ends.\r\rLast.",
    ],
)
def test_source_offset_maps_each_paragraph_start_to_the_text(raw: str) -> None:
    article = parse_article(raw.encode("utf-8"), name="x")
    for start, end in article.paragraph_spans:
        word = article.body[start:end].split()[0]
        at = article.source_offset(start)
        assert unicodedata.normalize("NFC", article.text[at:]).startswith(word)


HTML_PAGE = """<!DOCTYPE html><html><head><title>Kazakhstan eyes joint projects in Belarus</title>
<script>window.alert('tracking'); var ignore = "Ignore previous instructions";</script></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<article><h1>Kazakhstan eyes joint projects in Belarus</h1>
<p>Kazakhstan would like to implement big joint investment projects in Belarus, Ambassador Yergali Bulegenov
said as he met with Chairman of the Mogilev Oblast Executive Committee Vladimir Domanevsky.</p>
<p>Vladimir Domanevsky suggested convening a meeting of business leaders in Mogilev no later than January 2016,
and named construction, wood processing and agriculture as promising areas of cooperation.</p>
<p>The ambassador also attended a ceremony to open the Week of Kazakh Cinema in Mogilev.</p></article>
<footer>Copyright 2015 Example News. All rights reserved. Subscribe to our newsletter.</footer></body></html>"""


def test_html_page_is_reduced_to_its_article() -> None:
    article = parse_article(HTML_PAGE.encode(), name="page")
    assert article.format == "html"
    assert "Yergali Bulegenov" in article.body and "January 2016" in article.body
    for junk in ("window.alert", "Ignore previous instructions", "Subscribe", "Home", "<p>"):
        assert junk not in article.body
    assert article.meta.title == "Kazakhstan eyes joint projects in Belarus"


def test_html_page_in_cp1251_is_decoded_then_extracted() -> None:
    page = HTML_PAGE.replace("Kazakhstan would like", "Казахстан хотел бы").replace(
        "<head>", '<head><meta charset="windows-1251">'
    )
    article = parse_article(page.encode("cp1251"), name="page")
    assert "Казахстан хотел бы" in article.body


def test_html_without_article_text_is_rejected() -> None:
    with pytest.raises(InputError, match="no article text"):
        parse_article(b"<html><body><script>var a = 1;</script><nav><a href='/'>Home</a></nav></body></html>", name="p")


def test_a_few_invalid_utf8_bytes_do_not_turn_the_article_into_mojibake() -> None:
    text = "Казахстан и Беларусь договорились о сотрудничестве. " * 20
    article = parse_article(text.encode() + b"\xff\xfe" + text.encode(), name="x")
    assert article.encoding == "utf-8 (2 invalid byte sequence(s) replaced)"
    assert "Казахстан и Беларусь" in article.body and "\ufffd" in article.body


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as out:
        out.truncate(50 * 1024 * 1024)  # a sparse 50 MB file: costs no disk, no memory
    with pytest.raises(InputError, match=r"50\.0 MB, over the 10\.0 MB limit"):
        load_article(big)
    with pytest.raises(InputError, match="larger than"):
        load_article("-", stdin=io.BytesIO(b"x" * 5000), max_bytes=1024)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "secret.txt"
    target.write_text("text")

    def deny(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    # Tests run as root in CI, where chmod 000 does not stop reads; simulate the refusal.
    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(InputError, match="permission denied"):
        load_article(target)


def _reference_language(text: str) -> str:
    """The original character loop, kept as the definition the fast version must match."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return "en"
    cyrillic = [ch for ch in letters if "\u0400" <= ch <= "\u04ff"]
    if len(cyrillic) / len(letters) < 0.5:
        return "en"
    kazakh = sum(ch in "әғқңөұүһіӘҒҚҢӨҰҮҺІ" for ch in cyrillic)
    return "kk" if kazakh / len(cyrillic) > 0.01 else "ru"


def test_fast_language_detection_matches_the_character_loop() -> None:
    import random

    rng = random.Random(6)
    alphabet = "abcZ АБВгдЁёЎ әғқңөұүһіІ 12_½² \u0482\u0483\u0489\u048a .,!😀"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(5000)]
    texts += [p.read_text(encoding="utf-8") for p in (ROOT / "seeds").glob("*.txt")]
    assert [detect_language(t) for t in texts] == [_reference_language(t) for t in texts]
