"""The voice eval's run: the suite as text, then spoken in each condition; pass^1 and repeats side by side."""

from __future__ import annotations

import tempfile
from pathlib import Path

from rich.console import Console

from channels.voice.ears import Ears
from channels.voice.sphinx_ears import SphinxEars
from channels.voice.whisper_ears import WhisperEars
from evals.env import EnvOptions
from evals.metrics import suite_pass_hat_k
from evals.results import TrialResult
from evals.runner import run_suite
from evals.tasks import Suite, Task
from evals.voice import CONDITIONS, Speaker, VoiceStats


def ears_of(stt: str) -> Ears:
    if stt not in ("whisper", "sphinx"):
        raise ValueError(f"unknown recogniser {stt!r}: whisper or sphinx")
    return WhisperEars() if stt == "whisper" else SphinxEars()


async def one_run(suite: Suite, tasks: list[Task], work: Path, speaker: Speaker | None, ears: Ears | None
                  ) -> tuple[list[TrialResult], VoiceStats]:
    stats = VoiceStats()
    options = EnvOptions(workdir=work, voice=speaker, ears=ears, voice_stats=stats)
    results = await run_suite(suite, 1, options, 1, only={t.id for t in tasks})
    return results, stats


async def run_voice_eval(suite: Suite, tasks: list[Task], stt: str, console: Console) -> str:
    ears = ears_of(stt)
    rows = [f"# Voice eval: {suite.name}, {len(tasks)} tasks, recogniser {stt}", "",
            "| condition | pass^1 | turns | repeated | unheard |", "|---|---|---|---|---|"]
    with tempfile.TemporaryDirectory(prefix="gocoffee-voice-eval-") as work:
        for speaker in (None, *CONDITIONS):
            console.print(f"running {speaker.label if speaker else 'text'} …")
            results, stats = await one_run(suite, tasks, Path(work), speaker, ears if speaker else None)
            passed = suite_pass_hat_k(results).get(1, 0.0)
            label = speaker.label if speaker else "text"
            rows.append(f"| {label} | {passed:.3f} | {stats.turns} | {stats.repeat_share:.1%} | {stats.unheard} |"
                        if speaker else f"| text | {passed:.3f} | – | – | – |")
            failed = sorted(r.task_id for r in results if r.reward < 1.0)
            console.print(f"  pass^1 {passed:.3f}; failed: {', '.join(failed) or 'none'}")
    return "\n".join(rows) + "\n"
