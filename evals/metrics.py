"""pass^k (τ-bench): the chance that k independent trials of a task all succeed, estimated without bias from
n trials with c successes as C(c, k) / C(n, k), averaged over tasks."""

from __future__ import annotations

from collections import defaultdict
from math import comb

from evals.results import TrialResult


def pass_hat_k(n: int, c: int, k: int) -> float:
    if not 1 <= k <= n:
        raise ValueError(f"k must be in 1..{n}")
    return comb(c, k) / comb(n, k)


def by_task(results: list[TrialResult]) -> dict[str, list[TrialResult]]:
    grouped: dict[str, list[TrialResult]] = defaultdict(list)
    for r in results:
        grouped[r.task_id].append(r)
    return dict(grouped)


def suite_pass_hat_k(results: list[TrialResult]) -> dict[int, float]:
    """k -> mean over tasks of pass^k, for k up to the smallest trial count of any task."""
    tasks = by_task(results)
    if not tasks:
        return {}
    n_min = min(len(trials) for trials in tasks.values())
    return {k: sum(pass_hat_k(len(t), sum(r.reward == 1 for r in t), k) for t in tasks.values()) / len(tasks)
            for k in range(1, n_min + 1)}
