"""Accounts: who a person is (identity, credentials, sessions, sign-up, Mon compte).

Direction of dependencies between accounts, structures and support (issue 13): support imports accounts
and structures, structures imports accounts; accounts imports neither (checked by the acyclic-slices
contract in `.importlinter`).
- Structures and every other slice import from accounts the identity kernel: `identity` (the Principal,
  the session cookie), `guards` (what stays blocked while support acts as a user: support reads from the
  slices that check it, so the check cannot live in support), `services`, `store`.
- What accounts needs from the slices above it is handed in once by the composition root
  (`backend/domain/middleware.py` configures `accounts.ports`): the grants column read with the
  session's user (structures owns grants), whether an impersonation is still open (support), and the
  structures' rows sign-up writes and Mon compte reads (`structures.store`, the only code on those tables).
"""
