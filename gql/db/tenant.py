"""The tenant filter: every `TenantOwned` row is filtered by the session's tenant on every
ORM read, update and delete, and stamped with it on every insert. A session without a
tenant sees no tenant-owned rows at all. (On PostgreSQL the same tenant also goes to the
database with each transaction, gql/db/engine.py, for row-level security, gql/tenancy.py.)"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, column, event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from gql.db.columns import Entity, TenantOwned, utcnow

TENANT_KEY = "tenant_id"
# The user the session acts for (the viewer), for the audit trail (gql/core/audit.py).
ACTOR_KEY = "actor_user_id"


# --- the tenant filter ----------------------------------------------------------------------


class TenantViolation(RuntimeError):
    """A write tried to put a row into a company other than the session's."""


def set_tenant(session: AsyncSession | Session, tenant_id: str | None) -> None:
    """Scope the session to `tenant_id` (None: to no company). On PostgreSQL an open
    transaction gets the new tenant too, before its next statement (_send_settings)."""
    sync = session.sync_session if isinstance(session, AsyncSession) else session
    sync.info[TENANT_KEY] = tenant_id


def set_actor(session: AsyncSession | Session, user_id: str | None) -> None:
    sync = session.sync_session if isinstance(session, AsyncSession) else session
    sync.info[ACTOR_KEY] = user_id


def get_tenant(session: AsyncSession | Session) -> str | None:
    sync = session.sync_session if isinstance(session, AsyncSession) else session
    return sync.info.get(TENANT_KEY)


def _expose_company_id_on_base() -> None:
    """with_loader_criteria analyses its lambda once against the base class itself,
    where pydantic hides the field; a plain column there gives it something to read.
    Mapped subclasses keep their own instrumented `company_id`."""
    if "company_id" not in TenantOwned.__dict__:
        type.__setattr__(TenantOwned, "company_id", column("company_id"))


def _written_company_ids(state: ORMExecuteState) -> list[Any]:
    """The `company_id` values an ORM INSERT or UPDATE statement writes, from its
    `.values(...)` and from the parameter sets it is executed with. SQLAlchemy keeps
    `.values()` in private attributes; there is no public accessor."""
    stmt = state.statement
    rows: list[Any] = []
    if getattr(stmt, "_values", None):
        rows.append(stmt._values)  # type: ignore[attr-defined]
    for multi in getattr(stmt, "_multi_values", None) or ():
        rows.extend(multi)
    params = state.parameters
    rows.extend([params] if isinstance(params, dict) else list(params or ()))
    written = []
    for row in rows:
        for key, value in row.items():
            if getattr(key, "key", key) == "company_id":
                written.append(value.value if isinstance(value, BindParameter) else value)
    return written


def _check_written_tenant(state: ORMExecuteState, tenant_id: str | None) -> None:
    """ORM INSERT/UPDATE statements bypass before_flush: refuse any that would write a
    tenant-owned row into a company other than the session's (or with no tenant)."""
    entity = (getattr(state.statement, "entity_description", None) or {}).get("entity")
    if not (isinstance(entity, type) and issubclass(entity, TenantOwned)):
        return
    if state.is_insert and tenant_id is None:
        raise TenantViolation("no tenant on this session")
    if any(value != tenant_id for value in _written_company_ids(state)):
        raise TenantViolation("row belongs to another company")


@event.listens_for(Session, "do_orm_execute")
def _scope_to_tenant(state: ORMExecuteState) -> None:
    if state.is_column_load or state.is_relationship_load:
        return
    tenant_id = state.session.info.get(TENANT_KEY)
    if state.is_insert or state.is_update:
        _check_written_tenant(state, tenant_id)
    if not (state.is_select or state.is_update or state.is_delete):
        return
    state.statement = state.statement.options(tenant_criteria(tenant_id))


def tenant_criteria(tenant_id: str | None) -> Any:
    """The option confining every tenant-owned entity of an ORM statement (aliases and
    subqueries too) to `tenant_id`; no tenant: fail closed (it matches no row)."""
    _expose_company_id_on_base()
    return with_loader_criteria(
        TenantOwned,
        lambda cls: cls.company_id == tenant_id,
        include_aliases=True,
        track_closure_variables=True,
    )


@event.listens_for(Session, "before_flush")
def _stamp_tenant(session: Session, flush_context: Any, instances: Any) -> None:
    tenant_id = session.info.get(TENANT_KEY)
    for obj in session.new:
        if isinstance(obj, TenantOwned):
            if tenant_id is None:
                raise TenantViolation("no tenant on this session")
            if obj.company_id is None:
                obj.company_id = tenant_id
            elif obj.company_id != tenant_id:
                raise TenantViolation("row belongs to another company")
    for obj in session.dirty:
        if isinstance(obj, Entity):
            obj.updated_at = utcnow()
        if isinstance(obj, TenantOwned) and obj.company_id != tenant_id:
            raise TenantViolation("row belongs to another company")
