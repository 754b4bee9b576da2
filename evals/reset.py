"""Putting a running platform back to its seeded start, for evals against a server (GOCOFFEE_EVAL_MODE only).

Every business table is emptied (sign-in accounts stay) (ids restart), the demo chain is seeded again, the menu cache dropped; with a
chain, the contracts are deployed afresh (new addresses: balances and votes start from nothing). Conversation
checkpoints stay: each trial talks on a thread of its own.
"""

from __future__ import annotations

from sqlalchemy import text

from evals.env import report_machines
from evals.tasks import MachineReport
from gocoffee.bootstrap import Platform
from gocoffee.chain import ensure_deployed
from store.models import Base
from store.seed import seed_if_empty
from store.seed_sales import seed_sales
from tools.scheduling.rota import seed_rotas
from tools.stock.seed import seed_purchasing
from tools.tasks.recurring import plan

SIGN_IN = frozenset({"users", "refresh_tokens", "signing_keys"})
"""Kept: who may sign in is not business state (and the eval runner signs in as a service)."""


async def reset(platform: Platform, machines: list[MachineReport]) -> None:
    db, now = platform.db, platform.runtime.clock()
    tables = [t for t in Base.metadata.sorted_tables if t.name not in SIGN_IN]
    async with db.write_turn(), db.writer() as session, session.begin():
        if db.is_sqlite:
            for table in reversed(tables):
                await session.execute(table.delete())
        else:
            names = ", ".join(f'"{t.name}"' for t in tables)
            await session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        await seed_if_empty(session)
        await seed_sales(session, now.date())
        await seed_rotas(session, now)
        await seed_purchasing(session, now)
        await plan(session, None, 7, now)
    platform.runtime.catalog.invalidate()
    chain = platform.runtime.services.chain
    if chain is not None and chain.ready:
        chain.chain.deployment = await ensure_deployed(db, chain.chain, platform.settings, now)
    await report_machines(platform, machines)
