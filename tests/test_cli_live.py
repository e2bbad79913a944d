"""The text on a terminal as it is generated: the screen ends holding what a pipe receives."""

from __future__ import annotations

import io
import re
import sys
import tempfile

import pytest

from summarizer.cli.live import Live, visible
from summarizer.llm.chat import ChatRequest
from summarizer.text.translit import to_latin


def request(task: str) -> ChatRequest:
    return ChatRequest(task=task, messages=(), max_tokens=10)


def render(written: str, width: int) -> str:
    """A small terminal: wraps at ``width``, and obeys the cursor-up, column, CR and clear codes."""
    rows: list[list[str]] = [[]]
    row = col = 0
    for token in re.findall(r"\x1b\[\d*[A-Z]|.|\n", written, re.DOTALL):
        if token.startswith("\x1b["):
            n = int(token[2:-1] or 1)
            if token.endswith("A"):
                row = max(0, row - n)
            elif token.endswith("C"):
                col += n
            elif token.endswith("J"):
                rows[row] = rows[row][:col]
                del rows[row + 1 :]
        elif token == "\r":
            col = 0
        elif token == "\n":
            row, col = row + 1, 0
        else:
            if col >= width:
                row, col = row + 1, 0
            while len(rows) <= row:
                rows.append([])
            line = rows[row]
            line.extend(" " * (col - len(line)))
            line[col:col + 1] = [token]  # fmt: skip
            col += 1
        while len(rows) <= row:
            rows.append([])
    return "\n".join("".join(r) for r in rows)


def screen(events: list[tuple[str, str]], final: str, *, width: int = 30, convert=None) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    out, err = io.StringIO(), io.StringIO()
    live = Live(out, err, convert=convert, width=width)
    live.height = 100
    for task, delta in events:
        live.on_text(request(task), delta)
    live.finish(final)
    return render(out.getvalue(), width), err.getvalue()


def test_a_single_answer_streams_as_it_is_printed() -> None:
    text = "Kazakhstan and Belarus agreed to build plants in Mogilev."
    out, err = io.StringIO(), io.StringIO()
    live = Live(out, err, width=200)
    for piece in ["\n ", *re.findall(r".{1,6}", text, re.DOTALL), " \n"]:
        live.on_text(request("summarise"), piece)
    assert out.getvalue() == text  # leading and trailing whitespace held back, as the result strips it
    live.finish(text)
    assert out.getvalue() == text + "\n" and err.getvalue() == ""


def test_the_parts_of_a_long_summary_are_progress_on_stderr() -> None:
    events = [("summarise part 1", "first part gist"), ("summarise part 2", "second part gist"),
              ("summarise combine", "The whole story.")]  # fmt: skip
    shown, err = screen(events, "The whole story.")
    assert shown == "The whole story.\n"
    assert "part 1 of a long article" in err and "part 2 of a long article" in err
    assert not visible("summarise combine level 1") and visible("translate part 2 retry")


def test_a_re_asked_part_replaces_the_first_attempt_on_screen() -> None:
    first = "Бірінші жауап бірінші жауап бірінші жауап қайталанады және ол өте ұзын болып шықты"
    second = "Екінші, жақсырақ жауап."
    shown, err = screen([("translate", first), ("translate retry", second)], second, width=20)
    assert shown == render(second + "\n", 20)  # the first attempt's three rows wiped
    assert "asking the model again" in err


def test_when_the_first_attempt_is_kept_the_screen_is_rewritten_to_it() -> None:
    first, second = 'Бірінші "жауап" жақсы.', "Екінші жауап нашар."
    final = "Бірінші «жауап» жақсы."  # the first kept, its quotes made guillemets
    shown, _ = screen([("translate", first), ("translate retry", second)], final)
    assert shown == render(final + "\n", 30)


def test_parts_of_a_translation_stream_one_after_another() -> None:
    shown, _ = screen([("translate part 1", "Бірінші бөлім."), ("translate part 2", "Екінші бөлім.")],
                      "Бірінші бөлім.\n\nЕкінші бөлім.")  # fmt: skip
    assert shown == "Бірінші бөлім.\n\nЕкінші бөлім.\n"


def test_kazakh_latin_is_transliterated_a_whole_word_at_a_time() -> None:
    cyrillic = "Қазақстан мен Беларусь ынтымақтастықты кеңейтеді."
    out, err = io.StringIO(), io.StringIO()
    live = Live(out, err, convert=to_latin, width=200)
    for piece in re.findall(r".{1,3}", cyrillic):
        live.on_text(request("translate"), piece)
        assert not re.search(r"[\u0400-\u04ff]", out.getvalue())  # never a Cyrillic letter shown
    live.finish(to_latin(cyrillic))
    assert out.getvalue() == to_latin(cyrillic) + "\n"


@pytest.mark.local_model
def test_on_a_terminal_the_seed_summary_streams_and_ends_as_the_piped_output() -> None:
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("first_words", Path(__file__).parent.parent / "benchmarks" / "first_words.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules["first_words"] = bench  # its dataclass looks its module up there
    spec.loader.exec_module(bench)
    args = ["summarise", str(bench.SEED)]
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        tty = bench.on_terminal(args, cache_dir=a)
        pipe = bench.on_pipe(args, cache_dir=b)  # cold too: the model, not the cache, wrote both
    assert tty.code == pipe.code == 0
    assert tty.pieces > 5  # the text came in pieces, as it was generated (a pipe gets one write)
    assert tty.out == pipe.out and tty.err == pipe.err  # the checks, on stderr, too
    assert len(pipe.out.split()) > 10


class Terminal(io.StringIO):
    """stdout and stderr on one screen, as at a shell."""

    def isatty(self) -> bool:
        return True


def test_notes_on_the_same_screen_get_a_line_of_their_own_and_go_at_the_end() -> None:
    first = "Бірінші жауап бірінші жауап бірінші жауап қайталанады, ол ұзын болып шықты"
    second, width = "Екінші, жақсырақ жауап.", 24
    screen_ = Terminal()
    live = Live(screen_, screen_, width=width)
    live.height = 100
    for task, delta in [("translate", first[:30]), ("translate", first[30:]), ("translate retry", second)]:
        live.on_text(request(task), delta)
    during = render(screen_.getvalue(), width)
    assert during.startswith("summarizer: the checks")  # the note where the failed attempt was
    assert first[:10] not in during and during.rstrip().endswith(second[-10:])
    live.finish(second)
    assert render(screen_.getvalue(), width) == render(second + "\n", width)  # as a pipe would hold it
