"""A glossary that grows: names an approved translation renders, proposed, then accepted or rejected.

From each approved pair, the ``names`` check's own pairing (``checks.names.pair_names``) says
which word of the translation renders each name word of the source; every name it found is a
proposed entry (source form, target form). Inflected renderings are common (Бородавкина,
Бородавкинның): the shortest of a name's renderings is proposed, the nominative in Russian and
the bare stem in Kazakh as often as not, and the editor sees it before it counts. Names the
translation keeps as the source writes them (an acronym, a Kazakh name in a Russian text) teach
nothing and are not proposed; neither is a pair the editor has rejected.

The accepted entries are the house glossary: one ``text.glossary.Glossary`` (the one glossary
type), with a column per language, used where no ``--glossary`` file is given, and written by
``export_csv`` in the very format ``--glossary`` reads.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ..checks.names import pair_names, source_names
from ..errors import UsageError
from ..text.glossary import Glossary, Term
from .align import align
from .store import HouseMemory, now

__all__ = ["Proposal", "accept", "export_csv", "house_glossary", "propose", "proposals", "reject"]

STATUSES = ("proposed", "accepted", "rejected")


@dataclass(frozen=True)
class Proposal:
    id: int
    source_lang: str
    target_lang: str
    source_form: str
    target_form: str
    status: str
    seen: int  # how many approved paragraphs rendered it so
    decided_by: str = ""
    decided_at: str = ""


def candidates(source: str, translation: str, *, source_lang: str, target_lang: str = "") -> list[tuple[str, str]]:
    """(source name, its rendering) for each name word of ``source`` the translation renders,
    paragraph by paragraph when the pair aligns (a name and its rendering are then in the same
    paragraph), else over the whole text. A Russian rendering is proposed in its nominative
    (Беларуси -> Беларусь): Russian's dictionary knows its names; Kazakh's shortest form stands."""
    try:
        pairs = [(p.source, p.target) for p in align(source, translation)]
    except UsageError:
        pairs = [(source, translation)]
    renderings: dict[str, set[str]] = {}  # per source name word, over the whole pair
    for left, right in pairs:
        for paired in pair_names(source_names(left), right, source_lang=source_lang):
            renderings.setdefault(paired.name.word, set()).update(r.word for r in paired.renderings)
    if target_lang == "ru":
        from ..text.langid import russian_nominative

        renderings = {word: {russian_nominative(f) for f in forms} for word, forms in renderings.items()}
    found = []
    for word, forms in renderings.items():
        form = min(forms, key=lambda w: (len(w), w)) if forms else ""
        if form and form.casefold() != word.casefold():
            found.append((word, form))
    return found


def propose(memory: HouseMemory, source: str, translation: str, *, source_lang: str, target_lang: str) -> int:
    """Propose the names of an approved pair; returns how many are new proposals."""
    entries = candidates(source, translation, source_lang=source_lang, target_lang=target_lang)
    if not entries:
        return 0
    stamp = now()
    with memory.tx() as db:
        (before,) = db.execute("SELECT COUNT(*) FROM proposals").fetchone()
        for source_form, target_form in entries:
            db.execute(
                "INSERT INTO proposals (source_lang, target_lang, source_form, target_form, proposed_at)"
                " VALUES (?,?,?,?,?) ON CONFLICT (source_lang, target_lang, source_form, target_form)"
                " DO UPDATE SET seen = seen + 1",
                (source_lang, target_lang, source_form, target_form, stamp),
            )
        (after,) = db.execute("SELECT COUNT(*) FROM proposals").fetchone()
    return int(after - before)


def proposals(memory: HouseMemory, *, status: str | None = "proposed") -> list[Proposal]:
    where, args = (" WHERE status=?", [status]) if status else ("", [])
    rows = memory.rows(
        "SELECT id, source_lang, target_lang, source_form, target_form, status, seen, decided_by, decided_at"
        f" FROM proposals{where} ORDER BY seen DESC, id",
        args,
    )
    return [Proposal(*row) for row in rows]


def accept(memory: HouseMemory, proposal_id: int, *, who: str = "", target_form: str | None = None) -> Proposal:
    """Accept a proposal (with the editor's own spelling, if given): it joins the house glossary.
    Another accepted spelling of the same name for the same pair is set back to proposed: the
    house spells a name one way."""
    return _decide(memory, proposal_id, "accepted", who=who, target_form=target_form)


def reject(memory: HouseMemory, proposal_id: int, *, who: str = "") -> Proposal:
    return _decide(memory, proposal_id, "rejected", who=who)


def _decide(
    memory: HouseMemory, proposal_id: int, status: str, *, who: str, target_form: str | None = None
) -> Proposal:
    with memory.tx() as db:
        row = db.execute("SELECT source_lang, target_lang, source_form FROM proposals WHERE id=?",
                         (proposal_id,)).fetchone()  # fmt: skip
        if row is None:
            raise UsageError(f"no glossary proposal {proposal_id}; `summarizer glossary proposed` lists them")
        if target_form is not None and target_form.strip():
            db.execute("UPDATE OR REPLACE proposals SET target_form=? WHERE id=?", (target_form.strip(), proposal_id))
        if status == "accepted":
            db.execute(
                "UPDATE proposals SET status='proposed', decided_by='', decided_at='' WHERE status='accepted'"
                " AND source_lang=? AND target_lang=? AND source_form=? AND id != ?",
                (*tuple(row), proposal_id),
            )
        db.execute("UPDATE proposals SET status=?, decided_by=?, decided_at=? WHERE id=?",
                   (status, who[:100], now(), proposal_id))  # fmt: skip
    (decided,) = [p for p in proposals(memory, status=None) if p.id == proposal_id]
    return decided


def house_glossary(memory: HouseMemory) -> Glossary | None:
    """The accepted entries as one glossary (None when there are none): a column per language,
    one row per source name and language pair."""
    accepted = proposals(memory, status="accepted")
    if not accepted:
        return None
    languages = tuple(dict.fromkeys(lang for p in accepted for lang in (p.source_lang, p.target_lang)))
    terms = tuple(Term(((p.source_lang, p.source_form), (p.target_lang, p.target_form))) for p in accepted)
    return Glossary(languages=languages, terms=terms, path=None)


def export_csv(glossary: Glossary) -> str:
    """The glossary as the CSV ``--glossary`` reads: a header of language codes, a row per term."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(glossary.languages)
    for term in glossary.terms:
        writer.writerow([term.form(lang) for lang in glossary.languages])
    return out.getvalue()
