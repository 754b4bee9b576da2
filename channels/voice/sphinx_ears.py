"""pocketsphinx (it ships an English model) held to a grammar made from the conversation's words.

Open-vocabulary recognition is useless here; a JSGF grammar of the menu, the shops and the expected answers makes
it usable, but it forces any speech into those words. A word missing from the pronouncing dictionary is a plural
of one that is there (added with its -s), or its phrase is left out. One decoder, one grammar per set of words."""

from __future__ import annotations

import re
import threading
from typing import Any

import numpy as np

from channels.voice.ears import Heard, Hints
from tools.errors import NotConfigured

MIN_WORDS_PER_SECOND = 0.5


def _rule(words: list[str]) -> str:
    return " | ".join(" ".join(p.split()) for p in words)


class SphinxEars:
    name = "sphinx"

    def __init__(self) -> None:
        self._decoder: Any = None
        self._grammars: dict[tuple[str, ...], str] = {}
        self._lock = threading.Lock()

    def _loaded(self) -> Any:
        if self._decoder is None:
            try:
                from pocketsphinx import Decoder
            except ImportError as exc:
                raise NotConfigured("voice needs the voice extra: pip install -e '.[voice]'") from exc
            self._decoder = Decoder(samprate=16000, lm=None, loglevel="FATAL")
        return self._decoder

    def _sayable(self, phrase: str) -> str | None:
        words = re.sub(r"[^a-z' ]", " ", phrase.lower()).split()
        for word in words:
            if self._decoder.lookup_word(word) is not None:
                continue
            singular = self._decoder.lookup_word(word[:-1]) if word.endswith("s") else None
            if singular is None:
                return None
            self._decoder.add_word(word, f"{singular} Z", False)
        return " ".join(words) or None

    def _grammar(self, hints: Hints) -> str:
        key = hints.phrases()
        if key not in self._grammars:
            phrases = sorted({s for p in key if (s := self._sayable(p))})
            name = f"g{len(self._grammars)}"
            self._decoder.add_jsgf_string(name, f"#JSGF V1.0;\ngrammar {name};\npublic <turn> = (<piece>)+;\n"
                                                f"<piece> = {_rule(phrases)};\n")
            self._grammars[key] = name
        return self._grammars[key]

    def hear(self, samples: np.ndarray, hints: Hints) -> Heard:
        pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
        with self._lock:
            decoder = self._loaded()
            decoder.activate_search(self._grammar(hints))
            decoder.start_utt()
            decoder.process_raw(pcm, full_utt=True)
            decoder.end_utt()
            found = decoder.hyp()
        text = found.hypstr if found is not None else ""
        seconds = len(samples) / 16000
        sure = bool(text) and len(text.split()) >= MIN_WORDS_PER_SECOND * min(seconds, 2.0)
        return Heard(text=text, confidence=float(found.prob) if found else 0.0, sure=sure)
