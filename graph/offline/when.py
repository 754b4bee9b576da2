"""Dates, times and durations in a person's words, relative to the injected clock's today.

"Tuesday" is the next Tuesday (today counts), "next Tuesday" the one in the coming week, "the 24th" the next 24th;
"4pm", "16:00", "noon"; "6 to 2" is 06:00-14:00 (an end before its start is read as afternoon); "2 hours",
"90 min", "1.5h".
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
SHORT_DAYS = {d[:3]: i for i, d in enumerate(DAYS)} | {"tues": 1, "thur": 3, "thurs": 3, "weds": 2}
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
NAMED_TIMES = {"noon": time(12), "midday": time(12), "midnight": time(0)}
_TIME = r"(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?"


def _weekday(word: str) -> int | None:
    word = word.rstrip("s") if word.endswith("days") else word
    return DAYS.index(word) if word in DAYS else SHORT_DAYS.get(word)


def read_date(text: str, today: date) -> date | None:
    """The first date the text names, or None."""
    words = re.findall(r"[a-z]+|\d+", text.lower())
    for k, word in enumerate(words):
        if word in ("today", "tonight"):
            return today
        if word == "tomorrow":
            return today + timedelta(days=1)
        if word == "yesterday":
            return today - timedelta(days=1)
        day = _weekday(word)
        if day is not None and words[k + 1:k + 2] and words[k + 1].isdigit():
            return _day_of_month(" ".join(words[k + 1:]), today, bare=True)  # "Sunday 13": the 13th
        if day is not None:
            ahead = (day - today.weekday()) % 7
            return today + timedelta(days=ahead + (7 if k and words[k - 1] == "next" and ahead < 7 else 0)
                                     - (7 if k and words[k - 1] == "last" else 0))
    iso = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text)
    if iso:
        return date(int(iso[1]), int(iso[2]), int(iso[3]))
    return _day_of_month(text.lower(), today)


def _day_of_month(text: str, today: date, bare: bool = False) -> date | None:
    """ "the 24th", "24 dec", "dec 24": the next such day (this month or a later one); `bare`: a plain number is a
    day too (after a weekday, "Sunday 13")."""
    month = next((i + 1 for i, m in enumerate(MONTHS) if re.search(rf"\b{m}[a-z]*\b", text)), None)
    found = re.search(r"\b(\d{1,2})(st|nd|rd|th)\b", text) or (
        re.search(r"\b(\d{1,2})\b", text) if month or bare else None)
    if not found or not 1 <= int(found[1]) <= 31:
        return None
    day, year = int(found[1]), today.year
    for step in range(13):
        m = month or (today.month - 1 + step) % 12 + 1
        y = year + (today.month - 1 + step) // 12 if month is None else year + (m < today.month)
        try:
            candidate = date(y, m, day)
        except ValueError:
            continue
        if candidate >= today or month is not None:
            return candidate
    return None


def week_of(text: str, today: date) -> date | None:
    """The Monday of the week the text names ("this week", "next week", "last week"), or None."""
    monday = today - timedelta(days=today.weekday())
    lower = text.lower()
    for phrase, weeks in (("next week", 1), ("last week", -1), ("this week", 0), ("week after next", 2)):
        if phrase in lower:
            return monday + timedelta(weeks=weeks)
    return None


def _clock(hour: str, minute: str | None, half: str | None) -> time | None:
    h, m = int(hour), int(minute or 0)
    if half and half.startswith("p") and h < 12:
        h += 12
    if half and half.startswith("a") and h == 12:
        h = 0
    return time(h, m) if 0 <= h <= 23 and 0 <= m <= 59 else None


def read_times(text: str) -> list[time]:
    """Every clock time the text names, in order; bare numbers count only next to a time word or in a range."""
    lower = text.lower()
    found: list[time] = [t for word, t in NAMED_TIMES.items() if re.search(rf"\b{word}\b", lower)]
    ranged = re.search(rf"\b{_TIME}\s*(?:-|to|until|till|–)\s*{_TIME}", lower)
    if ranged:
        start = _clock(ranged[1], ranged[2], ranged[3] or ranged[6])
        end = _clock(ranged[4], ranged[5], ranged[6])
        if start and end and end <= start and not ranged[6] and end.hour < 12:
            end = time(end.hour + 12, end.minute)
        return [t for t in (start, end) if t]
    for m in re.finditer(rf"\b{_TIME}", lower):
        if m[2] or m[3] or re.search(r"\bat\s*$", lower[:m.start()]):
            t = _clock(m[1], m[2], m[3])
            found += [t] if t else []
    return found


def read_minutes(text: str) -> int | None:
    """A duration in minutes ("2 hours", "90 min", "1.5h", "half an hour"), or None."""
    lower = text.lower()
    if "half an hour" in lower:
        return 30
    m = re.search(r"(\d+(?:\.\d+)?)\s*(h|hr|hrs|hours?|m|min|mins|minutes?)\b", lower)
    if not m:
        return None
    return round(float(m[1]) * (60 if m[2].startswith("h") else 1))
