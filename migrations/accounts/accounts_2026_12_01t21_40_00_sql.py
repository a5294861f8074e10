from backend.infra.migrations import sql_migration

ID = "2026-12-01T21:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "what the accounts tables need and Piccolo cannot express: checks, a two-column index"

forwards = sql_migration("accounts", ID, DESCRIPTION, """
-- Logins compare e-mails as typed lowercase: the database refuses any other spelling.
ALTER TABLE user_account ADD CONSTRAINT user_account_email_check CHECK (email = lower(email));
-- Piccolo's choices are not enforced by the database: these checks are.
ALTER TABLE user_account ADD CONSTRAINT user_account_lang_check CHECK (lang IN ('fr', 'en'));
ALTER TABLE user_account ADD CONSTRAINT user_account_status_check CHECK (status IN ('en_attente', 'actif', 'verrouille'));
ALTER TABLE account_token ADD CONSTRAINT account_token_kind_check CHECK (kind IN ('activation', 'reinitialisation'));
-- A user's live tokens of one kind are looked up (and revoked) together: Piccolo indexes one column only.
CREATE INDEX account_token_user ON account_token (user_id, kind);
""")
