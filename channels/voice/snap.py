"""Words that sound like the menu are the menu: "quasa" → "croissant", "corkado" → "cortado", "lot they" → "latte".

A recogniser writes an unusual menu word as whatever common spelling it knows. Each run of one or two words it wrote
that are not everyday words is compared with the menu's names by how they sound — espeak-ng's phonemes for both,
an edit distance where vowels for vowels and voiced for unvoiced pairs cost less — and replaced when it is close.
Everyday words ("with", "cancel", "please") are never replaced; the order is read back before it is placed."""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache
from itertools import pairwise
from pathlib import Path

CLOSE = 0.3
"""The largest distance (per phoneme of the longer word) still taken as the same word."""
EVERYDAY = frozenset(w for line in (Path(__file__).parent / "everyday.txt").read_text().splitlines()
                     if not line.startswith("#") for w in line.split())
VOWEL = re.compile(r"^[aeiouAEIOU0@3V]")
PAIRS = {frozenset(p) for p in (("s", "z"), ("t", "d"), ("k", "g"), ("p", "b"), ("f", "v"), ("T", "D"), ("S", "Z"),
                                 ("tS", "dZ"), ("n", "N"), ("m", "n"))}


def _cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    if VOWEL.match(a) and VOWEL.match(b):
        return 0.4
    return 0.4 if frozenset((a, b)) in PAIRS else 1.0


def distance(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Weighted edit distance between two phoneme sequences, per phoneme of the longer one."""
    row = [float(j) for j in range(len(b) + 1)]
    for i, pa in enumerate(a, 1):
        previous, row[0] = row[0], float(i)
        for j, pb in enumerate(b, 1):
            gap = 0.5 if VOWEL.match(pa) or VOWEL.match(pb) else 1.0
            previous, row[j] = row[j], min(row[j] + gap, row[j - 1] + gap, previous + _cost(pa, pb))
    return row[-1] / max(len(a), len(b), 1)


_known: dict[str, tuple[str, ...]] = {}


def phonemes(texts: list[str]) -> list[tuple[str, ...]]:
    """espeak-ng's phonemes for each text, without stress marks ("croissant" → k w A: s A~); one espeak-ng run for
    all that are not known yet."""
    binary, missing = shutil.which("espeak-ng"), sorted({t for t in texts if t not in _known})
    if missing and binary is not None:
        out = subprocess.run([binary, "-q", "-x", "--sep= ", "-v", "en-us"], input="\n".join(missing),
                             capture_output=True, text=True, timeout=10, check=False).stdout.splitlines()
        if len(out) == len(missing):
            for text, line in zip(missing, out, strict=True):
                _known[text] = tuple(p for p in re.sub(r"[',%=_]+", "", line.replace("2", "")).split() if p)
    return [_known.get(t, ()) for t in texts]


@cache
def dictionary() -> frozenset[str]:
    """English words (the CMU pronouncing dictionary pocketsphinx ships): a recogniser spelled these as it meant."""
    try:
        from pocketsphinx import get_model_path
    except ImportError:
        return EVERYDAY
    lines = (Path(get_model_path()) / "en-us" / "cmudict-en-us.dict").read_text(encoding="utf-8").splitlines()
    return frozenset(line.split(" ", 1)[0].split("(")[0] for line in lines) | EVERYDAY


def _candidates(pieces: list[str], menu_words: set[str]) -> list[list[int]]:
    """Runs of two, then one, words the recogniser wrote that are neither English words nor menu words ("lot they"
    is left alone: a recogniser that writes English words meant them)."""
    words = [i for i, p in enumerate(pieces) if p[0].isalpha() or p[0] == "'"]
    usual = {i for i in words if pieces[i].lower() in dictionary() or pieces[i].lower() in menu_words}
    pairs = [[a, b] for a, b in pairwise(words) if b == a + 2 and pieces[a + 1].isspace()]
    return [span for span in [*pairs, *([i] for i in words)] if not usual & set(span)]


def snap(text: str, names: tuple[str, ...]) -> str:
    """The text with runs of unusual words that sound like one of `names` replaced by it."""
    pieces = re.findall(r"[A-Za-z']+|[^A-Za-z']+", text)
    spans = _candidates(pieces, {w.lower() for n in names for w in n.split()})
    if not spans:
        return text
    said = [" ".join(pieces[i] for i in span).lower() for span in spans]
    sounds = phonemes([n.lower() for n in names] + said)
    targets, heard = list(zip(names, sounds[:len(names)], strict=True)), sounds[len(names):]
    done: set[int] = set()
    for span, words, sound in zip(spans, said, heard, strict=True):
        if done & set(span) or not sound:
            continue
        name, target = min(targets, key=lambda t: distance(sound, t[1]))
        if distance(sound, target) > CLOSE:
            continue
        plural = words.endswith("s") and not name.endswith("s")
        pieces[span[0]] = name + ("s" if plural else "")
        for i in range(span[0] + 1, span[-1] + 1):
            pieces[i] = ""
        done |= set(span)
    return re.sub(r" {2,}", " ", "".join(pieces)).strip()
