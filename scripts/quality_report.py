"""Recall and false alarms of the checks, per check and overall, on the labelled corpora.

    .venv/bin/python scripts/quality_report.py            # Markdown tables, as in docs/QUALITY.md
    .venv/bin/python scripts/quality_report.py --json     # the same figures as JSON

Corpora (each skipped when its files are not there):

* ``real``: tests/data/real_outputs: bad = model outputs labelled ``bad`` (labels.jsonl), good =
  outputs labelled ``good`` and human translations the editor judged ``good``; the human
  translations judged ``flawed`` are reported on their own line (real faults a professional let
  through: whether a check sees them is a bonus, not a target).
* ``translations``: tests/data/translations (hand-written faults and good translations; with the
  glossary).
* ``summaries``: tests/data/summaries/cases.jsonl (hand-made summaries of real items, faithful
  and unfaithful; the faithfulness checks and the scaffolding check).

tests/test_quality_corpus.py asserts the figures stay above their thresholds.

A case is caught, or a false alarm, when a check has an error-level finding (it failed); a
warning (look before publishing) is counted apart: good texts with a warning and no error.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.checks.faithfulness import check_faithfulness  # noqa: E402
from summarizer.checks.scaffold import scaffolding_check  # noqa: E402
from summarizer.checks.translation import check_translation  # noqa: E402
from summarizer.checks.verdict import Check  # noqa: E402
from summarizer.text.glossary import load_glossary  # noqa: E402

DATA = ROOT / "tests" / "data"


@dataclass(frozen=True)
class Case:
    corpus: str
    id: str
    label: str  # "bad", "good" or "flawed"
    kind: str  # "translation" or "summary"
    source: str
    text: str
    source_lang: str
    target_lang: str
    finish_reason: str | None = None
    faults: tuple[str, ...] = ()
    glossary: bool = False


@dataclass
class Tally:
    bad: int = 0
    good: int = 0
    flawed: int = 0
    caught: int = 0
    false_alarms: int = 0
    flawed_caught: int = 0
    caught_without_complete: int = 0  # caught by a check other than `complete` (the token limit)
    good_warned: int = 0  # good texts with a warning and no error: shown to look at, not failed
    per_fault: Counter[str] = field(default_factory=Counter)
    per_fault_caught: Counter[str] = field(default_factory=Counter)
    per_check_bad: Counter[str] = field(default_factory=Counter)
    per_check_good: Counter[str] = field(default_factory=Counter)
    missed: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.bad if self.bad else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.good if self.good else 0.0


def _jsonl(path: Path) -> list[dict]:  # type: ignore[type-arg]
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def real_cases() -> list[Case]:
    folder = DATA / "real_outputs"
    labels = {row["id"]: row for row in _jsonl(folder / "labels.jsonl")}
    cases = []
    for row in _jsonl(folder / "outputs.jsonl"):
        label = labels.get(row["id"])
        if label is None:
            continue
        cases.append(
            Case(
                "real",
                row["id"],
                label["verdict"],
                "translation",
                row["source"],
                row["output"],
                row["source_lang"],
                row["target_lang"],
                row.get("finish_reason"),
                tuple(label.get("faults") or ()),
            )  # fmt: skip
        )
    for row in _jsonl(folder / "human.jsonl"):
        verdict = "good" if row["editor_verdict"] == "good" else "flawed"
        cases.append(
            Case(
                "real",
                row["id"],
                verdict,
                "translation",
                row["source"],
                row["translation"],
                row["source_lang"],
                row["target_lang"],
            )  # fmt: skip
        )
    return cases


def translation_cases() -> list[Case]:
    cases = []
    for path in sorted((DATA / "translations").glob("*.json")):
        row = json.loads(path.read_text(encoding="utf-8"))
        source = row.get("source") or (ROOT / row["source_file"]).read_text(encoding="utf-8")
        label = "good" if row["label"] == "good" else "bad"
        cases.append(
            Case(
                "translations",
                path.stem,
                label,
                "translation",
                source,
                row["translation"],
                row.get("source_lang", "en"),
                row["lang"],
                faults=(row.get("fault", ""),),
                glossary=True,
            )  # fmt: skip
        )
    return cases


def summary_cases(name: str = "cases") -> list[Case]:
    """``cases`` (the set the faithfulness checks were written against) or ``heldout`` (written
    afterwards and measured once)."""
    from summarizer.text.articles import load_article

    items = {row["id"]: row for row in _jsonl(DATA / "real_outputs" / "items.jsonl")}
    cases = []
    for row in _jsonl(DATA / "summaries" / f"{name}.jsonl"):
        kind, ref = row["source"].split(":", 1)
        if kind == "item":
            source, source_lang = items[ref]["text"]["en"], "en"
        else:
            article = load_article(ROOT / {"seed": "seeds", "agency": "tests/data/agency"}[kind] / ref)
            source, source_lang = article.text, article.language
        label = "good" if row["label"] == "faithful" else "bad"
        cases.append(
            Case(
                f"summaries-{name}",
                row["id"],
                label,
                "summary",
                source,
                row["summary"],
                source_lang,
                row["lang"],
                faults=(row["fault"],),
            )  # fmt: skip
        )
    return cases


def judge(case: Case) -> list[Check]:
    """The failed checks of one case (an error-level finding each)."""
    return [c for c in verdicts(case) if not c.passed]


def verdicts(case: Case) -> list[Check]:
    """Every check of one case."""
    if case.kind == "summary":
        checks: Iterable[Check] = (
            scaffolding_check(case.text, case.source),
            *check_faithfulness(case.text, case.source, lang=case.target_lang, source_lang=case.source_lang),
        )
    else:
        glossary = load_glossary(DATA / "translations" / "glossary.csv") if case.glossary else None
        checks = check_translation(
            case.source, case.text, source_lang=case.source_lang, target_lang=case.target_lang,
            glossary=glossary, finish_reason=case.finish_reason,
        )  # fmt: skip
    return list(checks)


# The checks meant to see each labelled fault (real_outputs/README.md has the fault vocabulary).
FAULT_CHECKS = {
    "mangled_name": {"names"},
    "dropped_name": {"names"},
    "latin_left": {"latin_words", "untranslated"},
    "mixed_script": {"mixed_script"},
    "kyrgyz_like": {"kazakh_words", "language"},
    "wrong_language": {"language", "kazakh_words", "vocabulary"},
    "repetition": {"repeated_phrase", "no_repetition"},
    "loop": {"no_repetition", "repeated_phrase"},
    "scaffolding": {"no_scaffolding"},
    "number_changed": {"numbers", "numbers_supported"},
    "number_dropped": {"numbers"},
    "truncated": {"complete", "length_ratio"},
    "untranslated": {"untranslated", "latin_words", "language"},
    "garbage": {"vocabulary", "kazakh_words", "language", "no_repetition"},
}


def tally(cases: Iterable[Case]) -> Tally:
    out = Tally()
    for case in cases:
        every = verdicts(case)
        bad = [c for c in every if not c.passed]
        names = sorted({c.name for c in bad})
        if case.label == "bad":
            out.bad += 1
            out.caught += bool(bad)
            out.caught_without_complete += bool(set(names) - {"complete"})
            for fault in case.faults:
                out.per_fault[fault] += 1
                out.per_fault_caught[fault] += bool(set(names) & FAULT_CHECKS.get(fault, set(names)))
            out.per_check_bad.update(names)
            if not bad:
                out.missed.append(f"{case.id} ({', '.join(case.faults)})")
        elif case.label == "good":
            out.good += 1
            out.false_alarms += bool(bad)
            out.good_warned += not bad and any(c.warnings for c in every)
            out.per_check_good.update(names)
            if bad:
                out.alarms.append(f"{case.id}: " + "; ".join(f"{c.name}: {c.detail[:90]}" for c in bad))
        else:
            out.flawed += 1
            out.flawed_caught += bool(bad)
    return out


def markdown(name: str, t: Tally) -> str:
    lines = [
        f"### {name}",
        "",
        f"Overall: **{t.caught}/{t.bad} bad caught ({t.recall:.0%})**, "
        f"**{t.false_alarms}/{t.good} good flagged ({t.false_alarm_rate:.0%})**"
        + (f"; {t.flawed_caught}/{t.flawed} flawed human translations flagged" if t.flawed else "")
        + f"; {t.good_warned}/{t.good} good with a warning only",
        "",
        "| check | bad flagged | good flagged |",
        "| --- | --- | --- |",
    ]
    for check in sorted(set(t.per_check_bad) | set(t.per_check_good)):
        lines.append(f"| `{check}` | {t.per_check_bad[check]}/{t.bad} | {t.per_check_good[check]}/{t.good} |")
    if t.per_fault and t.bad:
        lines += [
            "",
            f"Caught by a check other than `complete`: {t.caught_without_complete}/{t.bad}.",
            "",
            "| labelled fault | outputs | caught by its own check(s) | check(s) |",
            "| --- | --- | --- | --- |",
        ]
        for fault, count in sorted(t.per_fault.items(), key=lambda kv: -kv[1]):
            own = ", ".join(f"`{c}`" for c in sorted(FAULT_CHECKS.get(fault, ()))) or "any"
            lines.append(f"| {fault} | {count} | {t.per_fault_caught[fault]} | {own} |")
    if t.missed:
        lines += ["", "Missed: " + "; ".join(t.missed[:20])]
    if t.alarms:
        lines += ["", "False alarms:", *(f"- {a}" for a in t.alarms[:20])]
    return "\n".join(lines)


CORPORA = {
    "real": real_cases,
    "translations": translation_cases,
    "summaries": summary_cases,
    "summaries (held out)": lambda: summary_cases("heldout"),
}


def main(argv: list[str]) -> int:
    results = {name: tally(load()) for name, load in CORPORA.items()}
    if "--json" in argv:
        print(json.dumps({n: {"bad": t.bad, "caught": t.caught, "good": t.good, "false_alarms": t.false_alarms,
                              "good_warned": t.good_warned,
                              "flawed": t.flawed, "flawed_caught": t.flawed_caught,
                              "per_check_bad": t.per_check_bad, "per_check_good": t.per_check_good}
                          for n, t in results.items()}, indent=2))  # fmt: skip
        return 0
    print("\n\n".join(markdown(name, t) for name, t in results.items() if t.bad or t.good))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
