"""`gocoffee chat` and `gocoffee approvals`: the terminal channel, on a running platform the caller provides
(the thread is persisted like every other channel's)."""

from __future__ import annotations

import asyncio

from rich.console import Console

from channels.rest.approvals import Decision, decide
from channels.rest.deps import Serving
from tools.principal import Principal


async def chat_loop(serving: Serving, principal: Principal, console: Console) -> None:
    console.print(f"[bold]Go Coffee[/bold] chat as {principal.as_header()} — Ctrl-D or 'quit' to leave.")
    while True:
        try:
            text = (await asyncio.to_thread(console.input, "[bold cyan]you> [/bold cyan]")).strip()
        except EOFError:
            break
        if text.lower() in ("quit", "exit"):
            break
        if not text:
            continue
        reply = await serving.conversations.send(principal, text)
        for event in reply.tool_events:
            console.print(f"  [dim]{'✓' if event.ok else '✗'} {event.tool}[/dim]")
        console.print(f"[bold green]{reply.agent}>[/bold green] {reply.text}")


async def list_approvals(serving: Serving, principal: Principal, console: Console) -> None:
    listed = await serving.gateway.call("list_approvals", {}, principal=principal)
    for a in listed.model_dump()["approvals"]:
        console.print(f"{a['approval_id']}  {a['tool']} {a['arguments']}  for {a['requested_by']}")


async def decide_approval(serving: Serving, principal: Principal, approval_id: str, choice: Decision,
                          console: Console) -> None:
    decided = await decide(serving, principal, approval_id, choice)
    console.print(f"{decided.approval.status}: {decided.reply.text}")
