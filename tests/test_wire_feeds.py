"""Feed formats in: RSS, Atom, JSON Feed, ninjs and NewsML-G2 -> items; hostile XML refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.errors import WireError
from summarizer.wire.feeds import parse_feed
from summarizer.wire.items import FeedItem, html_text

DATA = Path(__file__).parent / "data" / "wire"


@pytest.mark.parametrize(
    ("name", "guid", "title", "published", "language", "agency", "body_starts"),
    [
        ("kazinform.rss", "https://www.inform.kz/en/kazakhstan-and-belarus-to-launch-joint-machine-building-projects-a1001",
         "Kazakhstan and Belarus to launch joint machine-building projects", "2026-12-07T01:15:00+00:00", "en", None,
         "ASTANA. KAZINFORM – Kazakhstan and Belarus"),
        ("astanatimes.rss", "https://astanatimes.com/?p=90001", "Kazakh Parliament Approves New Water Code",
         "2026-12-07T09:00:00+00:00", "en-US", None, "ASTANA – The Mazhilis, the lower house"),
        ("belta.atom", "tag:belta.by,2026:70001", "В Могилевской области построят завод по переработке льна",
         "2026-12-07T07:30:00+00:00", "ru", None, "МОГИЛЕВ, 7 декабря (БЕЛТА) –"),
        ("tengri.json", "https://en.tengrinews.kz/kazakhstan_news/50001/",
         "Snowfall closes roads in three regions of Kazakhstan", "2026-12-07T00:10:00+00:00", "en", None,
         "ASTANA. Roads in Akmola"),
        ("ap-ninjs.json", "https://api.example-agency.org/content/item/2f5a0c7e41b04c1b9d2e6f0a1b2c3d4e",
         "Central Asian ministers agree on a regional power grid", "2026-12-07T10:20:00+00:00", "en",
         "Example Agency", "TASHKENT, Uzbekistan (EA) — Energy ministers"),
        ("reuters-g2.xml", "urn:newsml:example-wire.com:20261207:nEX0000001",
         "Kazakhstan raises wheat export quota for 2027", "2026-12-07T11:00:00+00:00", "en", "example-wire.com",
         "ASTANA, Dec 7 (Example Wire) - Kazakhstan will raise"),
    ],
)  # fmt: skip
def test_each_format_gives_its_first_item(
    name: str, guid: str, title: str, published: str, language: str, agency: str | None, body_starts: str
) -> None:
    item = parse_feed((DATA / name).read_bytes(), source=name)[0]
    assert (item.guid, item.title, item.published, item.language, item.agency) == (
        guid, title, published, language, agency,
    )  # fmt: skip
    assert item.body.startswith(body_starts)
    assert len(item.body.split("\n\n")) == 2  # the two paragraphs kept apart, no markup left
    assert "<" not in item.body and not item.is_teaser


@pytest.mark.parametrize("name", ["bomb.xml", "xxe.xml"])
def test_entities_are_refused_before_any_parser_expands_them(name: str) -> None:
    with pytest.raises(WireError, match="refused, the XML declares entities"):
        parse_feed((DATA / name).read_bytes(), source=name)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"hello", "not a feed"),
        (b"<rss><channel><item>", "not well-formed XML"),
        (b'{"title": "x"}', "neither a JSON Feed nor ninjs"),
        (b"{broken", "not valid JSON"),
        (b"<html><body><p>a page</p></body></html>", "not an RSS or Atom feed"),
    ],
)
def test_what_is_not_a_feed_is_one_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(WireError, match=message):
        parse_feed(data, source="x")


def test_identity_is_guid_else_link_else_content() -> None:
    both = FeedItem(guid="g1", link="https://a/1", title="T", body="text")
    link_only = FeedItem(guid=None, link="https://a/1", title="T", body="text")
    bare = FeedItem(guid=None, link=None, title="T", body="text")
    assert (both.key, link_only.key) == ("guid:g1", "link:https://a/1")
    assert bare.key == f"hash:{bare.content_hash}"
    # a correction changes the hash; whitespace alone does not
    assert FeedItem(None, None, "T", "text  \n").content_hash == bare.content_hash
    assert FeedItem(None, None, "T", "text, corrected").content_hash != bare.content_hash


def test_a_teaser_is_one_short_paragraph_or_a_cut_text() -> None:
    assert FeedItem(None, None, "T", "Russia and Kazakhstan signed a deal.").is_teaser
    assert FeedItem(None, None, "T", "First paragraph here.\n\nA second paragraph […]").is_teaser
    assert not FeedItem(None, None, "T", "First paragraph.\n\nSecond paragraph.").is_teaser


def test_html_text_drops_scripts_and_keeps_paragraphs() -> None:
    html = "<p>One &amp; two.</p><script>alert(1)</script><div>Three<br>four</div>"
    assert html_text(html) == "One & two.\n\nThree\n\nfour"


@pytest.mark.parametrize(
    "wrap",
    [
        lambda item: item,
        lambda item: [item],
        lambda item: {"items": [item]},
        lambda item: {"data": {"items": [{"meta": {"score": 1}, "item": item}]}},
    ],
)
def test_ninjs_bare_listed_or_wrapped_as_agency_apis_send_it(wrap) -> None:  # type: ignore[no-untyped-def]
    import json

    item = json.loads((DATA / "ap-ninjs.json").read_text(encoding="utf-8"))["items"][0]
    (parsed,) = parse_feed(json.dumps(wrap(item)).encode(), source="x")
    assert parsed.guid == item["uri"] and parsed.title == "Central Asian ministers agree on a regional power grid"


def test_ninjs_1x_fields_are_read() -> None:
    doc = b'{"uri": "urn:x:1", "headline": "Old style", "body_text": "One.\\n\\nTwo.", "language": "en"}'
    (item,) = parse_feed(doc, source="x")
    assert (item.title, item.body, item.language) == ("Old style", "One.\n\nTwo.", "en")


def test_json_items_without_any_uri_are_not_ninjs() -> None:
    with pytest.raises(WireError, match="none is a ninjs item"):
        parse_feed(b'[{"title": "x"}]', source="x")
