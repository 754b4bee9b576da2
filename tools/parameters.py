"""A capability's input fields as keyword parameters of a generated function.

Both MCPServer and FastAPI read a function's signature to learn its parameters; the MCP tools and the REST
routes are generated functions, so their signatures are built here, from the capability's own input model:
the same names, types, constraints and descriptions on both surfaces.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from pydantic import BaseModel, Strict
from pydantic.fields import FieldInfo

Marker = Callable[[FieldInfo], Any]
"""What the framework wants beside the type, e.g. FastAPI's `Path(description=...)` for a field."""


def field_parameters(model: type[BaseModel], marker: Marker, names: Iterable[str] | None = None,
                     strict: bool = True) -> list[inspect.Parameter]:
    """Keyword-only parameters for `names` (default: every field). `strict=False` for values that arrive as text
    (a URL's path and query), which the framework converts."""
    fields = model.model_fields
    params = []
    for name in names if names is not None else fields:
        field = fields[name]
        metadata = field.metadata if strict else [m for m in field.metadata if not isinstance(m, Strict)]
        default = inspect.Parameter.empty if field.is_required() else field.get_default(call_default_factory=True)
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                                        annotation=Annotated[field.annotation, *metadata, marker(field)]))
    return params


def with_signature(fn: Callable[..., Any], name: str, params: list[inspect.Parameter],
                   returns: Any = inspect.Signature.empty) -> Callable[..., Any]:
    """Give a generated `fn(**kwargs)` the signature frameworks introspect, and its capability's name."""
    fn.__signature__ = inspect.Signature(params, return_annotation=returns)  # type: ignore[attr-defined]  # functions declare no __signature__; FastAPI and MCPServer read it
    fn.__name__ = name
    return fn
