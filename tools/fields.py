"""Field types shared by capability inputs: bounded ids, and numbers and switches that must be what they say.

A JSON body or MCP call must carry real numbers and booleans: `"quantity": "2"` or `true` is refused, as a
person reading the schema would expect. Path and query values are text by nature; the REST layer converts
them (it drops `strict` for those). Ids are bounded so that no number reaches the database it cannot hold.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_ID = 2**53 - 1
"""Fits SQLite's and Postgres's 64-bit integers, and survives a JavaScript client's numbers."""

Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
Whole = Annotated[int, Field(strict=True)]
"""A count or an amount in minor units; each field adds its own bounds."""
Flag = Annotated[bool, Field(strict=True)]
