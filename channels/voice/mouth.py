"""Speaking a reply: espeak-ng (Debian's package), a subprocess per reply.

pyttsx3 drives the same espeak-ng in-process, but its `save_to_file` under `runAndWait` loses or misroutes files
when called again on one engine (seen here: the first of three saves never written, the second written twice), and
its run loop is not safe to share between a server's requests; the espeak-ng command is 30 ms, isolated, and
reliable. espeak-ng writes a streaming WAV header (sizes unknown), so the samples are re-wrapped."""

from __future__ import annotations

import asyncio
import re
import shutil
from dataclasses import dataclass

import numpy as np

from channels.voice.audio import wav_of
from tools.errors import NotConfigured

ESPEAK_RATE = 22_050
HEADER = 44


def for_speech(text: str) -> str:
    """Written prices and signs as words a voice says well: "$4.75" → "4 dollars 75", "1 × latte" → "1 latte"."""
    text = re.sub(r"\$(\d+)\.(\d\d)", lambda m: f"{m[1]} dollars" + ("" if m[2] == "00" else f" {m[2]}"), text)
    text = re.sub(r"\$(\d+)", r"\1 dollars", text)
    text = re.sub(r"\s*×\s*", " ", text)
    return re.sub(r"\s*[—–]\s*", ", ", text)


@dataclass(frozen=True)
class Voice:
    name: str = "en-us"
    """An espeak-ng voice, e.g. en-us, en-us+f3 (a female variant), en-gb-scotland."""
    words_per_minute: int = 170


class EspeakMouth:
    def __init__(self, voice: Voice = Voice()) -> None:
        self.voice = voice
        self._binary = shutil.which("espeak-ng")

    @property
    def ready(self) -> bool:
        return self._binary is not None

    async def speak(self, text: str, voice: Voice | None = None) -> bytes:
        """The text spoken as a mono 16-bit WAV (22.05 kHz)."""
        if self._binary is None:
            raise NotConfigured("speech needs espeak-ng: apt-get install espeak-ng")
        chosen = voice or self.voice
        spoken = await asyncio.create_subprocess_exec(
            self._binary, "-v", chosen.name, "-s", str(chosen.words_per_minute), "--stdout", for_speech(text)[:1000],
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL)
        out, _ = await spoken.communicate()
        samples = np.frombuffer(out[HEADER: HEADER + (len(out) - HEADER) // 2 * 2], dtype="<i2")
        return wav_of(samples.astype(np.float32) / 32768.0, ESPEAK_RATE)
