"""JWT access tokens (pyjwt): HS256, carrying sub, iat, exp and jti."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt

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
    return subject
