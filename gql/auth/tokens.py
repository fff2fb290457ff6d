"""JWT access tokens (pyjwt): HS256, carrying sub, iat, exp and jti."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import jwt

from gql.core.lru import LRU
from gql.settings import Settings


class InvalidToken(Exception):
    """The token is expired, tampered with, wrongly signed or malformed."""


def issue_token(settings: Settings, user_id: str) -> tuple[str, datetime]:
    now = datetime.now(UTC)
    expires = now + timedelta(seconds=settings.token_lifetime_seconds)
    claims = {"sub": user_id, "iat": now, "exp": expires, "jti": uuid.uuid4().hex}
    return jwt.encode(claims, settings.signing_secret, algorithm=settings.jwt_algorithm), expires


def verify_token(settings: Settings, token: str) -> str:
    """The user id in a valid token. Only the configured algorithm is accepted, which
    also refuses `alg: none`."""
    return _verified(settings, token)[0]


def verify_token_expiry(settings: Settings, token: str) -> tuple[str, float]:
    """The user id in a valid token and when it expires (POSIX time): a WebSocket that
    authenticated with it is closed then."""
    return _verified(settings, token)


def _verified(settings: Settings, token: str) -> tuple[str, float]:
    """(the user id, the expiry as a POSIX time) of a valid token."""
    try:
        claims = jwt.decode(
            token,
            settings.signing_secret,
            algorithms=[settings.jwt_algorithm],
            options={"require": ["sub", "iat", "exp", "jti"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise InvalidToken("token has expired") from exc
    except jwt.PyJWTError as exc:
        raise InvalidToken("token is invalid") from exc
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise InvalidToken("token is invalid")
    # pyjwt checks exp is ahead and iat not in the future; a token signed to outlive the
    # configured lifetime (a leaked secret, a lowered setting) is still refused.
    if int(claims["exp"]) - int(claims["iat"]) > settings.token_lifetime_seconds:
        raise InvalidToken("token lives longer than tokens may")
    return subject, float(claims["exp"])


class TokenVerifier:
    """`verify_token`, remembering the tokens it found valid until they expire: a
    client sends the same token with every request, and the same string carries the
    same signature, so checking it again could only find it expired (checked here)."""

    def __init__(self, settings: Settings, size: int = 4096) -> None:
        self.settings = settings
        self._valid: LRU[str, tuple[str, float]] = LRU(maxsize=size)  # token -> (user, exp)

    def verify(self, token: str) -> str:
        known = self._valid.get(token)
        if known is not None and known[1] > time.time():
            return known[0]
        user_id, expires = _verified(self.settings, token)
        self._valid.put(token, (user_id, expires))
        return user_id
