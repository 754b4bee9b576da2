"""Voice-turn benchmark: a typical spoken order ("a large latte with oat milk at downtown", then "yes please") heard,
answered and spoken, on this machine's cores, against the same conversation typed (the baseline, in the same run).

Reported per recogniser (Whisper tiny.en, pocketsphinx with its grammar): median and p95 of hearing (STT), of
speaking the reply (TTS, espeak-ng), of STT + TTS together, and of the whole voice turn; and the ratio of a voice
turn to the typed one. Rounds alternate between the recognisers; the speech is synthesised once, before timing.
Nothing is asserted.

Run `.venv/bin/python -m bench.voice [--conversations N]`; JSON in bench/results/voice-*.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from channels.voice.audio import samples_of
from channels.voice.ears import Ears
from channels.voice.mouth import EspeakMouth
from channels.voice.sphinx_ears import SphinxEars
from channels.voice.turns import VoiceTurns
from channels.voice.whisper_ears import WhisperEars
from evals.voice import Speaker, synthesize
from gocoffee.bootstrap import Running, build_platform, running
from gocoffee.settings import Settings
from tools.principal import Principal, Role

RESULTS = Path(__file__).resolve().parent / "results"
TURNS = ("a large latte with oat milk at downtown", "yes please")


def stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000, 1)}


async def voice_round(platform: Running, ears: Ears, audio: list[bytes], n: int, times: dict[str, list[float]]
                      ) -> None:
    voice, mouth = VoiceTurns(platform.conversations, platform.gateway, ears), EspeakMouth()
    who = Principal(role=Role.CUSTOMER, id=f"bench-{ears.name}-{n}", location_id="downtown")
    for wav in audio:
        started = time.perf_counter()
        heard = await voice.hear(who, wav)
        stt = time.perf_counter() - started
        reply = await platform.conversations.send(who, heard.text) if heard.sure else None
        spoken = time.perf_counter()
        await mouth.speak(reply.text if reply else "Sorry, could you say that again?")
        tts = time.perf_counter() - spoken
        times[f"{ears.name}.stt"].append(stt)
        times["tts"].append(tts)
        times[f"{ears.name}.stt+tts"].append(stt + tts)
        times[f"{ears.name}.turn"].append(time.perf_counter() - started)


async def typed_round(platform: Running, n: int, times: dict[str, list[float]]) -> None:
    who = Principal(role=Role.CUSTOMER, id=f"bench-text-{n}", location_id="downtown")
    for text in TURNS:
        started = time.perf_counter()
        await platform.conversations.send(who, text)
        times["typed.turn"].append(time.perf_counter() - started)


async def main(conversations: int) -> dict[str, object]:
    audio = [await synthesize(t, Speaker("en-us", 160)) for t in TURNS]
    seconds = [len(samples_of(a)) / 16000 for a in audio]
    all_ears: list[Ears] = [WhisperEars(), SphinxEars()]
    with tempfile.TemporaryDirectory() as work:
        settings = Settings(data_dir=Path(work), kitchen=False, chain=False, voice="off")
        async with running(build_platform(settings)) as platform:
            times: dict[str, list[float]] = defaultdict(list)
            for ears in all_ears:  # warm-up: models load, grammars compile
                await voice_round(platform, ears, audio, -1, defaultdict(list))
            for n in range(conversations):
                await typed_round(platform, n, times)
                for ears in all_ears:
                    await voice_round(platform, ears, audio, n, times)
    report: dict[str, object] = {name: stats(values) for name, values in sorted(times.items())}
    typed = statistics.median(times["typed.turn"])
    report["ratio_voice_to_typed_turn"] = {e.name: round(statistics.median(times[f"{e.name}.turn"]) / typed, 2)
                                           for e in all_ears}
    report["speech_seconds"] = [round(s, 2) for s in seconds]
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=20)
    found = asyncio.run(main(parser.parse_args().conversations))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"voice-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(found, indent=2))
    print(json.dumps(found, indent=2))
