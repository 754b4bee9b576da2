"""Returning a payment to the wallet it came from, with the loyalty points it earned."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from store.money import Payment
from tools.wallet.ledger import LOYALTY, POINTS_PER_DOLLAR, SALES, Move, balance, points, post, wallet


def points_for(cents: int) -> int:
    return cents // 100 * POINTS_PER_DOLLAR


async def captured_payment(session: AsyncSession, order_id: int) -> Payment | None:
    return await session.scalar(select(Payment).where(Payment.order_id == order_id, Payment.state == "captured")
                                .with_for_update())


async def return_payment(session: AsyncSession, payment: Payment, amount: int, now: datetime, reason: str) -> None:
    """Give `amount` back (the caller checked it is at most what is left); points earned on it are taken back as
    far as the customer still has them. The payment is `refunded` once nothing is left."""
    who = payment.customer_id
    await post(session, "refund", now, [Move(wallet(who), "cents", amount), Move(SALES, "cents", -amount)],
               payment_id=payment.id, memo=reason)
    if clawback := min(points_for(amount), await balance(session, points(who), "points")):
        await post(session, "points_returned", now, [Move(points(who), "points", -clawback),
                                                     Move(LOYALTY, "points", clawback)], payment_id=payment.id)
    payment.refunded_cents += amount
    payment.updated_at = now
    if payment.refunded_cents == payment.amount_cents:
        payment.state = "refunded"
