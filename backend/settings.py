"""One typed settings object, read from the environment once per process."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=lambda: _env("DATABASE_URL"))
    redis_url: str = field(default_factory=lambda: _env("REDIS_URL"))
    host: str = field(default_factory=lambda: _env("HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: int(_env("PORT", "8000")))
    # Tokens signed with a key every instance shares; a random per-process key would log users out
    # whenever a request lands on another instance, so production must set it.
    secret_key: str = field(default_factory=lambda: _env("SECRET_KEY") or _dev_secret())
    data_dir: Path = field(default_factory=lambda: Path(_env("CHORALE_DATA_DIR", str(ROOT / ".data"))))
    storage_dir: Path = field(
        default_factory=lambda: Path(_env("STORAGE_DIR", str(ROOT / ".data" / "storage")))
    )
    demo: bool = field(default_factory=lambda: _flag("CHORALE_DEMO", True))
    base_url: str = field(default_factory=lambda: _env("BASE_URL", ""))
    smtp_host: str = field(default_factory=lambda: _env("SMTP_HOST"))
    smtp_port: int = field(default_factory=lambda: int(_env("SMTP_PORT", "25")))
    smtp_user: str = field(default_factory=lambda: _env("SMTP_USER"))
    smtp_password: str = field(default_factory=lambda: _env("SMTP_PASSWORD"))
    mail_from: str = field(default_factory=lambda: _env("MAIL_FROM", "Chorale <no-reply@chorale.local>"))
    log_level: str = field(default_factory=lambda: _env("LOG_LEVEL", "INFO"))
    max_upload_bytes: int = 30 * 1024 * 1024
    # Small bodies everywhere except upload routes, which raise their own limit and stream to disk.
    max_body_bytes: int = 1 * 1024 * 1024

    @property
    def public_url(self) -> str:
        return self.base_url or f"http://{self.host}:{self.port}"


def _dev_secret() -> str:
    """A key kept under the data folder so restarts and sibling processes agree on it."""
    path = Path(_env("CHORALE_DATA_DIR", str(ROOT / ".data"))) / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
