"""One line per structure a user is attached to, as support reads it (Support's user detail, a request's
context): its name and identifier, the rattachement's state, « gestionnaire principal », the profiles —
each in the reader's language, never the stored codes."""

from __future__ import annotations

import shared.i18n_organisation  # noqa: F401
from shared.applications import Application, Level
from shared.i18n import t


def profiles_text(profiles: str, lang: str) -> str:
    """`profiles` as the API gives it (« factures_emises modification, organisation consultation »), in words."""
    words = []
    for profile in filter(None, (p.strip() for p in profiles.split(","))):
        application, _, level = profile.partition(" ")
        try:
            words.append(f"{Application(application).label(lang)} {Level(level).label(lang)}")
        except ValueError:
            words.append(profile)
    return ", ".join(words)


def attachment_summary(attachment: dict, lang: str) -> str:
    parts = [f"{attachment['raison_sociale']} ({attachment['identifier']})", t(f"attach.status.{attachment['status']}", lang)]
    if attachment["is_principal"]:
        parts.append(t("org.principal", lang))
    if attachment["profiles"]:
        parts.append(profiles_text(attachment["profiles"], lang))
    return " — ".join(parts)
