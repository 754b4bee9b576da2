"""Build the outside services capabilities may use (card processor, chain, key vault) from settings."""

from __future__ import annotations

from contracts.chain import ChainService
from gocoffee.chain import vault_from
from gocoffee.settings import Settings
from tools.payments.card import CardProcessor
from tools.payments.stripe_client import StripeCards
from tools.services import MoneyRules, Services


def cards_from(settings: Settings) -> CardProcessor | None:
    """Stripe when its API key is set (card payments are off without it)."""
    if settings.stripe_api_key is None:
        return None
    secret = settings.stripe_webhook_secret
    return StripeCards(settings.stripe_api_key.get_secret_value(), api_base=settings.stripe_api_base,
                       webhook_secret=secret.get_secret_value() if secret else None)


def services_from(settings: Settings) -> Services:
    rules = MoneyRules(refund_approval_cents=settings.refund_approval_cents, confirmations=settings.chain_confirmations,
                       purchase_order_approval_cents=settings.purchase_order_approval_cents)
    if not settings.chain:
        return Services(rules=rules, cards=cards_from(settings))
    return Services(rules=rules, cards=cards_from(settings), chain=ChainService(), vault=vault_from(settings))
