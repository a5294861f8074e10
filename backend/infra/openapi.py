"""The OpenAPI at /schema: how to authenticate, what every refusal looks like, and file bodies.

Litestar documents each route's success body from its return type and its request body from `data`.
What it cannot know is added here, in one place, for every route of the app: the error bodies (with an
example each), the security each route needs (the session cookie; anonymous routes say so), raw-file
request bodies and file downloads. `document_routes()` gives each route handler an operation class that
completes its operation as Litestar builds it.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any

from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (Components, Example, OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Operation, Reference,
                                   RequestBody, Schema, SecurityScheme)

from backend.infra.schemas import ERROR_EXAMPLES

SESSION_COOKIE = "chorale_session"
# Other schemes (a bearer token for the PISTE API clients) are added to this mapping by their slice.
SECURITY_SCHEMES: dict[str, SecurityScheme] = {
    "session": SecurityScheme(
        type="apiKey", name=SESSION_COOKIE, security_scheme_in="cookie",
        description="The session cookie set by POST /api/auth/session (JSON) or /api/auth/login (form). Unsafe "
                    "requests must also carry an `Origin` header of the app's own site (cross-site protection)."),
}
SESSION = [{"session": []}]
ANONYMOUS: list[dict[str, list[str]]] = [{}]

_TEXT = Schema(type=OpenAPIType.STRING)
ERROR_SCHEMA = Schema(
    type=OpenAPIType.OBJECT, title="ErrorBody", required=["code", "message"],
    description="Every refusal: a stable `code`, the text in the request's language, the `field` it is about, "
                "and `details` (`details.errors` lists each problem when there are several).",
    properties={"code": _TEXT, "message": _TEXT, "message_en": _TEXT,
                "field": Schema(one_of=[_TEXT, Schema(type=OpenAPIType.NULL)]),
                "details": Schema(type=OpenAPIType.OBJECT, additional_properties=True)})
ERROR_REF = Reference(ref="#/components/schemas/ErrorBody")

_DESCRIPTIONS = {
    400: "Invalid request (a value of the wrong type or out of range).", 401: "Not signed in.",
    403: "Signed in without the right needed.", 404: "Not found, or not visible to this user.",
    409: "Conflict with the current state (a stale `version`, a duplicate number).",
    413: "The body exceeds 30 MB.", 415: "Refused file type (read from the content, not the name).",
    422: "A field is missing or invalid (`field` names it).", 429: "Too many attempts.",
}


def _error(status: int) -> OpenAPIResponse:
    code, fr, en = ERROR_EXAMPLES[status]
    return OpenAPIResponse(description=_DESCRIPTIONS[status], content={"application/json": OpenAPIMediaType(
        schema=ERROR_REF, examples={code: Example(value={"code": code, "message": fr, "message_en": en})})})


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Chorale API", version="0.1.0", path="/schema", use_handler_docstrings=True,
        description="The portal's JSON API: everything the interface does, an API client can do. Lists answer "
                    "`{items, next}`; send `next` back as `?cursor=` for the following page.",
        security=SESSION,  # type: ignore[arg-type]
        components=Components(security_schemes=SECURITY_SCHEMES, schemas={"ErrorBody": ERROR_SCHEMA}))  # type: ignore[arg-type]


def binary_upload(description: str) -> dict[str, Any]:
    """For a route whose body is the raw file (streamed to storage, never parsed): `document_routes` reads it."""
    return {"upload": description}


def file_response(description: str, media_type: str) -> dict[int, ResponseSpec]:
    return {200: ResponseSpec(data_container=bytes, media_type=media_type, description=description, generate_examples=False)}


def redirect_response(description: str) -> dict[int, ResponseSpec]:
    """A form post's answer: 303 to the next screen (the interface posts plain forms)."""
    return {303: ResponseSpec(data_container=None, description=description, media_type="text/plain", generate_examples=False)}


def _operation_class(*, anonymous: bool, errors: list[int], upload: str | None) -> type[Operation]:
    @dataclass
    class ChoraleOperation(Operation):
        def __post_init__(self) -> None:
            self.security = ANONYMOUS if anonymous else SESSION  # type: ignore[assignment]
            responses = dict(self.responses or {})
            for status in errors:
                responses[str(status)] = _error(status)
            for status, response in list(responses.items()):
                if isinstance(response, OpenAPIResponse) and response.content:
                    for media_type, media in response.content.items():
                        # a file's bytes: the OpenAPI way to say "binary"
                        if isinstance(media.schema, Schema) and (media.schema.content_media_type or (
                                media_type != "application/json" and media.schema.type == OpenAPIType.STRING)):
                            media.schema = Schema(type=OpenAPIType.STRING, format="binary")  # type: ignore[arg-type]
            self.responses = responses
            if upload is not None:
                self.request_body = RequestBody(required=True, description=upload, content={
                    "application/octet-stream": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING, format="binary"))})

    return ChoraleOperation


def _handlers(controller: Any) -> list[HTTPRouteHandler]:
    return [value for value in vars(controller).values() if isinstance(value, HTTPRouteHandler)] + [
        value for base in controller.__mro__[1:] for value in vars(base).values() if isinstance(value, HTTPRouteHandler)
        and value.handler_name not in vars(controller)]


def document_routes(controllers: list[Any]) -> None:
    """Give every route of these controllers its documented errors, security and file bodies."""
    for controller in controllers:
        for handler in _handlers(controller):
            params = inspect.signature(handler.fn).parameters
            anonymous = "principal" not in params
            methods = set(handler.http_methods)
            path = " ".join(handler.paths) + " " + str(getattr(controller, "path", ""))
            errors = [400, 429] if anonymous else [400, 401, 403]
            if "{" in path:
                errors.append(404)
            if methods & {"POST", "PUT", "PATCH", "DELETE"}:
                errors += [409, 422]
            upload = (handler.opt or {}).get("upload")
            if upload is not None:
                errors += [413, 415]
            handler.operation_class = _operation_class(anonymous=anonymous, errors=sorted(set(errors)), upload=upload)
