"""JSON routes of sign-up, activation, password reset, Mon compte and the development mailbox."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, patch, post
from litestar.params import Parameter

from backend.domain.accounts import profile, signup
from backend.domain.accounts.challenge import new_challenge
from backend.domain.accounts.identity import Principal, with_session_cookie
from backend.domain.accounts.schemas import (Account, AccountUpdate, Activated, Activation, ActivationDetails, Challenge,
                                             EmailOnly, IdentifierCheck, MailboxEntry, PasswordChange, PasswordReset,
                                             RegisteredStructure, ResetQuestion, ResetRequest, ResetRequested, SignupOutcome)
from backend.domain.directory.schemas import Establishment
from backend.infra.schemas import Status, shape
from backend.domain.notifications.services import mailbox
from backend.infra.errors import NotFound, lang_of
from backend.infra.rate_limit import peer_address
from backend.settings import get_settings
from shared.i18n_accounts import secret_question_text


class SignupController(Controller):
    path = "/api/accounts"
    tags = ["comptes"]

    @get("/challenge", operation_id="newChallenge")
    async def challenge(self) -> Challenge:
        found = await new_challenge()
        return Challenge(id=found.id, question=found.question_fr, question_en=found.question_en)

    @post("/signup", operation_id="signup", status_code=201)
    async def signup(self, request: Request, data: signup.SignupData) -> SignupOutcome:
        outcome = await signup.signup(data, peer_address(request.scope))
        return SignupOutcome(status="courriel_envoye", creator=outcome.creator)

    @post("/signup/details-check", operation_id="checkSignupDetails", status_code=200)
    async def check_details(self, data: signup.SignupData) -> Status:
        """Sign-up's second step, checked at that step: the details, then the verification answer (a right
        answer leaves a pass the sign-up accepts; a wrong one spends the question: ask a new one)."""
        await signup.check_details(data)
        return Status(status="verifie")

    @post("/identifier-check", operation_id="checkSignupIdentifier", status_code=200)
    async def check_identifier(self, data: IdentifierCheck) -> Establishment | None:
        """Sign-up's identifier, checked as the form is filled: the establishment for a SIRET (open, in the
        register), null for the other identifier types."""
        found = await signup.check_identifier(data.identifier_type, data.identifier)
        return None if found is None else shape(found.to_dict(), Establishment)

    @post("/registered-structure", operation_id="registeredStructure", status_code=200)
    async def registered(self, data: IdentifierCheck) -> RegisteredStructure | None:
        """The structure already registered under this identifier (sign-up then asks to join it, its
        details not asked again), null when the identifier is new."""
        return shape(await signup.registered_structure(data.identifier_type, data.identifier), RegisteredStructure | None)

    @get("/activation", operation_id="activationDetails")
    async def activation(self, token: str = Parameter(max_length=200)) -> ActivationDetails:
        """Whom an activation link is for (the activation screen greets them)."""
        return shape(await signup.activation_details(token), ActivationDetails)

    @post("/activate", operation_id="activate", status_code=200)
    async def activate(self, data: Activation) -> Activated:
        email = await signup.activate(data.token, data.password, data.confirmation, data.secret_question, data.secret_answer)
        return Activated(email=email, status="actif")

    @post("/password-reset", operation_id="requestPasswordReset", status_code=202)
    async def request_reset(self, data: ResetRequest) -> ResetRequested:
        await signup.request_password_reset(data.email)
        return ResetRequested(message="Si un compte existe pour cette adresse, un courriel vient de lui être envoyé.")

    @get("/password-reset/question", operation_id="passwordResetQuestion")
    async def reset_question(self, request: Request, token: str = Parameter(max_length=200)) -> ResetQuestion:
        """The secret question a reset link asks before the new password, in the request's language."""
        return ResetQuestion(question=secret_question_text(await signup.reset_question(token), lang_of(request)))

    @post("/password-reset/confirm", operation_id="resetPassword", status_code=200)
    async def reset(self, data: PasswordReset) -> EmailOnly:
        return EmailOnly(email=await signup.reset_password(data.token, data.secret_answer, data.password, data.confirmation))

    @get("/me", operation_id="myAccount")
    async def me(self, principal: Principal) -> Account:
        return shape(await profile.my_account(principal), Account)

    @patch("/me", operation_id="updateMyAccount")
    async def update_me(self, principal: Principal, data: AccountUpdate) -> Account:
        await profile.update_details(principal, **{name: getattr(data, name) for name in data.__struct_fields__})
        return shape(await profile.my_account(principal), Account)

    @post("/me/password", operation_id="changePassword", status_code=200)
    async def change_password(self, principal: Principal, data: PasswordChange) -> Response[Status]:
        token = await profile.change_password(principal, data.current, data.password, data.confirmation)
        return with_session_cookie(Response(Status(status="modifie")), token)


class MailboxController(Controller):
    """The development mailbox: only in development or demonstration (`Settings.mailbox_open`): it lists
    every activation and reset link, to anyone."""

    path = "/api/dev/mailbox"
    tags = ["développement"]

    @get("/", operation_id="devMailbox")
    async def list_mail(self, to: str | None = None) -> list[MailboxEntry]:
        if not get_settings().mailbox_open:
            raise NotFound()
        return shape(await mailbox(to), list[MailboxEntry])
