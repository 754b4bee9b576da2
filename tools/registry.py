"""The capability registry: one typed async function per capability, plus what callers must know about it.

A capability is `async def verb_noun(ctx: ToolContext, cmd: InputModel) -> OutputModel`. Its docstring is
the tool description; the decorator records roles and the mutating / idempotent / needs-approval flags.
MCP servers, the REST facade and agents are all derived from these records.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, get_type_hints

from pydantic import BaseModel

from tools.context import ToolContext
from tools.principal import Role


@dataclass(frozen=True)
class Rest:
    """How the REST facade serves a capability: path fields come from the path, the rest from the query string
    (GET, DELETE) or the JSON body (POST, PATCH)."""

    method: Literal["GET", "POST", "PATCH", "DELETE"]
    path: str
    status: int = 200


@dataclass(frozen=True)
class Internal:
    """Not served by the generated REST routes, and why (another surface serves it, or only the platform calls it)."""

    reason: str


@dataclass(frozen=True)
class Talk:
    """How a conversation asks for a capability, for the offline engine's frames: the words that ask for it, a
    mutating call's read-back before the yes, the reply, and questions for missing fields. Templates name the
    command's fields (shown as the person would say them) and, in `done`, the output's fields too."""

    asks: tuple[str, ...]
    done: str
    confirm: str | None = None
    questions: dict[str, str] = field(default_factory=dict, hash=False)
    values: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    """Words for a choice field's values: {"collected": ("picked up",)}."""
    negative: tuple[str, ...] = ()
    """Words that make an amount a removal ("wasted 2 litres" is -2000 ml)."""
    unless: tuple[str, ...] = ()
    """Words that mean a request is for something else ("brew order 5 on machine m1" is a machine's job)."""
    each: str | None = None
    """How one item of a list result reads ("{day} {start}-{end} {role}: {staff_name}"); `done` shows them as
    {listed}."""
    empty: str | None = None
    """The reply when that list is empty."""
    parts: dict[str, str] = field(default_factory=dict, hash=False)
    """Phrases for optional fields, said back only when given: `confirm` shows those given as {parts}
    ({"due_time": " by {due_time}"})."""


In = TypeVar("In", bound=BaseModel)
Out = TypeVar("Out", bound=BaseModel)
CapabilityFn = Callable[[ToolContext, Any], Awaitable[Any]]


@dataclass(frozen=True)
class Capability:
    name: str
    domain: str
    fn: CapabilityFn
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    roles: frozenset[Role]
    mutating: bool
    idempotent: bool
    needs_approval: bool
    repeatable: bool = False
    """The same arguments again later are a new request (send 2 COFFEE twice), not a retry of the first."""
    rest: Rest | Internal | None = None
    """Declared beside the capability; a test fails for one that is neither routed nor internal."""
    talk: Talk | None = None

    @property
    def description(self) -> str:
        return inspect.cleandoc(self.fn.__doc__ or self.name)

    @property
    def summary(self) -> str:
        return self.description.splitlines()[0]


class Registry:
    """All capabilities by name; a name is unique across domains."""

    def __init__(self) -> None:
        self._caps: dict[str, Capability] = {}

    def add(self, cap: Capability) -> None:
        if cap.name in self._caps:
            raise ValueError(f"capability {cap.name!r} registered twice")
        self._caps[cap.name] = cap

    def get(self, name: str) -> Capability:
        return self._caps[name]

    def __contains__(self, name: object) -> bool:
        return name in self._caps

    def __iter__(self) -> Iterator[Capability]:
        return iter(self._caps.values())

    def domains(self) -> list[str]:
        return sorted({c.domain for c in self._caps.values()})

    def in_domain(self, domain: str) -> list[Capability]:
        return [c for c in self._caps.values() if c.domain == domain]


registry = Registry()


def capability(
    *,
    domain: str,
    roles: Iterable[Role],
    mutating: bool = False,
    idempotent: bool = False,
    needs_approval: bool = False,
    repeatable: bool = False,
    rest: Rest | Internal | None = None,
    talk: Talk | None = None,
) -> Callable[[Callable[[ToolContext, In], Awaitable[Out]]], Callable[[ToolContext, In], Awaitable[Out]]]:
    """Register a capability. `idempotent=True` means callers must send an idempotency key."""

    def decorate(fn: Callable[[ToolContext, In], Awaitable[Out]]) -> Callable[[ToolContext, In], Awaitable[Out]]:
        hints = get_type_hints(fn)
        params = list(inspect.signature(fn).parameters)
        if len(params) != 2:
            raise TypeError(f"{fn.__name__} must take (ctx, cmd)")
        registry.add(
            Capability(
                name=fn.__name__,
                domain=domain,
                fn=fn,
                input_model=hints[params[1]],
                output_model=hints["return"],
                roles=frozenset(roles),
                mutating=mutating,
                idempotent=idempotent,
                needs_approval=needs_approval,
                repeatable=repeatable,
                rest=rest,
                talk=talk,
            )
        )
        return fn

    return decorate
