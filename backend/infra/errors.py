"""One error shape for the whole API: a machine code plus a French message (and its English twin)."""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException, NotFoundException, PermissionDeniedException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

log = logging.getLogger(__name__)


class ChoraleError(Exception):
    """A failure the user can understand. Domain errors carry their own French and English texts."""

    status_code = 400

    def __init__(self, code: str, message_fr: str, message_en: str | None = None, *, field: str | None = None,
                 status_code: int | None = None, details: dict[str, Any] | None = None) -> None:
        super().__init__(message_fr)
        self.code = code
        self.message_fr = message_fr
        self.message_en = message_en or message_fr
        self.field = field
        self.details = details or {}
        if status_code is not None:
            self.status_code = status_code

    def message(self, lang: str = "fr") -> str:
        return self.message_en if lang == "en" else self.message_fr

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message_fr, "message_en": self.message_en}
        if self.field:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body


class NotFound(ChoraleError):
    status_code = 404

    def __init__(self, what_fr: str = "Ressource introuvable.", what_en: str = "Not found.") -> None:
        super().__init__("introuvable", what_fr, what_en)


class Forbidden(ChoraleError):
    status_code = 403

    def __init__(self, message_fr: str = "Vous n'avez pas les droits nécessaires pour cette action.",
                 message_en: str = "You do not have the rights needed for this action.", code: str = "acces_refuse") -> None:
        super().__init__(code, message_fr, message_en)


class Unauthenticated(ChoraleError):
    status_code = 401

    def __init__(self) -> None:
        super().__init__("non_connecte", "Veuillez vous connecter.", "Please log in.")


_HTTP_TEXTS = {
    400: ("requete_invalide", "La requête est invalide.", "The request is invalid."),
    401: ("non_connecte", "Veuillez vous connecter.", "Please log in."),
    403: ("acces_refuse", "Vous n'avez pas les droits nécessaires pour cette action.", "You do not have the rights needed for this action."),
    404: ("introuvable", "Ressource introuvable.", "Not found."),
    405: ("methode_non_autorisee", "Méthode non autorisée.", "Method not allowed."),
    413: ("requete_trop_volumineuse", "La requête dépasse la taille maximale autorisée.", "The request exceeds the maximum size."),
    429: ("trop_de_requetes", "Trop de tentatives : réessayez dans quelques minutes.", "Too many attempts: try again in a few minutes."),
    503: ("service_indisponible", "Service momentanément indisponible.", "Service temporarily unavailable."),
}


def _json(body: dict[str, Any], status: int) -> Response:
    return Response(content=body, status_code=status, media_type=MediaType.JSON)


def handle_chorale_error(_: Request, exc: ChoraleError) -> Response:
    return _json(exc.body(), exc.status_code)


def handle_http_exception(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    code, fr, en = _HTTP_TEXTS.get(status, ("erreur", "Une erreur est survenue.", "An error occurred."))
    body: dict[str, Any] = {"code": code, "message": fr, "message_en": en}
    if isinstance(exc, ValidationException):
        body.update(code="donnees_invalides", message="Certaines données sont invalides.", message_en="Some data is invalid.")
        if isinstance(exc.extra, list):
            body["details"] = {"errors": exc.extra}
    return _json(body, status)


def handle_internal_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return _json(
        {"code": "erreur_interne", "message": "Une erreur inattendue est survenue. Réessayez ; si elle persiste, contactez le support.",
         "message_en": "An unexpected error occurred. Try again; if it persists, contact support."},
        HTTP_500_INTERNAL_SERVER_ERROR,
    )


EXCEPTION_HANDLERS = {
    ChoraleError: handle_chorale_error,
    HTTPException: handle_http_exception,
    NotFoundException: handle_http_exception,
    NotAuthorizedException: handle_http_exception,
    PermissionDeniedException: handle_http_exception,
    Exception: handle_internal_error,
}
