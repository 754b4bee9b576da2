"""The rota's rules, one by one: each fires on the case that breaks it, with its numbers, and only then."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tools.scheduling.rules import Person, Slot, check, refusing

NY = ZoneInfo("America/New_York")
ANNA = Person("anna", "Anna", ("downtown",), ("barista", "keyholder"), 40,
              {d: ["05:30-20:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})


def at(day: int, start: str, end: str, role: str = "barista", shop: str = "downtown") -> Slot:
    """A shift on 2026-12-(day) in New York."""
    base = datetime(2026, 12, day, tzinfo=NY)
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    return Slot(shop, role, base + timedelta(hours=h1, minutes=m1), base + timedelta(hours=h2, minutes=m2), NY)


def rules(slot: Slot, others: list[Slot] | None = None, person: Person = ANNA,
          off: list[tuple[datetime, datetime]] | None = None) -> dict[str, str]:
    return {b.rule: b.message for b in check(person, slot, others or [], off or [])}


def test_a_shift_that_keeps_every_rule_breaks_none() -> None:
    assert rules(at(8, "06:00", "14:00"), [at(7, "06:00", "14:00"), at(9, "06:00", "14:00")]) == {}


@pytest.mark.parametrize(("slot", "others", "rule", "numbers"), [
    (at(8, "06:00", "14:00", shop="harbor"), [], "shop", "harbor"),
    (at(8, "06:00", "14:00", role="baker"), [], "skill", "baker"),
    (at(8, "06:00", "17:00"), [], "shift_length", "11.0 h long (at most 10 h)"),
    (at(8, "06:00", "14:00"), [at(8, "13:00", "19:00")], "overlap", "13:00-19:00"),
    (at(8, "06:00", "10:00"), [at(8, "15:00", "19:00")], "one_shift_a_day", "Tue 08 Dec"),
    (at(8, "06:00", "14:00"), [at(7, "11:30", "19:30")], "rest", "10.5 h rest"),
    (at(8, "04:00", "12:00"), [], "availability", "not 04:00-12:00"),
    (at(13, "06:00", "14:00"), [at(d, "06:00", "14:00") for d in range(7, 13)], "days_in_a_row", "7 days in a row"),
    (at(13, "06:00", "14:00"), [at(d, "06:00", "14:00") for d in (7, 8, 9, 10, 11)], "weekly_hours", "48.0 h"),
])
def test_each_rule_names_itself_with_its_numbers(slot: Slot, others: list[Slot], rule: str, numbers: str) -> None:
    found = rules(slot, others)
    assert rule in found and numbers in found[rule], found


def test_approved_time_off_is_a_hard_rule() -> None:
    slot = at(8, "06:00", "14:00")
    found = check(ANNA, slot, [], [(slot.starts_at - timedelta(days=1), slot.ends_at + timedelta(days=1))])
    assert [b.rule for b in found] == ["time_off"] and found[0].hard


def test_a_manager_overrides_soft_rules_only() -> None:
    found = check(ANNA, at(8, "04:00", "15:00"), [], [])
    assert {b.rule for b in found} == {"availability", "shift_length"}
    assert [b.rule for b in refusing(found, {"availability", "shift_length"})] == ["shift_length"]
    assert refusing(check(ANNA, at(8, "04:00", "12:00"), [], []), {"availability"}) == []
