"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from innochain.errors import InvalidInput

__all__ = ["MIN_LENGTH", "check_strength", "hash_password", "needs_rehash", "verify_password"]

MIN_LENGTH = 10
_hasher = PasswordHasher()


def check_strength(password: str) -> None:
    """Refuse passwords that are too short or all one character class.

    >>> check_strength("correct horse battery")
    >>> check_strength("short")
    Traceback (most recent call last):
    ...
    innochain.errors.InvalidInput: password: at least 10 characters
    """
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"password: at least {MIN_LENGTH} characters")
    if len(password) > 1024:
        raise InvalidInput("password: at most 1024 characters")
    if password.isdigit() or len(set(password)) < 4:
        raise InvalidInput("password: too easy to guess (use a few words or varied characters)")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether the password matches; a missing hash never matches (but costs the same time)."""
    try:
        if stored_hash is None:
            _hasher.hash(password)
            return False
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
