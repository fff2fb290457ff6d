"""Webhook endpoints: register, change, remove; the secret is generated here and shown
once (in webhookCreate's payload and POST /api/webhooks' answer)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from pydantic import Field
from sqlalchemy import ColumnElement, delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from gql.compiler.sqlenv import SqlEnv
from gql.core.errors import ErrorCode, UserInputError
from gql.core.inputs import InputModel, require_not_null, require_row, validate
from gql.domains.events.models import WebhookDelivery, WebhookEndpoint
from gql.domains.events.outbox import EventType
from gql.domains.events.urls import RefusedUrl, check_url
from gql.settings import Settings

ENDPOINT_ORDER_COLUMNS = {"created_at": WebhookEndpoint.created_at, "url": WebhookEndpoint.url}
DELIVERY_ORDER_COLUMNS = {
    "created_at": WebhookDelivery.created_at,
    "next_attempt_at": WebhookDelivery.next_attempt_at,
}


class WebhookCreate(InputModel):
    url: str = Field(max_length=2000)
    event_types: list[EventType] = Field(min_length=1, max_length=len(EventType))
    active: bool = True


class WebhookUpdate(InputModel):
    url: str | None = Field(default=None, max_length=2000)
    event_types: list[EventType] | None = Field(
        default=None, min_length=1, max_length=len(EventType)
    )
    active: bool | None = None


@dataclass(frozen=True)
class CreatedWebhook:
    webhook: WebhookEndpoint
    secret: str


@dataclass(frozen=True)
class EndpointFilter:
    active: bool | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        return [] if self.active is None else [col(WebhookEndpoint.active) == self.active]


@dataclass(frozen=True)
class DeliveryFilter:
    endpoint_id: str | None = None
    status: str | None = None
    event_id: int | None = None

    def conditions(self, env: SqlEnv) -> list[ColumnElement[bool]]:
        found = []
        if self.endpoint_id is not None:
            found.append(col(WebhookDelivery.endpoint_id) == self.endpoint_id)
        if self.status is not None:
            found.append(col(WebhookDelivery.status) == self.status)
        if self.event_id is not None:
            found.append(col(WebhookDelivery.event_id) == self.event_id)
        return found


async def _checked_url(url: str, settings: Settings) -> str:
    try:
        await check_url(url, allow_private=settings.webhooks_allow_private_urls)
    except RefusedUrl as exc:
        raise UserInputError.single("url", str(exc), ErrorCode.INVALID) from None
    return url


def _types(types: list[Any]) -> list[str]:
    return sorted({EventType(t).value for t in types})


async def get_webhook(*, session: AsyncSession, id: str) -> WebhookEndpoint:
    return await require_row(session, WebhookEndpoint, id, path=("id",), what="Webhook")


async def create_webhook(
    *, session: AsyncSession, settings: Settings, data: dict[str, Any]
) -> CreatedWebhook:
    payload = validate(WebhookCreate, data)
    secret = "whsec_" + secrets.token_hex(32)
    webhook = WebhookEndpoint(  # type: ignore[call-arg]  # company_id: stamped by the tenant filter
        url=await _checked_url(payload.url, settings),
        event_types=_types(payload.event_types),
        active=payload.active,
        secret=secret,
    )
    session.add(webhook)
    await session.flush()
    return CreatedWebhook(webhook, secret)


async def update_webhook(
    *, session: AsyncSession, settings: Settings, id: str, data: dict[str, Any]
) -> WebhookEndpoint:
    webhook = await get_webhook(session=session, id=id)
    values = validate(WebhookUpdate, data).model_dump(exclude_unset=True)
    require_not_null(WebhookUpdate, values, "url", "event_types", "active")
    if "url" in values:
        webhook.url = await _checked_url(values["url"], settings)
    if "event_types" in values:
        webhook.event_types = _types(values["event_types"])
    if values.get("active") is True and not webhook.active:
        # Switched back on: a fresh count, so one more failure does not disable it again.
        webhook.consecutive_failures = 0
        webhook.disabled_at = None
    if "active" in values:
        webhook.active = values["active"]
    await session.flush()
    return webhook


async def delete_webhook(*, session: AsyncSession, id: str) -> WebhookEndpoint:
    webhook = await get_webhook(session=session, id=id)
    await session.execute(
        delete(WebhookDelivery).where(col(WebhookDelivery.endpoint_id) == webhook.id)
    )
    await session.delete(webhook)
    await session.flush()
    return webhook
