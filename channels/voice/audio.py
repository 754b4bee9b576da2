"""Speech as it travels: 16 kHz mono 16-bit PCM WAV, checked on the way in."""

from __future__ import annotations

import io
import wave

import numpy as np

from tools.errors import InvalidInput

RATE = 16_000
MAX_SECONDS = 30.0
MIN_SECONDS = 0.2


def samples_of(wav: bytes) -> np.ndarray:
    """The speech in a WAV as float32 samples in [-1, 1]; InvalidInput unless 16 kHz mono 16-bit PCM, 0.2–30 s."""
    try:
        with wave.open(io.BytesIO(wav)) as w:
            rate, channels, width, frames = w.getframerate(), w.getnchannels(), w.getsampwidth(), w.getnframes()
            pcm = w.readframes(frames)
    except (wave.Error, EOFError) as exc:
        raise InvalidInput("the audio is not a WAV file", reason=str(exc)) from exc
    if (rate, channels, width) != (RATE, 1, 2):
        raise InvalidInput("send 16 kHz mono 16-bit PCM WAV", rate=rate, channels=channels, bits=width * 8)
    seconds = frames / RATE
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise InvalidInput(f"say something between {MIN_SECONDS} and {MAX_SECONDS:.0f} seconds long",
                           seconds=round(seconds, 2))
    return np.frombuffer(pcm[: frames * 2], dtype="<i2").astype(np.float32) / 32768.0


def wav_of(samples: np.ndarray, rate: int) -> bytes:
    """float32 samples in [-1, 1] as a mono 16-bit PCM WAV at `rate`."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)
    return out.getvalue()
