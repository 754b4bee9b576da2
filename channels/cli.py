"""`gocoffee chat`: a terminal conversation with the platform, thread persisted like every other channel's."""

from __future__ import annotations

import asyncio

from rich.console import Console

from channels.approvals import Decision, decide
from gocoffee.bootstrap import Platform, running
from tools.principal import Principal


async def chat_loop(platform: Platform, principal: Principal, console: Console) -> None:
    console.print(f"[bold]Go Coffee[/bold] chat as {principal.as_header()} — Ctrl-D or 'quit' to leave.")
    async with running(platform):
        while True:
            try:
                text = (await asyncio.to_thread(console.input, "[bold cyan]you> [/bold cyan]")).strip()
            except EOFError:
                break
            if text.lower() in ("quit", "exit"):
                break
            if not text:
                continue
            reply = await platform.chat().send(principal, text)
            for event in reply.tool_events:
                console.print(f"  [dim]{'✓' if event.ok else '✗'} {event.tool}[/dim]")
            console.print(f"[bold green]{reply.agent}>[/bold green] {reply.text}")


async def list_approvals(platform: Platform, principal: Principal) -> None:
    console = Console()
    async with running(platform):
        listed = await platform.gateway.call("list_approvals", {}, principal=principal)
    for a in listed.model_dump()["approvals"]:
        console.print(f"{a['approval_id']}  {a['tool']} {a['arguments']}  for {a['requested_by']}")


async def decide_approval(platform: Platform, principal: Principal, approval_id: str, choice: Decision) -> None:
    async with running(platform):
        decided = await decide(platform, principal, approval_id, choice)
    Console().print(f"{decided.approval.status}: {decided.reply.text}")
