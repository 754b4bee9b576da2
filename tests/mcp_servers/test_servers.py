"""MCP servers generated from the registry: one per domain, typed output, hints, structured errors."""

from __future__ import annotations

import pytest
from mcp import Client

from gocoffee.bootstrap import Platform
from mcp_servers.wire import ERROR_META, PRINCIPAL_META

pytestmark = pytest.mark.anyio


async def test_every_capability_is_a_tool_on_its_domain_server(platform: Platform) -> None:
    assert set(platform.servers) == {"menu", "orders", "inventory", "approvals", "kitchen", "payments", "wallet", "dao",
                                     "scheduling", "tasks", "notifications", "stock"}
    for domain, server in platform.servers.items():
        async with Client(server) as client:
            tools = {t.name: t for t in (await client.list_tools()).tools}
        expected = {c.name for c in platform.registry.in_domain(domain)}
        assert set(tools) == expected
        for cap in platform.registry.in_domain(domain):
            tool = tools[cap.name]
            assert tool.description == cap.description
            assert tool.output_schema is not None and tool.output_schema["type"] == "object"
            assert tool.annotations is not None
            assert tool.annotations.read_only_hint is (not cap.mutating)
            assert tool.meta is not None and tool.meta["gocoffee/idempotencyKeyRequired"] is cap.idempotent


async def test_results_are_structured_and_errors_are_tool_errors_with_a_code(platform: Platform) -> None:
    async with Client(platform.servers["menu"]) as client:
        ok = await client.call_tool("get_menu_item", {"item_id": "mocha"})
        assert not ok.is_error and ok.structured_content is not None
        assert ok.structured_content["name"] == "Mocha"
        missing = await client.call_tool("get_menu_item", {"item_id": "nope"})
    assert missing.is_error and missing.structured_content is None
    assert missing.meta is not None and missing.meta[ERROR_META]["code"] == "not_found"
    assert missing.content[0].text.startswith("not_found: ")  # type: ignore[union-attr]


async def test_the_principal_travels_in_meta_and_is_checked_on_the_server(platform: Platform) -> None:
    async with Client(platform.servers["inventory"]) as client:
        refused = await client.call_tool("get_stock", {}, meta={PRINCIPAL_META: "customer:c1"})
        allowed = await client.call_tool("get_stock", {"location_id": "campus"}, meta={PRINCIPAL_META: "staff:s2"})
        anonymous = await client.call_tool("get_stock", {})
    assert refused.is_error and refused.meta[ERROR_META]["code"] == "forbidden"  # type: ignore[index]
    assert anonymous.is_error and anonymous.meta[ERROR_META]["code"] == "forbidden"  # type: ignore[index]
    assert not allowed.is_error and allowed.structured_content["levels"]  # type: ignore[index]


async def test_arguments_failing_the_schema_are_refused_without_running(platform: Platform) -> None:
    async with Client(platform.servers["orders"]) as client:
        result = await client.call_tool("get_order", {"order_id": "not a number"},
                                        meta={PRINCIPAL_META: "customer:c1"})
    assert result.is_error
