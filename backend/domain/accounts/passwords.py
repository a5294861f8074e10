"""Password and secret-answer hashing (Argon2id, the current recommendation for stored secrets)."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


# A hash no password matches, verified when a login names an unknown address: Argon2's cost is then paid on
# every path, so the answer's timing does not reveal which addresses have an account.
UNKNOWN_ADDRESS_HASH = _hasher.hash("no account has this password: " + __name__)


def verify_secret(stored_hash: str | None, secret: str) -> bool:
    if not stored_hash:
        return False
    try:
        return _hasher.verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


# Argon2 takes tens of milliseconds of CPU on purpose (far more on a loaded machine): run on the event loop
# it stalls every request of the instance, so the request paths hash in a thread (argon2-cffi releases the GIL).
async def verify_in_thread(stored_hash: str | None, secret: str) -> bool:
    return await asyncio.to_thread(verify_secret, stored_hash, secret)


async def hash_in_thread(secret: str) -> str:
    return await asyncio.to_thread(hash_secret, secret)
