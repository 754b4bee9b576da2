"""COFFEE payments: the order is paid into the escrow contract and counts only once the chain shows it.

1 COFFEE = $1. From a Go Coffee account the platform signs the escrow payment with the customer's custodial
key; from any other wallet the customer pays `escrow.pay(order, amount)` themselves and gives the
transaction hash. Either way the payment is captured only after reading the receipt: it succeeded, called
our escrow, paid this order at least its total, and has the confirmations the house asks for (until then it is
`pending`). Refunds go back through the escrow (or, once released to the merchant, from the merchant).
"""

from __future__ import annotations

from sqlalchemy import select

from contracts import coffee
from contracts.coffee import EscrowStatus, ProofRejected
from store.payments import Payment
from tools.context import ToolContext
from tools.errors import InsufficientFunds, InvalidInput, NotFound, PaymentRejected
from tools.onchain import WEI_PER_HUNDREDTH, on_chain
from tools.payments.models import PayOrder
from tools.wallet.custody import account_of, address_of, record_move, signer_of

COFFEE_CLEARING = "house:coffee"
WEI_PER_CENT = WEI_PER_HUNDREDTH  # 1 COFFEE = $1, so a cent is a hundredth of a COFFEE


class Coffee:
    def source(self, payment: Payment) -> str:
        return COFFEE_CLEARING

    async def charge(self, ctx: ToolContext, payment: Payment, cmd: PayOrder) -> None:
        if cmd.payment_method:
            raise InvalidInput("coffee payments take a tx_hash (or nothing), not a payment_method")
        tx = cmd.tx_hash.lower() if cmd.tx_hash else await self._pay_from_account(ctx, payment)
        used = await ctx.session.scalar(select(Payment.order_id).where(Payment.provider == "coffee",
                                                                       Payment.provider_ref == tx))
        if used is not None:
            raise PaymentRejected(f"that transaction already paid order {used}", tx_hash=tx)
        await self._verify(ctx, payment, tx)

    async def recheck(self, ctx: ToolContext, payment: Payment) -> bool:
        await self._verify(ctx, payment, payment.provider_ref or "")
        return payment.state == "captured"

    async def refund(self, ctx: ToolContext, payment: Payment, amount: int, reason: str) -> None:
        order_id, full = payment.order_id, amount == payment.amount_cents - payment.refunded_cents
        payer, _, status = await on_chain(ctx, lambda chain: coffee.escrow_status(chain, order_id))
        if status == EscrowStatus.PAID and full and payment.refunded_cents == 0:
            await on_chain(ctx, lambda chain: coffee.settle_escrow(chain, order_id, EscrowStatus.REFUNDED))
            tx = payment.provider_ref or ""
        else:  # released to the merchant (or a partial refund): the merchant pays it back, once per refund step
            await on_chain(ctx, lambda chain: coffee.settle_escrow(chain, order_id, EscrowStatus.RELEASED))
            ref = coffee.ref_of("refund", payment.id, str(payment.refunded_cents), str(amount))
            tx = await on_chain(ctx, lambda chain: coffee.transfer_once(chain, chain.operator, payer,
                                                                        amount * WEI_PER_CENT, ref))
        if payer == await address_of(ctx, payment.customer_id):
            record_move(ctx, payment.customer_id, "refunded", amount, tx)

    async def _pay_from_account(self, ctx: ToolContext, payment: Payment) -> str:
        account = await account_of(ctx, payment.customer_id)
        if account is None:
            raise NotFound("you have no COFFEE account: redeem loyalty points first, or pay from your own wallet "
                           "and give the transaction hash")
        due = payment.amount_cents * WEI_PER_CENT
        have = await on_chain(ctx, lambda chain: coffee.balance_of(chain, account.address))
        if have < due:
            raise InsufficientFunds(f"you have {have // WEI_PER_CENT / 100:.2f} COFFEE; "
                                    f"{payment.amount_cents / 100:.2f} needed", unit="coffee",
                                    balance=have // WEI_PER_CENT, needed=payment.amount_cents)
        key, order_id = signer_of(ctx, account), payment.order_id
        tx = await on_chain(ctx, lambda chain: coffee.pay_escrow(chain, key, order_id, due))
        record_move(ctx, payment.customer_id, "paid", -payment.amount_cents, tx, f"order {order_id}")
        return tx

    async def _verify(self, ctx: ToolContext, payment: Payment, tx: str) -> None:
        order_id, due = payment.order_id, payment.amount_cents * WEI_PER_CENT
        try:
            proof = await on_chain(ctx, lambda chain: coffee.verify_escrow_payment(chain, tx, order_id, due))
        except ProofRejected as exc:
            if exc.underpaid:  # give it back, or the order could never be paid in COFFEE again
                await on_chain(ctx, lambda chain: coffee.settle_escrow(chain, order_id, EscrowStatus.REFUNDED))
            returned = "; the escrow returned it to the payer" if exc.underpaid else ""
            raise PaymentRejected(f"not accepted as payment of order {order_id}: {exc}{returned}",
                                  tx_hash=tx) from exc
        payment.provider_ref = proof.tx_hash
        enough = proof.confirmations >= ctx.services.rules.confirmations
        payment.state = "captured" if enough else "pending"
        payment.updated_at = ctx.now()


COFFEE = Coffee()
