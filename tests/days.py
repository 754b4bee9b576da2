"""The shops' own today: the seed's rotas and a request's "tomorrow" or "next week" follow the shops' time zone,
which is another day than the machine's for some hours of every night."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

SHOPS = ZoneInfo("America/New_York")


def shop_today() -> date:
    return datetime.now(SHOPS).date()
