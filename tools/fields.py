"""Field types shared by capability inputs: bounded ids, and numbers and switches that must be what they say.

A JSON body or MCP call must carry real numbers and booleans: `"quantity": "2"` or `true` is refused, as a
person reading the schema would expect. Path and query values are text by nature; the REST layer converts
them (it drops `strict` for those). Ids are bounded so that no number reaches the database it cannot hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field

MAX_ID = 2**53 - 1
"""Fits SQLite's and Postgres's 64-bit integers, and survives a JavaScript client's numbers."""

Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
Whole = Annotated[int, Field(strict=True)]
"""A count or an amount in minor units; each field adds its own bounds."""
Flag = Annotated[bool, Field(strict=True)]


@dataclass(frozen=True)
class Slot:
    """What a field names, for a front end that fills it from words ("5 litres of oat milk at campus"): the kind of
    thing it is, and for an amount, the field naming what is counted (whose unit "5 litres" converts to)."""

    kind: Literal["shop", "ingredient", "amount", "order", "person", "date", "time", "duration", "money", "text",
                  "title", "message", "number", "product"]
    unit_of: str | None = None
    after: str | None = None
    """Read only the words after this one ("move Anna's Tuesday shift to Wednesday": the new day follows "to")…"""
    before: str | None = None
    """…or only those before it (the shift's own day)."""


ShopRef = Annotated[str, Field(min_length=1, max_length=40, description="Shop id, e.g. 'downtown'."), Slot("shop")]
IngredientRef = Annotated[str, Field(min_length=1, max_length=40, description="Ingredient id, e.g. 'oat_milk'."),
                          Slot("ingredient")]
OrderNumber = Annotated[int, Field(strict=True, ge=1, le=MAX_ID, description="Order number."), Slot("order")]
Note = Annotated[str, Slot("text")]
"""Free text said with the request (a reason, a note): the person's own words."""
