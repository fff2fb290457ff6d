"""Configuration from `LEDGERGRAPH_*` environment variables, with safe defaults."""

from __future__ import annotations

import os
import secrets
from functools import cached_property
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET_FILE = Path(".ledgergraph") / "jwt-secret"

# PostgreSQL is reached through psycopg 3 (its pipeline mode sends a read's statements
# in one round trip: gql/compiler/direct.py). URLs written for another driver, or for
# none, are read as psycopg's, so existing configurations keep working.
_POSTGRES_SCHEMES = ("postgres://", "postgresql://", "postgresql+asyncpg://")
POSTGRES_SCHEME = "postgresql+psycopg://"


def postgres_driver_url(url: str) -> str:
    for scheme in _POSTGRES_SCHEMES:
        if url.startswith(scheme):
            return POSTGRES_SCHEME + url[len(scheme) :]
    return url


def _dev_secret() -> str:
    """A secret generated once per working folder, so dev tokens survive restarts.

    Written to a private temp file and linked into place, so processes starting at
    once (uvicorn workers) agree on one secret and nobody can read it meanwhile."""
    if not DEV_SECRET_FILE.exists():
        DEV_SECRET_FILE.parent.mkdir(parents=True, exist_ok=True)
        tmp = DEV_SECRET_FILE.with_name(f"{DEV_SECRET_FILE.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
            os.link(tmp, DEV_SECRET_FILE)
        except FileExistsError:
            pass  # another process won; use its secret
        finally:
            tmp.unlink(missing_ok=True)
    return DEV_SECRET_FILE.read_text().strip()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LEDGERGRAPH_", extra="ignore")

    env: str = "development"
    database_url: str = "sqlite+aiosqlite:///./ledgergraph.db"
    # Migrations run as the schema's owner; the app's role (database_url) must be neither
    # a superuser nor BYPASSRLS, or PostgreSQL's row-level security does not hold for it.
    # Unset: migrations use database_url.
    migration_database_url: str | None = None
    jwt_secret: str | None = None
    jwt_algorithm: str = "HS256"
    token_lifetime_seconds: int = 60 * 60 * 12
    cors_origins: list[str] = Field(default_factory=list)
    log_level: str = "info"
    max_body_bytes: int = 1_000_000
    # The request line and headers together; larger heads get 431.
    max_header_bytes: int = 16_384
    max_page_size: int = 100
    default_page_size: int = 25
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 2000
    # Characters of the query text itself (values belong in variables): lexing is linear
    # but not free, and this keeps any document's parse within milliseconds.
    max_query_length: int = 65_536
    # The most rows a query may ask for in the worst case (product of page sizes).
    max_query_rows: int = 20_000
    # The most fields, directives and variable definitions a document may have once its
    # fragments are expanded, and the most operations it may define.
    max_query_fields: int = 1000
    # The highest calculated query cost a request may have (gql/core/query_cost.py): a
    # node of a connection costs about a row, so the same bound as max_query_rows.
    max_query_cost: int = 20_000
    max_query_operations: int = 20
    # How often one response name may be selected in one place (validation compares
    # those selections pairwise, so its cost grows with the square of this).
    max_field_repeats: int = 50
    # The longest text a search or other text filter may be (GraphQL filters, REST params).
    max_search_length: int = 200
    db_pool_size: int = 10
    # Wall-clock budget of one request (GraphQL or REST), in seconds: past it the client
    # gets TIMEOUT (504) and the request's transaction is rolled back.
    request_timeout_seconds: float = Field(default=5.0, gt=0)
    # Answer read queries with one SQL statement per root field where the schema
    # allows it (gql/compiler); off: every field goes through the resolvers.
    compiled_reads: bool = True
    # Trusted documents: only registered persisted documents run (gql/persisted_http.py);
    # free text only for company owners when env is "development".
    trusted_documents: bool = False
    # Deployment admins (may register persisted documents), by email; in development,
    # company owners may too.
    admin_emails: list[str] = Field(default_factory=list)
    # How long an idempotency key's first answer is kept for replays (gql/core/idempotency.py).
    idempotency_ttl_seconds: int = Field(default=24 * 60 * 60, gt=0)
    # Each company's leaky bucket of query cost (gql/core/throttle.py), shared by every
    # worker through the database: it holds at most `throttle_bucket_size` points and
    # refills at `throttle_restore_rate` points per second.
    throttle_enabled: bool = True
    throttle_bucket_size: int = Field(default=20_000, gt=0)
    throttle_restore_rate: int = Field(default=1000, gt=0)
    # A worker may hold this share of the bucket paid ahead, for its next compiled reads
    # of the company to spend without paying; a read checks in with the database at
    # least this often, topping them up by what was spent (gql/core/prepaid.py); a share
    # of 0 makes every read pay the database.
    throttle_prepay_share: float = Field(default=0.02, ge=0, le=0.1)
    throttle_prepay_seconds: float = Field(default=1.0, gt=0, le=60)
    # GraphQL subscriptions (gql/subscriptions): the most one WebSocket may hold open, and
    # the most one company may hold open on one server process; past them, a coded error.
    subscriptions_per_connection: int = Field(default=20, ge=1)
    subscriptions_per_company: int = Field(default=1000, ge=1)
    # Events a slow subscriber may have waiting before the oldest are dropped.
    subscription_queue_size: int = Field(default=100, ge=1)
    # The legacy graphql-ws protocol's keep-alive ("ka") interval; graphql-transport-ws
    # clients ping, and the server answers.
    subscription_keepalive_seconds: float = Field(default=15.0, gt=0)
    # Webhooks (gql/domains/events): the delivery worker runs inside the server unless
    # off (then run `ledgergraph webhooks run`); retries wait base x 2^(attempt-1).
    webhooks_worker_enabled: bool = True
    webhooks_allow_private_urls: bool = False
    webhooks_retry_base_seconds: float = Field(default=10.0, ge=0)
    webhooks_max_attempts: int = Field(default=8, ge=1)
    webhooks_disable_after_failures: int = Field(default=20, ge=1)
    webhooks_timeout_seconds: float = Field(default=5.0, gt=0)
    webhooks_poll_seconds: float = Field(default=2.0, gt=0)

    @property
    def is_production(self) -> bool:
        return self.env.lower() == "production"

    @property
    def migrations_url(self) -> str:
        return self.migration_database_url or self.database_url

    @field_validator("database_url", "migration_database_url")
    @classmethod
    def _use_psycopg(cls, url: str | None) -> str | None:
        return None if url is None else postgres_driver_url(url)

    @model_validator(mode="after")
    def _require_real_secret_in_production(self) -> Settings:
        if self.is_production and not self.jwt_secret:
            raise ValueError("LEDGERGRAPH_JWT_SECRET must be set when LEDGERGRAPH_ENV=production")
        if self.is_production and self.jwt_secret and len(self.jwt_secret) < 32:
            raise ValueError("LEDGERGRAPH_JWT_SECRET must be at least 32 characters")
        return self

    @cached_property
    def signing_secret(self) -> str:
        return self.jwt_secret or _dev_secret()
