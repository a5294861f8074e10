"""ASGI entry point for uvicorn (or any ASGI server): `uvicorn backend.asgi:app`."""

from backend.app import create_app

app = create_app()
