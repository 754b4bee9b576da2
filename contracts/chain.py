"""A chain the platform signs on: web3 8 over the in-process EVM or any JSON-RPC node (anvil, a testnet).

Every transaction is built, signed locally (the operator's key, or a customer's custodial key) and sent raw,
so the same code runs on eth-tester and on a real node. Gas is estimated first: a call the contract refuses
raises `Reverted` (with the contract's custom error name) before anything is mined.
`ChainService` is the async face tools use: one operation at a time, off the event loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from eth_account.signers.local import LocalAccount
from eth_tester.exceptions import TransactionFailed
from pydantic import BaseModel, ConfigDict
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.exceptions import ContractCustomError, ContractLogicError, TransactionNotFound, Web3RPCError
from web3.types import Nonce, TxParams, TxReceipt, Wei

from contracts.artifacts import load_artifact
from contracts.evm import JournalDB

T = TypeVar("T")
CONTRACTS = ("CoffeeToken", "CoffeeTimelock", "CoffeeGovernor", "CoffeeEscrow")
WEI_PER_COFFEE = 10**18
RECEIPT_TIMEOUT_S = 30


class Reverted(Exception):
    """A contract refused a call; `error` is its custom error's name when the ABIs know it."""

    def __init__(self, error: str | None, data: str | None, message: str) -> None:
        super().__init__(message)
        self.error, self.data = error, data


class Deployment(BaseModel):
    """Where the platform's contracts live on one chain (identified by id and genesis hash)."""

    model_config = ConfigDict(frozen=True)

    chain_id: int
    genesis: str
    block: int
    token: str
    timelock: str
    governor: str
    escrow: str


def _error_name(data: str) -> str | None:
    for name in CONTRACTS:
        if found := load_artifact(name).error_name(data):
            return found
    return None


def _revert_data(exc: Exception) -> str | None:
    if isinstance(exc, ContractCustomError | ContractLogicError) and isinstance(exc.data, str):
        return exc.data
    if isinstance(exc, TransactionFailed):  # eth-tester: raw bytes on the chained original exception
        raw: Any = exc.__context__.args[0] if exc.__context__ is not None and exc.__context__.args else exc.args[0]
        if isinstance(raw, Exception) and raw.args:
            raw = raw.args[0]
        return "0x" + raw.hex() if isinstance(raw, bytes) else None
    return None


def as_reverted(exc: Exception) -> Reverted:
    data = _revert_data(exc)
    name = _error_name(data) if data else None
    return Reverted(name, data, f"reverted: {name or exc}")


