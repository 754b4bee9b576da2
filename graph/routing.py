"""Route a turn to an agent without a model call when the words are clear.

A small classifier is trained at start-up on every agent's example requests and route hints, and on the requests
it has learned (`agents/routing_learned.toml`: the tuned part of the routing tables) — word and character n-grams
into a linear SVM, so typos and unseen phrasings still land; it trains in well under a second. A class of its own learns the turns that only answer or continue what was asked ("yes", "2", "make
it large", "at harbor"): those stay with the active agent. A clear request for another agent leaves the active
one. When two agents are about equally likely the decision is left to the caller (the model, or a question).
"""

from __future__ import annotations

import hashlib
import math
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.svm import LinearSVC

from agents.spec import AgentSpec
from tools.principal import Principal

FOLLOW_UP = "~follow_up"
FALLBACK_AGENT = "barista"
"""Who answers what no agent clearly owns (everyone may talk to the barista)."""
SHARPNESS = 8.0
"""How peaked the scores are; with CHARS chosen by `python -m evals.language.crossval` (leaving each routing batch
out in turn: 0.957 of the tuned part at 4.0 and (2, 5), 0.966 here; 0.961 once RIVAL keeps near-equal agents torn)."""
CHARS = (1, 4)
C = 1.0
"""The linear model's regularisation (smaller: smoother)."""
CLEAR = 0.45
"""A best agent at least this likely is taken."""
MARGIN = 0.15
"""…or one this far ahead of the next."""
RIVAL = 0.75
"""…but not when the next is nearly as likely (this share of the best): two agents that learned the same words are
torn, however peaked the scores."""
LEAVE = 0.999
"""An answer to the active agent's question leaves it only for an agent at least this likely (on scores sharpened by
SHARPNESS: about what 0.97 was at 4)…"""
SHORT_ANSWER = 2
"""…and never when it is this many words or fewer ("soy" answers "Which ingredient?")."""


@dataclass(frozen=True)
class Route:
    agent: str | None
    """None: the text alone does not decide; ask (the model, or the person) among `candidates`."""
    candidates: tuple[str, ...]
    torn: bool = False
    """Two agents are about equally likely: if the model cannot tell either, the person is asked which."""


def reachable(agents: dict[str, AgentSpec], principal: Principal) -> dict[str, AgentSpec]:
    return {n: s for n, s in agents.items() if principal.role in s.audience}


class Classifier:
    def __init__(self, agents: dict[str, AgentSpec], follow_ups: list[str]) -> None:
        docs = [(text, name) for name, spec in agents.items()
                for text in [*spec.examples, *spec.learned, *spec.route_hints, spec.purpose, spec.about] if text]
        docs += [(text, FOLLOW_UP) for text in follow_ups]
        features = FeatureUnion([("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
                                 ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=CHARS, sublinear_tf=True))])
        self.model = make_pipeline(features, LinearSVC(C=C))
        self.model.fit([t.lower() for t, _ in docs], [label for _, label in docs])
        self.labels: list[str] = [str(c) for c in self.model.classes_]

    def scores(self, text: str) -> dict[str, float]:
        """Each label's share: a softmax over the linear model's decision values (sharpened by SHARPNESS)."""
        values = self.model.decision_function([text.lower()])[0]
        top = max(values)
        weights = [math.exp(SHARPNESS * (v - top)) for v in values]
        total = sum(weights)
        return {label: w / total for label, w in zip(self.labels, weights, strict=True)}


def _follow_ups() -> list[str]:
    data = tomllib.loads(resources.files("agents").joinpath("routing.toml").read_text(encoding="utf-8"))
    return [str(t) for t in data["follow_ups"]]



_TRAINED: dict[str, Classifier] = {}


def classifier(agents: dict[str, AgentSpec]) -> Classifier:
    """One classifier per set of specs (by what it learns from), trained on first use."""
    key = hashlib.sha256(repr(sorted((a.name, a.examples, a.learned, a.route_hints) for a in agents.values())).encode())
    found = _TRAINED.get(key.hexdigest())
    if found is None:
        found = _TRAINED[key.hexdigest()] = Classifier(agents, _follow_ups())
    return found


def route(agents: dict[str, AgentSpec], principal: Principal, text: str, active: str | None,
          asked: bool = False) -> Route:
    """`asked`: the active agent's last message asked something; an answer stays with it unless the turn is
    clearly a request for someone else."""
    options = reachable(agents, principal)
    if len(options) == 1:
        return Route(next(iter(options)), tuple(options))
    scores = classifier(agents).scores(text)
    ranked, best, second = _ranked(scores, list(agents))  # among every agent: a customer's words that read as
    mine = tuple(n for n in ranked if n in options)      # staff work are not the notifier's by elimination
    if scores[FOLLOW_UP] >= scores[ranked[0]]:  # an answer, a greeting, thanks: nothing to route by
        return Route(active, (active,)) if active in options else Route(None, mine)
    if ranked[0] not in options:  # likelier someone this person does not talk to: theirs, or the barista
        return Route(active if active in options else FALLBACK_AGENT if FALLBACK_AGENT in options else None, mine[:2])
    if asked and active in options and ranked[0] != active and (best < LEAVE or len(text.split()) <= SHORT_ANSWER):
        return Route(active, (active, ranked[0]))
    if (best >= CLEAR and second <= RIVAL * best) or best - second >= MARGIN:
        return Route(ranked[0], tuple(ranked[:2]))
    if active in ranked[:2]:
        return Route(active, tuple(ranked[:2]))
    if ranked[1] not in options and active in options:  # unclear, and only one of the two is theirs to ask about
        return Route(active, mine[:2])
    return Route(None, mine[:2], torn=ranked[1] in options)


def question(agents: dict[str, AgentSpec], candidates: tuple[str, ...]) -> str:
    """ "Is this about shifts or about stock?" """
    a, b = (agents[n].about or agents[n].title.lower() for n in candidates[:2])
    return f"Is this about {a} or about {b}?"


def answer_to_question(agents: dict[str, AgentSpec], text: str, options: list[str]) -> str | None:
    """Which of the agents asked about the answer means: the one whose `about` it names, else the one the
    classifier prefers among them by a clear margin; None if it says neither."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    named = [n for n in options if words & set(re.findall(r"[a-z]{4,}", (agents[n].about or agents[n].title).lower()))]
    if len(named) == 1:
        return named[0]
    ranked, best, second = _ranked(classifier(agents).scores(text), options)
    return ranked[0] if best - second >= MARGIN else None


def _ranked(scores: dict[str, float], options: list[str]) -> tuple[list[str], float, float]:
    """The options best first, and the two best's shares among them."""
    ranked = sorted(options, key=lambda n: scores[n], reverse=True)
    total = sum(scores[n] for n in options) or 1.0
    best, second = (scores[n] / total for n in ranked[:2])
    return ranked, best, second
