"""Finding a batch's inputs: folders, globs, JSONL records; bad ones named, ids made safe."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from test_batch import article, folder

from summarizer.batch.inputs import find_inputs
from summarizer.errors import UsageError


def test_inputs_from_a_folder_a_glob_and_a_jsonl_file(tmp_path: Path) -> None:
    src = folder(tmp_path, 3)
    (src / ".hidden").write_text("x")
    assert [i.id for i in find_inputs(str(src))] == ["a000", "a001", "a002"]
    assert [i.id for i in find_inputs(str(src / "a00[12].txt"))] == ["a001", "a002"]
    records = tmp_path / "wire.jsonl"
    records.write_text("".join(json.dumps({"id": f"r{i}", "text": article(i)}) + "\n" for i in range(2)))
    inputs = find_inputs(str(records))
    assert [(i.id, i.label) for i in inputs] == [("r0", f"{records}:1"), ("r1", f"{records}:2")]
    assert "Article number 1." in inputs[1].load().body


def test_bad_jsonl_lines_become_failed_items_named_by_line(tmp_path: Path) -> None:
    records = tmp_path / "wire.jsonl"
    lines = [
        json.dumps({"id": "ok", "text": article(1)}),
        "{not json",
        json.dumps({"id": "x"}),
        json.dumps({"text": "t"}),
        '{"id": "cut", "text": ',  # a record cut off mid-write
    ]
    records.write_bytes(("\n".join(lines) + "\n").encode("utf-8") + b'{"id": "\xff"}\n')
    inputs = find_inputs(str(records))
    assert [bool(i.problem) for i in inputs] == [False, True, True, True, True, True]
    # One line number, the file's; where in the record, as a column (not JSON's own "line 2 column 1").
    assert inputs[1].problem == f"{records}:2: not JSON (Expecting property name enclosed in double quotes at column 2)"
    assert 'no "text"' in inputs[2].problem and 'no "id"' in inputs[3].problem
    assert inputs[4].problem == f"{records}:5: not JSON (Expecting value at column 24)"
    assert inputs[5].problem == f"{records}:6: not UTF-8 (byte 0xff at column 9)"


def test_clashing_and_hostile_ids_become_distinct_safe_file_names(tmp_path: Path) -> None:
    records = tmp_path / "wire.jsonl"
    ids = ["../../etc/passwd", "same", "same", "<b>x</b>"]
    records.write_text("".join(json.dumps({"id": i, "text": "t"}) + "\n" for i in ids))
    got = [i.id for i in find_inputs(str(records))]
    assert len(set(got)) == 4
    assert all(re.fullmatch(r"[\w.-]+", i) and not i.startswith(".") for i in got)


def test_no_input_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no file matches"):
        find_inputs(str(tmp_path / "nothing-*.txt"))
    with pytest.raises(UsageError, match="no files"):
        find_inputs(str(tmp_path))
