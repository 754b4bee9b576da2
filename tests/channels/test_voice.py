"""Voice turns over HTTP, offline: speech synthesised with espeak-ng, heard by the platform (Whisper by default,
pocketsphinx as the option), the same conversation, and a spoken reply that is listened to (sox measures it, the
recogniser hears the read-back in it)."""

from __future__ import annotations

import asyncio
import base64
import io
import os
import subprocess
import sys
import wave
from pathlib import Path

import httpx
import numpy as np
import pytest

from channels.voice.audio import samples_of, wav_of
from channels.voice.ears import AGAIN, Hints, spoken_numbers
from channels.voice.snap import distance, snap
from channels.voice.whisper_ears import WhisperEars
from evals.voice import Speaker, synthesize
from gocoffee.settings import Settings
from tests.identities import AS
from tests.live import app_client, app_of
from tools.principal import Principal

pytestmark = pytest.mark.anyio
ALICE = {AS: "customer:alice@downtown"}
SPEAKER = Speaker("en-us", 150)
CLEAR = Speaker("en-us", 140)
"""A whole order, a little slower: what Whisper tiny hears the same way run after run."""


async def speak(client: httpx.AsyncClient, wav: bytes, who: dict[str, str] = ALICE, raw: bool = False
                ) -> httpx.Response:
    if raw:
        return await client.post("/api/v1/voice/turns", content=wav, headers={**who, "Content-Type": "audio/wav"})
    return await client.post("/api/v1/voice/turns", files={"audio": ("turn.wav", wav, "audio/wav")}, headers=who)


def sox_stat(wav: bytes, tmp: Path) -> dict[str, float]:
    """What sox measures of a WAV: its length in seconds and its RMS amplitude, among others."""
    path = tmp / "reply.wav"
    path.write_bytes(wav)
    lines = subprocess.run(["sox", str(path), "-n", "stat"], capture_output=True, text=True, check=True).stderr
    return {k.strip(): float(v) for k, _, v in (line.partition(":") for line in lines.splitlines()) if v.strip()
            .replace(".", "", 1).replace("-", "", 1).isdigit()}


async def test_a_customer_orders_by_voice_and_hears_the_read_back(client: httpx.AsyncClient, tmp_path: Path) -> None:
    quote = await speak(client, await synthesize("one large latte at downtown please", CLEAR))
    assert quote.status_code == 200, quote.text
    heard = quote.json()
    assert heard["heard"] and "latte" in heard["transcript"].lower()
    assert "Shall I place it?" in heard["text"] and heard["reply"]["choices"] == ["Yes", "No"]
    hints = await app_of(client).state.serving.voice.hints(Principal.parse("customer:alice@downtown"))
    assert hints.expected == ("Yes", "No") and "Latte" in hints.items and "downtown" in hints.shops

    spoken = base64.b64decode(heard["audio_wav"])
    measured = sox_stat(spoken, tmp_path)
    assert measured["Length (seconds)"] > 3 and measured["RMS     amplitude"] > 0.02  # speech, not silence
    back = WhisperEars().hear(samples_of(resampled(spoken, tmp_path)), Hints(items=("Latte",)))
    assert "large latte" in back.text.lower() and "place it" in back.text.lower()  # the read-back, said aloud

    placed = await speak(client, await synthesize("yes please", SPEAKER), raw=True)
    assert placed.json()["reply"]["text"].startswith("Placed!")
    orders = (await client.get("/api/v1/orders", headers=ALICE)).json()["orders"]
    assert [(o["state"], o["lines"][0]["size"]) for o in orders] == [("placed", "large")]


def resampled(wav: bytes, tmp: Path) -> bytes:
    """The reply (22.05 kHz) at 16 kHz, as a recogniser takes it (sox)."""
    source, target = tmp / "spoken.wav", tmp / "spoken16.wav"
    source.write_bytes(wav)
    subprocess.run(["sox", str(source), "-r", "16000", str(target)], check=True)
    return target.read_bytes()


