"""The MCP servers as a third-party client sees them: the MCP Inspector CLI (npm, pinned 0.15.0).

Each inspector call spawns its own client (and, over stdio, its own `gocoffee mcp serve` process); state
persists between calls through the SQLite store in a tmp dir.

Inspector 0.15.0 limits what can be tested this way (checked against its source):
- no way to send HTTP headers or request `_meta`, so every call runs as the server's default principal
  (`--as`) and carries no idempotency key;
- over HTTP it rewrites any URL whose path does not end in `/mcp` to `<origin>/mcp`, so the
  `/mcp/<domain>` mounts of `gocoffee serve` are unreachable; the HTTP tests use the per-domain
  `gocoffee mcp serve <domain> --transport http` instead, which serves at `/mcp`;
- its own `--transport` option swallows a `--transport stdio` meant for the server, so stdio servers are
  started without it (stdio is gocoffee's default).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.live import free_port

pytestmark = pytest.mark.slow

INSPECTOR = "@modelcontextprotocol/inspector@0.15.0"
GOCOFFEE = Path(sys.executable).parent / "gocoffee"
TIMEOUT = 180  # the first run downloads the inspector

def _env(**extra: str) -> dict[str, str]:
    """Our environment minus any GOCOFFEE_* settings (e.g. a Postgres URL), plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOCOFFEE_")}
    env.update(extra)
    return env


def inspector(*args: str, data_dir: Path | None = None) -> dict[str, Any]:
    """Run the inspector CLI with `args`; return its JSON output. `data_dir` goes to a spawned server."""
    npx = shutil.which("npx")
    if npx is None:
        pytest.fail("npx not found on PATH: these tests need Node 20+ with npx to run the MCP Inspector")
    env_opts = ["-e", f"GOCOFFEE_DATA_DIR={data_dir}"] if data_dir is not None else []
    cmd = [npx, "-y", INSPECTOR, "--cli", *env_opts, *args]
    try:
        proc = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=TIMEOUT, env=_env(),
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"inspector timed out after {TIMEOUT}s: {cmd}\nstderr:\n{exc.stderr}")
    assert proc.returncode == 0, (f"inspector failed (exit {proc.returncode}): {cmd}\n"
                                  f"stderr:\n{proc.stderr}\nstdout:\n{proc.stdout}")
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise AssertionError(f"inspector printed no JSON: {exc}\nstdout:\n{proc.stdout}\n"
                             f"stderr:\n{proc.stderr}") from exc


def stdio(domain: str, data_dir: Path, *args: str, as_: str | None = None) -> dict[str, Any]:
    server = [str(GOCOFFEE), "mcp", "serve", domain, *(["--as", as_] if as_ else [])]
    return inspector(*server, *args, data_dir=data_dir)


def call_args(tool: str, **arguments: Any) -> list[str]:
    out = ["--method", "tools/call", "--tool-name", tool]
    for key, value in arguments.items():
        text = value if isinstance(value, str) else json.dumps(value)
        out += ["--tool-arg", f"{key}={text}"]
    return out


def ok(result: dict[str, Any]) -> dict[str, Any]:
    assert result.get("isError") is not True, f"tool error: {result}"
    content = result.get("structuredContent")
    assert isinstance(content, dict), f"no structuredContent: {result}"
    return content


def error_code(result: dict[str, Any]) -> str:
    assert result.get("isError") is True, f"expected a tool error: {result}"
    assert "structuredContent" not in result, "an error must not pose as the tool's output"
    code = str(result["_meta"]["gocoffee/error"]["code"])
    assert result["content"][0]["text"].startswith(f"{code}: ")
    return code


# ---- stdio ---------------------------------------------------------------------------------------------


def test_stdio_menu_tools_are_listed_with_schemas_and_read_only_annotations(tmp_path: Path) -> None:
    tools = {t["name"]: t for t in stdio("menu", tmp_path, "--method", "tools/list")["tools"]}
    assert {"list_menu_items", "get_menu_item"} <= set(tools)
    for name in ("list_menu_items", "get_menu_item"):
        tool = tools[name]
        assert tool["inputSchema"]["type"] == "object", name
        assert tool["outputSchema"]["type"] == "object", name
        assert tool["annotations"]["readOnlyHint"] is True, name
    assert tools["get_menu_item"]["inputSchema"]["required"] == ["item_id"]


def test_stdio_get_menu_item_prices_every_size_in_integer_cents(tmp_path: Path) -> None:
    item = ok(stdio("menu", tmp_path, *call_args("get_menu_item", item_id="latte")))
    assert item["id"] == "latte"
    prices = {p["size"]: p["price_cents"] for p in item["prices"]}
    assert set(prices) == {"small", "medium", "large"}
    for cents in prices.values():
        assert type(cents) is int and cents > 0
    assert prices["small"] < prices["medium"] < prices["large"]


