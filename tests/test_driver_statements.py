"""The resolver path's statements on the driver (gql/core/driver_sql.py, row_pages.py):
a root page's light rows read as the ORM's entities do, its cached text serves each
company its own rows, a driver statement that opens a transaction carries the tenant
(row-level security), and a driver error arrives as SQLAlchemy's."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import exc, select, text
from sqlalchemy import inspect as sa_inspect

from gql.core.driver_sql import driver_rows
from gql.core.graph import list_page
from gql.core.pagination import PageArgs
from gql.core.rows import LightRow
from gql.db.driver import DriverTemplate
from gql.domains.documents.models import Document
from gql.domains.documents.schema import DOCUMENTS
from gql.domains.documents.service import DocumentFilter
from tests.conftest import database_url
from tests.factories import Api, tenant_db

ISSUE = """mutation($input: DocumentIdInput!) { documentIssue(input: $input) {
  userErrors { field message code } } }"""


def _columns(model: type[Any]) -> list[str]:
    return [prop.key for prop in sa_inspect(model).column_attrs]


async def _invoices(api: Api, count: int) -> Any:
    tenant = await api.register()
    contact = await api.contact(tenant)
    for n in range(count):
        doc = await api.document(
            tenant, contact["id"], lines=[{"name": "x", "unitPrice": f"{n}.5"}]
        )
        await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, tenant)
    return tenant


async def test_root_page_light_rows_read_as_the_orm_entities_do(api: Api, app: Any) -> None:
    # given two companies with issued invoices
    mine, theirs = await _invoices(api, 3), await _invoices(api, 2)
    invoices = DocumentFilter(kind="invoice")
    args = PageArgs(first=2, after=1)  # the second and third invoices

    for tenant, total in ((mine, 3), (theirs, 2), (mine, 3)):  # the last from the cache
        async with tenant_db(app, tenant.company_id) as session:
            # when a root page is read as light rows, and through the ORM
            light = await list_page(session, DOCUMENTS, args, where=invoices, light=True)
            orm = await list_page(session, DOCUMENTS, args, where=invoices)

            # then it is the same page of the company's own rows, each column the same
            # value of the same type
            assert (
                (light.total, light.positions)
                == (orm.total, orm.positions)
                == (total, [2, 3][: total - 1])
            )
            assert [row.id for row in light.rows] == [row.id for row in orm.rows]
            for row, entity in zip(light.rows, orm.rows, strict=True):
                assert isinstance(row, LightRow) and entity.company_id == tenant.company_id
                for name in _columns(Document):
                    mine_value, orm_value = getattr(row, name), getattr(entity, name)
                    assert (type(mine_value), mine_value) == (type(orm_value), orm_value), name

    # and past the end the page is empty, its total still owed
    async with tenant_db(app, theirs.company_id) as session:
        past = await list_page(session, DOCUMENTS, PageArgs(first=2, after=5), light=True)
        assert (past.rows, past.total) == ([], 2)


async def test_a_driver_error_arrives_as_sqlalchemys(app: Any) -> None:
    # given a statement the database refuses
    dialect = app.state.engine.dialect
    broken = DriverTemplate.compile(text("SELECT no_such_column FROM document"), dialect)

    # when it runs on the driver, then it raises SQLAlchemy's wrapper of the driver's error
    async with tenant_db(app, None) as session:
        with pytest.raises(exc.DBAPIError):
            await driver_rows(session, broken, {})


@pytest.mark.skipif(
    not database_url().startswith("postgresql"), reason="row-level security is PostgreSQL's"
)
async def test_a_driver_statement_opening_a_transaction_carries_the_tenant(
    api: Api, app: Any
) -> None:
    # given two companies with an invoice each, and a statement with no tenant predicate
    mine, theirs = await _invoices(api, 1), await _invoices(api, 1)
    every = DriverTemplate.compile(
        select(Document.__table__.c.company_id), app.state.engine.dialect
    )

    # when it is the first statement of a company's transaction, run on the driver
    async with tenant_db(app, mine.company_id) as session:
        rows, _ = await driver_rows(session, every, {})

    # then row-level security let it read the company's rows only
    assert {row[0] for row in rows} == {mine.company_id}
    assert theirs.company_id != mine.company_id
