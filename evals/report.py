"""Reports of a run (Markdown and HTML), a plot of pass^k against k for the runs compared, and a per-task diff
between two runs."""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path
from statistics import mean

from evals.metrics import by_task, suite_pass_hat_k
from evals.results import RunInfo, TrialResult

COLORS = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df"]


def summary_lines(info: RunInfo, results: list[TrialResult]) -> list[str]:
    hat = suite_pass_hat_k(results)
    failures = Counter(r.failure for r in results if r.failure)
    calls = [r.model_calls for r in results]
    tokens = [r.tokens for r in results if r.tokens is not None]
    return [
        f"# Eval run {info.run_id}: suite `{info.suite}`",
        "",
        f"- agent model: `{info.model}`; user simulator: `{info.user_simulator}`; target: {info.target}",
        f"- {info.tasks} tasks × {info.trials} trials; started {info.started_at:%Y-%m-%d %H:%M:%S} UTC",
        "- " + "; ".join(f"pass^{k} = {v:.3f}" for k, v in hat.items()),
        f"- model calls per trial: {mean(calls):.1f} (mean); tokens: "
        + (f"{mean(tokens):.0f} per trial" if tokens else "not reported by this model"),
        (f"- latency per trial: {mean(r.latency_s for r in results):.2f} s (mean), "
         f"{max(r.latency_s for r in results):.2f} s (max)"),
        "- failures: " + (", ".join(f"{k} × {v}" for k, v in failures.most_common()) or "none"),
    ]


def task_rows(results: list[TrialResult]) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for task_id, trials in sorted(by_task(results).items()):
        passed = sum(r.reward == 1 for r in trials)
        labels = ", ".join(sorted({r.failure for r in trials if r.failure})) or "—"
        calls = f"{mean(r.model_calls for r in trials):.1f}"
        rows.append((task_id, f"{passed}/{len(trials)}", labels, calls, f"{mean(r.latency_s for r in trials):.2f}"))
    return rows


def markdown(info: RunInfo, results: list[TrialResult]) -> str:
    out = summary_lines(info, results)
    out += ["", "| task | passed | failure labels | model calls | latency s |", "|---|---|---|---|---|"]
    out += [f"| {' | '.join(row)} |" for row in task_rows(results)]
    failed = [r for r in results if r.reward < 1]
    if failed:
        out += ["", "## Failed trials", ""]
        for r in failed[:40]:
            said = " / ".join(f"{line.role}: {line.text}" for line in r.transcript)[:400]
            out.append(f"- `{r.task_id}` #{r.trial}: {r.failure}; diff {r.state_diff or '—'}; "
                       f"missing {r.phrases_missing or '—'}; {r.error or said}")
    return "\n".join(out) + "\n"


def html_page(info: RunInfo, results: list[TrialResult], plot: str) -> str:
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in task_rows(results))
    head = "".join(f"<li>{html.escape(line[2:])}</li>" for line in summary_lines(info, results)[2:])
    return (f"<!doctype html><meta charset=utf-8><title>Eval {html.escape(info.run_id)}</title>"
            "<style>body{font:14px system-ui;margin:2em}td,th{padding:2px 8px;border-bottom:1px solid #ddd}</style>"
            f"<h1>Eval run {html.escape(info.run_id)}: {html.escape(info.suite)}</h1><ul>{head}</ul>{plot}"
            "<table><tr><th>task</th><th>passed</th><th>failure labels</th><th>model calls</th><th>latency s</th>"
            f"</tr>{rows}</table>")


def plot_svg(runs: list[tuple[str, dict[int, float]]], width: int = 480, height: int = 300) -> str:
    """pass^k (y, 0..1) against k (x) for each run, as a small SVG line chart."""
    pad, k_max = 40, max((max(curve, default=1) for _, curve in runs), default=1)
    def x(k: int) -> float:
        return pad + (k - 1) / max(k_max - 1, 1) * (width - 2 * pad)
    def y(v: float) -> float:
        return height - pad - v * (height - 2 * pad)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-size="11">',
             f'<line x1="{pad}" y1="{y(0)}" x2="{width - pad}" y2="{y(0)}" stroke="#888"/>',
             f'<line x1="{pad}" y1="{y(0)}" x2="{pad}" y2="{y(1)}" stroke="#888"/>',
             f'<text x="{width / 2}" y="{height - 8}" text-anchor="middle">k</text>',
             f'<text x="8" y="{y(1)}">1.0</text><text x="8" y="{y(0.5)}">0.5</text><text x="8" y="{y(0)}">0</text>']
    parts += [f'<text x="{x(k)}" y="{y(0) + 14}" text-anchor="middle">{k}</text>' for k in range(1, k_max + 1)]
    for n, (name, curve) in enumerate(runs):
        color = COLORS[n % len(COLORS)]
        points = " ".join(f"{x(k):.1f},{y(v):.1f}" for k, v in sorted(curve.items()))
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{points}"/>')
        parts += [f'<circle cx="{x(k):.1f}" cy="{y(v):.1f}" r="3" fill="{color}"/>' for k, v in curve.items()]
        parts.append(f'<text x="{width - pad - 150}" y="{pad + 14 * n}" fill="{color}">{html.escape(name)}</text>')
    return "\n".join([*parts, "</svg>"])


def write_reports(directory: Path, info: RunInfo, results: list[TrialResult]) -> None:
    plot = plot_svg([(info.run_id, suite_pass_hat_k(results))])
    (directory / "pass_k.svg").write_text(plot)
    (directory / "report.md").write_text(markdown(info, results))
    (directory / "report.html").write_text(html_page(info, results, plot))


def compare(a: tuple[RunInfo, list[TrialResult]], b: tuple[RunInfo, list[TrialResult]]) -> str:
    """Per task: pass rate in each run and what changed (fixed, broke, label changes)."""
    (info_a, res_a), (info_b, res_b) = a, b
    ta, tb = by_task(res_a), by_task(res_b)
    out = [f"# {info_a.run_id} → {info_b.run_id}", "",
           f"pass^1: {suite_pass_hat_k(res_a).get(1, 0):.3f} → {suite_pass_hat_k(res_b).get(1, 0):.3f}", "",
           "| task | before | after | change |", "|---|---|---|---|"]
    for task_id in sorted(set(ta) | set(tb)):
        before, after = _rate(ta.get(task_id, [])), _rate(tb.get(task_id, []))
        change = "" if before == after else ("better" if after > before else "worse")
        labels = ", ".join(sorted({r.failure for r in tb.get(task_id, []) if r.failure}))
        out.append(f"| {task_id} | {before:.2f} | {after:.2f} | {change}{f' ({labels})' if labels else ''} |")
    return "\n".join(out) + "\n"


def _rate(trials: list[TrialResult]) -> float:
    return sum(r.reward for r in trials) / len(trials) if trials else 0.0
