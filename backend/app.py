"""create_app(): wiring only — settings, logging, errors, slices' routes, the ReactPy interface."""

from __future__ import annotations

from litestar import Litestar
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.static_files import create_static_files_router

from backend.domain.routes import ROUTE_HANDLERS
from backend.infra.database import close_pool, open_pool
from backend.infra.errors import EXCEPTION_HANDLERS
from backend.infra.events import close_hub, get_hub
from backend.infra.logs import configure_logging
from backend.infra.reactpy_mount import STATIC_DIR, index, reactpy_mount
from backend.infra.redis import close_redis
from backend.settings import get_settings


async def _startup() -> None:
    await open_pool()
    await get_hub().start()


async def _shutdown() -> None:
    await close_hub()
    await close_redis()
    await close_pool()


def create_app() -> Litestar:
    settings = get_settings()
    configure_logging(settings.log_level)
    from backend.domain.accounts.dependencies import provide_optional_principal, provide_principal
    from backend.domain.middleware import MIDDLEWARE

    return Litestar(
        route_handlers=[
            *ROUTE_HANDLERS,
            reactpy_mount,
            create_static_files_router(path="/static", directories=[STATIC_DIR], include_in_schema=False),
            index,
        ],
        middleware=MIDDLEWARE,
        dependencies={"principal": Provide(provide_principal), "maybe_principal": Provide(provide_optional_principal)},
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        on_startup=[_startup],
        on_shutdown=[_shutdown],
        openapi_config=OpenAPIConfig(title="Chorale API", version="0.1.0", path="/schema"),
        request_max_body_size=settings.max_body_bytes,
        debug=False,
    )
