"""Row-level security on PostgreSQL: the database's own tenancy backstop.

The ORM criterion in gql/db/tenant.py filters every ORM statement; these policies make the
database refuse another company's rows to SQL built by hand as well (the compiler,
the reports). Each tenant-owned table admits only rows whose `company_id` equals the
transaction's `app.company_id` setting, which gql/db/engine.py sets from the session's
tenant at the start of each transaction (unset or empty: no rows at all).

Migration 0002 and the test harness (metadata.create_all) both build the policies
with `row_level_security_statements`, so the two schemas cannot differ. That makes
the statements part of migration 0002's contract: change them with a new revision.

SQLite has no row-level security; there the ORM criterion is the only guard, so SQL
built by hand (Core: the compiler, the reports, computed SQL) obtains every tenant-owned
table from `tenant_table`, which brings the tenant predicate with the alias.
tests/test_tenant_tables.py fails when code gets at a table another way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Select, Table, and_, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import aliased

from gql.db.columns import CompanyKeyed, TenantOwned

# The transaction-local setting the policies read (`current_setting(..., true)`: NULL
# when it was never set, which matches no row either).
TENANT_SETTING = "app.company_id"
POLICY = "tenant_isolation"
_CONDITION = f"company_id = current_setting('{TENANT_SETTING}', true)"


def tenant_tables() -> list[str]:
    """Names of the models' tenant-owned tables (every `TenantOwned` and `CompanyKeyed`
    table model)."""
    import gql.models  # noqa: F401  (every table model registered)

    def table_models(cls: type[Any]) -> Iterator[type[Any]]:
        for sub in cls.__subclasses__():
            if hasattr(sub, "__table__"):
                yield sub
            yield from table_models(sub)

    models = [*table_models(TenantOwned), *table_models(CompanyKeyed)]
    return sorted({mapped_table(model).name for model in models})


@cache
def _tenant_table_names() -> frozenset[str]:
    return frozenset(tenant_tables())


# --- the one way to a tenant-owned table in SQL built by hand ---------------------------------


@dataclass(frozen=True)
class TenantTable:
    """An alias of a tenant-owned table and the predicate that confines it to one company.

    Select FROM it with `select(...)` (the predicate comes with it); join it with
    `on(condition)` as the join's ON clause, so an outer join keeps its unmatched rows.
    """

    table: FromClause
    scope: ColumnElement[bool]

    @property
    def c(self) -> Any:
        return self.table.c

    def select(self, *columns: Any) -> Select[Any]:
        return select(*columns).select_from(self.table).where(self.scope)

    def on(self, condition: ColumnElement[bool]) -> ColumnElement[bool]:
        return and_(condition, self.scope)


def tenant_table(
    model: type[Any], tenant_id: str | ColumnElement[Any] | None, name: str | None = None
) -> TenantTable:
    """A fresh alias of `model`'s table with the predicate `company_id = tenant_id` (no
    tenant: a predicate no row meets). `tenant_id` may also be the `company_id` column of
    a row already confined to the tenant (a correlated subquery's outer row)."""
    table = mapped_table(model)
    if table.name not in _tenant_table_names():
        raise TypeError(f"{model.__name__} is not tenant-owned")
    alias = table.alias(name)
    return TenantTable(alias, alias.c.company_id == tenant_id)


def own_row(model: type[Any], tenant_id: str) -> TenantTable:
    """A fresh alias of the table whose rows are the tenants themselves (the companies)
    and the predicate `id = tenant_id`: the request's own row. (Not row-level secured:
    the predicate is its only guard, on both databases.)"""
    if "company_id" in mapped_table(model).c:
        raise TypeError(f"{model.__name__} is tenant-owned: use tenant_table")
    alias = mapped_table(model).alias()
    return TenantTable(alias, alias.c.id == tenant_id)


def orm_alias(model: type[Any], selectable: Any = None) -> Any:
    """An ORM alias of a tenant-owned model (optionally over `selectable`), for ORM
    statements only: the session's criterion (gql/db/tenant.py) scopes every alias of a
    tenant-owned entity the statement names."""
    return aliased(model, selectable)


def mapped_table(model: type[Any]) -> Table:
    """The model's own table, for its column metadata and for conditions inside ORM
    statements over the model (which the ORM criterion scopes). Core SQL that reads a
    tenant-owned table uses `tenant_table`."""
    return model.__table__  # type: ignore[no-any-return]


def row_level_security_statements(table: str) -> list[str]:
    """DDL that confines `table` to the transaction's tenant. FORCE: the table's owner
    is held to the policy too (superusers and BYPASSRLS roles still are not)."""
    return [
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY',
        f'CREATE POLICY {POLICY} ON "{table}" USING ({_CONDITION}) WITH CHECK ({_CONDITION})',
    ]


def drop_row_level_security_statements(table: str) -> list[str]:
    return [
        f'DROP POLICY IF EXISTS {POLICY} ON "{table}"',
        f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY',
        f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY',
    ]


def enable_row_level_security(conn: Connection) -> None:
    """Apply the policies to every tenant-owned table of the models (PostgreSQL only; a
    no-op elsewhere): for schemas made by create_all, as migrations would make them."""
    if conn.dialect.name != "postgresql":
        return
    for table in tenant_tables():
        for statement in row_level_security_statements(table):
            conn.exec_driver_sql(statement)


def app_role_grants(role: str) -> list[str]:
    """What the application's role needs on a schema the owner made: reading and
    writing rows, nothing more (no DDL, no ownership, so no way around the policies).
    The default privileges cover tables the owner creates later (migrations)."""
    rights = "SELECT, INSERT, UPDATE, DELETE"
    return [
        f'GRANT USAGE ON SCHEMA public TO "{role}"',
        f'GRANT {rights} ON ALL TABLES IN SCHEMA public TO "{role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {rights} ON TABLES TO "{role}"',
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "{role}"',
        *(s for table in APPEND_ONLY_TABLES for s in append_only_statements(table, role)),
    ]


# Tables whose rows the app writes and never changes: the audit trail.
APPEND_ONLY_TABLES = ("audit_event",)


def append_only_statements(table: str, role: str | None = None) -> list[str]:
    """No UPDATE, DELETE or TRUNCATE on `table` for `role` (the app's); without a role (a
    migration, which does not know its name), for every role but the owner that holds
    them (the default privileges granted them when the table was made)."""
    revoke = f'REVOKE UPDATE, DELETE, TRUNCATE ON "{table}" FROM'
    if role is not None:
        return [f'{revoke} "{role}"']
    return [
        "DO $$ DECLARE r record; BEGIN"
        " FOR r IN SELECT DISTINCT grantee FROM information_schema.role_table_grants"
        f"  WHERE table_schema = current_schema() AND table_name = '{table}'"
        "  AND grantee NOT IN (current_user, 'PUBLIC')"
        "  AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')"
        f" LOOP EXECUTE format('{revoke} %I', r.grantee); END LOOP; END $$"
    ]


def tables_without_row_level_security(conn: Connection) -> list[str]:
    """Tenant-owned tables that lack the policy, or where row-level security is not
    both enabled and forced (PostgreSQL only)."""
    rows = conn.execute(
        text(
            "SELECT c.relname FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()"
            " WHERE c.relkind = 'r' AND c.relrowsecurity AND c.relforcerowsecurity"
            " AND EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = n.nspname"
            "   AND p.tablename = c.relname AND p.policyname = :policy"
            "   AND p.qual LIKE :setting AND p.with_check LIKE :setting)"
        ),
        {"policy": POLICY, "setting": f"%{TENANT_SETTING}%"},
    )
    guarded = {name for (name,) in rows}
    return [table for table in tenant_tables() if table not in guarded]
