"""TMX 1.4b out and in: the memory exchanged with Trados, memoQ, OmegaT and the like.

Written: a ``header`` (``srclang`` is the source language when the file holds one, else
``*all*``; ``segtype="paragraph"``: a unit is a paragraph), then one ``tu`` per unit with two
``tuv``s (``xml:lang``, a ``seg`` each, the source first) and the unit's bookkeeping as ``prop``s:
``x-outlet``, ``x-approver``, ``x-approved-at``, ``x-origin`` (TMX leaves ``prop`` types free;
``x-`` marks them as this tool's). ``creationid``/``creationdate`` say the same in TMX's own
attributes, for tools that read only those.

Read with defusedxml, which refuses entity declarations (the billion-laughs file, an external
entity that would read a file) before any expansion; a ``DOCTYPE`` naming ``tmx14.dtd``, as
other tools write it, is read (the DTD is never fetched). A file that is not UTF-8, not TMX, or has a unit
without two languages is refused with one line, and the memory is not touched: every unit is
read and checked first, then stored in one transaction. A file written here reads back as the
same units (``tests/test_memory_cli.py`` round-trips one).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ..errors import InputError
from .store import ORIGINS, Unit

__all__ = ["read_tmx", "write_tmx"]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def write_tmx(units: list[Unit], *, version: str = "0.1.0") -> bytes:
    """The units as a TMX 1.4b document (UTF-8)."""
    sources = {u.source_lang for u in units}
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", {
        "creationtool": "summarizer", "creationtoolversion": version, "segtype": "paragraph",
        "o-tmf": "summarizer", "adminlang": "en", "datatype": "plaintext",
        "srclang": next(iter(sources)) if len(sources) == 1 else "*all*",
    })  # fmt: skip
    body = ET.SubElement(root, "body")
    for u in units:
        attrs = {"srclang": u.source_lang, "creationdate": _tmx_date(u.approved_at)}
        if u.approver:
            attrs["creationid"] = u.approver
        tu = ET.SubElement(body, "tu", attrs)
        for name, value in (("x-outlet", u.outlet), ("x-approver", u.approver), ("x-approved-at", u.approved_at),
                            ("x-origin", u.origin)):  # fmt: skip
            ET.SubElement(tu, "prop", type=name).text = value
        for lang, text in ((u.source_lang, u.source), (u.target_lang, u.target)):
            tuv = ET.SubElement(tu, "tuv", {_XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = text
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def read_tmx(data: bytes, *, name: str = "TMX file") -> list[Unit]:
    """The units of a TMX document; ``InputError`` (one line) for anything this will not read."""
    declared = _DECLARED.match(data)
    if declared and declared.group(1).decode().lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise InputError(f"{name} declares encoding {declared.group(1).decode()}; save it as UTF-8 and import again")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name} is not UTF-8 text (byte {exc.start}); save it as UTF-8 and import again") from None
    try:
        # A DOCTYPE naming tmx14.dtd is what Trados and OmegaT write: allowed, never fetched.
        root = SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise InputError(f"{name} declares entities, which are refused (they can expand without end or read files)")
    except ET.ParseError as exc:
        raise InputError(f"{name} is not well-formed XML: {exc}") from None
    if root.tag != "tmx" or root.find("body") is None:
        raise InputError(f"{name} is not TMX: no <tmx> with a <body>")
    header = root.find("header")
    srclang = header.get("srclang", "*all*") if header is not None else "*all*"
    units = [_unit(tu, number, srclang, name) for number, tu in enumerate(root.iter("tu"), 1)]
    if not units:
        raise InputError(f"{name} holds no translation units")
    return units


def _unit(tu: ET.Element, number: int, srclang: str, name: str) -> Unit:
    segs: list[tuple[str, str]] = []
    for tuv in tu.findall("tuv"):
        lang = tuv.get(_XML_LANG) or tuv.get("lang")  # TMX 1.1 wrote a bare lang
        seg = tuv.find("seg")
        if not lang or not _LANG.match(lang) or seg is None:
            raise InputError(f"{name}: unit {number} has a <tuv> without a language or a <seg>")
        segs.append((_code(lang), "".join(seg.itertext())))
    if len(segs) < 2 or len({lang for lang, _ in segs}) < 2:
        raise InputError(f"{name}: unit {number} does not have two languages")
    props = {p.get("type", ""): p.text or "" for p in tu.findall("prop")}
    wanted = _code(tu.get("srclang") or srclang) if (tu.get("srclang") or srclang) != "*all*" else segs[0][0]
    source = next((s for s in segs if s[0] == wanted), None)
    if source is None:
        raise InputError(f"{name}: unit {number} has no text in its source language {wanted}")
    target = next(s for s in segs if s[0] != wanted)
    origin = props.get("x-origin", "tmx")
    return Unit(
        source=source[1],
        target=target[1],
        source_lang=source[0],
        target_lang=target[0],
        outlet=props.get("x-outlet", ""),
        approver=props.get("x-approver", tu.get("creationid", "")),
        approved_at=props.get("x-approved-at") or _iso(tu.get("creationdate", "")),
        origin=origin if origin in ORIGINS else "tmx",
    )


def _code(lang: str) -> str:
    """``ru-RU`` -> ``ru``, ``kk_KZ`` -> ``kk``: the memory is scoped by language, not region."""
    return re.split(r"[-_]", lang)[0].lower()


def _tmx_date(iso: str) -> str:
    """ISO 8601 ``2026-12-07T14:20:18Z`` -> TMX's ``20261207T142018Z``."""
    return iso.replace("-", "").replace(":", "") if iso else datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _iso(tmx: str) -> str:
    try:
        return datetime.strptime(tmx, "%Y%m%dT%H%M%SZ").strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
