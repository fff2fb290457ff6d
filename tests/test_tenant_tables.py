"""Tenant-owned tables in SQL built by hand come only from `tenant_table` (gql/tenancy.py),
which brings the tenant predicate with the alias.

Statically: no module of gql/ but gql/tenancy.py reaches a model's table (`__table__`) or
makes an alias (`.alias(...)`, `aliased(...)`) itself. At run time: every statement the
compiled read path and the reports send names, for every tenant-owned table it reads, the
predicate `company_id = <the request's tenant>` (in its WHERE or in the ON of the join
that brings the table in). ORM entities of a statement the session executes are left to
the session's ORM criterion (gql/db/tenant.py); the compiled path runs its statements on the
connection, where no criterion applies.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Alias, Join, Select, Table, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, BooleanClauseList
from sqlalchemy.sql.visitors import iterate

from gql.core.loaders import ByForeignKeyLoader, ByIdLoader, OneByForeignKeyLoader, rows_select
from gql.domains.documents.models import Document
from gql.tenancy import tenant_table, tenant_tables
from tests.factories import Api, Tenant

GQL = Path(__file__).resolve().parent.parent / "gql"
FACTORY = GQL / "tenancy.py"
TENANT_TABLES = frozenset(tenant_tables())

COMPILED = """{
  documents(first: 5, filter: {overdue: false}) { totalCount nodes {
    number amountDue { amount } contact { name documents(first: 2) { totalCount } }
    lines { name item { name } tax { name } } payments { amount { amount } account { name } }
    voucher { number lines { account { code balance } } } } }
  accounts(first: 5) { nodes { name balance { amount } ledgerAccount { code balance } } }
  vouchers(first: 5, filter: {accountCode: "1"}) { nodes { number lines { debit } } }
  ledgerAccounts(first: 5) { nodes { code balance parent { code } children { code } } }
}"""
REPORTS = """query($contactId: ID!) { company { reports {
  trialBalance { totalDebit { amount } rows { code } }
  profitAndLoss { netProfit { amount } }
  balanceSheet { totalAssets { amount } }
  receivablesAgeing { totals { total { amount } } }
  payablesAgeing { totals { total { amount } } }
  contactStatement(contactId: $contactId, from: "2000-01-01") { closingBalance { amount } }
} } }"""
ERRORS = "userErrors { field message code }"
ISSUE = f"mutation($input: DocumentIdInput!) {{ documentIssue(input: $input) {{ {ERRORS} }} }}"
ACCOUNT = f"""mutation($input: AccountCreateInput!) {{ accountCreate(input: $input) {{
  account {{ id }} {ERRORS} }} }}"""
PAY = f"""mutation($input: DocumentPaymentCreateInput!) {{ documentPaymentCreate(input: $input) {{
  transaction {{ id }} {ERRORS} }} }}"""


# --- statically: who reaches tables ---------------------------------------------------------


def table_reaches(source: str) -> list[tuple[int, str]]:
    """(line, what) for each `__table__`, `.alias(...)` and `aliased(...)` in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "__table__":
            found.append((node.lineno, "__table__"))
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "alias":
                found.append((node.lineno, ".alias()"))
            elif isinstance(func, ast.Name | ast.Attribute) and (
                getattr(func, "id", None) == "aliased" or getattr(func, "attr", None) == "aliased"
            ):
                found.append((node.lineno, "aliased()"))
    return found


def test_the_scan_finds_every_way_to_a_table() -> None:
    source = (
        "t = Document.__table__\n"
        "a = t.alias()\n"
        "b = aliased(Document)\n"
        "c = orm.aliased(Document)\n"
        "d = Document.id\n"
    )
    assert table_reaches(source) == [
        (1, "__table__"),
        (2, ".alias()"),
        (3, "aliased()"),
        (4, "aliased()"),
    ]


def test_only_the_factory_reaches_tables() -> None:
    # given every module of gql/ but the factory's own
    offenders = [
        f"{path.relative_to(GQL.parent)}:{line}: {what}"
        for path in sorted(GQL.rglob("*.py"))
        if path != FACTORY
        for line, what in table_reaches(path.read_text())
    ]

    # then none reaches a table but through gql/tenancy.py
    assert offenders == [], "use tenant_table / orm_alias / mapped_table (gql/tenancy.py)"


# --- at run time: every tenant-owned table read carries the tenant ------------------------------


def _conjuncts(clause: Any) -> Iterator[Any]:
    if isinstance(clause, BooleanClauseList) and clause.operator is operators.and_:
        for part in clause.clauses:
            yield from _conjuncts(part)
    elif clause is not None:
        yield clause


