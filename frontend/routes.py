"""Which screen answers which path. Slices append their screens here."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from frontend.screens.home import HomeScreen
from frontend.screens.directory_search import DirectorySearchScreen
from frontend.screens.account import AccountScreen
from frontend.screens.activation import ActivationScreen, PasswordResetRequestScreen, PasswordResetScreen
from frontend.screens.login import LoginScreen
from frontend.screens.mailbox import MailboxScreen
from frontend.screens.signup import SignupScreen


@dataclass(frozen=True)
class ScreenRoute:
    pattern: str
    screen: Callable[..., Any]
    title_key: str
    public: bool = True  # False: requires a logged-in user

    def match(self, path: str) -> dict[str, str] | None:
        found = re.fullmatch(self.pattern, path.rstrip("/") or "/")
        return found.groupdict() if found else None


ROUTES: list[ScreenRoute] = [
    ScreenRoute(r"/", HomeScreen, "nav.home"),
    ScreenRoute(r"/connexion", LoginScreen, "login.title"),
    ScreenRoute(r"/annuaire", DirectorySearchScreen, "directory.title"),
    ScreenRoute(r"/inscription", SignupScreen, "signup.title"),
    ScreenRoute(r"/activation/(?P<token>[A-Za-z0-9_-]+)", ActivationScreen, "activation.title"),
    ScreenRoute(r"/mot-de-passe-oublie", PasswordResetRequestScreen, "reset.title"),
    ScreenRoute(r"/reinitialisation/(?P<token>[A-Za-z0-9_-]+)", PasswordResetScreen, "reset.new_title"),
    ScreenRoute(r"/courriels", MailboxScreen, "mailbox.title"),
    ScreenRoute(r"/mon-compte", AccountScreen, "account.title", public=False),
]


def resolve(path: str) -> tuple[ScreenRoute | None, dict[str, str]]:
    for route in ROUTES:
        params = route.match(path)
        if params is not None:
            return route, params
    return None, {}
