"""After a write transaction commits, tell whoever asked which tables it wrote.

The kitchen sleeps until something it cares about changes (a paid order's drinks, a command for a machine)
instead of polling the store. A listener also learns who wrote (see `attribute`), so it can ignore its own
writes and never wake itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

Listener = Callable[[str | None], None]
"""Called with who wrote (a principal's `person`), if the transaction said."""
_BY = "gocoffee_by"
_WRITTEN = "gocoffee_written"


def attribute(session: Session, who: str) -> None:
    """Say who writes in this session's transaction."""
    session.info[_BY] = who


class Changes:
    def __init__(self) -> None:
        self._listeners: list[tuple[frozenset[str], Listener]] = []

    def subscribe(self, tables: frozenset[str], listener: Listener) -> Callable[[], None]:
        """Call `listener` after each commit that wrote one of `tables`; returns the way to stop."""
        entry = (tables, listener)
        self._listeners.append(entry)
        return lambda: self._listeners.remove(entry)

    def session_class(self) -> type[Session]:
        """A Session class whose commits are announced here (one class per database, so two platforms in one
        process do not hear each other)."""
        tracked = type("TrackedSession", (Session,), {})
        event.listen(tracked, "after_flush", _note_written)
        event.listen(tracked, "after_commit", self._committed)
        event.listen(tracked, "after_rollback", lambda session: session.info.pop(_WRITTEN, None))
        return tracked

    def _committed(self, session: Session) -> None:
        written: set[str] = session.info.pop(_WRITTEN, set())
        for tables, listener in list(self._listeners):
            if tables & written:
                listener(session.info.get(_BY))


def _note_written(session: Session, _context: Any) -> None:
    rows = [*session.new, *session.dirty, *session.deleted]
    session.info.setdefault(_WRITTEN, set()).update(
        table.name for row in rows if (table := getattr(row, "__table__", None)) is not None)
