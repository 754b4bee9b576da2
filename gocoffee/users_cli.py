"""`gocoffee users`: accounts an operator makes on this machine (staff and managers; customers register)."""

from __future__ import annotations

from typing import Annotated

import typer

from gocoffee.bootstrap import Running
from tools.errors import InvalidInput
from tools.principal import Principal, Role

app = typer.Typer(help="Sign-in accounts for staff and managers.", no_args_is_help=True)


async def create(platform: Running, email: str, role: Role, user_id: str, location: str | None) -> str:
    if role not in (Role.STAFF, Role.MANAGER):
        raise InvalidInput("an operator creates staff and manager accounts; customers register themselves")
    if role == Role.STAFF and not location:
        raise InvalidInput("a staff account needs --location, the shop they act for")
    return await platform.accounts.create_user(email, role, user_id, location)


@app.command("create")
def create_command(
    email: str, role: Annotated[Role, typer.Option(help="staff or manager.")],
    user_id: Annotated[str, typer.Option("--id", help="Their staff id (staff:<id>), e.g. ben.")],
    location: Annotated[str | None, typer.Option(help="Staff: the shop they act for.")] = None,
) -> None:
    """Create an account and print its one-time password once (hand it over; they change it at first sign-in)."""
    from gocoffee.cli import _on_platform

    async def work(platform: Running) -> None:
        password = await create(platform, email, role, user_id, location)
        who = f"{role.value}:{user_id}" + (f"@{location}" if location else "")
        typer.echo(f"{who} <{email}>: one-time password {password}")

    _on_platform(work)


@app.command("reset")
def reset_command(email: str) -> None:
    """A new one-time password for an account (locked out, or a lost password): unlocks it, ends its sessions."""
    from gocoffee.cli import _on_platform

    async def work(platform: Running) -> None:
        password = await platform.accounts.reset_password(email, "operator")
        typer.echo(f"<{email}>: one-time password {password}")

    _on_platform(work)


@app.command("service")
def service_command(
    client_id: str,
    scope: Annotated[list[str] | None, typer.Option(help="act_as: may act for anyone (eval runners, a remote "
                                                        "gateway). Repeatable.")] = None,
) -> None:
    """A service client (machines, integrations, eval runners); prints its secret once. It signs in at
    POST /api/v1/auth/client-token."""
    from gocoffee.cli import _on_platform

    async def work(platform: Running) -> None:
        secret = await platform.accounts.create_service(client_id, scope or [])
        typer.echo(f"service:{client_id}: client secret {secret}")

    _on_platform(work)


def token_command(
    as_: Annotated[str, typer.Option("--as", help="For whom, e.g. customer:c42 or staff:s1@downtown.")],
    header: Annotated[bool, typer.Option(help="Print it as an `Authorization: Bearer …` header.")] = False,
) -> None:
    """Print an access token for anyone (an operator on this machine, like the terminal's --as), for curl and MCP
    clients; valid for GOCOFFEE_ACCESS_TOKEN_MINUTES. People sign in at /api/v1/auth/token instead."""
    import asyncio

    from gocoffee.bootstrap import build_platform, prepare_store
    from gocoffee.settings import Settings

    async def make() -> str:
        platform = build_platform(Settings())
        try:
            await prepare_store(platform)
            return (await platform.accounts.operator_token(Principal.parse(as_))).access_token
        finally:
            await platform.db.dispose()

    token = asyncio.run(make())
    typer.echo(f"Authorization: Bearer {token}" if header else token)


@app.command("rotate-keys")
def rotate_keys_command() -> None:
    """A new key signs access tokens from now on; the old ones keep verifying until their tokens expire (nobody
    is signed out). Servers pick it up within a minute."""
    from gocoffee.cli import _on_platform

    async def work(platform: Running) -> None:
        typer.echo(f"signing with key {await platform.accounts.rotate_keys()}")

    _on_platform(work)
