"""What every slice's schemas share: the conversion of a service's answer into its response Struct, the
error body, the small acknowledgements, and the one page shape with its one cursor codec.

Response Structs are declared after the JSON the routes always sent (the interface and API clients read
those names), so a service may keep returning plain dicts: `shape()` turns one into its Struct through its
JSON form, exactly as Litestar would have written it, and refuses a key the Struct does not declare — a
silently dropped field would change the interface's JSON behind everyone's back.
"""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec
from litestar.serialization import default_serializer

from shared.cursor import decode_cursor, encode_cursor

T = TypeVar("T")

# `kind | msgspec.UnsetType = msgspec.UNSET` declares a key some answers carry and others omit.
UNSET: Any = msgspec.UNSET
Unset = msgspec.UnsetType


class UndeclaredField(RuntimeError):
    """A service answered a key its response Struct lacks (a contract to update, never to drop)."""


def _missing_keys(sent: Any, kept: Any, where: str = "") -> list[str]:
    """The keys of `sent` that `kept` (the converted value: Structs, dicts, lists) has no place for. A Struct's
    fields are looked up by their JSON names, so a field left out for holding its default is not missing."""
    if isinstance(sent, dict) and isinstance(kept, msgspec.Struct):
        names = {field.encode_name: field.name for field in msgspec.structs.fields(kept)}
        return [m for key, value in sent.items()
                for m in ([f"{where}{key}"] if key not in names
                          else _missing_keys(value, getattr(kept, names[key]), f"{where}{key}."))]
    if isinstance(sent, dict) and isinstance(kept, dict):
        return [m for key, value in sent.items()
                for m in ([f"{where}{key}"] if key not in kept else _missing_keys(value, kept[key], f"{where}{key}."))]
    if isinstance(sent, list) and isinstance(kept, (list, tuple)):
        return [m for a, b in zip(sent, kept) for m in _missing_keys(a, b, f"{where}[]")]
    return []


def shape(value: Any, kind: type[T]) -> T:
    """`value` (dicts, rows, Structs) as `kind`, from the builtins the route's JSON would have held (Litestar's
    encoders for the types msgspec leaves to them, string keys), converted once — no JSON text in between."""
    sent = msgspec.to_builtins(value, enc_hook=default_serializer, str_keys=True)
    result = msgspec.convert(sent, kind)
    missing = _missing_keys(sent, result)
    if missing:
        raise UndeclaredField(f"{getattr(kind, '__name__', kind)} lacks {', '.join(missing[:5])}")
    return result


# Errors (their body's schema: backend/infra/openapi.py ERROR_SCHEMA) ------------------------------

# One real refusal per status, as the OpenAPI's example of it (code, French, English).
ERROR_EXAMPLES: dict[int, tuple[str, str, str]] = {
    400: ("requete_invalide", "La requête est invalide.", "The request is invalid."),
    401: ("non_connecte", "Veuillez vous connecter.", "Please log in."),
    403: ("acces_refuse", "Vous n'avez pas les droits nécessaires pour cette action.", "You do not have the rights needed for this action."),
    404: ("introuvable", "Ressource introuvable.", "Not found."),
    409: ("deja_traitee", "Cette facture a déjà été traitée par ailleurs : rechargez-la.", "This invoice was already handled elsewhere: reload it."),
    413: ("fichier_trop_volumineux", "Le fichier dépasse 30 Mo.", "The file exceeds 30 MB."),
    415: ("type_refuse", "Type de fichier refusé : les pièces jointes acceptées sont BMP, PNG, XML, CSV, TIF et PDF.",
          "File type refused: accepted attachments are BMP, PNG, XML, CSV, TIF and PDF."),
    422: ("champ_invalide", "La date de facture doit être au format JJ/MM/AAAA.", "The invoice date must be DD/MM/YYYY."),
    423: ("compte_verrouille", "Compte verrouillé après cinq échecs.", "Account locked after five failures."),
    429: ("trop_de_requetes", "Trop de tentatives : réessayez plus tard.", "Too many attempts: try again later."),
    503: ("base_indisponible", "Service momentanément indisponible.", "Service temporarily unavailable."),
}


# Small answers ------------------------------------------------------------------------------------

class Status(msgspec.Struct):
    """An acknowledgement: the new state, in the portal's words (`deverrouille`, `revoque`…)."""

    status: str


class Created(msgspec.Struct):
    """The id of what was just created (or saved)."""

    id: int


class Job(msgspec.Struct):
    """A background job's id, to follow on the live feed."""

    job: str


# One page shape, one cursor codec -------------------------------------------------------------------
# Every list answers {items, next}; `next` is an opaque cursor to send back as `?cursor=`. A cursor is
# signed: its values go into SQL as typed parameters, so a forged one must be refused before, never
# fail in PostgreSQL (the codec: shared/cursor.py). Each list's page Struct is `class XPage(msgspec.Struct): items: list[X]; next: str | None`.

MAX_ID = 2**63 - 1


def id_cursor(token: str | None) -> int | None:
    """The id a keyset-by-id list's cursor carries (None: first page)."""
    values = decode_cursor(token)
    if values and len(values) == 1 and isinstance(values[0], int) and 0 < values[0] <= MAX_ID:
        return values[0]
    return None


def paged(page: dict[str, Any], kind: type[T], encode=lambda nxt: encode_cursor([nxt])) -> T:
    """A service's {items, next} as its page Struct, `next` (a raw keyset value) as a signed cursor."""
    nxt = page.get("next")
    return shape({**page, "next": None if nxt is None else encode(nxt)}, kind)


def first_cursor(*tokens: str | int | None) -> str | None:
    """The cursor a client sent, under its name or one of the old ones (`after`, `before`, `curseur`)."""
    for token in tokens:
        if token not in (None, ""):
            return str(token)
    return None
