"""JSON routes of sign-up, activation, password reset, Mon compte and the development mailbox."""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Controller, get, patch, post

from backend.domain.accounts import profile, signup
from backend.domain.accounts.challenge import new_challenge
from backend.domain.accounts.identity import Principal
from backend.domain.notifications.services import mailbox
from backend.infra.errors import NotFound
from backend.settings import get_settings


@dataclass
class ActivationForm:
    token: str
    password: str
    confirmation: str
    secret_question: str
    secret_answer: str


@dataclass
class ResetRequest:
    email: str


@dataclass
class ResetForm:
    token: str
    secret_answer: str
    password: str
    confirmation: str


@dataclass
class PasswordChange:
    current: str
    password: str
    confirmation: str


@dataclass
class AccountUpdate:
    first_name: str | None = None
    last_name: str | None = None
    contact_email: str | None = None
    lang: str | None = None
    notify_all: bool | None = None
    notify_billing: bool | None = None
    notify_digest: bool | None = None


class SignupController(Controller):
    path = "/api/accounts"
    tags = ["comptes"]

    @get("/challenge", operation_id="newChallenge")
    async def challenge(self) -> dict:
        found = await new_challenge()
        return {"id": found.id, "question": found.question_fr, "question_en": found.question_en}

    @post("/signup", operation_id="signup", status_code=201)
    async def signup(self, data: signup.SignupData) -> dict:
        outcome = await signup.signup(data)
        return {"user_id": outcome.user_id, "structure_id": outcome.structure_id, "creator": outcome.creator}

    @post("/activate", operation_id="activate", status_code=200)
    async def activate(self, data: ActivationForm) -> dict:
        email = await signup.activate(data.token, data.password, data.confirmation, data.secret_question, data.secret_answer)
        return {"email": email, "status": "actif"}

    @post("/password-reset", operation_id="requestPasswordReset", status_code=202)
    async def request_reset(self, data: ResetRequest) -> dict:
        await signup.request_password_reset(data.email)
        return {"message": "Si un compte existe pour cette adresse, un courriel vient de lui être envoyé."}

    @post("/password-reset/confirm", operation_id="resetPassword", status_code=200)
    async def reset(self, data: ResetForm) -> dict:
        return {"email": await signup.reset_password(data.token, data.secret_answer, data.password, data.confirmation)}

    @get("/me", operation_id="myAccount")
    async def me(self, principal: Principal) -> dict:
        return await profile.my_account(principal)

    @patch("/me", operation_id="updateMyAccount")
    async def update_me(self, principal: Principal, data: AccountUpdate) -> dict:
        await profile.update_details(principal, **data.__dict__)
        return await profile.my_account(principal)

    @post("/me/password", operation_id="changePassword", status_code=200)
    async def change_password(self, principal: Principal, data: PasswordChange) -> dict:
        await profile.change_password(principal, data.current, data.password, data.confirmation)
        return {"status": "modifie"}

    @post("/attachment-requests/{request_id:int}/{decision:str}", operation_id="decideAttachment", status_code=200)
    async def decide(self, principal: Principal, request_id: int, decision: str) -> dict:
        if decision not in ("approve", "refuse"):
            raise NotFound()
        await profile.decide_attachment(principal, request_id, decision == "approve")
        return {"status": "approuve" if decision == "approve" else "detache"}


class MailboxController(Controller):
    """The development mailbox: only when no SMTP server is configured (mail then stays here)."""

    path = "/api/dev/mailbox"
    tags = ["développement"]

    @get("/", operation_id="devMailbox")
    async def list_mail(self, to: str | None = None) -> list[dict]:
        if get_settings().smtp_host:
            raise NotFound()
        return await mailbox(to)