def _leaves(from_: Any, ons: list[Any]) -> Iterator[Any]:
    """The tables and aliases of a FROM item; the ON clauses of its joins go to `ons`."""
    if isinstance(from_, Join):
        ons.append(from_.onclause)
        yield from _leaves(from_.left, ons)
        yield from _leaves(from_.right, ons)
    else:
        yield from_


def _tenant_table_name(from_: Any) -> str | None:
    table = from_.element if isinstance(from_, Alias) else from_
    if isinstance(table, Table) and table.name in TENANT_TABLES:
        return table.name
    return None


def _company_of(value: Any) -> Any:
    """The FROM item whose `company_id` column `value` is, else None."""
    return value.table if getattr(value, "name", None) == "company_id" else None


def _scoped(conditions: list[Any], tenant: str, params: dict[str, Any]) -> set[int]:
    """ids of the FROM items the conditions confine to `tenant`: by `company_id = tenant`
    (the parameter's value in the statement, or as sent in `params`), or by
    `company_id = <company_id of an item so confined>` (a correlated subquery)."""
    scoped: set[int] = set()
    links: list[tuple[Any, Any]] = []
    for clause in conditions:
        for c in _conjuncts(clause):
            if not (isinstance(c, BinaryExpression) and c.operator is operators.eq):
                continue
            left, right = _company_of(c.left), c.right
            if left is None:
                continue
            if isinstance(right, BindParameter) and tenant in (
                right.effective_value,
                params.get(right.key),
            ):
                scoped.add(id(left))
            elif _company_of(right) is not None:
                links.append((left, _company_of(right)))
    grew = True
    while grew:
        grew = False
        for left, right in links:
            if id(right) in scoped and id(left) not in scoped:
                scoped.add(id(left))
                grew = True
    return scoped


def unscoped_tables(
    statement: Any, tenant: str, *, orm_scoped: bool = False, params: dict[str, Any] | None = None
) -> list[str]:
    """Tenant-owned tables that `statement` reads without the tenant predicate; with
    `orm_scoped`, the tables of ORM entities are left to the ORM criterion (aliases are
    not: tenant_table makes aliases). A correlated subquery lists its outer tables among
    its FROMs, so a predicate counts wherever in the statement it confines its table."""
    read: list[Any] = []
    conditions: list[Any] = []
    for element in iterate(statement):
        if isinstance(element, Select):
            ons: list[Any] = []
            read.extend(leaf for from_ in element.get_final_froms() for leaf in _leaves(from_, ons))
            conditions.extend([element.whereclause, *ons])
    scoped = _scoped(conditions, tenant, params or {})
    missing = []
    for leaf in {id(leaf): leaf for leaf in read}.values():
        name = _tenant_table_name(leaf)
        if name is None or id(leaf) in scoped:
            continue
        if orm_scoped and isinstance(leaf, Table):
            continue  # an ORM entity's own table (Core has no other way to it)
        missing.append(name)
    return sorted(missing)


def is_hand_built(statement: Any) -> bool:
    """Whether `statement` reads a tenant-owned table as Core (not as an ORM entity)."""
    return any(
        isinstance(element, Alias | Table)
        and _tenant_table_name(element) is not None
        and "parententity" not in element._annotations
        for element in iterate(statement)
    )


@dataclass
class Sent:
    statement: Any
    through_session: bool  # the session's ORM criterion applies to its ORM entities
    params: dict[str, Any]  # the parameters it was executed with


@contextmanager
def statements_sent(app: Any) -> Iterator[list[Sent]]:
    """Every statement the app's engine executes meanwhile."""
    sent: list[Sent] = []
    through_session: set[int] = set()

    def record_session(state: Any) -> None:
        # Called after gql/db/tenant.py's hook, so this is the statement with the criterion.
        through_session.add(id(state.statement))

    def record(
        conn: Any, statement: Any, multiparams: Any, params: Any, execution_options: Any
    ) -> None:
        if isinstance(statement, Select):
            given = multiparams[0] if multiparams else params
            sent.append(Sent(statement, id(statement) in through_session, dict(given or {})))

    engine = app.state.engine.sync_engine
    event.listen(Session, "do_orm_execute", record_session)
    event.listen(engine, "before_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_execute", record)
        event.remove(Session, "do_orm_execute", record_session)


