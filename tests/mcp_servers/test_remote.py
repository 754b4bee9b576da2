"""A platform whose domains run on another server (GOCOFFEE_MCP_REMOTE): its gateway signs its calls with the
platform's own service token (act_as) and names each call's person in `_meta`; the remote server acts for that
person (a call without a token, or a person's token naming someone else, is refused: tests/channels/test_attacks)."""

from __future__ import annotations

import pytest

from gocoffee.bootstrap import build_platform, running
from gocoffee.settings import Settings
from tests.live import LiveServer
from tools.errors import Forbidden
from tools.principal import Principal

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)]
ALICE = Principal.parse("customer:alice")


async def test_a_remote_domain_acts_for_the_person_the_gateway_names(settings: Settings) -> None:
    with LiveServer(settings) as remote:
        urls = {d: f"{remote.url}/mcp/{d}" for d in ("orders", "inventory")}
        async with running(build_platform(settings.model_copy(update={"mcp_remote": urls}))) as local:
            placed = await local.gateway.call("create_order", {"location_id": "downtown",
                                                               "lines": [{"item_id": "latte"}]},
                                              principal=ALICE, idempotency_key="remote-1")
            assert placed.model_dump()["customer_id"] == "alice"
            with pytest.raises(Forbidden):  # the person's own rights, not the service's
                await local.gateway.call("get_stock", {}, principal=ALICE)
