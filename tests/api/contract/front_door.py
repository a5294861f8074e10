"""Static map of which backend coroutines the screens and the routes reach (for test_front_door).

A name counts when a module refers to it through its imports (`from backend.x import f`, `from backend
import x as m; m.f`), whether awaited at once or handed to a hook: either way the interface performs that
use case. Only coroutine functions count: constants, enums and pure helpers are not use cases.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _imports(tree: ast.Module) -> dict[str, str]:
    """Local name -> dotted backend name, for every backend import of a module (at any depth)."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("backend"):
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("backend") and alias.asname:
                    names[alias.asname] = alias.name
    return names


def _resolve(dotted: str) -> object | None:
    """The object a dotted name designates (a module's attribute, or a module), None when unknown."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            value = getattr(value, part, None)
            if value is None:
                return None
        return value
    return None


def _dotted(node: ast.AST) -> list[str]:
    """`a.b.c` as ['a', 'b', 'c'], [] for anything that is not a plain dotted name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id, *reversed(parts)]
    return []


def coroutines_referenced(nodes: list[ast.AST], imports: dict[str, str]) -> set[str]:
    """The backend coroutine functions these syntax trees refer to, as `module.function`."""
    found: set[str] = set()
    for root in nodes:
        for node in ast.walk(root):
            if not isinstance(node, (ast.Name, ast.Attribute)):
                continue
            parts = _dotted(node)
            if not parts or parts[0] not in imports:
                continue
            target = _resolve(".".join([imports[parts[0]], *parts[1:]]))
            if inspect.iscoroutinefunction(target):
                found.add(f"{target.__module__}.{target.__qualname__}")
    return found


def screen_coroutines() -> set[str]:
    """What the interface (`frontend/`) awaits from the backend."""
    found: set[str] = set()
    for path in sorted((ROOT / "frontend").rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        found |= coroutines_referenced([tree], _imports(tree))
    return found


def route_coroutines(app) -> set[str]:
    """What the app's route handlers call: each handler's own body, through its module's imports."""
    found: set[str] = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            fn = inspect.unwrap(handler.fn)
            module = inspect.getmodule(fn)
            if module is None or not module.__name__.startswith("backend"):
                continue
            tree = ast.parse(inspect.getsource(module))
            imports = _imports(tree)
            # the module's own functions are reachable by their bare names (helpers called by the handler)
            imports.update({name: f"{module.__name__}.{name}" for name, value in vars(module).items()
                            if inspect.isfunction(value) and value.__module__ == module.__name__})
            source = ast.parse(inspect.cleandoc("\n" + inspect.getsource(fn)))
            found |= coroutines_referenced([source], imports)
    return found
