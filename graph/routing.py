"""Route a turn to an agent by the route hints in the agents' specs, without a model call when it is clear.

Scoring is plain word-boundary matching of each hint in the text (longer hints weigh more). A turn is
unambiguous when one reachable agent scores strictly highest, or when nothing scores and a conversation
is already under way (a follow-up such as "make that a large" stays with the active agent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.spec import AgentSpec
from tools.principal import Principal


@dataclass(frozen=True)
class Route:
    agent: str | None
    """None: the text alone does not decide; ask the model among `candidates`."""
    candidates: tuple[str, ...]


def reachable(agents: dict[str, AgentSpec], principal: Principal) -> dict[str, AgentSpec]:
    return {n: s for n, s in agents.items() if principal.role in s.audience}


def _score(spec: AgentSpec, text: str) -> int:
    return sum(len(h.split()) for h in spec.route_hints if re.search(rf"(?<!\w){re.escape(h)}(?!\w)", text))


def route(agents: dict[str, AgentSpec], principal: Principal, text: str, active: str | None) -> Route:
    options = reachable(agents, principal)
    if len(options) == 1:
        return Route(next(iter(options)), tuple(options))
    scores = {name: _score(spec, text.lower()) for name, spec in options.items()}
    best = max(scores.values())
    leaders = tuple(sorted(n for n, s in scores.items() if s == best))
    if best > 0 and len(leaders) == 1:
        return Route(leaders[0], leaders)
    if best == 0 and active in options:
        return Route(active, (active,))
    if active in leaders:
        return Route(active, leaders)
    return Route(None, leaders if best > 0 else tuple(sorted(options)))
