"""How well the router meets a batch it has not learned: leave one routing batch out, learn the others' tuned part,
route the held-out batch's tuned part (the part kept aside is never read). Used to choose the router's settings
(`graph/routing.py`: SHARPNESS, the character n-grams, C) without tuning on the kept part.

`python -m evals.language.crossval [--sharpness 4 8] [--chars 2-5 1-4] [--c 0.5 1]`
"""

from __future__ import annotations

import argparse
import itertools
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from agents.spec import AgentSpec, load_agents
from evals.language.data import DATA, Request, part_of, requests
from graph import routing
from tools.principal import Principal

SPEAKERS = {"customer": "customer:lang-1", "staff": "staff:s1@downtown", "manager": "manager:m1"}


def batches() -> dict[str, list[Request]]:
    names = sorted(p.stem.removeprefix("routing_table") for p in DATA.glob("routing_table*.toml"))
    return {b: [r for r in requests(b) if part_of(r.text) == "tuned"] for b in names}


@contextmanager
def settings(sharpness: float, chars: tuple[int, int], c: float) -> Iterator[None]:
    saved = routing.SHARPNESS, routing.CHARS, routing.C
    routing.SHARPNESS, routing.CHARS, routing.C = sharpness, chars, c
    routing._TRAINED.clear()
    try:
        yield
    finally:
        routing.SHARPNESS, routing.CHARS, routing.C = saved
        routing._TRAINED.clear()


def held_out(data: dict[str, list[Request]], base: dict[str, AgentSpec]) -> dict[str, tuple[int, int]]:
    """Per batch: how many of its tuned requests land right when the router learned only the other batches."""
    out = {}
    for held, asked in data.items():
        learned: dict[str, list[str]] = defaultdict(list)
        for batch, rs in data.items():
            for r in rs if batch != held else []:
                learned[r.agent].append(r.text)
        agents = {n: s.model_copy(update={"learned": learned.get(n, [])}) for n, s in base.items()}
        right = sum(routing.route(agents, Principal.parse(SPEAKERS[r.who]), r.text, None).agent == r.agent
                    for r in asked)
        out[held or '""'] = (right, len(asked))
    return out


def main(sharpness: list[float], chars: list[str], cs: list[float]) -> None:
    data, base = batches(), load_agents()
    for sharp, span, c in itertools.product(sharpness, chars, cs):
        low, high = (int(n) for n in span.split("-"))
        with settings(sharp, (low, high), c):
            per = held_out(data, base)
        right, total = sum(r for r, _ in per.values()), sum(n for _, n in per.values())
        shown = " ".join(f"{b}:{r}/{n}" for b, (r, n) in per.items())
        print(f"sharpness {sharp:g}, chars {span}, C {c:g}: {right}/{total} = {right / total:.3f}  ({shown})", flush=True)


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--sharpness", type=float, nargs="+", default=[routing.SHARPNESS])
    p.add_argument("--chars", nargs="+", default=["-".join(map(str, routing.CHARS))])
    p.add_argument("--c", type=float, nargs="+", default=[routing.C])
    args = p.parse_args()
    main(args.sharpness, args.chars, args.c)
