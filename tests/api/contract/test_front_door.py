"""One front door: every use case the screens perform is a service some route calls too, so an API
client can do whatever a person does in the browser."""

from __future__ import annotations

from tests.api.contract.front_door import route_coroutines, screen_coroutines

# Coroutines the screens await that are interface plumbing, not use cases (none today). Each entry must
# say why an API client has no use for it.
INTERFACE_ONLY: dict[str, str] = {}


async def test_every_service_the_screens_call_has_a_route(app) -> None:
    screens = screen_coroutines()
    routes = route_coroutines(app)
    assert len(screens) > 50 and len(routes) > 50  # the scan finds the calls (a broken scan would pass vacuously)
    missing = sorted(screens - routes - set(INTERFACE_ONLY))
    assert missing == [], f"services the screens call without a route: {missing}"
    assert not set(INTERFACE_ONLY) - screens, "an allowlisted coroutine the screens no longer call"


def test_the_scan_resolves_imports_and_aliases() -> None:
    """The scan itself: `from x import f`, `from x import m as alias; alias.f` and a hook's lambda all count."""
    import ast

    from tests.api.contract.front_door import _imports, coroutines_referenced

    tree = ast.parse(
        "from backend.domain.dashboard import services as lists\n"
        "from backend.domain.lots.services import get_lot\n"
        "from backend.domain.dashboard.rules import ListFilter\n"
        "hook = lambda: lists.synthesis(p)\n"
        "async def f():\n    await get_lot(p, 1)\n    ListFilter()\n")
    found = coroutines_referenced([tree], _imports(tree))
    assert found == {"backend.domain.dashboard.services.synthesis", "backend.domain.lots.services.get_lot"}


def test_screens_import_no_store() -> None:
    """Screens reach data through services (or a slice's facade), never a store or its tables."""
    import ast

    from tests.api.contract.front_door import ROOT

    offenders = []
    for path in sorted((ROOT / "frontend").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in getattr(node, "names", [])] \
                if isinstance(node, ast.Import) else []
            names += [f"{node.module}.{a.name}" for a in node.names] if isinstance(node, ast.ImportFrom) else []
            if any(part in {"store", "tables"} for name in names for part in name.split(".")[2:]):
                offenders.append(f"{path.relative_to(ROOT)}: {names[0]}")
    assert offenders == []
