"""A human check with no external service: an arithmetic question in words, answered once.

The expected answer is kept hashed in Redis with a short lifetime, so any app instance can check it
and a replayed answer fails.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from backend.infra.redis import get_redis
from shared.i18n import pick

LIFETIME_SECONDS = 600
_NUMBERS_FR = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze"]
_NUMBERS_EN = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


@dataclass(frozen=True)
class Challenge:
    id: str
    question_fr: str
    question_en: str

    def question(self, lang: str) -> str:
        return pick((self.question_fr, self.question_en), lang)


def _digest(challenge_id: str, answer: str) -> str:
    return hashlib.sha256(f"{challenge_id}:{answer.strip().lower()}".encode()).hexdigest()


def make_question(rng: secrets.SystemRandom | None = None) -> tuple[str, str, int]:
    rng = rng or secrets.SystemRandom()
    a, b = rng.randint(2, 12), rng.randint(1, 9)
    if rng.random() < 0.5 or a <= b:
        return (f"Combien font {_NUMBERS_FR[a]} plus {_NUMBERS_FR[b]} ? (en chiffres)",
                f"What is {_NUMBERS_EN[a]} plus {_NUMBERS_EN[b]}? (in digits)", a + b)
    return (f"Combien font {_NUMBERS_FR[a]} moins {_NUMBERS_FR[b]} ? (en chiffres)",
            f"What is {_NUMBERS_EN[a]} minus {_NUMBERS_EN[b]}? (in digits)", a - b)


async def new_challenge() -> Challenge:
    question_fr, question_en, answer = make_question()
    challenge_id = secrets.token_urlsafe(16)
    await get_redis().set(f"challenge:{challenge_id}", _digest(challenge_id, str(answer)), ex=LIFETIME_SECONDS)
    return Challenge(challenge_id, question_fr, question_en)


async def check_challenge(challenge_id: str, answer: str) -> bool:
    """True once for the right answer; the challenge is spent either way."""
    if not challenge_id:
        return False
    stored = await get_redis().getdel(f"challenge:{challenge_id}")
    return stored is not None and stored.decode() == _digest(challenge_id, answer)


def _pass_key(challenge_id: str) -> str:
    return f"challenge:passed:{challenge_id}"


async def pass_challenge(challenge_id: str, answer: str) -> bool:
    """Check the answer as soon as it is given (the sign-up's second step): the question is spent either
    way, and a right answer leaves a pass the sign-up itself accepts, so a later refusal (an e-mail already
    used, say) does not ask a person who answered right to answer again."""
    if not await check_challenge(challenge_id, answer):
        return False
    await get_redis().set(_pass_key(challenge_id), "1", ex=LIFETIME_SECONDS)
    return True


async def challenge_passed(challenge_id: str) -> bool:
    return bool(challenge_id) and bool(await get_redis().exists(_pass_key(challenge_id)))


async def spend_pass(challenge_id: str) -> None:
    """A pass serves one account: gone once the sign-up it was for has succeeded."""
    await get_redis().delete(_pass_key(challenge_id))
