"""Quantities said with a unit ("2 l", "500 g", "1.5 kg", "12 pcs"), in the unit stock is counted in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

UNITS: dict[str, tuple[str, int]] = {
    "kg": ("g", 1000), "kgs": ("g", 1000), "kilo": ("g", 1000), "kilos": ("g", 1000), "kilogram": ("g", 1000),
    "kilograms": ("g", 1000), "g": ("g", 1), "gr": ("g", 1), "gram": ("g", 1), "grams": ("g", 1),
    "l": ("ml", 1000), "lt": ("ml", 1000), "litre": ("ml", 1000), "litres": ("ml", 1000), "liter": ("ml", 1000),
    "liters": ("ml", 1000), "cl": ("ml", 10), "ml": ("ml", 1), "millilitre": ("ml", 1), "millilitres": ("ml", 1),
    "milliliter": ("ml", 1), "milliliters": ("ml", 1),
    "pc": ("pc", 1), "pcs": ("pc", 1), "piece": ("pc", 1), "pieces": ("pc", 1), "units": ("pc", 1),
}
_QUANTITY = re.compile(r"(\d+(?:[.,]\d+)?)\s*(" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")?\b")


_WORDED = re.compile(r"\b(half an?|an?)\s+(?=(?:kilo|kilogram|litre|liter)s?\b)")


def quantities(text: str) -> Iterator[tuple[Decimal, str | None, int]]:
    """Every number in the text with the unit it converts to and by how much (None, 1 for a bare number);
    "half a litre" is 0.5 l and "a kilo" 1 kg."""
    text = _WORDED.sub(lambda m: "0.5 " if m[1].startswith("half") else "1 ", text.lower())
    for m in _QUANTITY.finditer(text):
        unit, factor = UNITS[m[2]] if m[2] else (None, 1)
        yield Decimal(m[1].replace(",", ".")), unit, factor


def measured(text: str, unit: str) -> int | None:
    """The first quantity said in a unit that converts to `unit` ("2 l" is 2000 ml), or None."""
    return next((int(n * factor) for n, said, factor in quantities(text) if said == unit), None)
