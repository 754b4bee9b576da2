"""Why a generated rota leaves something undone: a shift nobody can take, or hours short of the staffing need."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tools.scheduling.models import HourCover
from tools.scheduling.rules import Slot, check
from tools.scheduling.solver import Staffer


@dataclass(frozen=True)
class Solved:
    """A solve's inputs and answer, to explain it."""

    staff: Sequence[Staffer]
    needs: Sequence[Slot]
    holders: Sequence[str | None]

    def blocks(self, need: Slot) -> list[set[str]]:
        """Per person, the rules they would break taking `need` beside what the rota gives them."""
        out = []
        for s in self.staff:
            given = [n for n, h in zip(self.needs, self.holders, strict=True) if h == s.person.id and n is not need]
            out.append({b.rule for b in check(s.person, need, [*s.holds, *given], list(s.time_off))})
        return out


def _count(blocks: list[set[str]]) -> Counter[str]:
    return Counter(rule for rules in blocks for rule in rules)


def _top(reasons: Counter[str]) -> str:
    return ", ".join(rule for rule, _ in reasons.most_common(2)) or "the week's limits"


def why_open(solved: Solved, need: Slot) -> str:
    start, end = need.local()
    return f"{start:%a %d %b %H:%M}-{end:%H:%M} {need.role}: nobody can take it ({_top(_count(solved.blocks(need)))})"


def short_runs(hours: list[HourCover]) -> list[tuple[date, str, str, int]]:
    """Stretches of consecutive open hours short of people: day, first hour, the hour after, most short."""
    runs: list[tuple[date, str, str, int]] = []
    for h in (h for h in hours if h.gap > 0):
        last = runs[-1] if runs else None
        if last and last[0] == h.day and last[2] == h.hour:
            runs[-1] = (h.day, last[1], _next(h.hour), max(last[3], h.gap))
        else:
            runs.append((h.day, h.hour, _next(h.hour), h.gap))
    return runs


def _next(hour: str) -> str:
    return f"{int(hour[:2]) + 1:02d}{hour[2:]}"


def why_short(solved: Solved, optional: frozenset[int], run: tuple[date, str, str, int]) -> str:
    """A short stretch: who stops every extra shift over it, or that one costs more than the hours it covers."""
    day, first, after, short = run
    over = [n for n, need in enumerate(solved.needs) if solved.holders[n] is None and need.day == day
            and f"{need.local()[0]:%H:%M}" < after and f"{need.local()[1]:%H:%M}" > first]
    head = f"{day:%a %d %b} {first}-{after} short {short}"
    for n in (n for n in over if n not in optional):
        start, end = solved.needs[n].local()
        return f"{head}: the {solved.needs[n].role} shift {start:%H:%M}-{end:%H:%M} is open"
    extras = [n for n in over if n in optional]
    reasons: Counter[str] = Counter()
    for n in extras:
        blocks = solved.blocks(solved.needs[n])
        if any(not rules for rules in blocks):
            return f"{head}: an extra shift there costs more than the short hours it would cover"
        reasons += _count(blocks)
    return f"{head}: nobody can take an extra shift ({_top(reasons)})"
