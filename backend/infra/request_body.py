"""The HTTP side of file routes: streaming an upload's request body (invoices, lots, sollicitations) and naming
a download."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import quote

from litestar import Request
from litestar.exceptions import InternalServerException

from backend.infra.errors import DomainError
from backend.infra.files import MAX_UPLOAD_BYTES

# The body limit of an upload route only: the file plus room for the request itself. Bigger bodies
# are cut by Litestar; the services refuse anything past 30 MB with their own message first.
UPLOAD_BODY_LIMIT = MAX_UPLOAD_BYTES + 1024 * 1024


async def request_chunks(request: Request) -> AsyncIterator[bytes]:
    """The request body as it arrives; a client gone midway (« Annuler l'envoi ») is an expected outcome."""
    try:
        async for chunk in request.stream():
            yield chunk
    except InternalServerException:
        raise DomainError('envoi_interrompu', "file", status_code=400) from None


def content_disposition(name: str) -> str:
    """An attachment's Content-Disposition: an ASCII fallback for old clients, the UTF-8 name for the others."""
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "'").replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
