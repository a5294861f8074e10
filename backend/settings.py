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


def _tristate(name: str) -> bool | None:
    raw = os.environ.get(name, "").strip().lower()
    return None if raw in ("", "auto") else raw in {"1", "true", "yes", "on"}


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
    # The development mailbox (`/courriels`, GET /api/dev/mailbox) shows every activation and reset link to
    # anyone: off unless asked for (`just run` with the demo turns it on, and so do the tests).
    # Rate limits on logins, resets, sign-ups and the live check (off only for the test suite's many logins).
    rate_limits: bool = field(default_factory=lambda: _flag("CHORALE_RATE_LIMITS", True))
    dev_mailbox: bool = field(default_factory=lambda: _flag("CHORALE_DEV_MAILBOX", False))
    # Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated; default
    # none): from anyone else the header is the client's own writing (rate limits, the support journal).
    trusted_proxies: str = field(default_factory=lambda: _env("CHORALE_TRUSTED_PROXIES", ""))
    base_url: str = field(default_factory=lambda: _env("BASE_URL", ""))
    # Webhooks to plain HTTP on this machine (127.0.0.1, localhost): the demo and the tests; never elsewhere.
    webhook_loopback: bool = field(default_factory=lambda: _flag("CHORALE_WEBHOOK_LOOPBACK", False))
    smtp_host: str = field(default_factory=lambda: _env("SMTP_HOST"))
    smtp_port: int = field(default_factory=lambda: int(_env("SMTP_PORT", "25")))
    smtp_user: str = field(default_factory=lambda: _env("SMTP_USER"))
    smtp_password: str = field(default_factory=lambda: _env("SMTP_PASSWORD"))
    mail_from: str = field(default_factory=lambda: _env("MAIL_FROM", "Chorale <no-reply@chorale.local>"))
    log_level: str = field(default_factory=lambda: _env("LOG_LEVEL", "INFO"))
    # Secure cookie and HSTS: None (unset, "auto") follows the request's scheme (https directly or from a
    # trusted proxy's X-Forwarded-Proto); 1 always (TLS ends at a proxy uvicorn does not trust); 0 never.
    secure_cookies: bool | None = field(default_factory=lambda: _tristate("CHORALE_SECURE_COOKIES"))
    max_upload_bytes: int = 30 * 1024 * 1024
    # Small bodies everywhere except upload routes, which raise their own limit and stream to disk.
    max_body_bytes: int = 1 * 1024 * 1024

    @property
    def mailbox_open(self) -> bool:
        """Whether the development mailbox answers: asked for, and mail is not really sent."""
        return self.dev_mailbox and not self.smtp_host

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
