"""Shared arrangements for the contract suites (test_menu, test_orders, test_inventory): the same behaviour for
every caller (direct, in-process MCP, MCP over HTTP, REST) on every store (SQLite, Postgres)."""

from __future__ import annotations

import pytest

from tests.callers import Caller
from tools.errors import DomainError
from tools.principal import Principal, Role

ALICE = Principal(role=Role.CUSTOMER, id="alice")
BOB = Principal(role=Role.CUSTOMER, id="bob")
BARISTA = Principal(role=Role.STAFF, id="s1", location_id="downtown")
MANAGER = Principal(role=Role.MANAGER, id="m1")
GUEST = Principal(role=Role.GUEST, id="anonymous")
TWO_OAT_LATTES = {"location_id": "downtown", "lines": [
    {"item_id": "latte", "size": "large", "quantity": 2, "milk": "oat"}, {"item_id": "croissant"}]}


async def refused(code: str, call: Caller, tool: str, args: dict, who: Principal, key: str | None = None
                  ) -> DomainError:
    with pytest.raises(DomainError) as caught:
        await call(tool, args, who, key)
    assert caught.value.code == code, caught.value.message
    return caught.value
