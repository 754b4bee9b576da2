"""The chain beside the platform: connect (embedded EVM or JSON-RPC), find or deploy the contracts.

Deployments are recorded in the store per chain (id + genesis hash); a recorded deployment whose contracts
are gone (a node was reset) is deployed afresh. The embedded EVM keeps its state in data_dir/chain.journal,
so balances and votes survive restarts.
"""

from __future__ import annotations

import asyncio
import logging
import stat
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from eth_account import Account
from web3 import HTTPProvider, Web3

from contracts.chain import Chain, ChainService, Deployment
from contracts.deploy import deploy_suite, is_live
from contracts.evm import close_chain, open_chain
from gocoffee.routines import every
from gocoffee.settings import Settings
from mcp_servers.gateway import Gateway
from store.contracts import ChainDeployment
from store.engine import Database
from tools.principal import Principal, Role
from tools.wallet.vault import Vault

T = TypeVar("T")
log = logging.getLogger(__name__)
JOURNAL = "chain.journal"
SETTLE_SECONDS = 2.0
SETTLER = Principal(role=Role.SERVICE, id="settler")
WALLET_KEY_FILE = "wallet.key"


def vault_from(settings: Settings) -> Vault:
    """The wallet key from settings, or (development) one generated once into the data dir, owner-only."""
    if settings.wallet_key is not None:
        return Vault.from_text(settings.wallet_key.get_secret_value())
    path: Path = settings.data_dir / WALLET_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Vault.new_key_text())
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    return Vault.from_text(path.read_text())


def connect(settings: Settings) -> Chain:
    operator = Account.from_key(settings.chain_operator_key.get_secret_value())
    if settings.chain_rpc_url:
        return Chain(Web3(HTTPProvider(settings.chain_rpc_url, request_kwargs={"timeout": 30})), operator)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / JOURNAL
    w3, journal, lock = open_chain([operator.address], path)
    return Chain(w3, operator, journal, lock, on_close=lambda: close_chain(path))


def _deployment(row: ChainDeployment) -> Deployment:
    return Deployment(chain_id=int(row.chain_id), genesis=row.genesis, block=row.block, token=row.token,
                      timelock=row.timelock, governor=row.governor, escrow=row.escrow)


def _locked(chain: Chain, operation: Callable[[], T]) -> T:
    with chain.lock:  # the server's background loops may be using the chain too
        return operation()


async def ensure_deployed(db: Database, chain: Chain, settings: Settings, now: datetime) -> Deployment:
    async with db.write_turn(), db.writer() as session, session.begin():
        row = await session.get(ChainDeployment, (str(chain.chain_id), chain.genesis))
        if row is not None and await asyncio.to_thread(_locked, chain, lambda: is_live(chain, _deployment(row))):
            return _deployment(row)
        found = await asyncio.to_thread(_locked, chain, lambda: deploy_suite(chain, settings.dao))
        if row is not None:
            await session.delete(row)
            await session.flush()
        session.add(ChainDeployment(chain_id=str(found.chain_id), genesis=found.genesis, block=found.block,
                                    token=found.token, timelock=found.timelock, governor=found.governor,
                                    escrow=found.escrow, created_at=now))
        return found


async def start_chain(db: Database, settings: Settings, now: datetime) -> Chain:
    chain = await asyncio.to_thread(connect, settings)
    chain.deployment = await ensure_deployed(db, chain, settings, now)
    return chain


@asynccontextmanager
async def chain_loops(service: ChainService, gateway: Gateway, settings: Settings) -> AsyncIterator[None]:
    """Beside the server: release escrowed COFFEE of ready orders; on the embedded EVM, make a block every
    chain_block_seconds as a real network would (so DAO votes end)."""
    async def release() -> None:
        await gateway.call("release_escrows", {}, principal=SETTLER)

    tasks = [asyncio.create_task(every(SETTLE_SECONDS, release))]
    if service.chain.in_process and settings.chain_block_seconds > 0:
        tasks.append(asyncio.create_task(every(settings.chain_block_seconds,
                                                lambda: service.run(lambda chain: chain.mine(1)))))
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
