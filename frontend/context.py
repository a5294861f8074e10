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


def next_url(current: tuple[str, bool], href: str, replace: bool, only_from: str | None) -> tuple[str, bool]:
    """The router's (url, replace) after navigate(href, replace, only_from). only_from: a redirect (the landing
    after login) applies only while the user is still on that path; a link clicked while the redirect was being
    decided wins instead of being overridden a moment later."""
    if only_from is not None and Route.parse(current[0]).path != only_from:
        return current
    return (href, replace)


@dataclass(frozen=True)
class Session:
    lang: str
    route: Route
    # navigate(href, replace=False, only_from=None): replace the history entry instead of adding one; only_from:
    # do nothing unless the user is still on that path (a redirect must not undo a click made meanwhile)
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
