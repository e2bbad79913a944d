"""The checks measured on the labelled corpora (scripts/quality_report.py; figures in docs/QUALITY.md).

Recall and false alarms, not timings: a change that loses a caught fault, or flags a good text,
fails here with the cases named.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest
from conftest import ROOT


def _report() -> ModuleType:
    spec = importlib.util.spec_from_file_location("quality_report", ROOT / "scripts" / "quality_report.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["quality_report"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


REPORT = _report()


def test_hand_written_translation_faults_all_caught_and_no_good_one_flagged() -> None:
    t = REPORT.tally(REPORT.translation_cases())
    assert (t.caught, t.bad) == (74, 74), t.missed
    assert t.false_alarms == 0 and t.good == 10, t.alarms


def test_unfaithful_summaries_caught_and_faithful_ones_never_flagged() -> None:
    t = REPORT.tally(REPORT.summary_cases())
    assert t.bad >= 25 and t.good >= 15
    assert t.recall >= 0.9, t.missed
    assert t.false_alarms == 0, t.alarms


def test_held_out_summaries() -> None:
    # Written after the checks, measured once: 18/21 caught and 1/17 flagged at first (docs/QUALITY.md)
    t = REPORT.tally(REPORT.summary_cases("heldout"))
    assert t.bad >= 20 and t.good >= 15
    assert t.recall >= 0.9, t.missed
    assert t.false_alarms == 0, t.alarms


def test_real_human_translations_rarely_flagged() -> None:
    t = REPORT.tally(REPORT.real_cases())
    if not t.good:
        pytest.skip("tests/data/real_outputs has no human translations")
    # 0 of 25 today (3 before one-word brands after an article and hyphenated Asian given names
    # were allowed for): at most one, the 5 % the checks aim at.
    assert t.false_alarms <= 1, t.alarms
    assert t.flawed_caught >= 4  # of the 7 an editor calls flawed: dropped place and source, Latin brands


def test_real_model_outputs_labelled_bad_are_caught() -> None:
    t = REPORT.tally(REPORT.real_cases())
    if not t.bad:
        pytest.skip("tests/data/real_outputs has no labelled model outputs yet")
    assert t.recall >= 0.95, t.missed
    # Each labelled fault caught by the check meant for it, not only by the token limit.
    assert t.caught_without_complete >= 0.95 * t.bad
    for fault, share in {"scaffolding": 0.95, "dropped_name": 0.9, "mangled_name": 0.7, "latin_left": 1.0,
                         "mixed_script": 1.0, "wrong_language": 0.95, "repetition": 0.75}.items():  # fmt: skip
        if t.per_fault[fault]:
            assert t.per_fault_caught[fault] >= share * t.per_fault[fault], (fault, t.per_fault_caught[fault])
