"""COFFEE in the wallet: redeem loyalty points for COFFEE, send COFFEE to another customer.

Loyalty rule: one point per whole dollar paid (any method); 100 points redeem for 1 COFFEE, paid from the
platform's reward pool. Every transfer is applied once by the token contract (`transferRef`, keyed by the
caller's idempotency key), so a retried request never moves COFFEE twice.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from contracts import coffee
from tools.context import ToolContext
from tools.errors import InsufficientFunds, InvalidInput, NotFound
from tools.fields import Whole
from tools.onchain import WEI_PER_HUNDREDTH, hundredths_of_wei, on_chain
from tools.principal import Role
from tools.registry import Rest, capability
from tools.wallet.accounts import CustomerId, WalletView, wallet_view
from tools.wallet.custody import account_of, ensure_account, record_move, signer_of
from tools.wallet.ledger import LOYALTY, Move, post
from tools.wallet.ledger import points as points_account

POINTS_PER_COFFEE = 100
CUSTOMERS = frozenset({Role.CUSTOMER})


class RedeemPoints(BaseModel):
    points: Whole = Field(ge=POINTS_PER_COFFEE, le=1_000_000, multiple_of=POINTS_PER_COFFEE,
                        description=f"Loyalty points to turn into COFFEE, in hundreds ({POINTS_PER_COFFEE} = 1 COFFEE).")


class TransferCoffee(BaseModel):
    to_customer_id: str = CustomerId
    amount: Decimal = Field(gt=0, le=1_000_000, decimal_places=2, description="COFFEE to send, e.g. 2.5.")


def _key(ctx: ToolContext, purpose: str) -> bytes:
    return coffee.ref_of(purpose, ctx.principal.as_header(), ctx.idempotency_key or "")


@capability(domain="wallet", roles=CUSTOMERS, mutating=True, idempotent=True, repeatable=True,
            rest=Rest("POST", "/wallet/redemptions", 201))
async def redeem_points(ctx: ToolContext, cmd: RedeemPoints) -> WalletView:
    """Turn your loyalty points into COFFEE (100 points = 1 COFFEE), paid into your Go Coffee COFFEE account
    (opened for you if you have none). Needs an idempotency key; a retry redeems once."""
    who = ctx.principal.id
    await post(ctx.session, "points_redeemed", ctx.now(), [Move(points_account(who), "points", -cmd.points),
                                                           Move(LOYALTY, "points", cmd.points)],
               memo=f"{cmd.points // POINTS_PER_COFFEE} COFFEE")
    account = await ensure_account(ctx, who)
    hundredths = cmd.points // POINTS_PER_COFFEE * 100
    ref = _key(ctx, "redeem")
    tx = await on_chain(ctx, lambda chain: coffee.reward(chain, account.address, hundredths * WEI_PER_HUNDREDTH, ref))
    record_move(ctx, who, "redeemed", hundredths, tx)
    return await wallet_view(ctx, who)


@capability(domain="wallet", roles=CUSTOMERS, mutating=True, idempotent=True, repeatable=True,
            rest=Rest("POST", "/wallet/transfers", 201))
async def transfer_coffee(ctx: ToolContext, cmd: TransferCoffee) -> WalletView:
    """Send COFFEE from your account to another customer's (their account is opened if new). Confirm the
    recipient and amount with the customer first. Needs an idempotency key; a retry sends once."""
    who = ctx.principal.id
    if cmd.to_customer_id == who:
        raise InvalidInput("you cannot send COFFEE to yourself")
    sender = await account_of(ctx, who)
    if sender is None:
        raise NotFound("you have no COFFEE account yet: redeem loyalty points to get COFFEE")
    hundredths = int(cmd.amount * 100)
    have = hundredths_of_wei(await on_chain(ctx, lambda chain: coffee.balance_of(chain, sender.address)))
    if have < hundredths:
        raise InsufficientFunds(f"you have {have / 100:.2f} COFFEE; {cmd.amount} needed", unit="coffee",
                                balance=have, needed=hundredths)
    recipient = await ensure_account(ctx, cmd.to_customer_id)
    key, ref = signer_of(ctx, sender), _key(ctx, "transfer")
    tx = await on_chain(ctx, lambda chain: coffee.transfer_once(chain, key, recipient.address,
                                                                hundredths * WEI_PER_HUNDREDTH, ref))
    record_move(ctx, who, "sent", -hundredths, tx, cmd.to_customer_id)
    record_move(ctx, cmd.to_customer_id, "received", hundredths, tx, who)
    return await wallet_view(ctx, who)
