"""The voice eval's run: the suite as text, then spoken in each condition; pass^1 and repeats side by side.

Every third task of the suite is held out: the lines misheard are listed only for the others (the tuning tasks), so
the held-out figure stays one nobody tuned on."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from rich.console import Console

from channels.voice.ears import Ears
from channels.voice.sphinx_ears import SphinxEars
from channels.voice.whisper_ears import WhisperEars
from evals.env import EnvOptions
from evals.results import TrialResult
from evals.runner import run_suite
from evals.tasks import Suite, Task
from evals.voice import CONDITIONS, Speaker, VoiceStats


def ears_of(stt: str) -> Ears:
    if stt not in ("whisper", "sphinx"):
        raise ValueError(f"unknown recogniser {stt!r}: whisper or sphinx")
    return WhisperEars() if stt == "whisper" else SphinxEars()


def held_out(suite: Suite) -> set[str]:
    return {t.id for n, t in enumerate(suite.tasks) if n % 3 == 2}


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9' ]", " ", text.lower()).split())


async def one_run(suite: Suite, tasks: list[Task], work: Path, speaker: Speaker | None, ears: Ears | None
                  ) -> tuple[list[TrialResult], VoiceStats]:
    stats = VoiceStats()
    options = EnvOptions(workdir=work, voice=speaker, ears=ears, voice_stats=stats)
    results = await run_suite(suite, 1, options, 1, only={t.id for t in tasks})
    return results, stats


def _share(results: list[TrialResult], ids: set[str]) -> str:
    chosen = [r.reward for r in results if r.task_id in ids]
    return f"{sum(chosen) / len(chosen):.3f}" if chosen else "–"


async def run_voice_eval(suite: Suite, tasks: list[Task], stt: str, console: Console) -> str:
    ears, aside = ears_of(stt), held_out(suite)
    ids = {t.id for t in tasks}
    rows = [f"# Voice eval: {suite.name}, {len(tasks)} tasks ({len(ids & aside)} held out), recogniser {stt}", "",
            "| condition | pass^1 | tuning tasks | held-out tasks | turns | repeated | unheard |",
            "|---|---|---|---|---|---|---|"]
    misheard: list[str] = []
    with tempfile.TemporaryDirectory(prefix="gocoffee-voice-eval-") as work:
        for speaker in (None, *CONDITIONS):
            label = speaker.label if speaker else "text"
            console.print(f"running {label} …")
            results, stats = await one_run(suite, tasks, Path(work), speaker, ears if speaker else None)
            every = _share(results, ids)
            voiced = f"{stats.turns} | {stats.repeat_share:.1%} | {stats.unheard}" if speaker else "– | – | –"
            rows.append(f"| {label} | {every} | {_share(results, ids - aside)} | {_share(results, ids & aside)} | "
                        f"{voiced} |")
            console.print(f"  pass^1 {every}")
            misheard += [f"- {label} · {thread.split(':')[2]}: {said!r} → {heard!r}"
                         for thread, said, heard, _ in stats.heard
                         if thread.split(":")[2] not in aside and _words(said) != _words(heard)]
    return "\n".join([*rows, "", "## Misheard lines (tuning tasks only)", "", *misheard]) + "\n"
