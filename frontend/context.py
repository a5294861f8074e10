"""What every screen may read about the current session: language, route, identity, navigation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from reactpy import create_context, use_context

from shared.i18n import t


@dataclass(frozen=True)
class Route:
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def parse(cls, url: str) -> "Route":
        parts = urlsplit(url)
        return cls(path=parts.path or "/", query=parse_qs(parts.query))

    def param(self, name: str, default: str = "") -> str:
        values = self.query.get(name)
        return values[0] if values else default


@dataclass(frozen=True)
class Session:
    lang: str
    route: Route
    # navigate(href, replace=False, only_from=None): replace the history entry instead of adding one; only_from,
    # a path: only while the address is still on it (a redirect must not undo the user's own navigation)
    navigate: Callable[..., None]
    set_lang: Callable[[str], None]
    session_topic: str
    scope: dict[str, Any]
    principal: Any = None

    def t(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)


SessionContext = create_context(None)


def use_session() -> Session:
    session = use_context(SessionContext)
    assert session is not None, "screens render inside the Root component"
    return session
