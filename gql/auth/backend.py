"""Starlette authentication backend: verifies the bearer token, nothing more.

It never rejects a request by itself: public paths (login, register, GraphiQL) must
work with a stale token, so the outcome is recorded and enforced per path/field.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.authentication import AuthCredentials, AuthenticationBackend, BaseUser
from starlette.requests import HTTPConnection

from gql.auth.tokens import InvalidToken, TokenVerifier
from gql.settings import Settings


@dataclass
class TokenUser(BaseUser):
    user_id: str | None
    error: str | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def display_name(self) -> str:
        return self.user_id or ""

    @property
    def identity(self) -> str:
        return self.user_id or ""


class JWTBackend(AuthenticationBackend):
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.tokens = TokenVerifier(settings)

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser]:
        header = conn.headers.get("authorization")
        if not header:
            return AuthCredentials(), TokenUser(None, "authentication required")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return AuthCredentials(), TokenUser(None, "expected 'Authorization: Bearer <token>'")
        try:
            user_id = self.tokens.verify(token.strip())
        except InvalidToken as exc:
            return AuthCredentials(), TokenUser(None, str(exc))
        return AuthCredentials(["authenticated"]), TokenUser(user_id)
