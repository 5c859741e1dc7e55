"""Argon2id password hashing, off the event loop and bounded in how many run at once."""

from __future__ import annotations

import anyio
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# RFC 9106 "low memory" profile: Argon2id, 64 MiB, 3 passes, 4 lanes (argon2-cffi's default).
_hasher = PasswordHasher()

# Each hash holds 64 MiB while it runs: two at a time per worker bounds a login burst to 128 MiB.
_slots = anyio.CapacityLimiter(2)

# Verified against when the username is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("no such user: the same work as a real check")

MIN_LENGTH = 8


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(_hasher.hash, password, limiter=_slots)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; an unknown user (None) costs the same and fails."""

    def verify() -> bool:
        try:
            return (
                _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
            )
        except (VerificationError, InvalidHashError):
            return False

    return await anyio.to_thread.run_sync(verify, limiter=_slots)
