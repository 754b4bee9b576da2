"""The `gocoffee` command: serve the platform, run one MCP server, migrate and seed the store."""

from __future__ import annotations

import asyncio
import base64
import ipaddress
import logging
from collections.abc import Awaitable, Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from evals.cli import app as eval_app
from gocoffee.bootstrap import Platform, Running, build_platform, prepare_store, running
from gocoffee.settings import Settings
from gocoffee.telegram_cli import app as telegram_app
from gocoffee.users_cli import app as users_app
from gocoffee.users_cli import token_command
from tools.errors import DomainError, InvalidInput
from tools.principal import GUEST, Principal

app = typer.Typer(help="Go Coffee: an agent-native coffee-chain platform.", no_args_is_help=True)
mcp_app = typer.Typer(help="Run one domain's MCP server on its own.", no_args_is_help=True)
app.add_typer(mcp_app, name="mcp")
app.add_typer(eval_app, name="eval")
app.add_typer(users_app, name="users")
app.add_typer(telegram_app, name="telegram")
app.command("token")(token_command)


class Transport(StrEnum):
    STDIO = "stdio"
    HTTP = "http"


def _quiet() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("mcp", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _on_platform(work: Callable[[Running], Awaitable[None]]) -> None:
    """Run `work` on the platform running in this process (no kitchen or chain loops: a command, not a server)."""
    async def go() -> None:
        async with running(build_platform(Settings())) as platform:
            await work(platform)

    asyncio.run(go())


async def _prepare(platform: Platform) -> None:
    """Ready the store, then drop the connections: the server runs on an event loop of its own."""
    await prepare_store(platform)
    await platform.db.dispose()


@app.command()
def serve(host: Annotated[str | None, typer.Option(help="Bind address.")] = None,
          port: Annotated[int | None, typer.Option(help="Port (default GOCOFFEE_PORT or 8000).")] = None) -> None:
    """Migrate and seed the store, then serve REST (/api/v1), MCP (/mcp/<domain>) and /healthz."""
    import uvicorn

    from gocoffee.app import create_app

    settings = Settings()
    if settings.dev_auth and not is_loopback(host or settings.host):
        raise InvalidInput(f"refusing to serve on {host or settings.host} with the development identity header on "
                           "(anyone could say they are a manager): set GOCOFFEE_DEV_AUTH=false", host=host)
    _quiet()
    typer.echo(f"Go Coffee on http://{host or settings.host}:{port or settings.port}  (store: {settings.db_url()})")
    uvicorn.run(create_app(settings), host=host or settings.host, port=port or settings.port, log_level="warning")


@app.command()
def migrate() -> None:
    """Apply migrations and seed an empty store, then exit."""
    platform = build_platform(Settings())
    asyncio.run(_prepare(platform))
    typer.echo(f"store ready: {platform.settings.db_url()}")


@app.command()
def chat(as_: Annotated[str, typer.Option("--as", help="Who you are: customer:<id>, staff:<id>[@shop]…")]
         = "customer:guest-1") -> None:
    """Chat in the terminal (offline engine by default; GOCOFFEE_MODEL picks another)."""
    from rich.console import Console

    from channels.cli import chat_loop

    _quiet()
    who = Principal.parse(as_)
    _on_platform(lambda r: chat_loop(r, who, Console()))


@app.command()
def voice(in_: Annotated[Path, typer.Option("--in", help="A 16 kHz mono WAV of what you say.", exists=True,
                                            dir_okay=False)],
          as_: Annotated[str, typer.Option("--as", help="Who you are, e.g. customer:c1@downtown.")] = "customer:guest-1",
          out: Annotated[Path | None, typer.Option(help="Write the spoken reply here (WAV).")] = None) -> None:
    """One spoken turn from a file: what was heard, the reply, and (with --out) the reply spoken."""
    _quiet()
    who = Principal.parse(as_)

    async def work(platform: Running) -> None:
        if platform.voice is None:
            raise InvalidInput("voice is off (GOCOFFEE_VOICE=off)")
        answer = await platform.voice.turn(who, in_.read_bytes())
        typer.echo(f"heard: {answer.transcript!r}" + ("" if answer.heard else " (not sure: nothing done)"))
        typer.echo(f"{answer.reply.agent if answer.reply else 'voice'}> {answer.text}")
        if out is not None:
            out.write_bytes(base64.b64decode(answer.audio_wav))
            typer.echo(f"spoken reply: {out}")

    _on_platform(work)


approvals_app = typer.Typer(help="Agent actions waiting for a human.", no_args_is_help=True)
app.add_typer(approvals_app, name="approvals")
AsOption = Annotated[str, typer.Option("--as", help="The deciding staff member, e.g. manager:m1.")]


@approvals_app.command("list")
def approvals_list(as_: AsOption = "manager:cli") -> None:
    """List pending approvals."""
    from rich.console import Console

    from channels.cli import list_approvals

    _quiet()
    who = Principal.parse(as_)
    _on_platform(lambda r: list_approvals(r, who, Console()))


@approvals_app.command("decide")
def approvals_decide(
    approval_id: str, decision: Annotated[str, typer.Argument(help="approve, edit or reject")],
    arguments: Annotated[str | None, typer.Option(help="JSON arguments, with edit.")] = None,
    note: Annotated[str | None, typer.Option()] = None, as_: AsOption = "manager:cli",
) -> None:
    """Decide a pending approval; the paused conversation continues."""
    import json

    from rich.console import Console

    from channels.cli import decide_approval
    from channels.rest.approvals import Decision

    _quiet()
    try:
        choice = Decision(decision=decision, arguments=json.loads(arguments) if arguments else None, note=note)
    except ValueError as exc:  # bad JSON, or a decision that is not approve/edit/reject
        raise InvalidInput(f"cannot decide that way: {exc}".splitlines()[0]) from exc
    who = Principal.parse(as_)
    _on_platform(lambda r: decide_approval(r, who, approval_id, choice, Console()))


devices_app = typer.Typer(help="Coffee machines over MQTT.", no_args_is_help=True)
app.add_typer(devices_app, name="devices")


@devices_app.command("simulate")
def devices_simulate(
    location: Annotated[str, typer.Option(help="Shop id, e.g. downtown.")],
    machines: Annotated[int, typer.Option(min=1, max=5000)] = 3,
    mqtt_url: Annotated[str | None, typer.Option(help="Broker; default GOCOFFEE_MQTT_URL.")] = None,
    time_scale: Annotated[float, typer.Option(help="Durations ×this (0.01 = a hundred times faster).")] = 1.0,
    jam_rate: Annotated[float, typer.Option(min=0.0, max=1.0)] = 0.0,
    seed: int = 0,
) -> None:
    """Run simulated coffee machines that speak the Go Coffee MQTT protocol."""
    from devices.machine import MachineConfig
    from devices.simulator import Broker, simulate

    _quiet()
    url = mqtt_url or Settings().mqtt_url or "mqtt://127.0.0.1:1883"
    config = MachineConfig(time_scale=time_scale, jam_rate=jam_rate, seed=seed)
    asyncio.run(simulate(Broker.parse(url), location, machines, config))


@mcp_app.command("serve")
def mcp_serve(
    domain: Annotated[str, typer.Argument(help="menu, orders, inventory, kitchen, payments, wallet, dao, approvals, scheduling, tasks or notifications.")],
    transport: Annotated[Transport, typer.Option(help="stdio or streamable HTTP.")] = Transport.STDIO,
    as_: Annotated[str | None, typer.Option("--as", help="Default principal, e.g. customer:c1.")] = None,
    port: Annotated[int, typer.Option(help="HTTP port.")] = 8100,
) -> None:
    """Serve one domain's tools over stdio (for MCP clients that spawn it) or streamable HTTP, as a local
    operator: every call acts for --as (default: a guest). Loopback only; `gocoffee serve`'s /mcp/<domain> is the
    signed-in server for everyone else."""
    from mcp_servers.factory import build_server

    _quiet()
    settings = Settings()
    if transport != Transport.STDIO and not is_loopback(settings.host):
        raise typer.BadParameter("an operator's MCP server listens on a loopback address only; use `gocoffee "
                                 "serve` (signed-in callers) beyond this machine", param_hint="GOCOFFEE_HOST")
    platform = build_platform(settings)
    if domain not in platform.servers:
        raise typer.BadParameter(f"choose one of {', '.join(platform.servers)}", param_hint="domain")
    default = Principal.parse(as_) if as_ else GUEST
    server = build_server(platform.registry, domain, platform.runtime, default)
    asyncio.run(_prepare(platform))
    if transport == Transport.STDIO:
        server.run("stdio")
    else:
        server.run("streamable-http", host=settings.host, port=port, streamable_http_path="/mcp")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def main() -> None:
    """The `gocoffee` command. A refusal (the domain error tree) is one line on stderr and exit status 2;
    anything unexpected keeps its traceback."""
    try:
        app()
    except DomainError as exc:
        typer.echo(f"gocoffee: {exc.message}", err=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
