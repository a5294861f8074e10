"""create_app(): wiring only — settings, logging, errors, slices' routes, the ReactPy interface."""

from __future__ import annotations

import asyncio

from litestar import Litestar
from litestar.di import Provide
from litestar.static_files import create_static_files_router

from backend.domain.routes import ROUTE_HANDLERS
from backend.infra.database import close_pool, open_pool
from backend.infra import pdf_fonts
from backend.infra.errors import EXCEPTION_HANDLERS
from backend.infra.events import close_hub, get_hub
from backend.infra.logs import configure_logging
from backend.infra.openapi import document_routes, openapi_config
from backend.infra.reactpy_mount import STATIC_DIR, index, reactpy_mount
from backend.infra.security import add_security_headers, cross_site_middleware
from backend.infra.redis import close_redis
from backend.settings import get_settings


async def _startup() -> None:
    await open_pool()
    await get_hub().start()
    # Reading the DejaVu fonts takes seconds: done now, in a thread, not by the first PDF someone downloads.
    asyncio.get_running_loop().run_in_executor(None, pdf_fonts.register)


async def _shutdown() -> None:
    await close_hub()
    await close_redis()
    await close_pool()


def create_app() -> Litestar:
    settings = get_settings()
    configure_logging(settings.log_level)
    from backend.domain.accounts.dependencies import provide_optional_principal, provide_principal
    from backend.domain.connections.piste_controllers import PISTE_CONTROLLERS
    from backend.domain.middleware import MIDDLEWARE

    # The PISTE routes document their own security (bearer token + cpro-account) and error shape.
    document_routes([handler for handler in ROUTE_HANDLERS if handler not in PISTE_CONTROLLERS])
    return Litestar(
        route_handlers=[
            *ROUTE_HANDLERS,
            reactpy_mount,
            create_static_files_router(path="/static", directories=[STATIC_DIR], include_in_schema=False),
            index,
        ],
        # Cross-site requests are refused before anyone's session is read.
        middleware=[cross_site_middleware, *MIDDLEWARE],
        before_send=[add_security_headers],
        dependencies={"principal": Provide(provide_principal), "maybe_principal": Provide(provide_optional_principal)},
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        on_startup=[_startup],
        on_shutdown=[_shutdown],
        openapi_config=openapi_config(),
        request_max_body_size=settings.max_body_bytes,
        debug=False,
    )
