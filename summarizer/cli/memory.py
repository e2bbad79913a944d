"""``summarizer memory ...`` and ``summarizer glossary ...``: the house memory from the shell.

``memory add SOURCE TRANSLATION --to LANG`` stores an approved pair (a CMS script's way in),
``memory stats``, ``memory export FILE.tmx`` / ``memory import FILE.tmx``, ``memory dismissals
[--revoke ID]``; ``glossary proposed|accept ID|reject ID|export FILE.csv``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..config import Settings
from ..errors import InputError, UsageError
from ..memory.dismissals import dismissals, revoke
from ..memory.store import HouseMemory, open_memory
from ..memory.terms import accept, export_csv, house_glossary, proposals, propose, reject
from ..tasks.translate import source_text
from ..text.glossary import Glossary
from .common import PROG, read_article, settings, write

__all__ = ["glossary_command", "house", "house_glossary_or", "memory_command"]


def house(args: argparse.Namespace, config: Settings) -> HouseMemory | None:
    """The memory a task run reads: None under ``--no-memory`` or before anything was approved."""
    if getattr(args, "no_memory", False):
        return None
    return open_memory(config.memory_path, create=False)


def house_glossary_or(explicit: Glossary | None, memory: HouseMemory | None) -> Glossary | None:
    """An explicit ``--glossary`` wins; else the accepted entries of the memory, if any."""
    if explicit is not None or memory is None:
        return explicit
    return house_glossary(memory)


def memory_command(args: argparse.Namespace) -> int:
    config = settings(args)
    with HouseMemory(config.memory_path) as memory:
        return _MEMORY[args.action](args, config, memory)


def _add(args: argparse.Namespace, config: Settings, memory: HouseMemory) -> int:
    if not args.source or not args.translation or not args.to:
        raise UsageError("memory add needs SOURCE TRANSLATION --to ru|kk|en")
    article = read_article(args.source, config)
    translation = read_article(args.translation, config).text
    source = source_text(article)
    units = memory.add_pair(source, translation, source_lang=article.language, target_lang=args.to,
                            outlet=args.outlet or "", approver=args.approver or "", origin="cli")  # fmt: skip
    proposed = propose(memory, source, translation, source_lang=article.language, target_lang=args.to)
    print(f"stored {len(units)} unit(s) {article.language}->{args.to}"
          f"{f' for {args.outlet}' if args.outlet else ''}; {proposed} new glossary proposal(s)")  # fmt: skip
    return 0


def _stats(args: argparse.Namespace, config: Settings, memory: HouseMemory) -> int:
    stats = memory.stats()
    if args.json:
        print(json.dumps(stats, indent=2, ensure_ascii=False))
        return 0
    print(f"{stats['path']}: {stats['units']} unit(s)")
    for pair in stats["pairs"]:
        outlet = pair["outlet"] or "whole house"
        print(f"  {pair['source_lang']}->{pair['target_lang']} ({outlet}): {pair['units']}, "
              f"last approved {pair['last_approved']}")  # fmt: skip
    g = stats["glossary"]
    print(f"glossary: {g['accepted']} accepted, {g['proposed']} proposed, {g['rejected']} rejected; "
          f"{stats['dismissals']} dismissal(s) in force")  # fmt: skip
    return 0


def _export(args: argparse.Namespace, config: Settings, memory: HouseMemory) -> int:
    if not args.source:
        raise UsageError("memory export needs FILE.tmx")
    from ..memory.tmx import write_tmx

    units = memory.units()
    write(args.source, write_tmx(units))
    print(f"wrote {len(units)} unit(s) to {args.source}", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace, config: Settings, memory: HouseMemory) -> int:
    if not args.source:
        raise UsageError("memory import needs FILE.tmx")
    path = Path(args.source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    from ..memory.tmx import read_tmx  # defusedxml for this command only

    units = read_tmx(data, name=str(path))  # every unit read and checked before any is stored
    memory.add_units(units)
    print(f"imported {len(units)} unit(s) from {path}")
    return 0


def _dismissals(args: argparse.Namespace, config: Settings, memory: HouseMemory) -> int:
    if args.revoke is not None:
        revoke(memory, args.revoke)
        print(f"revoked dismissal {args.revoke}")
        return 0
    rules = dismissals(memory)
    if args.json:
        print(json.dumps([r.to_json() for r in rules], indent=2, ensure_ascii=False))
        return 0
    if not rules:
        print("no dismissals in force")
    for r in rules:
        where = {"document": f"document {r.document}", "pair": f"{r.source_lang}->{r.target_lang}",
                 "outlet": f"outlet {r.outlet}"}[r.scope]  # fmt: skip
        what = " / ".join(x for x in (r.expected, r.found) if x)
        print(f"{r.id}  {r.check}:{r.kind} {what!r} ({where}) by {r.who}, {r.at}: {r.reason}")
    return 0


_MEMORY = {"add": _add, "stats": _stats, "export": _export, "import": _import, "dismissals": _dismissals}


def glossary_command(args: argparse.Namespace) -> int:
    config = settings(args)
    with HouseMemory(config.memory_path) as memory:
        if args.action == "proposed":
            listed = proposals(memory, status=None if args.all else "proposed")
            if args.json:
                print(json.dumps([p.__dict__ for p in listed], indent=2, ensure_ascii=False))
            for p in [] if args.json else listed:
                seen = f", seen {p.seen}x" if p.seen > 1 else ""
                state = "" if p.status == "proposed" else f" [{p.status}]"
                print(f"{p.id}  {p.source_lang}->{p.target_lang}  {p.source_form} = {p.target_form}{seen}{state}")
            if not listed and not args.json:
                print("no proposals (approve translations to grow the glossary)")
            return 0
        if args.action in ("accept", "reject"):
            if args.target is None or not args.target.isdigit():
                raise UsageError(f"glossary {args.action} needs the proposal's number (see `{PROG} glossary proposed`)")
            if args.action == "accept":
                done = accept(memory, int(args.target), who=args.approver or "", target_form=args.spelling)
            else:
                done = reject(memory, int(args.target), who=args.approver or "")
            print(f"{done.status}: {done.source_form} = {done.target_form} ({done.source_lang}->{done.target_lang})")
            return 0
        if args.target is None:
            raise UsageError("glossary export needs FILE.csv")
        glossary = house_glossary(memory)
        if glossary is None:
            raise UsageError("no accepted glossary entries to export yet (`glossary proposed`, then `glossary accept`)")
        write(args.target, export_csv(glossary).encode("utf-8"))
        print(f"wrote {len(glossary.terms)} term(s) to {args.target}", file=sys.stderr)
        return 0
