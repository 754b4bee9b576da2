"""`gocoffee chat`: a terminal conversation with the platform, thread persisted like every other channel's."""

from __future__ import annotations

import asyncio

from rich.console import Console

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