def test_the_check_sees_a_table_without_its_tenant() -> None:
    # given a raw alias, a factory's table joined without its predicate, and one with it
    raw = Document.__table__.alias()  # type: ignore[attr-defined]
    scoped, other = tenant_table(Document, "t1"), tenant_table(Document, "t1")
    unscoped_join = scoped.select(scoped.c.id).select_from(
        scoped.table.outerjoin(other.table, other.c.id == scoped.c.parent_id)
    )
    scoped_join = scoped.select(scoped.c.id).select_from(
        scoped.table.outerjoin(other.table, other.on(other.c.id == scoped.c.parent_id))
    )

    # then the check reports exactly the tables read without the tenant
    assert unscoped_tables(select(raw.c.id), "t1") == ["document"]
    assert unscoped_tables(select(raw.c.id).where(raw.c.company_id == "t2"), "t1") == ["document"]
    assert unscoped_tables(unscoped_join, "t1") == ["document"]
    assert unscoped_tables(scoped_join, "t1") == []
    assert unscoped_tables(scoped.select(scoped.c.id), "t2") == ["document"]


async def _books(api: Api) -> tuple[Tenant, str]:
    """A company with an issued invoice, a part payment and a bank account; its contact."""
    tenant = await api.register(name="Scoped books")
    contact = await api.contact(tenant)
    doc = await api.document(tenant, contact["id"])
    await api.mutate("documentIssue", ISSUE, {"id": doc["id"]}, tenant)
    account = await api.mutate("accountCreate", ACCOUNT, {"name": "Bank", "type": "BANK"}, tenant)
    payment = {"documentId": doc["id"], "accountId": account["account"]["id"], "amount": "40"}
    await api.mutate("documentPaymentCreate", PAY, payment, tenant)
    return tenant, contact["id"]


def _check(sent: list[Sent], tenant: Tenant) -> None:
    assert any(is_hand_built(s.statement) for s in sent), "no statement built by hand was sent"
    for s in sent:
        missing = unscoped_tables(
            s.statement, tenant.company_id, orm_scoped=s.through_session, params=s.params
        )
        assert missing == [], f"{missing} read without the tenant in:\n{s.statement}"


async def test_compiled_statements_carry_the_tenant_for_every_table(api: Api, app: Any) -> None:
    # given books in a company
    tenant, _ = await _books(api)

    # when a wide query goes through the compiled read path
    with statements_sent(app) as sent:
        data = await api.data(COMPILED, tenant=tenant)

    # then it answered, and every table each statement read is confined to the company
    assert data["documents"]["totalCount"] == 1
    assert data["documents"]["nodes"][0]["amountDue"] == {"amount": "60.00"}
    _check(sent, tenant)


async def test_report_statements_carry_the_tenant_for_every_table(api: Api, app: Any) -> None:
    # given books in a company
    tenant, contact_id = await _books(api)

    # when every report is asked for
    with statements_sent(app) as sent:
        data = await api.data(REPORTS, {"contactId": contact_id}, tenant)

    # then they answered, and every table each statement read is confined to the company
    reports = data["company"]["reports"]
    assert reports["receivablesAgeing"]["totals"]["total"]["amount"] == "60.00"
    assert reports["contactStatement"]["closingBalance"]["amount"] == "60.00"
    _check(sent, tenant)


def _row_loaders() -> Iterator[type[Any]]:
    """Every row loader class of the schema's areas."""
    import gql.schema  # noqa: F401  (every area's loaders defined)

    def below(cls: type[Any]) -> Iterator[type[Any]]:
        for sub in cls.__subclasses__():
            if "model" in vars(sub):
                yield sub
            yield from below(sub)

    for base in (ByIdLoader, ByForeignKeyLoader, OneByForeignKeyLoader):
        yield from below(base)


async def test_resolver_loaders_statements_carry_the_tenant_for_every_table(
    api: Api, resolver_app: Any, resolver_client: Any
) -> None:
    # given books in a company
    tenant, _ = await _books(api)

    # when the wide query goes through the resolvers, whose loaders run their statements'
    # text on the driver (past SQLAlchemy's execute, where no ORM criterion applies)
    with statements_sent(resolver_app) as sent:
        data = await Api(resolver_client).data(COMPILED, tenant=tenant)

    # then it answered without a row statement through SQLAlchemy's execute,
    assert data["documents"]["nodes"][0]["amountDue"] == {"amount": "60.00"}
    assert data["documents"]["nodes"][0]["lines"][0]["name"]
    assert all(s.through_session or not is_hand_built(s.statement) for s in sent)
    # and every table each row loader's statement reads, on either dialect, is confined
    # to the company (the tenant as the loaders send it)
    loaders = list(_row_loaders())
    assert len(loaders) > 50
    dialects = (postgresql.psycopg.dialect(), sqlite.aiosqlite.dialect())
    for loader in loaders:
        for dialect in dialects:
            statement = rows_select(loader, dialect)
            missing = unscoped_tables(
                statement, tenant.company_id, params={"tenant": tenant.company_id}
            )
            assert missing == [], f"{loader.__name__}: {missing} read without the tenant"
