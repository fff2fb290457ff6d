"""Row-level security, the database's tenancy backstop (PostgreSQL): SQL written by
hand, with no company filter at all, still sees and writes only the session's tenant's
rows, because every transaction carries the tenant to the database and every
tenant-owned table has a forced policy (gql/tenancy.py, gql/db/engine.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from gql.core.ids import new_id
from gql.db.tenant import set_tenant
from gql.tenancy import tables_without_row_level_security, tenant_tables
from tests.conftest import APP_ROLE, DATABASE_URL, IS_POSTGRES
from tests.factories import Api, Tenant, tenant_db

pytestmark = pytest.mark.skipif(
    not IS_POSTGRES,
    reason="row-level security is PostgreSQL's; on SQLite the ORM criterion is the only guard",
)

CONTACTS = "{ contacts { totalCount } }"
COUNT_CONTACTS = "SELECT count(*) FROM contact"
DOCUMENT_COMPANIES = "SELECT company_id FROM document"
SMUGGLE_TAX = (
    "INSERT INTO tax (id, created_at, updated_at, company_id, name, rate, type, enabled)"
    " VALUES (:id, now(), now(), :company_id, 'Smuggled', 0, 'normal', true)"
)
MOVE_CONTACTS = "UPDATE contact SET company_id = :company_id"
ROLE = "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
OWNED_TABLES = "SELECT count(*) FROM pg_tables WHERE tableowner = current_user"
PLATFORM_TABLES_WITH_RLS = (
    "SELECT relname FROM pg_class WHERE relname IN ('user', 'company', 'membership')"
    " AND relkind = 'r' AND (relrowsecurity OR relforcerowsecurity)"
)


async def _company_with_books(api: Api, contacts: int) -> Tenant:
    tenant = await api.register()
    made = [await api.contact(tenant) for _ in range(contacts)]
    await api.document(tenant, made[0]["id"])
    return tenant


@pytest.fixture(scope="module")
async def two_companies(api: Api) -> tuple[Tenant, Tenant]:
    return await _company_with_books(api, 2), await _company_with_books(api, 3)


@pytest.fixture
async def owner() -> AsyncIterator[AsyncConnection]:
    """A connection as the schema's owner (the catalogue is the same for everyone)."""
    engine = create_async_engine(DATABASE_URL)
    try:
        async with engine.connect() as conn:
            yield conn
    finally:
        await engine.dispose()


async def _raw(session: Any, sql: str, **params: Any) -> list[Any]:
    return list((await session.execute(text(sql), params)).scalars())


async def test_raw_sql_in_a_tenants_transaction_sees_only_that_tenants_rows(app, two_companies):
    # given two companies with contacts and an invoice each, made through the API
    first, second = two_companies
    # when each one's session runs SQL without any company filter
    for tenant, contacts in ((first, 2), (second, 3)):
        async with tenant_db(app, tenant.company_id) as session:
            counted = await _raw(session, COUNT_CONTACTS)
            companies = await _raw(session, DOCUMENT_COMPANIES)
        # then it sees its own rows and nobody else's
        assert counted == [contacts]
        assert companies == [tenant.company_id]


async def test_a_request_sends_tenant_and_timeout_in_one_bound_statement(
    api, two_companies, sql_counter
):
    # given a member of the first company
    first, _ = two_companies
    sql_counter.reset()
    # when they ask for their contacts
    data = await api.data(CONTACTS, tenant=first)
    # then one statement set both the tenant and the statement timeout, the tenant as a
    # bound parameter, never as SQL text
    assert data["contacts"]["totalCount"] == 2
    settings = [sql for sql in sql_counter.statements if "set_config" in sql]
    assert len(settings) == 1, sql_counter.statements
    assert "app.company_id" in settings[0] and "statement_timeout" in settings[0]
    assert first.company_id not in settings[0]


async def test_a_tenant_set_inside_an_open_transaction_applies_to_it(app, two_companies):
    # given a transaction that has already read as the first company
    first, second = two_companies
    async with tenant_db(app, first.company_id) as session:
        assert await _raw(session, DOCUMENT_COMPANIES) == [first.company_id]
        # when the session's tenant changes, and again to none, mid-transaction
        set_tenant(session, second.company_id)
        switched = await _raw(session, DOCUMENT_COMPANIES)
        set_tenant(session, None)
        unscoped = await _raw(session, DOCUMENT_COMPANIES)
    # then the database follows at once
    assert switched == [second.company_id]
    assert unscoped == []


async def test_a_session_without_a_tenant_sees_no_rows(app, two_companies):
    # given data in two companies
    # when a session without a tenant runs SQL without any company filter
    async with tenant_db(app, None) as session:
        counted = await _raw(session, COUNT_CONTACTS)
        companies = await _raw(session, DOCUMENT_COMPANIES)
    # then it sees nothing
    assert counted == [0]
    assert companies == []


async def test_raw_sql_cannot_write_a_row_into_another_company(app, two_companies):
    # given the first company's session
    first, second = two_companies
    async with tenant_db(app, first.company_id) as session:
        # when it inserts, by hand, a row carrying the second company's id
        with pytest.raises(DBAPIError, match="row-level security"):
            await session.execute(
                text(SMUGGLE_TAX), {"id": new_id(), "company_id": second.company_id}
            )
    async with tenant_db(app, first.company_id) as session:
        # or moves its own rows into the second company
        with pytest.raises(DBAPIError, match="row-level security"):
            await session.execute(text(MOVE_CONTACTS), {"company_id": second.company_id})
    # then the database refused both (WITH CHECK), and nothing moved
    async with tenant_db(app, second.company_id) as session:
        assert await _raw(session, COUNT_CONTACTS) == [3]


async def test_every_tenant_owned_table_has_row_level_security_enabled_and_forced(
    owner: AsyncConnection,
) -> None:
    # given the models' tenant-owned tables (and not the platform's)
    tables = tenant_tables()
    assert {"contact", "document", "module_license"} <= set(tables)
    assert not {"user", "company", "membership"} & set(tables)
    # then each has the tenant policy, with row-level security enabled and forced
    assert await owner.run_sync(tables_without_row_level_security) == []
    # and the platform tables (read before a tenant is known) have none
    assert list((await owner.execute(text(PLATFORM_TABLES_WITH_RLS))).scalars()) == []


async def test_the_app_connects_as_a_role_that_row_level_security_holds_for(app):
    # given the app's own session factory
    async with tenant_db(app, None) as session:
        # when it asks who it is
        user, superuser, bypass = (await session.execute(text(ROLE))).one()
        owned = await session.scalar(text(OWNED_TABLES))
    # then it is neither a superuser nor BYPASSRLS, and owns no table
    assert user == APP_ROLE
    assert (superuser, bypass) == (False, False)
    assert owned == 0
