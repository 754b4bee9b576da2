"""The engine's words are data: every word list in `lexicon.toml` and `words/<skill>.toml` is read by some module,
and no module matches a sentence against a list of phrases written into the code."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

from graph.offline.vocab import skill_files

GRAPH = Path(__file__).resolve().parents[3] / "graph"
OFFLINE = GRAPH / "offline"


def _sources() -> str:
    return "\n".join(f.read_text(encoding="utf-8") for f in GRAPH.rglob("*.py"))


def _lists(source: str) -> list[str]:
    """The shared lexicon's word lists and each skill's, but for a skill whose whole table is read as one (refunds'
    reasons: the first name whose words match)."""
    shared = tomllib.loads((OFFLINE / "lexicon.toml").read_text(encoding="utf-8"))["words"]
    whole = set(re.findall(r"""skill\("(\w+)"\)\.items\(\)""", source))
    own = [k for skill, table in skill_files().items() if skill not in whole
           for k, v in table.items() if k != "say" and isinstance(v, list)]
    return [*shared, *own]


def test_every_word_list_is_read_somewhere() -> None:
    source = _sources()
    built = set(re.findall(r"""\[f"([a-z_]+)\{""", source))  # o[f"menu_{topic}"]
    lists = _lists(source)
    assert len(lists) > 40
    unread = [k for k in lists if not re.search(rf"""["']{k}["']""", source) and not k.startswith(tuple(built))]
    assert not unread, f"word lists nothing reads: {unread}"


def _phrase_lists_in_calls(tree: ast.AST) -> list[int]:
    """Lines where `has(text, [...])` is given two or more phrases written in the code."""
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "has"
            and len(node.args) == 2 and isinstance(node.args[1], ast.List)
            and sum(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.args[1].elts) >= 2]


def test_no_phrase_lists_in_the_code() -> None:
    found = {module.name: lines for module in OFFLINE.glob("*.py")
             if (lines := _phrase_lists_in_calls(ast.parse(module.read_text(encoding="utf-8"))))}
    assert not found, f"phrases written into the code (put them in words/<skill>.toml): {found}"


def test_the_check_finds_a_phrase_list() -> None:
    assert _phrase_lists_in_calls(ast.parse('has(words, ["both", "all of them"])')) == [1]
    assert _phrase_lists_in_calls(ast.parse('has(words, o["every"])')) == []
