"""A spoken turn: heard offline, said to the same conversation as typing would be, and answered in speech.

What the recogniser listens for comes from the live menu and shops (refreshed every minute) and from the answers
the person's last reply offered. An unsure hearing is not guessed at: the person is asked to say it again and the
conversation does not move. The read-back before placing an order stays the conversation's own."""

from __future__ import annotations

import asyncio
import base64
import time
from dataclasses import replace
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from channels.voice.audio import samples_of
from channels.voice.ears import AGAIN, Ears, Heard, Hints, spoken_numbers
from channels.voice.mouth import EspeakMouth, Voice
from channels.voice.snap import EVERYDAY, snap
from graph.app import Conversations
from graph.events import Reply
from mcp_servers.gateway import Gateway
from tools.principal import GUEST, Principal

MENU_FOR = 60.0


def names_of(hints: Hints) -> tuple[str, ...]:
    """What a misheard word may really be: the menu's names, and their distinctive words ("croissant")."""
    words = {w for name in hints.items for w in name.split() if len(w) >= 5 and w.lower() not in EVERYDAY}
    return (*hints.items, *sorted(words))


class VoiceTurnOut(BaseModel):
    transcript: str = Field(description="What was heard (empty if nothing was).")
    heard: bool = Field(description="Whether it was clear enough to act on; if not, nothing changed and the "
                        "reply asks to say it again.")
    confidence: float
    text: str = Field(description="The reply, as words.")
    reply: Reply | None = Field(default=None, description="The conversation's reply, when the turn was heard.")
    audio_wav: str = Field(description="The reply spoken: a WAV file, base64.")


class VoiceTurns:
    def __init__(self, conversations: Conversations, gateway: Gateway, ears: Ears,
                 mouth: EspeakMouth | None = None) -> None:
        self.conversations, self.gateway, self.ears = conversations, gateway, ears
        self.mouth = mouth or EspeakMouth()
        self._vocabulary: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
        self._read_at = -MENU_FOR

    async def vocabulary(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The menu's items by name, and the shops by name and id ("downtown")."""
        if time.monotonic() - self._read_at >= MENU_FOR:
            menu = (await self.gateway.call("list_menu_items", {}, principal=GUEST)).model_dump()
            shops = (await self.gateway.call("list_locations", {}, principal=GUEST)).model_dump()
            extras = [m["name"] for i in menu["items"] for m in await self._modifiers(i["id"])]
            items = tuple(dict.fromkeys([*(str(i["name"]) for i in menu["items"]), *extras]))
            places = tuple(dict.fromkeys(str(s[k]) for s in shops["locations"] for k in ("name", "id")))
            self._vocabulary, self._read_at = (items, places), time.monotonic()
        return self._vocabulary

    async def _modifiers(self, item_id: str) -> list[dict[str, Any]]:
        detail = (await self.gateway.call("get_menu_item", {"item_id": item_id}, principal=GUEST)).model_dump()
        return [*detail["milks"], *detail["extras"]]

    async def hints(self, principal: Principal, thread_id: str | None = None) -> Hints:
        items, shops = await self.vocabulary()
        return Hints(items=items, shops=shops, expected=tuple(await self.conversations.offered(principal, thread_id)))

    async def hear(self, principal: Principal, wav: bytes, thread_id: str | None = None) -> Heard:
        samples = samples_of(wav)
        return await asyncio.to_thread(self._hear, samples, await self.hints(principal, thread_id))

    def _hear(self, samples: np.ndarray, hints: Hints) -> Heard:
        """The recogniser's words, repaired the same way whichever recogniser wrote them: homophones of numbers,
        and non-words that sound like the menu."""
        heard = self.ears.hear(samples, hints)
        return replace(heard, text=snap(spoken_numbers(heard.text, hints), names_of(hints)))

    async def turn(self, principal: Principal, wav: bytes, thread_id: str | None = None,
                   voice: Voice | None = None) -> VoiceTurnOut:
        heard = await self.hear(principal, wav, thread_id)
        reply = await self.conversations.send(principal, heard.text, thread_id) if heard.sure else None
        text = reply.text if reply is not None else AGAIN
        audio = await self.mouth.speak(text, voice)
        return VoiceTurnOut(transcript=heard.text, heard=heard.sure, confidence=round(heard.confidence, 3),
                            text=text, reply=reply, audio_wav=base64.b64encode(audio).decode())
