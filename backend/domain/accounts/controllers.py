"""Login and logout: JSON for API clients, and plain form posts for the interface (no script needed)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from backend.domain.accounts import services
from backend.domain.accounts.identity import Principal, with_session_cookie
from backend.domain.accounts.schemas import LoginForm, Me
from backend.infra.errors import ChoraleError
from backend.infra.openapi import redirect_response
from backend.infra.errors import DomainError
from backend.infra.rate_limit import peer_address


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect after login would be a phishing tool.
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


class AuthController(Controller):
    path = "/api/auth"
    tags = ["comptes"]

    @post("/login", operation_id="login", status_code=303,
          responses=redirect_response("On to `next` with the session cookie, or back to /connexion with the error code."))
    async def login(self, request: Request, data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)]) -> Response[Any]:
        """Form post from the login page: redirect back with the session cookie, or with the error code."""
        try:
            _, token = await services.login(data.email, data.password, peer_address(request.scope))
        except DomainError as error:
            back = f"/connexion?erreur={error.code}&email={quote(data.email)}&suivant={quote(_safe_next(data.next))}"
            return Redirect(back, status_code=303)
        return with_session_cookie(Redirect(_safe_next(data.next), status_code=303), token)

    @post("/session", operation_id="createSession", status_code=200)
    async def create_session(self, request: Request, data: LoginForm) -> Response[Me]:
        """JSON login for API clients; the same cookie is set."""
        principal, token = await services.login(data.email, data.password, peer_address(request.scope))
        return with_session_cookie(Response(Me.of(principal)), token)

    @post("/logout", operation_id="logout", status_code=303,
          responses=redirect_response("To /connexion, the session ended and its cookie removed."))
    async def logout(self, request: Request) -> Response[Any]:
        await services.logout(request.scope.get("principal"))
        return with_session_cookie(Redirect("/connexion?deconnecte=1", status_code=303), None)

    @get("/me", operation_id="me")
    async def me(self, principal: Principal) -> Me:
        return Me.of(principal)
