"""Voice over HTTP: a spoken turn in (16 kHz mono WAV, as a multipart field `audio` or a raw audio/wav body), the
transcript, the reply and the reply spoken out."""

from __future__ import annotations

from fastapi import APIRouter, Request

from channels.rest.deps import PrincipalDep, ServingDep
from channels.rest.throttle import limit
from channels.voice.audio import MAX_SECONDS, RATE
from channels.voice.turns import VoiceTurnOut
from tools.errors import InvalidInput, NotConfigured

router = APIRouter(prefix="/api/v1/voice", tags=["voice"])
MAX_BYTES = int(MAX_SECONDS * RATE * 2) + 64 * 1024
"""Thirty seconds of 16 kHz 16-bit speech, and room for a multipart envelope."""


async def _audio(request: Request) -> bytes:
    kind = request.headers.get("content-type", "")
    if kind.startswith("multipart/form-data"):
        form = await request.form()
        field = form.get("audio")
        if field is None or isinstance(field, str):
            raise InvalidInput("send the recording as the multipart field `audio`")
        return await field.read()
    if kind.split(";")[0].strip() in ("audio/wav", "audio/x-wav", "audio/wave"):
        return await request.body()
    raise InvalidInput("send audio/wav, or multipart/form-data with the field `audio`", content_type=kind)


@router.post("/turns", response_model=VoiceTurnOut, summary="Say something: the transcript, the reply and the "
             "reply spoken (base64 WAV).", openapi_extra={"requestBody": {"required": True, "content": {
                 "audio/wav": {"schema": {"type": "string", "format": "binary"}},
                 "multipart/form-data": {"schema": {"type": "object", "required": ["audio"], "properties": {
                     "audio": {"type": "string", "format": "binary"}}}}}}})
async def voice_turn(request: Request, serving: ServingDep, principal: PrincipalDep) -> VoiceTurnOut:
    await limit(request, "chat", principal)
    if serving.voice is None:
        raise NotConfigured("voice is off on this platform (GOCOFFEE_VOICE)")
    return await serving.voice.turn(principal, await _audio(request))
