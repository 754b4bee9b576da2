"""The router's learned examples are the routing tables' tuned part, up to date, and never the part kept aside."""

from __future__ import annotations

import tomllib

from evals.language.data import conversations, part_of, requests
from evals.language.learn import LEARNED, learned_text


def test_the_learned_examples_are_the_tuned_part_as_the_tables_stand() -> None:
    assert LEARNED.read_text(encoding="utf-8") == learned_text(), "run python -m evals.language.learn"


def test_no_request_kept_aside_is_learned() -> None:
    learned = {t for texts in tomllib.loads(learned_text())["examples"].values() for t in texts}
    kept = {r.text for r in requests() if part_of(r.text) == "kept"}
    assert kept and learned and not kept & learned


def test_about_three_in_ten_are_kept_aside() -> None:
    for keys in ([r.text for r in requests()], [c.id for c in conversations()]):
        share = sum(part_of(k) == "kept" for k in keys) / len(keys)
        assert 0.2 < share < 0.4, share
