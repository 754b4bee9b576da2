"""How well the offline engine's frames read staff requests written apart from it: each phrasing (a request with
the capability and arguments it means, `tests/graph/data/<domain>_phrasings*.toml`) is said to the real graph on a
fresh thread, confirmed if asked, and counts when the first capability called is the one meant with those
arguments. About 30 % of phrasings are kept aside and never tuned on; failures are listed for the tuned part only.

`python -m evals.language.frames stock [--only moves] [--show-failures]` (--only: just `stock_phrasings_moves.toml`)
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any
from unittest.mock import patch

from pydantic import BaseModel

from evals.language.data import DATA, part_of
from gocoffee.bootstrap import Running, build_platform, running
from gocoffee.settings import Settings
from graph.app import Conversations, build_graph
from graph.checkpoint import open_checkpointer
from graph.offline.build import offline_model
from tools.principal import Principal

MANAGER = Principal.parse("manager:m1")
SETUP = {"stock": [("suggest_restock", {"location_id": shop}) for shop in ("campus", "downtown", "harbor")]}


class Phrasing(BaseModel):
    text: str
    tool: str
    args: dict[str, Any]


def phrasings(domain: str, only: str = "") -> list[Phrasing]:
    pattern = f"{domain}_phrasings_{only}.toml" if only else f"{domain}_phrasings*.toml"
    return [Phrasing.model_validate(p) for f in sorted(DATA.glob(pattern))
            for p in tomllib.loads(f.read_text(encoding="utf-8"))["phrasing"]]


async def _said(platform: Running, chat: Conversations, p: Phrasing, n: int) -> tuple[str, dict[str, Any]] | None:
    """The first capability the conversation called, with its arguments."""
    calls: list[tuple[str, dict[str, Any]]] = []
    real = platform.gateway.call

    async def record(tool: str, args: dict[str, Any], **kw: Any) -> Any:
        calls.append((tool, dict(args)))
        return await real(tool, args, **kw)

    with patch.object(platform.gateway, "call", new=record):
        reply = await chat.send(MANAGER, p.text, thread_id=f"frames-{n}")
        if reply.text.startswith("Shall I"):
            await chat.send(MANAGER, "yes", thread_id=f"frames-{n}")
    meant = [c for c in calls if not c[0].startswith(("list_menu", "get_menu", "list_locations", "list_ingredients"))]
    return meant[0] if meant else None


def _right(p: Phrasing, got: tuple[str, dict[str, Any]] | None) -> bool:
    """The capability meant with its arguments — or, for one that waits for a person, the request to approve it."""
    if got is not None and got[0] == "request_approval":
        got = (got[1]["tool"], got[1]["arguments"])
    return got is not None and got[0] == p.tool and all(got[1].get(k) == v for k, v in p.args.items())


async def measure(domain: str, show: bool, only: str = "") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), kitchen=False, chain=False)
        async with running(build_platform(settings)) as platform:
            for tool, args in SETUP.get(domain, []):
                await platform.gateway.call(tool, args, principal=MANAGER)
            model = offline_model(platform.gateway)
            async with open_checkpointer(settings.db_url()) as saver:
                chat = Conversations(build_graph(platform.gateway, lambda tier: model, saver), platform.gateway)
                results = [(p, await _said(platform, chat, p, n)) for n, p in enumerate(phrasings(domain, only))]
    for part in ("tuned", "kept"):
        mine = [(p, got) for p, got in results if part_of(p.text) == part]
        right = sum(_right(p, got) for p, got in mine)
        print(f"{domain} {part}: {right}/{len(mine)} = {right / max(len(mine), 1):.3f}")
        kinds = Counter("none" if got is None else "right tool, other arguments" if got[0] == p.tool else "other tool"
                        for p, got in mine if not _right(p, got))
        print(f"  misses: {dict(kinds)}")
        if show and part == "tuned":
            for p, got in mine:
                if not _right(p, got):
                    print(f"  {p.text!r}: meant {p.tool} {p.args}, got {got}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("domain")
    parser.add_argument("--show-failures", action="store_true")
    parser.add_argument("--only", default="", help="one file's phrasings: <domain>_phrasings_<only>.toml")
    options = parser.parse_args()
    asyncio.run(measure(options.domain, options.show_failures, options.only))


if __name__ == "__main__":
    main()
