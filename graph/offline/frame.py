"""The frame skill: any capability that declares how it is talked about (`Talk`) gets a conversation from its own
input model — fill the fields from the words (typed slot readers), ask for what is missing, say a change back and
wait for a clear yes, call, and reply from the capability's template. No code per capability."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from langchain_core.messages import AIMessage
from pydantic import ValidationError

from graph.offline.answers import explain
from graph.offline.context import Context
from graph.offline.parse import says_yes
from graph.offline.pending import FramePending
from graph.offline.reply import not_understood, say, use
from graph.offline.scan import has, tokenize
from graph.offline.slots import Heard, read, slot_of
from graph.offline.templates import Templates
from graph.offline.vocab import Vocabulary
from tools.registry import Capability, Talk, registry

SAY = Templates("common")

ABOUT = {"skill": "frame"}
LISTED = 12
"""At most this many items of a list are read out."""


class Template(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return key.replace("_", " ")


def recognises(vocab: Vocabulary, text: str) -> bool:
    """Frames are found among the tools a conversation offers, which the router does not know: never here."""
    return False


def reply(vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage | None:
    return respond(vocab, ctx, turn) if claims(vocab, ctx) else None


def claims(vocab: Vocabulary, ctx: Context) -> bool:
    """This turn is for a frame: its tool results, an answer to its question, or a request a capability's words
    name. A long turn that neither answers nor changes the pending frame is a new request, for whoever claims it."""
    if ctx.calls:
        return (ctx.about or {}).get("skill") == "frame"
    pending = _pending(ctx)
    if pending is not None:
        words = " ".join(tokenize(ctx.text))
        answered = _fill(registry.get(pending.tool), Heard(ctx.text, vocab, ctx.today), pending, pending.asking)
        if (answered.args != pending.args or says_yes(vocab, ctx.text) or has(words, vocab.words("deny"))
                or len(words.split()) <= 3):
            return True
    return _asked_for(ctx) is not None


def respond(vocab: Vocabulary, ctx: Context, turn: int) -> AIMessage:
    if ctx.calls:
        return _answer(ctx)
    pending, asked = _pending(ctx), _asked_for(ctx)
    heard = Heard(ctx.text, vocab, ctx.today)
    if pending is not None and (asked is None or asked.name == pending.tool):
        return _follow_up(vocab, ctx, registry.get(pending.tool), pending, heard, turn)
    if asked is None:
        return not_understood(SAY("not_caught"))
    return _next(ctx, asked, _fill(asked, heard, _defaults(vocab, asked, ctx)), turn)


def _pending(ctx: Context) -> FramePending | None:
    return ctx.pending if isinstance(ctx.pending, FramePending) else None


def _asked_for(ctx: Context) -> Capability | None:
    """The offered capability whose words the text says most of."""
    words = " ".join(tokenize(ctx.text))
    scored = [(sum(_says(words, a) for a in t.asks), c) for c, t in _talkative(ctx)
              if not any(_says(words, u) for u in t.unless)]
    best = max((score for score, _ in scored), default=0)
    return next((c for score, c in scored if score == best), None) if best else None


def _says(words: str, phrase: str) -> bool:
    return bool(re.search(rf"\b{re.escape(phrase)}\b", words))


def _talkative(ctx: Context) -> list[tuple[Capability, Talk]]:
    caps = [registry.get(n) for n in sorted(ctx.offered) if n in registry]
    return [(c, c.talk) for c in caps if c.talk]


def _defaults(vocab: Vocabulary, cap: Capability, ctx: Context) -> FramePending:
    """The person's own shop stands for a shop they do not name; "I", "me", "my" for the person field, when a staff
    member speaks ("when am I working next?")."""
    shops = [n for n, f in cap.input_model.model_fields.items() if (s := slot_of(f)) and s.kind == "shop"]
    args = {n: ctx.shop for n in shops if ctx.shop}
    shown = {n: vocab.menu.shops.get(v, v) for n, v in args.items()}
    me = ctx.principal.id if ctx.principal and ctx.principal.is_staff else None
    if me and has(" ".join(tokenize(ctx.text)), vocab.words("self")):
        for name in (n for n, f in cap.input_model.model_fields.items() if (s := slot_of(f)) and s.kind == "person"):
            args[name], shown[name] = me, vocab.menu.people.get(me, me)
    return FramePending(tool=cap.name, args=args, shown=shown)


def _fill(cap: Capability, heard: Heard, frame: FramePending, only: str | None = None) -> FramePending:
    """The frame with every field the words name; then fields still missing from what was said before (an amount
    in litres is read once the ingredient, and so its unit, is known). A note is the first words, unless it is
    what was asked for (`only`)."""
    talk = _talk(cap)
    args, shown = dict(frame.args), dict(frame.shown)
    earlier = [replace(heard, text=t) for t in reversed(frame.said)]
    for words in (heard, *earlier):
        for name, info in cap.input_model.model_fields.items():
            slot = slot_of(info)
            if words is not heard and name in args or slot and slot.kind in ("text", "title", "message") and (
                    name in args or only not in (None, name)):
                continue
            found = read(info, words, talk, args, args.get(name))
            if found is not None:
                args[name], shown[name] = found.value, found.shown or str(found.value)
    return frame.model_copy(update={"args": args, "shown": shown, "asking": None, "said": [*frame.said, heard.text][-8:]})


def _talk(cap: Capability) -> Talk:
    """A frame's capability always declares one (only those are offered to frames); the plain default is for
    a pending frame whose capability no longer does."""
    return cap.talk or Talk(asks=(), done="Done.")


def _missing(cap: Capability, frame: FramePending) -> str | None:
    return next((n for n, f in cap.input_model.model_fields.items() if f.is_required() and n not in frame.args), None)


def _next(ctx: Context, cap: Capability, frame: FramePending, turn: int) -> AIMessage:
    """Ask for the first missing field; else say a change back for a yes; else call."""
    talk = _talk(cap)
    missing = _missing(cap, frame)
    if missing:
        question = talk.questions.get(missing) or _question(cap, missing)
        return say(question.format_map(Template(frame.shown)),
                   frame.model_copy(update={"asking": missing}))
    try:
        cap.input_model.model_validate(frame.args)
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = str(problem["loc"][0]).replace("_", " ") if problem["loc"] else "that"
        return say(SAY("not_right", field=field, problem=problem["msg"].lower()))
    if not cap.mutating:
        return use(turn, (cap.name, frame.args), about=ABOUT)
    shown = Template(frame.shown)
    shown["parts"] = "".join(p.format_map(shown) for name, p in talk.parts.items() if name in frame.args)
    text = (talk.confirm or SAY("shall_i", summary=cap.summary[:1].lower() + cap.summary[1:].rstrip("."))).format_map(
        shown)
    return say(text, frame)


def _question(cap: Capability, name: str) -> str:
    info = cap.input_model.model_fields[name]
    slot = slot_of(info)
    if slot and slot.kind == "shop":
        return SAY("which_shop")
    return SAY("what_field", field=(info.description or name.replace("_", " ")).rstrip(".").lower())


def _follow_up(vocab: Vocabulary, ctx: Context, cap: Capability, frame: FramePending, heard: Heard, turn: int
               ) -> AIMessage:
    words = " ".join(tokenize(ctx.text))
    if frame.asking is None and says_yes(vocab, ctx.text):
        return use(turn, (cap.name, frame.args), about=ABOUT)
    changed = _fill(cap, heard, frame, only=frame.asking)
    if changed.args != frame.args:  # an answer, or a correction ("no, 3 litres")
        return _next(ctx, cap, changed, turn)
    if has(words, vocab.words("deny")) and not heard.text.strip().endswith("?"):
        return say(SAY("nothing_changed"))
    if frame.asking is None:
        return say(SAY("clear_yes"), frame)
    return _next(ctx, cap, changed, turn)


def _answer(ctx: Context) -> AIMessage:
    last = ctx.calls[-1]
    if not last["ok"]:
        return say(explain(last["error"]))
    cap = registry.get(last["name"])
    talk = _talk(cap)
    result = last["result"] if isinstance(last["result"], dict) else {}
    counts = {f"{k}_count": len(v) for k, v in result.items() if isinstance(v, list)}  # "{dispatched_count} sent"
    items = next((v for v in result.values() if isinstance(v, list)), [])
    if talk.each and talk.empty and not items:
        return say(talk.empty.format_map(Template({**last["args"], **result})))
    shown = [talk.each.format_map(Template(i)) for i in items[:LISTED] if isinstance(i, dict)] if talk.each else []
    more = [SAY("and_more", more=len(items) - LISTED)] if talk.each and len(items) > LISTED else []
    listed = "; ".join(shown + more)
    return say(talk.done.format_map(Template({**last["args"], **result, **counts, "listed": listed})))
