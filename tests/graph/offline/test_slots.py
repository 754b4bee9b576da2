"""The typed slot readers: each kind of field read from plain words, relative to a fixed today."""

from __future__ import annotations

import re
import string
from datetime import date, time
from typing import get_args, get_origin

import pytest

from graph.offline.slots import Found, Heard, amount, ingredient, money, order, shop
from graph.offline.vocab import Vocabulary
from graph.offline.when import read_date, read_minutes, read_times, week_of
from tools.registry import registry

SUNDAY = date(2026, 12, 6)


def value(found: Found | None) -> object:
    assert found is not None
    return found.value


@pytest.mark.parametrize(("said", "day"), [
    ("today", SUNDAY), ("tomorrow", date(2026, 12, 7)), ("on Tuesday", date(2026, 12, 8)),
    ("next tuesday", date(2026, 12, 15)), ("sunday", SUNDAY), ("the 24th", date(2026, 12, 24)),
    ("the 3rd", date(2027, 1, 3)), ("24 dec", date(2026, 12, 24)), ("Jan 5", date(2027, 1, 5)),
    ("2027-02-01", date(2027, 2, 1)), ("weds", date(2026, 12, 9)), ("no day here", None),
])
def test_dates_are_read_relative_to_today(said: str, day: date | None) -> None:
    assert read_date(said, SUNDAY) == day


def test_weeks_times_and_durations() -> None:
    assert week_of("make next week's rota", SUNDAY) == date(2026, 12, 7)
    assert week_of("this week", SUNDAY) == date(2026, 11, 30)
    assert read_times("from 6 to 2") == [time(6), time(14)]
    assert read_times("4pm till 9:30pm") == [time(16), time(21, 30)]
    assert read_times("at 7") == [time(7)] and read_times("noon") == [time(12)]
    assert read_times("order 12 ready") == []
    assert (read_minutes("a 2 hour break"), read_minutes("90 min"), read_minutes("1.5h")) == (120, 90, 90)


@pytest.mark.anyio
@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
async def test_shops_ingredients_amounts_orders_and_money(vocab: Vocabulary) -> None:
    def heard(text: str) -> Heard:
        return Heard(text, vocab, SUNDAY)

    assert value(shop(heard("restock at campus please"))) == "campus"
    assert value(ingredient(heard("6 litres of oat milk"))) == "oat_milk"
    assert value(ingredient(heard("two bags of espresso beans"))) == "espresso_beans"
    assert ingredient(heard("some milk")) is None, "several milks: not one ingredient"
    assert value(amount(heard("6 litres"), "ml")) == 6000
    assert value(amount(heard("2.5 kg"), "g")) == 2500
    assert value(amount(heard("we wasted 300 ml"), "ml", ("wasted",))) == -300
    assert value(amount(heard("a dozen"), "pc")) == 12
    assert amount(heard("3 kg"), "ml") is None, "a weight is not a volume"
    assert value(order(heard("mark order #12 ready"))) == 12
    assert value(order(heard("12 is ready"))) == 12
    assert value(money(heard("refund $4.50"))) == 450
    assert value(money(heard("3 dollars"))) == 300 and money(heard("order 3")) is None


def test_every_template_names_only_its_capabilitys_fields() -> None:
    talking = [c for c in registry if c.talk]
    assert {"adjust_stock", "advance_order"} <= {c.name for c in talking}
    for cap in talking:
        assert cap.talk is not None
        fields = set(cap.input_model.model_fields)
        said = [cap.talk.confirm or "", *cap.talk.questions.values(), *cap.talk.parts.values()]
        parts = {"parts"} if cap.talk.parts else set()
        assert set(cap.talk.parts) <= fields, (cap.name, cap.talk.parts)
        for text in said:
            assert {f for _, f, _, _ in string.Formatter().parse(text) if f} <= fields | parts, (cap.name, text)
        done = {f.split("[")[0] for _, f, _, _ in string.Formatter().parse(cap.talk.done) if f}  # shift[day]
        outputs = set(cap.output_model.model_fields)
        listed = {"listed"} if cap.talk.each else set()
        assert done <= fields | outputs | {f"{o}_count" for o in outputs} | listed, (cap.name, cap.talk.done)
        if cap.talk.each:  # one item of the output's list, and the reply when it is empty
            item = next(get_args(f.annotation)[0] for f in cap.output_model.model_fields.values()
                        if get_origin(f.annotation) is list)
            each = {f for _, f, _, _ in string.Formatter().parse(cap.talk.each) if f}
            assert each <= set(item.model_fields), (cap.name, cap.talk.each)
            empty = {f for _, f, _, _ in string.Formatter().parse(cap.talk.empty or "") if f}
            assert empty <= fields | outputs, (cap.name, cap.talk.empty)
        assert set(cap.talk.questions) <= fields and all(re.search(r"\w", a) for a in cap.talk.asks)
