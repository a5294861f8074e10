"""One error type for the whole product: a machine code, the field it concerns and the parameters of its text.

The texts live in the catalogues (`shared/i18n_errors.py`, key `error.<code>`, or `error.<code>.<variant>`
when one code has several wordings); the language is chosen where the error is shown (the API's handler
reads the request's language, a screen the session's). Pure: domain rules raise it too.
"""

from __future__ import annotations

import copy
from typing import Any

import shared.i18n_errors  # noqa: F401  (registers the texts)
from shared.i18n import t


class DomainError(Exception):
    """A failure the user can understand. `status_code` is the HTTP answer when it reaches a route."""

    status_code = 400

    def __init__(self, code: str, field: str | None = None, /, *, variant: str | None = None,
                 status_code: int | None = None, details: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None, **params: Any) -> None:
        self.code, self.field, self.variant, self.params = code, field, variant, params
        self.details = details or {}
        self.headers = headers
        self.problems: list[DomainError] = []  # every problem when several are reported at once (a send)
        if status_code is not None:
            self.status_code = status_code
        super().__init__(code, field)

    @property
    def key(self) -> str:
        return f"error.{self.code}.{self.variant}" if self.variant else f"error.{self.code}"

    def message(self, lang: str = "fr") -> str:
        return t(self.key, lang, **self.params)

    @property
    def message_fr(self) -> str:
        return self.message("fr")

    @property
    def message_en(self) -> str:
        return self.message("en")

    def __str__(self) -> str:
        return self.message_fr

    def with_status(self, status_code: int | None = None, *, field: str | None = None) -> DomainError:
        """A copy answered with another HTTP status, or about another field (the form's name for it)."""
        other = copy.copy(self)
        other.problems = list(self.problems)
        if status_code is not None:
            other.status_code = status_code
        if field is not None:
            other.field = field
        return other

    def body(self, lang: str = "fr") -> dict[str, Any]:
        """The JSON body of the API: `message` in the asker's language, `message_en` kept for older clients."""
        body: dict[str, Any] = {"code": self.code, "message": self.message(lang), "message_en": self.message_en}
        if self.field:
            body["field"] = self.field
        details = {**self.details, "errors": [problem.body(lang) for problem in self.problems]} if self.problems else self.details
        if details:
            body["details"] = details
        return body

    def __reduce__(self):  # crosses the PDF reading process pool
        return _rebuild, (type(self), self.code, self.field, self.variant, self.status_code, self.details,
                          self.headers, self.params)


def _rebuild(cls, code, field, variant, status_code, details, headers, params):
    error = DomainError.__new__(cls)
    DomainError.__init__(error, code, field, variant=variant, status_code=status_code, details=details,
                         headers=headers, **params)
    return error


class NotFound(DomainError):
    status_code = 404

    def __init__(self, variant: str | None = None, **params: Any) -> None:
        super().__init__("introuvable", variant=variant, **params)


class Forbidden(DomainError):
    status_code = 403

    def __init__(self, variant: str | None = None, *, code: str = "acces_refuse", **params: Any) -> None:
        super().__init__(code, variant=variant, **params)


class Unauthenticated(DomainError):
    status_code = 401

    def __init__(self) -> None:
        super().__init__("non_connecte")
