"""The first visit of every request but a steady compiled read (gql/auth/first_visit.py):
the viewer, the tenant and the bucket's payment in one round trip on PostgreSQL, on the
driver without the ORM on both databases, and the same viewer the ORM resolves."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import delete, inspect

from gql.app import create_app
from gql.auth.first_visit import first_visit
from gql.auth.viewer import Viewer, resolve_viewer
from gql.core.ids import to_global_id
from gql.domains.companies.models import ModuleLicense
from gql.settings import Settings
from tests.conftest import IS_POSTGRES
from tests.factories import Api, Tenant, add_membership, tenant_db
from tests.test_direct_payment import sent_by
from tests.test_one_round_trip import answers_held, round_trips

CONTACTS = "{ contacts(first: 5) { totalCount nodes { name } } }"
CREATE = 'mutation { contactCreate(input: {name: "Ada"}) { contact { id } userErrors { code } } }'


@pytest.fixture(scope="module")
async def billed(settings: Settings, schema_ready: None) -> AsyncIterator[Any]:
    """An app on the resolver path that bills every request."""
    changed = {"compiled_reads": False, "throttle_enabled": True}
    application = create_app(settings.model_copy(update=changed))
    async with LifespanManager(application):
        yield application


@pytest.fixture
async def billed_api(billed: Any) -> AsyncIterator[Api]:
    transport = httpx.ASGITransport(app=billed)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield Api(client)


def _trips(path: str) -> list[list[str]]:
    """What the driver sent in each round trip, from libpq's trace: what goes out with
    no answer outstanding starts one, what goes out while one is travels with it."""
    trips: list[list[str]] = []
    pending: list[str] = []
    outstanding = 0
    # One message per entry (a statement's text may run over several lines).
    for entry in re.split(r"\n(?=\d{4}-\d\d-\d\d )", open(path).read()):
        fields = entry.split("\t")
        if len(fields) < 4:
            continue
        message = fields[3].strip()
        if fields[1] == "F":
            pending.append(entry)
            if message in ("Sync", "Query"):
                if outstanding == 0:
                    trips.append([])
                trips[-1].extend(pending)
                pending = []
                outstanding += 1
        elif message == "ReadyForQuery":
            outstanding -= 1
    return trips


def _first_trip_holds_the_visit(trips: list[list[str]]) -> None:
    first = " ".join(trips[0])
    for part in ("INSERT INTO rate_bucket", "BEGIN", "set_config", "module_license"):
        assert part in first, (part, trips[0])
    # the request's own statements follow in the transaction the visit began
    assert not any("BEGIN" in " ".join(trip) for trip in trips[1:]), trips


@pytest.mark.skipif(not IS_POSTGRES, reason="round trips: PostgreSQL")
@pytest.mark.parametrize("query", [CONTACTS, CREATE], ids=["resolver read", "mutation"])
async def test_viewer_tenant_and_payment_travel_in_one_round_trip(billed, billed_api, query):
    # given an owner on the resolver path, billed
    owner = await billed_api.register()
    await billed_api.gql(query, {}, owner)
    with round_trips(billed) as trips:
        trips.reset()
        # when they read or write
        async with answers_held("membership"):  # the payment's check reads it first
            body = await billed_api.gql(query, {}, owner)
        # then the payment, BEGIN, the check with the tenant and the viewer's row went
        # out in the request's first round trip, and its statements went on in that
        # transaction
        _first_trip_holds_the_visit(_trips(trips.path))
    assert "errors" not in body, body
    assert body["extensions"]["cost"]["throttleStatus"] is not None


async def test_the_visit_runs_on_the_driver_past_the_orm(billed, billed_api):
    # given an owner, billed, on the resolver path and over REST
    owner = await billed_api.register()
    for request in (
        lambda: billed_api.gql(CONTACTS, {}, owner),
        lambda: billed_api.rest("GET", "/api/contacts", owner),
    ):
        with sent_by(billed) as sent:
            # when they read
            await request()
        # then the viewer and the payment went on the driver: PostgreSQL the payment's
        # check and payment, the check and the viewer's row; SQLite the row and payment
        assert sent.payments == 1
        assert len(sent.direct) == (4 if IS_POSTGRES else 2), [s.text for s in sent.direct]
        orm = " ".join(sent.through_sqlalchemy)
        assert "membership" not in orm and "module_license" not in orm


def _as_dict(viewer: Viewer) -> dict[str, Any]:
    values = asdict(viewer)
    for name in ("user", "company"):
        row = getattr(viewer, name)
        values[name] = None if row is None else row.model_dump()
        assert row is None or inspect(row).detached  # as the ORM's, after expunge
    return values


async def test_the_viewer_is_the_one_the_orm_resolves(app, api):
    # given an owner of two companies (the second a member's role), and a stranger's
    owner, other, stranger = await api.register(), await api.register(), await api.register()
    await add_membership(app, user_id=owner.user_id, company_id=other.company_id, role="viewer")
    # (whose licenses: one running out tomorrow, one ran out an hour ago, one off)
    now = datetime.now(UTC)
    async with tenant_db(app, other.company_id) as session:
        for alias, enabled, expires in (
            ("crm", True, now + timedelta(days=1)),
            ("payroll", True, now - timedelta(hours=1)),
            ("banking", False, None),
        ):
            await session.execute(
                delete(ModuleLicense).where(ModuleLicense.alias == alias)  # type: ignore[arg-type]
            )
            session.add(ModuleLicense(alias=alias, enabled=enabled, expires_at=expires))
        await session.commit()
    cases: list[tuple[Tenant | None, str | None]] = [
        (owner, None),
        (owner, owner.company_id),
        (owner, other.company_id),
        (owner, to_global_id("Company", other.company_id)),
        (owner, stranger.company_id),
        (owner, "not an id"),
        (None, None),
    ]
    for tenant, header in cases:
        user_id = tenant.user_id if tenant else "000000000000000000000000"
        # when the first visit and the ORM resolve the same request's viewer
        async with app.state.sessions() as session:
            visited = await first_visit(
                session, user_id=user_id, auth_error=None, company_header=header
            )
        async with app.state.sessions() as session:
            resolved = await resolve_viewer(
                session, user_id=user_id, auth_error=None, company_header=header
            )
        # then they are the same
        assert _as_dict(visited.viewer) == _as_dict(resolved), header
        if header == other.company_id:
            modules = visited.viewer.enabled_modules
            assert "crm" in modules and not {"payroll", "banking"} & modules
        assert visited.paid is None