async def test_noise_is_not_guessed_at_and_changes_nothing(client: httpx.AsyncClient) -> None:
    rng = np.random.default_rng(7)
    hiss = wav_of((rng.standard_normal(16000 * 2) * 0.05).astype(np.float32), 16000)
    answer = await speak(client, hiss)
    assert answer.status_code == 200 and not answer.json()["heard"]
    assert answer.json()["text"] == AGAIN and answer.json()["reply"] is None
    assert (await client.get("/api/v1/chat/history", headers=ALICE)).json()["messages"] == []


async def test_audio_that_is_not_a_short_16khz_mono_wav_is_refused_clearly(client: httpx.AsyncClient) -> None:
    assert (await speak(client, b"not a wav at all")).json()["code"] == "invalid_input"
    stereo = io.BytesIO()
    with wave.open(stereo, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(44100)
        w.writeframes(b"\0" * 44100 * 4)
    refused = await speak(client, stereo.getvalue())
    assert refused.status_code == 422 and "16 kHz mono" in refused.json()["detail"]
    too_long = wav_of(np.zeros(16000 * 31, dtype=np.float32), 16000)
    assert "30 seconds" in (await speak(client, too_long)).json()["detail"]
    assert (await speak(client, wav_of(np.zeros(16000 * 40, dtype=np.float32), 16000))).status_code == 413
    text = await client.post("/api/v1/voice/turns", content=b"hello", headers={**ALICE, "Content-Type": "text/plain"})
    assert text.status_code == 422
    assert (await client.get("/api/v1/chat/history", headers=ALICE)).json()["messages"] == []


async def test_the_grammar_held_recogniser_is_the_option(settings: Settings) -> None:
    async with app_client(settings.model_copy(update={"voice": "sphinx"})) as client:
        typed = await client.post("/api/v1/chat", json={"message": "a large latte at downtown"}, headers=ALICE)
        assert typed.json()["choices"] == ["Yes", "No"]
        answer = (await speak(client, await synthesize("yes please", SPEAKER))).json()
    assert answer["heard"] and answer["transcript"] == "yes please" and answer["text"].startswith("Placed!")


def test_homophones_of_numbers_before_an_item_are_numbers() -> None:
    hints = Hints(items=("Latte", "Croissant"), shops=("downtown",))
    assert spoken_numbers("To large lattes and for croissants", hints) == "two large lattes and four croissants"
    assert spoken_numbers("a latte for me, to downtown", hints) == "a latte for me, to downtown"


def test_a_recording_is_read_as_samples_in_range() -> None:
    tone = np.sin(np.arange(16000) / 16000 * 2 * np.pi * 440).astype(np.float32) * 0.5
    back = samples_of(wav_of(tone, 16000))
    assert back.shape == tone.shape and np.abs(back - tone).max() < 1e-3


@pytest.mark.slow
def test_the_terminal_takes_a_recording(tmp_path: Path) -> None:
    order = tmp_path / "order.wav"
    order.write_bytes(asyncio.run(synthesize("one large latte at downtown please", CLEAR)))
    env = {**os.environ, "GOCOFFEE_DATA_DIR": str(tmp_path / "var"), "GOCOFFEE_CHAIN": "false",
           "GOCOFFEE_KITCHEN": "false"}
    done = subprocess.run([sys.executable, "-m", "gocoffee.cli", "voice", "--in", str(order), "--as",
                           "customer:c1@downtown", "--out", str(tmp_path / "reply.wav")], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "heard: " in done.stdout and "Shall I place it?" in done.stdout
    assert (tmp_path / "reply.wav").stat().st_size > 20_000


def test_a_misheard_menu_word_is_snapped_to_the_menu_and_english_words_are_left_alone() -> None:
    names = ("Latte", "Croissant", "Cortado", "Cappuccino", "Banana bread", "Bread", "Flat White", "White")
    assert snap("Three quasas and a latte.", names) == "Three Croissants and a latte."
    assert snap("A large corkado, please.", names) == "A large Cortado, please."
    assert snap("Acapuccino and a croissant", names) == "Cappuccino and a croissant"
    for english in ("Let me check with my friend first", "I can't wait for it today", "A lot they end across up"):
        assert snap(english, names) == english
    assert distance(("k", "w", "A:", "s", "A~"), ("k", "w", "eI", "z", "@")) < distance(("k", "w", "A:"), ("l", "eI"))
