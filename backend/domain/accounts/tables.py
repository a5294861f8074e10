"""The accounts slice's tables: user accounts and their single-use tokens.

The source of truth of their schema; migrations/accounts is generated from it, plus what Piccolo cannot
express (checks, a two-column index) in the slice's raw-SQL migration.
"""

from piccolo.columns import JSONB, BigSerial, Boolean, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table


class UserAccount(Table, tablename="user_account"):
    """A person who logs in (compte utilisateur)."""

    id = BigSerial(primary_key=True)
    email = Varchar(length=254, unique=True, default=None, help_text="Login e-mail, lowercase (checked)")
    contact_email = Varchar(length=254, null=True, default=None, help_text="Where notifications go, when not the login")
    first_name = Varchar(length=100, default=None)
    last_name = Varchar(length=100, default=None)
    lang = Varchar(length=2, default="fr", help_text="Interface and mail language: fr | en (checked)")
    status = Varchar(length=20, default="en_attente", help_text="en_attente | actif | verrouille (checked)")
    password_hash = Text(null=True, default=None, help_text="Argon2 hash; null until activation")
    secret_question = Text(null=True, default=None)
    secret_answer_hash = Text(null=True, default=None, help_text="Argon2 hash of the normalised answer")
    failed_logins = Integer(default=0, help_text="Consecutive failed logins, reset by a successful one")
    locked_until = Timestamptz(null=True, default=None, help_text="Logins refused until then")
    is_support = Boolean(default=False, help_text="A support agent: may impersonate users")
    is_admin = Boolean(default=False)
    notify_all = Boolean(default=True, help_text="Mail for every notification")
    notify_billing = Boolean(default=True, help_text="Mail for billing events")
    consent_survey = Boolean(default=False)
    purposes = JSONB(default="[]", help_text="What the user said they use the portal for, at signup")
    created_at = Timestamptz()
    activated_at = Timestamptz(null=True, default=None)
    last_login_at = Timestamptz(null=True, default=None)
    notify_digest = Boolean(default=False, help_text="One daily digest instead of a mail per notification")
    session_version = Integer(default=0, help_text="Sessions signed with an older version are revoked (logout, new password)")


class AccountToken(Table, tablename="account_token"):
    """A single-use link (activation, password reset); only its hash is stored."""

    id = BigSerial(primary_key=True)
    user_id = ForeignKey(UserAccount, null=False, on_delete=OnDelete.cascade, help_text="Gone with its account")
    kind = Varchar(length=20, default=None, help_text="activation | reinitialisation (checked)")
    token_hash = Varchar(length=64, unique=True, default=None, help_text="SHA-256 of the token sent by mail")
    expires_at = Timestamptz(default=None)
    used_at = Timestamptz(null=True, default=None, help_text="Set when used: a token works once")
    created_at = Timestamptz()
    failed_answers = Integer(default=0, help_text="Wrong secret answers given with this reset link; it dies at the limit")
