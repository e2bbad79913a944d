"""How often the embedded model's digest headline and summary pass their checks on real items,
and what the fallback shows instead (docs/QUALITY.md, "The embedded model on real items").

    .venv/bin/python scripts/measure_fallback.py [--backend local] [--out report.md]

Items: the English real items of tests/data/agency and seeds/000, and the 16 English NTREX-128
stories of tests/data/real_outputs/items.jsonl (headline line, blank line, body). Answers go
through the normal cache, so a second run costs nothing.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from summarizer.checks.verdict import failed  # noqa: E402
from summarizer.config import Settings  # noqa: E402
from summarizer.digest.fallback import choose  # noqa: E402
from summarizer.llm.client import open_llm  # noqa: E402
from summarizer.tasks.summarise import summarise  # noqa: E402
from summarizer.text.articles import load_article  # noqa: E402


def articles(folder: Path) -> list[Path]:
    paths = [ROOT / "seeds" / "000_8ce9aa6233c040a4.txt"]
    paths += sorted((ROOT / "tests" / "data" / "agency").glob("en_*.txt"))
    for line in (ROOT / "tests" / "data" / "real_outputs" / "items.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if "en" in item["text"]:
            path = folder / f"{item['id']}.txt"
            path.write_text(item["text"]["en"] + "\n", encoding="utf-8")
            paths.append(path)
    return paths


def main(argv: list[str]) -> int:
    backend = argv[argv.index("--backend") + 1] if "--backend" in argv else "local"
    settings = Settings.resolve(backend=backend)
    lines = ["| item | headline | summary | failed checks | shown |", "| --- | --- | --- | --- | --- |"]
    tally: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp, open_llm(settings) as llm:
        for path in articles(Path(tmp)):
            article = load_article(path)
            headline = summarise(article, llm, lang="en", length="headline")
            summary = summarise(article, llm, lang="en", length="short")
            bad = failed(headline.checks) + failed(summary.checks)
            shown = choose(article, headline.text.strip(), headline.checks, summary.text, summary.checks, lang="en")
            tally["items"] += 1
            tally["headline passed"] += not failed(headline.checks)
            tally["summary passed"] += not failed(summary.checks)
            tally["both passed"] += not bad
            tally.update(f"failed: {c.name}" for c in {c.name: c for c in bad}.values())
            cell = " ".join(shown.summary.split())[:90].replace("|", "/")
            names = ", ".join(dict.fromkeys(c.name for c in bad)) or "-"
            what = ("lead: " if shown.summary != summary.text else "model: ") + cell
            tally["shown: lead"] += shown.summary != summary.text
            tally["shown: own headline"] += shown.headline != headline.text.strip()
            lines.append(
                f"| {article.id} | {'ok' if not failed(headline.checks) else 'FAIL'} | "
                f"{'ok' if not failed(summary.checks) else 'FAIL'} | {names} | {what} |"
            )
    print(f"model: {llm.model} ({backend})")
    print(", ".join(f"{k}: {v}" for k, v in sorted(tally.items())))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
