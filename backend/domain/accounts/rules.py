"""Account rules with no I/O: passwords, e-mails, lock-out, link lifetimes."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.errors import DomainError

PASSWORD_MIN_LENGTH = 12
MAX_FAILED_LOGINS = 5
MAX_RESET_ANSWERS = 5  # wrong secret answers a reset link survives
LOCKOUT = timedelta(minutes=15)
ACTIVATION_LINK_LIFETIME = timedelta(hours=48)
RESET_LINK_LIFETIME = timedelta(hours=2)
SESSION_LIFETIME = timedelta(hours=8)

# Rate limits (hits, window in seconds): the lock-out stops guessing one password; these stop spraying many
# accounts from one address, flooding one mailbox with reset links, and scripted sign-ups.
LOGINS_PER_ADDRESS = (10, 15 * 60)
LOGINS_PER_IP = (30, 15 * 60)
RESETS_PER_ADDRESS = (3, 60 * 60)
SIGNUPS_PER_IP = (5, 60 * 60)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RuleViolation(DomainError):
    """An account rule refused (e-mail, password…)."""


def normalise_email(value: str) -> str:
    return value.strip().lower()


def check_email(value: str) -> str:
    email = normalise_email(value)
    if len(email) > 254 or not _EMAIL.match(email):
        raise RuleViolation('email_invalide', "email")
    return email


def password_classes(password: str) -> int:
    """How many of the four classes (upper, lower, digit, special) the password uses."""
    return sum((
        any(c.isupper() for c in password),
        any(c.islower() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() or c in string.punctuation for c in password),
    ))


def password_strength(password: str) -> int:
    """0–4, for the live meter: length and variety, never a substitute for the rule itself."""
    if not password:
        return 0
    score = min(password_classes(password), 4)
    if len(password) < PASSWORD_MIN_LENGTH:
        return min(score, 1)
    if len(password) >= 16:
        score += 1
    return max(1, min(score, 4))


def check_password(password: str, confirmation: str | None = None) -> None:
    if len(password) < PASSWORD_MIN_LENGTH or password_classes(password) < 3:
        raise RuleViolation('mot_de_passe_faible', "password")
    if confirmation is not None and confirmation != password:
        raise RuleViolation('confirmation_differente', "confirmation")


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and locked_until > now


def after_failed_login(failed_logins: int, now: datetime) -> tuple[int, datetime | None]:
    """The new failure count and, at the limit, until when the account is locked."""
    count = failed_logins + 1
    if count >= MAX_FAILED_LOGINS:
        return 0, now + LOCKOUT
    return count, None


def reset_link_spent_by_failure(failed_answers: int) -> bool:
    """Whether one more wrong answer (after `failed_answers`) kills the reset link."""
    return failed_answers + 1 >= MAX_RESET_ANSWERS


def normalise_secret_answer(answer: str) -> str:
    """Answers are compared without case, accents or extra spaces: people retype them approximately."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", answer).encode("ascii", "ignore").decode()
    return " ".join(folded.lower().split())
