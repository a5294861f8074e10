from piccolo.columns import JSONB, BigInt, Boolean, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table


class UserAccount(Table, tablename="user_account"):
    """A person who logs in (compte utilisateur)."""

    email = Varchar(length=254, unique=True, help_text="Login e-mail, lowercase")
    contact_email = Varchar(length=254, null=True, help_text="Where notifications go, when not the login")
    first_name = Varchar(length=100)
    last_name = Varchar(length=100)
    lang = Varchar(length=2, default="fr")
    status = Varchar(length=20, default="en_attente", help_text="en_attente | actif | verrouille")
    password_hash = Text(null=True)
    secret_question = Text(null=True)
    secret_answer_hash = Text(null=True)
    failed_logins = Integer(default=0)
    locked_until = Timestamptz(null=True, default=None)
    is_support = Boolean(default=False)
    is_admin = Boolean(default=False)
    notify_all = Boolean(default=True)
    notify_billing = Boolean(default=True)
    consent_survey = Boolean(default=False)
    purposes = JSONB(default=[])
    created_at = Timestamptz()
    activated_at = Timestamptz(null=True, default=None)
    last_login_at = Timestamptz(null=True, default=None)


class AccountToken(Table, tablename="account_token"):
    """A single-use link (activation, password reset); only its hash is stored."""

    user_id = BigInt()
    kind = Varchar(length=20, help_text="activation | reinitialisation")
    token_hash = Varchar(length=64, unique=True)
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()
