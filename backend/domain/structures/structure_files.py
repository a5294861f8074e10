"""A structure's pièces-jointes (the guide's « Créer une pièce-jointe », « Télécharger une pièce-jointe »):
documents the structure keeps, not rattachements. Create (upload), list, download, delete.

Access through the policy, as the rest of the organisation: Action.ORGANISATION_MODIFY (« Organisation
modification ») adds and deletes, Action.ORGANISATION_READ (« Organisation consultation ») lists and
downloads; another structure's users get 404; support acting as a user changes nothing unless actions
were enabled with their second confirmation. The file checks are the invoice files' (infra.uploads: 30 MB,
BMP, PNG, XML, CSV, TIFF or PDF by content). Every change is journaled.

No orphan: the file is written before its row and removed if the row's transaction fails; a deleted row's
file goes once the deletion committed (a process killed in between leaves a stray file, which the
cleanup job sweeps, as for the lots)."""

from __future__ import annotations

from collections.abc import AsyncIterable
from typing import Any

from backend.domain.accounts.identity import Principal
from backend.domain.structures import organisation, store
from backend.domain.structures.permissions import Action
from backend.infra import storage
from backend.infra.database import transaction
from backend.infra.errors import DomainError, NotFound
from backend.infra.files import CONTENT_TYPES
from backend.infra.uploads import clean_name, store_attachment

AREA = "structures"  # storage area of the structures' pièces-jointes (swept by structures.jobs)
DESIGNATION_MAX = 200


def _view(row: store.StructureFile) -> dict[str, Any]:
    return {name: getattr(row, name) for name in store.StructureFileEntry.__struct_fields__}


def _designation(designation: str | None, name: str) -> str:
    text = " ".join((designation or "").split())
    if len(text) > DESIGNATION_MAX:
        raise DomainError("champ_trop_long", "designation")
    return text or name


async def add_file(principal: Principal, structure_id: int, chunks: AsyncIterable[bytes], *, content_length: int | None,
                   name: str | None, designation: str | None = None) -> dict[str, Any]:
    """« Créer une pièce-jointe »: the file as uploaded, with its designation (the file name by default)."""
    await organisation.require_on(principal, structure_id, Action.ORGANISATION_MODIFY)  # before a byte is stored
    original_name = clean_name(name)
    label = _designation(designation, original_name)
    stored, kind = await store_attachment(chunks, content_length=content_length, area=AREA)
    try:
        async with transaction():
            row = await store.add_structure_file(structure_id, original_name=original_name, designation=label,
                                                 content_type=CONTENT_TYPES[kind], size=stored.size, sha256=stored.sha256,
                                                 storage_key=stored.key, uploaded_by=principal.user_id)
            await organisation.record(principal, structure_id, "piece_jointe_ajoutee", file=original_name, designation=label,
                                      size=stored.size)
    except BaseException:
        storage.delete(stored.key)  # the row never committed: the file goes too
        raise
    return _view(row)


async def files(principal: Principal, structure_id: int) -> list[dict[str, Any]]:
    await organisation.require_on(principal, structure_id, Action.ORGANISATION_READ)
    return [_view(row) for row in await store.structure_files(structure_id)]


async def file_for_download(principal: Principal, structure_id: int, file_id: int) -> store.StructureFile:
    await organisation.require_on(principal, structure_id, Action.ORGANISATION_READ)
    row = await store.structure_file(structure_id, file_id)
    if row is None or not storage.exists(row.storage_key):
        raise NotFound("fichier")
    return row


async def delete_file(principal: Principal, structure_id: int, file_id: int) -> None:
    await organisation.require_on(principal, structure_id, Action.ORGANISATION_MODIFY)
    async with transaction():
        row = await store.delete_structure_file(structure_id, file_id)
        if row is None:
            raise NotFound("fichier")
        await organisation.record(principal, structure_id, "piece_jointe_supprimee", file=row.original_name,
                                  designation=row.designation)
    storage.delete(row.storage_key)  # after commit: a rolled-back deletion keeps its file
