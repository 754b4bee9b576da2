"""Every capability says beside its own definition how REST serves it, or that it is internal and why."""

from __future__ import annotations

from gocoffee.app import create_app
from gocoffee.settings import Settings
from tools import load_registry
from tools.registry import Internal, Rest


def test_every_capability_is_routed_or_internal() -> None:
    undeclared = [c.name for c in load_registry() if not isinstance(c.rest, Rest | Internal)]
    assert undeclared == []
    reasons = {c.name: c.rest.reason for c in load_registry() if isinstance(c.rest, Internal)}
    assert all(len(r) > 20 for r in reasons.values()), reasons


def test_the_router_serves_exactly_the_declared_routes(tmp_path: object) -> None:
    app = create_app(Settings(data_dir=tmp_path, kitchen=False, chain=False))  # type: ignore[arg-type]
    names = {c.name for c in load_registry()}
    served = {(method.upper(), path.removeprefix("/api/v1")): op["operationId"]
              for path, ops in app.openapi()["paths"].items() for method, op in ops.items()
              if op.get("operationId") in names}
    declared = {(c.rest.method, c.rest.path): c.name for c in load_registry() if isinstance(c.rest, Rest)}
    assert served == declared
