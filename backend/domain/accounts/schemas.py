from __future__ import annotations

from dataclasses import dataclass

from backend.domain.accounts.identity import Principal


@dataclass
class LoginForm:
    email: str
    password: str
    next: str | None = None


@dataclass
class Me:
    user_id: int
    email: str
    display_name: str
    lang: str
    is_support: bool
    impersonator_email: str | None

    @classmethod
    def of(cls, principal: Principal) -> "Me":
        return cls(user_id=principal.user_id, email=principal.email, display_name=principal.display_name,
                   lang=principal.lang, is_support=principal.is_support, impersonator_email=principal.impersonator_email)
