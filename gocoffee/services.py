"""Build the outside services capabilities may use (card processor, chain, key vault) from settings."""

from __future__ import annotations

from gocoffee.settings import Settings
from tools.services import MoneyRules, Services


def services_from(settings: Settings) -> Services:
    rules = MoneyRules(refund_approval_cents=settings.refund_approval_cents)
    return Services(rules=rules)
