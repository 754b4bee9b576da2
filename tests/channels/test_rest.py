"""REST facade specifics: status codes, problem bodies, headers, OpenAPI parity with the MCP schemas."""

from __future__ import annotations

import httpx
import pytest
from mcp import Client

from gocoffee.settings import Settings
from tests.conftest import Probe
from tests.identities import AS
from tests.live import app_client, app_of

pytestmark = pytest.mark.anyio
ALICE = {AS: "customer:alice"}
ORDER = {"location_id": "downtown", "lines": [{"item_id": "latte"}]}


async def test_health_and_openapi_are_served(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    paths = (await client.get("/openapi.json")).json()["paths"]
    for path in ["/api/v1/menu", "/api/v1/menu/{item_id}", "/api/v1/orders", "/api/v1/orders/{order_id}",
                 "/api/v1/orders/{order_id}/cancel", "/api/v1/stock"]:
        assert path in paths


@pytest.mark.parametrize("content", [b"{not json", b"[]", b'{"location_id": "downtown"}', b""])
async def test_malformed_bodies_get_a_problem_and_write_nothing(client: httpx.AsyncClient, probe: Probe,
                                                                content: bytes) -> None:
    before = await probe.snapshot()
    headers = {**ALICE, "Idempotency-Key": "m1", "Content-Type": "application/json"}
    reply = await client.post("/api/v1/orders", content=content, headers=headers)
    assert reply.status_code == 422
    assert reply.headers["content-type"] == "application/problem+json"
    assert reply.json()["code"] == "invalid_input" and reply.json()["detail"]
    assert await probe.snapshot() == before


async def test_status_codes_follow_the_error_tree(client: httpx.AsyncClient) -> None:
    no_key = await client.post("/api/v1/orders", json=ORDER, headers=ALICE)
    assert (no_key.status_code, no_key.json()["code"]) == (400, "idempotency_key_required")
    placed = await client.post("/api/v1/orders", json=ORDER, headers={**ALICE, "Idempotency-Key": "s1"})
    assert placed.status_code == 201
    oid = placed.json()["order_id"]
    assert (await client.get(f"/api/v1/orders/{oid}", headers={AS: "customer:eve"})
            ).status_code == 404
    assert (await client.get("/api/v1/stock", headers=ALICE)).status_code == 403
    staff = {AS: "staff:s1@downtown"}
    illegal = await client.post(f"/api/v1/orders/{oid}/transitions", json={"to_state": "ready"}, headers=staff)
    assert (illegal.status_code, illegal.json()["code"]) == (409, "illegal_transition")
    assert (await client.get("/api/v1/orders/abc", headers=ALICE)).status_code == 422
    assert (await client.get("/api/v1/menu/latte")).status_code == 200


@pytest.mark.parametrize("header", ["customer", "wizard:merlin", "customer:", "customer:bad id"])
async def test_a_malformed_development_header_is_refused(settings: Settings, header: str) -> None:
    async with app_client(settings.model_copy(update={"dev_auth": True})) as client:
        reply = await client.get("/api/v1/orders", headers={"X-GoCoffee-Principal": header})
    assert reply.status_code == 422 and reply.json()["code"] == "invalid_input"


async def test_without_a_principal_header_you_are_a_guest(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/menu")).status_code == 200
    refused = await client.post("/api/v1/orders", json=ORDER, headers={"Idempotency-Key": "g1"})
    assert refused.status_code == 403 and "guest" in refused.json()["detail"]


async def test_openapi_fields_carry_the_same_descriptions_as_the_mcp_schemas(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    platform = app_of(client).state.serving
    async with Client(platform.servers["orders"]) as mcp:
        tools = {t.name: t for t in (await mcp.list_tools()).tools}
    mcp_props = tools["create_order"].input_schema["properties"]
    rest_props = spec["components"]["schemas"]["CreateOrderBody"]["properties"]
    for name in ["location_id", "lines", "customer_id"]:
        assert rest_props[name]["description"] == mcp_props[name]["description"]
    menu_query = {p["name"]: p for p in spec["paths"]["/api/v1/menu"]["get"]["parameters"]}
    async with Client(platform.servers["menu"]) as mcp:
        menu_tools = {t.name: t for t in (await mcp.list_tools()).tools}
    for name, prop in menu_tools["list_menu_items"].input_schema["properties"].items():
        assert menu_query[name]["description"] == prop["description"]


@pytest.mark.parametrize("path", ["/api/v1/orders", "/mcp/orders"])
async def test_a_foreign_host_name_is_refused_on_rest_and_mcp(client: httpx.AsyncClient, probe: Probe,
                                                              path: str) -> None:
    """A DNS-rebinding page reaches 127.0.0.1 under the attacker's name: the Host header gives it away."""
    before = await probe.snapshot()
    headers = {AS: "manager:m1", "Idempotency-Key": "r1", "Host": "evil.example:8000"}
    reply = await client.post(path, json=ORDER, headers=headers)
    assert reply.status_code == 421 and reply.json()["code"] == "untrusted_host"
    assert await probe.snapshot() == before
    for host in ("localhost", "localhost:8000", "127.0.0.1:9999", "[::1]:8000"):
        assert (await client.get("/api/v1/menu", headers={"Host": host})).status_code == 200, host


async def test_a_foreign_origin_is_refused(client: httpx.AsyncClient) -> None:
    reply = await client.get("/api/v1/menu", headers={"Origin": "http://evil.example"})
    assert reply.status_code == 403 and reply.json()["code"] == "untrusted_origin"
    assert (await client.get("/api/v1/menu", headers={"Origin": "http://localhost:8000"})).status_code == 200


async def test_trusted_hosts_come_from_settings(settings: Settings) -> None:
    async with app_client(settings.model_copy(update={"allowed_hosts": ["coffee.example"]})) as client:
        assert (await client.get("/api/v1/menu", headers={"Host": "coffee.example"})).status_code == 200
        assert (await client.get("/api/v1/menu")).status_code == 421


async def test_an_oversized_body_is_refused_before_it_is_read(client: httpx.AsyncClient, probe: Probe) -> None:
    before = await probe.snapshot()
    big = {**ORDER, "padding": "x" * 10_000_000}
    reply = await client.post("/api/v1/orders", json=big, headers={**ALICE, "Idempotency-Key": "big"})
    assert reply.status_code == 413 and reply.json()["code"] == "too_large"
    assert await probe.snapshot() == before


async def test_answers_carry_security_headers_and_only_listed_origins_get_cors(settings: Settings) -> None:
    app = "https://app.gocoffee.example"
    async with app_client(settings.model_copy(update={"cors_origins": [app]})) as client:
        menu = await client.get("/api/v1/menu")
        assert menu.headers["x-content-type-options"] == "nosniff" and menu.headers["x-frame-options"] == "DENY"
        assert "default-src 'none'" in menu.headers["content-security-policy"]
        token = await client.post("/api/v1/auth/token", json={"email": "x@example.com", "password": "wrong"})
        assert token.headers["cache-control"] == "no-store"
        asked = {"Origin": app, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"}
        preflight = await client.options("/api/v1/orders", headers=asked)
        assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == app
        assert (await client.get("/api/v1/menu", headers={"Origin": app})).status_code == 200
        foreign = await client.get("/api/v1/menu", headers={"Origin": "https://evil.example"})
        assert foreign.status_code == 403 and "access-control-allow-origin" not in foreign.headers
