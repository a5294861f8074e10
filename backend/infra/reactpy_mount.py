"""ReactPy's Starlette backend mounted under /_reactpy inside Litestar, plus the index page.

Mounting at `/` would swallow every Litestar route with a path parameter, so only the prefix is mounted
and a Litestar catch-all serves the index HTML for any other path.
"""

from __future__ import annotations

from pathlib import Path

from litestar import Response, asgi, get
from litestar.exceptions import NotFoundException
from litestar.types import Receive, Scope, Send
from reactpy import html
from reactpy.backend import starlette as reactpy_starlette
from reactpy.backend._common import read_client_index_html
from starlette.applications import Starlette

import frontend.reactpy_patches  # noqa: F401  (before any layout renders)
from frontend.app import Root

STATIC_DIR = Path(__file__).resolve().parent.parent.parent / "frontend" / "static"

_OPTIONS = reactpy_starlette.Options(
    serve_index_route=False,
    head=(
        html.meta({"name": "viewport", "content": "width=device-width, initial-scale=1"}),
        html.title("Chorale"),
        html.link({"rel": "stylesheet", "href": "/static/chorale.css"}),
        html.link({"rel": "icon", "href": "/static/favicon.svg", "type": "image/svg+xml"}),
    ),
)

_reactpy_app = Starlette()
reactpy_starlette.configure(_reactpy_app, Root, _OPTIONS)
INDEX_HTML = read_client_index_html(_OPTIONS).replace('<html lang="en">', '<html lang="fr">')


@asgi("/_reactpy", is_mount=True, copy_scope=True, include_in_schema=False)
async def reactpy_mount(scope: Scope, receive: Receive, send: Send) -> None:
    # Litestar strips the mount prefix; ReactPy's own routes expect the full path back.
    raw = scope.get("raw_path") or b""
    scope["path"] = raw.decode("latin-1").split("?", 1)[0] or scope["path"]
    scope["root_path"] = ""
    await _reactpy_app(scope, receive, send)  # type: ignore[arg-type]


def _index() -> Response[str]:
    return Response(INDEX_HTML, media_type="text/html", headers={"Cache-Control": "no-store"})


@get(["/", "/{path:path}"], include_in_schema=False, sync_to_thread=False)
def index(path: str = "") -> Response[str]:
    # Unknown API paths are API errors, not pages.
    if path.lstrip("/").startswith(("api/", "api")) and not path.lstrip("/").startswith("apis"):
        raise NotFoundException()
    return _index()
