"""Reply sentences live in data (`[say]` in graph/offline/words/*.toml): every sentence the code asks for exists,
every sentence in the data is asked for somewhere, and a missing field fails at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.offline.templates import Templates, fields

OFFLINE = Path(__file__).resolve().parents[3] / "graph" / "offline"


def _uses() -> dict[str, list[tuple[str, bool]]]:
    """Skill -> the keys its modules ask for (key, or prefix when the key is built: SAY(f"voted_{choice}"))."""
    found: dict[str, list[tuple[str, bool]]] = {}
    for module in OFFLINE.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        skills = {name: skill for name, skill in re.findall(r"""(\w+) = Templates\("(\w+)"\)""", source)}
        for name, skill in skills.items():
            calls = re.finditer(rf"""(?<![\w.]){name}\((f?)"([a-z_]*)(\{{)?""", source)
            found.setdefault(skill, []).extend((m[2], bool(m[3])) for m in calls)
        for other, key in re.findall(r"""\b(\w+)\.SAY\(f?"([a-z_]+)""", source):
            other_source = (OFFLINE / f"{other}.py").read_text(encoding="utf-8")
            skill = re.search(r"""SAY = Templates\("(\w+)"\)""", other_source)
            assert skill, f"{module.name}: {other}.SAY has no Templates"
            found.setdefault(skill[1], []).append((key, False))
    return found


def test_every_sentence_asked_for_exists_and_every_sentence_is_used() -> None:
    uses = _uses()
    assert uses, "no module reads its sentences from data"
    for skill, keys in uses.items():
        table = Templates(skill).keys()
        for key, built in keys:
            matches = [k for k in table if k.startswith(key)] if built else [key] if key in table else []
            assert matches, f"{skill}: no sentence {key!r}{'…' if built else ''}"
        unused = [k for k in table if not any(k == key or (built and k.startswith(key)) for key, built in keys)]
        assert not unused, f"{skill}: sentences nobody says: {unused}"


def test_a_sentence_is_filled_from_its_fields() -> None:
    say = Templates("payments")
    assert fields(say.table["which_way"]) == {"order", "total", "balance", "held"}
    assert say("not_placed", order=7) == "Order 7 isn't placed yet, so there's nothing to pay."
    with pytest.raises(KeyError):
        say("not_placed")
    with pytest.raises(KeyError):
        say("no_such_sentence")
