"""COFFEE and escrow operations on a Chain (synchronous; tools run them through ChainService).

Every value-moving transaction the platform signs is applied at most once by the contracts themselves:
`transferRef` once per (sender, ref), escrow `pay` once per order, `release`/`refund` once per payment.
So a retried request (after a crash, a timeout, a lost reply) looks before it sends and never moves
COFFEE twice.
"""

from __future__ import annotations

from enum import IntEnum

from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from pydantic import BaseModel
from web3 import Web3
from web3.logs import DISCARD

from contracts.chain import WEI_PER_COFFEE, Chain

GAS_FLOOR_WEI = 10**16
GAS_TOP_UP_WEI = 5 * 10**16
REWARD_POOL_TOP_UP = 100 * WEI_PER_COFFEE
ESCROW_ALLOWANCE = 2**255


class EscrowStatus(IntEnum):
    NONE = 0
    PAID = 1
    RELEASED = 2
    REFUNDED = 3


class EscrowProof(BaseModel):
    """What the chain says about a transaction offered as payment of an order."""

    tx_hash: str
    payer: str
    amount_wei: int
    confirmations: int


class ProofRejected(Exception):
    """The transaction does not prove payment of this order (reason says why)."""

    def __init__(self, reason: str, *, underpaid: bool = False) -> None:
        super().__init__(reason)
        self.underpaid = underpaid
        """It did pay this order into our escrow, too little: the escrow holds the payer's money."""


def ref_of(*parts: str) -> bytes:
    return keccak(text="|".join(parts))


def balance_of(chain: Chain, address: str) -> int:
    return int(chain.contract("CoffeeToken").functions.balanceOf(Web3.to_checksum_address(address)).call())


def ensure_gas(chain: Chain, address: str) -> None:
    """Custodial accounts pay their own gas: the operator tops them up when they run low."""
    if chain.w3.eth.get_balance(Web3.to_checksum_address(address)) < GAS_FLOOR_WEI:
        chain.send_ether(chain.operator, address, GAS_TOP_UP_WEI)


def activate(chain: Chain, holder: LocalAccount) -> None:
    """Make a new custodial account usable: gas, and its votes delegated to itself (ERC20Votes counts none
    until delegated)."""
    ensure_gas(chain, holder.address)
    token = chain.contract("CoffeeToken")
    if token.functions.delegates(holder.address).call() != holder.address:
        chain.transact(holder, token.functions.delegate(holder.address))


def transfer_once(chain: Chain, sender: LocalAccount, to: str, amount_wei: int, ref: bytes) -> str:
    """Transfer unless `ref` was already used by `sender`; either way return the transaction that did it."""
    token = chain.contract("CoffeeToken")
    if token.functions.refUsed(sender.address, ref).call():
        return _last_transaction(chain, "CoffeeToken", "TransferRef", **{"from": sender.address, "ref": ref})
    if sender.address != chain.operator.address:
        ensure_gas(chain, sender.address)
    receipt = chain.transact(sender, token.functions.transferRef(Web3.to_checksum_address(to), amount_wei, ref))
    return receipt["transactionHash"].to_0x_hex()


def reward(chain: Chain, to: str, amount_wei: int, ref: bytes) -> str:
    """Pay a loyalty reward from the operator's pool (minted in batches as it runs low), once per ref."""
    token = chain.contract("CoffeeToken")
    unpaid = not token.functions.refUsed(chain.operator.address, ref).call()
    if unpaid and balance_of(chain, chain.operator.address) < amount_wei:
        chain.transact(chain.operator, token.functions.mint(chain.operator.address, max(amount_wei, REWARD_POOL_TOP_UP)))
    return transfer_once(chain, chain.operator, to, amount_wei, ref)


def _last_transaction(chain: Chain, contract: str, event: str, **match: object) -> str:
    """The latest transaction since deployment that emitted `event` with these (indexed) arguments."""
    assert chain.deployment is not None
    logs = chain.contract(contract).events[event]().get_logs(from_block=chain.deployment.block,
                                                              argument_filters=match)
    return logs[-1]["transactionHash"].to_0x_hex()


def escrow_status(chain: Chain, order_id: int) -> tuple[str, int, EscrowStatus]:
    payer, amount, status = chain.contract("CoffeeEscrow").functions.payment(order_id).call()
    return str(payer), int(amount), EscrowStatus(status)


def pay_escrow(chain: Chain, payer: LocalAccount, order_id: int, amount_wei: int) -> str:
    """Pay an order into escrow from a custodial account; a retry finds the payment already made."""
    escrow, token = chain.contract("CoffeeEscrow"), chain.contract("CoffeeToken")
    if escrow_status(chain, order_id)[2] in (EscrowStatus.PAID, EscrowStatus.RELEASED):
        return _last_transaction(chain, "CoffeeEscrow", "Paid", orderId=order_id)
    ensure_gas(chain, payer.address)
    if token.functions.allowance(payer.address, escrow.address).call() < amount_wei:
        # Once, for good: the escrow only ever pulls from the account that itself calls `pay`.
        chain.transact(payer, token.functions.approve(escrow.address, ESCROW_ALLOWANCE))
    return chain.transact(payer, escrow.functions.pay(order_id, amount_wei))["transactionHash"].to_0x_hex()


def verify_escrow_payment(chain: Chain, tx_hash: str, order_id: int, amount_wei: int) -> EscrowProof:
    """Read the chain: the transaction succeeded, called our escrow, and paid at least `amount_wei` for this
    order. Anything else is refused; nothing is taken on trust."""
    receipt = chain.receipt(tx_hash)
    if receipt is None:
        raise ProofRejected("no such transaction on this chain (yet)")
    if receipt["status"] != 1:
        raise ProofRejected("the transaction reverted")
    escrow = chain.contract("CoffeeEscrow")
    if (receipt.get("to") or "").lower() != escrow.address.lower():
        raise ProofRejected("the transaction was not sent to the Go Coffee escrow contract")
    paid = [e for e in escrow.events.Paid().process_receipt(receipt, errors=DISCARD)
            if e["address"].lower() == escrow.address.lower() and e["args"]["orderId"] == order_id]
    if not paid:
        raise ProofRejected(f"the transaction did not pay order {order_id} into the escrow")
    payer, amount = str(paid[0]["args"]["payer"]), int(paid[0]["args"]["amount"])
    if escrow_status(chain, order_id) != (payer, amount, EscrowStatus.PAID) and amount >= amount_wei:
        raise ProofRejected("that payment is no longer held for this order (it was refunded or replaced)")
    if amount < amount_wei:
        raise ProofRejected(f"underpaid: {amount} wei paid, {amount_wei} wei due",
                            underpaid=escrow_status(chain, order_id)[2] == EscrowStatus.PAID)
    return EscrowProof(tx_hash=receipt["transactionHash"].to_0x_hex(), payer=payer, amount_wei=amount,
                       confirmations=chain.confirmations(receipt))


def settle_escrow(chain: Chain, order_id: int, to: EscrowStatus) -> EscrowStatus:
    """Release (to the merchant) or refund (to the payer) an escrowed order, unless already settled;
    returns how it ended (a payment already settled the other way stays so)."""
    status = escrow_status(chain, order_id)[2]
    if status == EscrowStatus.PAID:
        escrow = chain.contract("CoffeeEscrow")
        fn = escrow.functions.release if to == EscrowStatus.RELEASED else escrow.functions.refund
        chain.transact(chain.operator, fn(order_id))
        return to
    return status
