"""The news industry's own formats in: IPTC ninjs (JSON, 1.x and 2.x) and NewsML-G2 (XML).

NewsML-G2 is what Reuters Connect and many European agencies deliver: a ``newsItem`` (or a
``newsMessage`` carrying several in its ``itemSet``) whose ``guid`` and ``version`` identify it,
``itemMeta`` dates it, ``contentMeta`` holds the headline and language, and ``contentSet`` the
story as inline XHTML or plain text. ninjs is its JSON sibling (AP's and TT's APIs): 2.x writes
``headlines``/``bodies`` arrays, 1.x ``headline``/``body_text``/``body_html``.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from ..errors import UsageError, WireError
from .items import FeedItem, html_text, iso_time, text_of

__all__ = ["newsml_items", "ninjs_items", "refuse_entities"]

G2 = "{http://iptc.org/std/nar/2006-10-01/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def refuse_entities(data: bytes, source: str) -> Element:
    """The parsed document, or :class:`WireError` for a DTD with entities, external references or broken XML."""
    try:
        import defusedxml
        from defusedxml.ElementTree import ParseError, fromstring
    except ImportError:
        raise UsageError("reading XML feeds needs the wire extra: pip install 'summarizer[wire]'") from None

    try:
        return fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException:  # an XML bomb, or an entity that reads a file
        raise WireError(f"{source}: refused, the XML declares entities or external references") from None
    except ParseError as exc:
        raise WireError(f"{source}: not well-formed XML ({exc})") from None


def newsml_items(root: Element, source: str) -> list[FeedItem]:
    if root.tag == f"{G2}newsItem":
        items = [root]
    elif root.tag == f"{G2}newsMessage":
        items = root.findall(f"{G2}itemSet/{G2}newsItem")
    else:
        raise WireError(f"{source}: a NewsML-G2 {root.tag.removeprefix(G2)}, not a newsItem or newsMessage")
    return [_g2_item(item, source) for item in items]


def _g2_item(item: Element, source: str) -> FeedItem:
    meta = item.find(f"{G2}itemMeta")
    content = item.find(f"{G2}contentMeta")
    provider = meta.find(f"{G2}provider") if meta is not None else None
    language = content.find(f"{G2}language") if content is not None else None
    link = meta.find(f"{G2}link") if meta is not None else None
    created = _text(meta, "versionCreated") or _text(meta, "firstCreated") or _text(content, "contentCreated")
    return FeedItem(
        guid=item.get("guid"),
        link=link.get("href") if link is not None else None,
        title=_text(content, "headline"),
        body=_g2_body(item),
        published=iso_time(created),
        language=(language.get("tag") if language is not None else None) or item.get(XML_LANG),
        agency=_provider(provider),
        version=item.get("version"),
    )


def _text(parent: Element | None, tag: str) -> str | None:
    if parent is None:
        return None
    found = parent.find(f"{G2}{tag}")
    return " ".join("".join(found.itertext()).split()) or None if found is not None else None


def _provider(provider: Element | None) -> str | None:
    if provider is None:
        return None
    name = provider.find(f"{G2}name")
    if name is not None and name.text:
        return name.text.strip()
    # qcode="nprov:REUTERS" or literal="reuters.com": the code after the scheme is the name.
    value = provider.get("literal") or provider.get("qcode") or ""
    return value.split(":", 1)[-1].strip() or None


def _g2_body(item: Element) -> str:
    paragraphs: list[str] = []
    for inline in item.iter(f"{G2}inlineXML"):
        for block in inline.iter():
            if block.tag in (f"{XHTML}p", "p", f"{XHTML}h2", "h2"):
                text = " ".join("".join(block.itertext()).split())
                if text:
                    paragraphs.append(text)
    for data in item.iter(f"{G2}inlineData"):
        paragraphs.extend(p.strip() for p in (data.text or "").split("\n\n") if p.strip())
    return "\n\n".join(paragraphs)


def ninjs_items(doc: Any, source: str) -> list[FeedItem]:
    """One ninjs object, a list of them, or an API page holding them under ``items`` or ``data``
    (``data.items`` too), each bare or wrapped as ``{"meta": ..., "item": {...}}`` as AP's feed does."""
    objects: Any = doc
    if isinstance(objects, dict) and isinstance(objects.get("data"), dict):
        objects = objects["data"]
    if isinstance(objects, dict) and "uri" not in objects:
        objects = objects.get("items") if isinstance(objects.get("items"), list) else objects.get("data")
    if isinstance(objects, dict):
        objects = [objects]
    if not isinstance(objects, list):
        raise WireError(f"{source}: JSON, but neither a JSON Feed nor ninjs (no uri, no items)")
    out = []
    for obj in objects:
        item = obj.get("item") if isinstance(obj, dict) and isinstance(obj.get("item"), dict) else obj
        if isinstance(item, dict) and "uri" in item:
            out.append(_ninjs_item(item))
    if objects and not out:
        raise WireError(f"{source}: JSON items, but none is a ninjs item (no uri)")
    return out


def _ninjs_item(item: dict[str, Any]) -> FeedItem:
    headline = _first(item.get("headlines"), role="main") or text_of(item.get("headline"))
    body = _first(item.get("bodies"), role=None, as_text=True)
    if body is None:
        body = text_of(item.get("body_text")) or html_text(str(item.get("body_html") or ""))
    if not body:
        body = _first(item.get("descriptions"), role=None, as_text=True) or text_of(item.get("description_text")) or ""
    links = item.get("links")
    link = next((x.get("href") for x in links if isinstance(x, dict) and x.get("href")), None) if links else None
    return FeedItem(
        guid=text_of(item.get("uri")),
        link=text_of(link),
        title=headline,
        body=body.strip(),
        published=iso_time(text_of(item.get("versioncreated") or item.get("firstcreated"))),
        language=text_of(item.get("language")),
        agency=text_of(item.get("copyrightholder")),
        version=text_of(item.get("version")),
    )


def _first(values: Any, *, role: str | None, as_text: bool = False) -> str | None:
    """The value of the entry with ``role`` (else the first) of a ninjs 2.x array, as text."""
    if not isinstance(values, list):
        return None
    entries = [v for v in values if isinstance(v, dict) and isinstance(v.get("value"), str)]
    chosen = next((v for v in entries if role and v.get("role") == role), entries[0] if entries else None)
    if chosen is None:
        return None
    value = chosen["value"]
    if as_text and "html" in str(chosen.get("contenttype", "")):
        return html_text(value)
    return value.strip() or None
