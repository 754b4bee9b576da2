"""Amounts as a person says them."""

from __future__ import annotations


def shown(amount: float, unit: str) -> str:
    """Litres and kilograms past a thousand, whole pieces."""
    big = {"ml": "l", "g": "kg"}.get(unit)
    if big and amount >= 1000:
        return f"{amount / 1000:,.1f} {big}"
    return f"{amount:,.0f} {unit}" if unit != "pc" else f"{amount:,.0f}"