class Chain:
    """One connection, the operator's key and (once deployed or found) the platform's contracts."""

    def __init__(self, w3: Web3, operator: LocalAccount, journal: JournalDB | None = None,
                 lock: threading.Lock | None = None, on_close: Callable[[], None] | None = None) -> None:
        self.w3 = w3
        self.operator = operator
        w3.eth.default_account = operator.address  # read-only calls need a sender that can afford their gas
        self.journal = journal
        self.lock = lock or threading.Lock()
        """Held while an operation runs: one at a time per chain, whichever thread or event loop asks."""
        self._on_close = on_close
        self.deployment: Deployment | None = None
        self.chain_id = w3.eth.chain_id
        self.genesis = w3.eth.get_block(0)["hash"].hex()

    @property
    def in_process(self) -> bool:
        return hasattr(self.w3.provider, "ethereum_tester")

    def contract(self, name: str, address: str | None = None) -> Contract:
        if address is None:
            if self.deployment is None:
                raise RuntimeError("the platform's contracts are not deployed on this chain yet")
            address = getattr(self.deployment, name.removeprefix("Coffee").lower())
        return self.w3.eth.contract(address=Web3.to_checksum_address(address), abi=load_artifact(name).abi)

    def transact(self, signer: LocalAccount, fn: ContractFunction, value: int = 0) -> TxReceipt:
        """Sign and send a contract call; refused calls raise Reverted before anything is mined."""
        try:
            params: TxParams = {"from": signer.address, "value": Wei(value), "chainId": self.chain_id,
                                "nonce": Nonce(self._nonce(signer.address))}
            tx = fn.build_transaction(params)
        except (TransactionFailed, ContractCustomError, ContractLogicError) as exc:
            raise as_reverted(exc) from exc
        return self._send(signer, tx)

    def deploy(self, name: str, *args: Any) -> tuple[str, int]:
        """Deploy a contract from its committed artifact as the operator; its address and block."""
        artifact = load_artifact(name)
        factory = self.w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        tx = factory.constructor(*args).build_transaction({"from": self.operator.address, "chainId": self.chain_id,
                                                          "nonce": self._nonce(self.operator.address)})
        receipt = self._send(self.operator, tx)
        return str(receipt["contractAddress"]), int(receipt["blockNumber"])

    def send_ether(self, signer: LocalAccount, to: str, wei: int) -> TxReceipt:
        tx: TxParams = {"from": signer.address, "to": Web3.to_checksum_address(to), "value": Wei(wei),
                        "chainId": self.chain_id, "nonce": Nonce(self._nonce(signer.address)), "gas": 21_000}
        fees = self._fees()
        return self._send(signer, {**tx, **fees})  # type: ignore[typeddict-item]  # fee fields are ints; web3's TypedDict wants its Wei alias

    def receipt(self, tx_hash: str) -> TxReceipt | None:
        try:
            return self.w3.eth.get_transaction_receipt(tx_hash)  # type: ignore[arg-type]  # a hex str hash; web3 types it as HexBytes
        except TransactionNotFound:
            return None

    def confirmations(self, receipt: TxReceipt) -> int:
        """Blocks on top of the receipt's, its own included."""
        return self.w3.eth.block_number - int(receipt["blockNumber"]) + 1

    def mine(self, blocks: int = 1, seconds: int = 0) -> None:
        """Move time and blocks on (the in-process chain and anvil; a real network does this by itself)."""
        if self.in_process:
            tester = self.w3.provider.ethereum_tester  # type: ignore[attr-defined]  # only the embedded EVM's provider has ethereum_tester (checked by in_process)
            if seconds:
                tester.time_travel(self.w3.eth.get_block("latest")["timestamp"] + seconds)
            tester.mine_blocks(blocks)
            self.flush()
            return
        if seconds:
            self.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]  # RPC params are JSON; web3 types the method name as its RPCEndpoint alias
        self.w3.provider.make_request("anvil_mine", [hex(blocks)])  # type: ignore[arg-type]  # RPC params are JSON; web3 types the method name as its RPCEndpoint alias

    def flush(self) -> None:
        if self.journal is not None:
            self.journal.flush()

    def close(self) -> None:
        if self._on_close is not None:
            self._on_close()

    def _nonce(self, address: str) -> int:
        return self.w3.eth.get_transaction_count(Web3.to_checksum_address(address), "pending")

    def _fees(self) -> dict[str, int]:
        base = int(self.w3.eth.get_block("latest").get("baseFeePerGas", 0))
        tip = 10**9
        return {"maxFeePerGas": 2 * base + tip, "maxPriorityFeePerGas": tip}

    def _send(self, signer: LocalAccount, tx: TxParams) -> TxReceipt:
        signed = signer.sign_transaction(tx)  # type: ignore[arg-type]  # a built transaction dict; eth_account wants its own TypedDict
        try:
            tx_hash = self.w3.eth.send_raw_transaction(signed.raw_transaction)
        except (TransactionFailed, ContractCustomError, ContractLogicError, Web3RPCError) as exc:
            raise as_reverted(exc) from exc
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=RECEIPT_TIMEOUT_S, poll_latency=0.05)
        self.flush()
        if receipt["status"] != 1:
            raise Reverted(None, None, f"transaction {tx_hash.hex()} reverted")
        return receipt


class ChainService:
    """The async face of a Chain: operations run one at a time, in a worker thread.

    Built with the platform, attached to a connected chain with deployed contracts when the platform starts."""

    def __init__(self) -> None:
        self._chain: Chain | None = None
        self._lock = asyncio.Lock()

    @property
    def ready(self) -> bool:
        return self._chain is not None

    @property
    def chain(self) -> Chain:
        if self._chain is None:
            raise RuntimeError("the chain is not connected (the platform is not running)")
        return self._chain

    def attach(self, chain: Chain | None) -> None:
        self._chain = chain

    async def run(self, operation: Callable[[Chain], T]) -> T:
        chain = self.chain

        def locked() -> T:
            with chain.lock:
                return operation(chain)

        async with self._lock:
            return await asyncio.to_thread(locked)