def test_stdio_list_menu_items_converts_boolean_and_list_arguments(tmp_path: Path) -> None:
    args = call_args("list_menu_items", vegan="true", without_allergens=["soy"], category="tea")
    items = ok(stdio("menu", tmp_path, *args))["items"]
    assert items, "expected some vegan teas in the seeded menu"
    for item in items:
        assert item["vegan"] is True and item["category"] == "tea", item
        assert "soy" not in item["allergens"], item


def test_stdio_customer_builds_a_cart_across_server_processes(tmp_path: Path) -> None:
    cart = ok(stdio("orders", tmp_path, *call_args("create_cart", location_id="downtown"), as_="customer:c1"))
    assert cart["state"] == "draft" and cart["customer_id"] == "c1" and cart["lines"] == []
    order_id = cart["order_id"]

    args = call_args("add_order_line", order_id=order_id, item_id="croissant", quantity=2)
    order = ok(stdio("orders", tmp_path, *args, as_="customer:c1"))
    assert order["order_id"] == order_id
    [line] = order["lines"]
    assert line["item_id"] == "croissant" and line["quantity"] == 2
    assert line["line_total_cents"] == 2 * line["unit_price_cents"] > 0
    assert order["total_cents"] == line["line_total_cents"]

    again = ok(stdio("orders", tmp_path, *call_args("get_order", order_id=order_id), as_="customer:c1"))
    assert [ln["item_id"] for ln in again["lines"]] == ["croissant"]


def test_stdio_customer_may_not_read_stock(tmp_path: Path) -> None:
    result = stdio("inventory", tmp_path, *call_args("get_stock", location_id="campus"), as_="customer:c1")
    assert error_code(result) == "forbidden"


def test_stdio_create_order_without_idempotency_key_is_refused(tmp_path: Path) -> None:
    lines = [{"item_id": "latte", "size": "small", "quantity": 1, "milk": "oat", "extras": []}]
    result = stdio("orders", tmp_path, *call_args("create_order", location_id="downtown", lines=lines),
                   as_="customer:c1")
    assert error_code(result) == "idempotency_key_required"


def test_stdio_staff_reads_stock_levels(tmp_path: Path) -> None:
    stock = ok(stdio("inventory", tmp_path, *call_args("get_stock", location_id="campus"), as_="staff:s1"))
    levels = stock["levels"]
    assert levels, "expected seeded stock at campus"
    assert {lv["location_id"] for lv in levels} == {"campus"}
    for lv in levels:
        assert lv["ingredient_id"] and type(lv["quantity"]) is int


# ---- streamable HTTP -----------------------------------------------------------------------------------


def _start_http(domain: str, data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([str(GOCOFFEE), "mcp", "serve", domain, "--transport", "http", "--port", str(port)],
                            env=_env(GOCOFFEE_DATA_DIR=str(data_dir)), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/mcp"
    deadline = time.monotonic() + 30
    while True:
        if proc.poll() is not None:
            stderr = proc.stderr.read().decode() if proc.stderr else ""
            raise AssertionError(f"{domain} server exited with {proc.returncode}:\n{stderr}")
        try:
            httpx.get(url, timeout=1)  # any HTTP answer (400 for a bare GET) means it is serving
            return proc, url
        except httpx.TransportError:
            if time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"{domain} server did not answer on {url} within 30 s") from None
            time.sleep(0.2)


@pytest.fixture(scope="module")
def http_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    procs: list[subprocess.Popen[bytes]] = []
    urls: dict[str, str] = {}
    try:
        for domain in ("menu", "orders"):
            proc, urls[domain] = _start_http(domain, tmp_path_factory.mktemp(f"http-{domain}"))
            procs.append(proc)
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
            if proc.stderr:
                proc.stderr.close()


def test_http_tools_list_on_orders_and_menu(http_urls: dict[str, str]) -> None:
    orders = {t["name"]: t for t in
              inspector(http_urls["orders"], "--transport", "http", "--method", "tools/list")["tools"]}
    assert {"create_cart", "add_order_line", "create_order", "get_order", "advance_order"} <= set(orders)
    assert orders["create_order"]["annotations"]["readOnlyHint"] is False
    assert orders["create_order"]["_meta"]["gocoffee/idempotencyKeyRequired"] is True
    assert "customer" not in orders["advance_order"]["_meta"]["gocoffee/roles"]

    menu = {t["name"] for t in
            inspector(http_urls["menu"], "--transport", "http", "--method", "tools/list")["tools"]}
    assert {"list_menu_items", "get_menu_item"} <= menu
    assert not menu & set(orders), "each domain server lists only its own tools"


def test_http_get_menu_item(http_urls: dict[str, str]) -> None:
    args = call_args("get_menu_item", item_id="latte")
    item = ok(inspector(http_urls["menu"], "--transport", "http", *args))
    assert item["id"] == "latte" and item["name"] == "Latte"
    assert {p["size"] for p in item["prices"]} == {"small", "medium", "large"}
    assert all(type(p["price_cents"]) is int for p in item["prices"])
