"""The password policy: long enough, not common, not guessable from the person's own details."""

from __future__ import annotations

import re
from functools import cache

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MAX_LENGTH = 128
#: zxcvbn's scale: 3 is "safely unguessable" against an offline attack on a slow hash.
MIN_STRENGTH = 3
#: zxcvbn slows down on very long inputs; what matters for guessability is well inside this.
_SCORED_PREFIX = 64


@cache
def _common_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, user_inputs: list[str] | None = None) -> LazyString | None:
    """What is wrong with this password, in the user's language, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Use at most %(n)d characters.", n=MAX_LENGTH)
    if password.lower() in _common_passwords():
        return _l("This password is one of the most common ones. Choose another.")
    if (
        zxcvbn(password[:_SCORED_PREFIX], user_inputs=_personal_words(user_inputs or []))["score"]
        < MIN_STRENGTH
    ):
        return _l("This password is too easy to guess. A few unrelated words together work well.")
    return None


def _personal_words(values: list[str]) -> list[str]:
    """'Noa van Dijk', 'noa.vandijk@example.org' → the words and their run-together forms."""
    words: set[str] = set()
    for value in values:
        for chunk in value.lower().split("@"):
            parts = [part for part in re.split(r"[\s._+-]+", chunk) if part]
            words.update(parts)
            words.add("".join(parts))
    return sorted(words)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Same work as a real check, so a missing account does not answer faster.
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)


@cache
def _dummy_hash() -> str:
    return generate_password_hash("not-a-real-password-for-timing", method="scrypt")
