"""One error shape for the whole API: a machine code, the field, and the message in the asker's language.

The language is the request's `lang` cookie (the interface's toggle), else its `Accept-Language`, else French."""

from __future__ import annotations

import logging
import traceback
from typing import Any

import asyncpg

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, NotFoundException, PermissionDeniedException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from shared.errors import DomainError, Forbidden, NotFound, Unauthenticated  # noqa: F401  (re-exported)
from shared.i18n import request_lang

log = logging.getLogger(__name__)


# One error type (shared/errors.py: pure, so domain rules raise it too); ChoraleError is its old name.
ChoraleError = DomainError


# The code of the error body Litestar's own exceptions answer with, by status.
_HTTP_CODES = {400: "requete_invalide", 401: "non_connecte", 403: "acces_refuse", 404: "introuvable",
               405: "methode_non_autorisee", 413: "requete_trop_volumineuse", 429: "trop_de_requetes",
               503: "service_indisponible"}


def _json(body: dict[str, Any], status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(content=body, status_code=status, media_type=MediaType.JSON, headers=headers)


def lang_of(request: Request) -> str:
    try:
        return request_lang(request.cookies.get("lang"), request.headers.get("accept-language"))
    except Exception:  # a malformed Cookie header: the default language
        return request_lang(None, request.headers.get("accept-language"))


def handle_chorale_error(request: Request, exc: DomainError) -> Response:
    # An error may carry headers (429's Retry-After).
    return _json(exc.body(lang_of(request)), exc.status_code, exc.headers)


def handle_http_exception(request: Request, exc: HTTPException) -> Response:
    error = DomainError(_HTTP_CODES.get(exc.status_code, "erreur"), status_code=exc.status_code)
    if isinstance(exc, ValidationException):
        error = DomainError("donnees_invalides", status_code=exc.status_code,
                            details={"errors": exc.extra} if isinstance(exc.extra, list) else None)
    return _json(error.body(lang_of(request)), error.status_code)


def _raised_in(exc: BaseException, *packages: str) -> bool:
    """Whether the exception was raised inside one of these packages (its innermost frame, or any frame)."""
    names = [frame.f_globals.get("__name__", "") for frame, _ in traceback.walk_tb(exc.__traceback__)]
    return any(name == package or name.startswith(package + ".") for name in names for package in packages)


# The database cannot be reached, or refuses connections for a moment: a retry will do.
_UNAVAILABLE = (asyncpg.PostgresConnectionError, asyncpg.exceptions.CannotConnectNowError,
                asyncpg.exceptions.OperatorInterventionError, asyncpg.exceptions.TooManyConnectionsError,
                asyncpg.exceptions.InsufficientResourcesError)
BIGINT = 2**63


def unavailable(exc: BaseException) -> bool:
    import redis.exceptions

    if isinstance(exc, (*_UNAVAILABLE, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
                        redis.exceptions.BusyLoadingError)):
        return True
    if isinstance(exc, asyncpg.InterfaceError) and "clos" in str(exc):  # « connection is closed », « pool is closing »
        return True
    # Connecting failed below asyncpg or redis (refused, no socket, timed out).
    return isinstance(exc, (OSError, TimeoutError)) and _raised_in(exc, "asyncpg", "redis")


def _id_beyond_bigint(request: Request) -> bool:
    try:
        values = request.path_params.values()
    except Exception:  # no route matched: no path parameters
        return False
    return any(isinstance(value, int) and not -BIGINT <= value < BIGINT for value in values)


def classify(request: Request, exc: Exception) -> DomainError | None:
    """Bad input that reached the database or the body decoder, and outages: a French 4xx / 503, not a 500.

    Central so that every route is covered, whichever field carried the value: PostgreSQL refuses NUL
    in text and out-of-range numbers (class 22, DataError), asyncpg refuses ints beyond bigint before
    sending (DataError too), a missing foreign key is a ForeignKeyViolationError. Each aborts its
    transaction, so nothing is written.
    """
    if unavailable(exc):
        return DomainError("base_indisponible", status_code=503)
    if isinstance(exc, asyncpg.DataError):
        if _id_beyond_bigint(request):  # /api/invoices/2**70: no such invoice
            return NotFound()
        return DomainError("valeur_invalide")
    if isinstance(exc, asyncpg.ForeignKeyViolationError):
        return DomainError("reference_inconnue", status_code=422)
    if isinstance(exc, UnicodeDecodeError) and _raised_in(exc, "litestar", "msgspec"):
        return DomainError("encodage_invalide")
    return None


def handle_internal_error(request: Request, exc: Exception) -> Response:
    known = classify(request, exc)
    if known is not None:
        log.warning("%s %s answered %d: %s: %s", request.method, request.url.path, known.status_code, type(exc).__name__, exc)
        return _json(known.body(lang_of(request)), known.status_code)
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return _json(DomainError("erreur_interne").body(lang_of(request)), HTTP_500_INTERNAL_SERVER_ERROR)


EXCEPTION_HANDLERS = {
    DomainError: handle_chorale_error,
    HTTPException: handle_http_exception,
    NotFoundException: handle_http_exception,
    NotAuthorizedException: handle_http_exception,
    PermissionDeniedException: handle_http_exception,
    Exception: handle_internal_error,
}
