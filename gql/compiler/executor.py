"""Runs the compiled read path for a query, root field by root field.

A root field the planner compiles is answered by one SQL statement whose JSON is
spliced into the response as the database wrote it; every other root field is
answered by strawberry (the resolver path) on a document reduced to those fields.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)
from graphql.execution.values import get_variable_values
from graphql.language import VariableNode, visit
from graphql.language.visitor import Visitor
from sqlalchemy import Text, cast, event
from sqlalchemy.engine import Engine

from gql.compiler.direct import DirectReads
from gql.compiler.planner import Fallback, Planner, RootPlan
from gql.compiler.sqlenv import SqlEnv, request_env
from gql.core.admission import Admission, Admitted
from gql.core.execution import query_order
from gql.core.lru import LRU
from gql.core.query_cost import variables_key
from gql.core.throttle import Bill, ThrottleStatus
from gql.db.driver import DriverStatement
from gql.domains.companies.models import Role
from gql.settings import Settings

log = logging.getLogger("ledgergraph.compiler")


@dataclass
class CompiledResponse:
    head: str  # the body up to its `extensions`
    executors: dict[str, str]
    extensions: dict[str, Any]

    def body(self, more: dict[str, Any] | None = None) -> str:
        """The JSON body, with `more` extensions (the request's cost) beside ours."""
        extensions = {**self.extensions, **(more or {})}
        if not extensions:
            return self.head + "}"
        return self.head + ',"extensions":' + json.dumps(extensions, separators=(",", ":")) + "}"


# Execution option of a plan's statement: record the driver's text and parameters on it.
_RECORD_ON = "ledgergraph_record_on"


@event.listens_for(Engine, "before_cursor_execute")
def _record_driver_statement(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    plan = context.execution_options.get(_RECORD_ON) if context is not None else None
    if plan is not None:
        plan.driver = DriverStatement.recorded(statement, parameters, context.dialect.name)


class CompiledReads:
    def __init__(self, schema: Any, settings: Settings) -> None:
        self.schema = schema
        self.graphql_schema = schema._schema
        self.settings = settings
        self.admission: Admission = schema.admission
        self.plans: LRU[tuple[Any, ...], Any] = LRU(maxsize=1024)

    async def execute_direct(
        self,
        *,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        user_id: str,
        company_header: str | None,
        wanted_company: str | None,
        direct: DirectReads,
        deadline: float | None = None,
        bill: Bill | None = None,
    ) -> tuple[CompiledResponse | None, ThrottleStatus | None]:
        """The steady state: the whole response from plans made for the access this
        user had last time, checked in the same round trip (gql/compiler/direct.py),
        with `bill` paid in it too; no response when anything is not already known, or
        the access has changed, and no status when nothing was paid."""
        access = direct.guess(user_id, company_header)
        if access is None:
            return None, None
        prepared = self.admission.check(query)
        if not prepared.ok or prepared.document is None:
            return None, None
        operation = _operation(prepared.document, operation_name)
        if operation is None or operation.operation is not OperationType.QUERY:
            return None, None
        env = SqlEnv(
            dialect=direct.engine.dialect.name, tenant_id=access.company_id, today=date.today()
        )
        cached = self.plans.get(
            _plan_key(query, operation, variables, env, Role(access.role), access.modules)
        )
        if cached is None:
            return None, None
        fields, plans, fallback = cached
        if (
            fallback
            or not plans
            or any(p.statement is not None and p.driver is None for p in plans.values())
        ):
            return None, None
        with_sql = [key for key, plan in plans.items() if plan.statement is not None]
        visit = await direct.run(
            access,
            user_id=user_id,
            wanted_company=wanted_company,
            statements=[plans[key].driver for key in with_sql],
            deadline=deadline,
            bill=bill,
        )
        if visit.answers is None:  # the access changed: the full path resolves it afresh
            direct.forget(user_id, company_header)
            return None, None
        answers = dict(zip(with_sql, visit.answers, strict=True))
        return self._respond(fields, plans, answers, None), visit.paid

    async def execute(
        self,
        *,
        query: str,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        context: Any,
    ) -> CompiledResponse | None:
        """The whole response, or None when the resolver path should answer it all."""
        prepared = self.admission.check(query)
        if not prepared.ok or prepared.document is None:
            return None  # the resolver path gives the request error
        operation = _operation(prepared.document, operation_name)
        if operation is None or operation.operation is not OperationType.QUERY:
            return None
        if context.viewer.company is None:
            return None  # every compiled field needs a tenant; the resolver path says why not
        coerced = get_variable_values(
            self.graphql_schema, operation.variable_definitions or (), variables or {}
        )
        if isinstance(coerced, list):
            return None
        env = request_env(context.session)
        fields, plans, fallback = self._plan(
            query, prepared, operation, coerced, variables, env, context
        )
        if not plans:
            return None
        return await self._run(
            query, prepared, operation, variables, operation_name, context, fields, plans, fallback
        )

    def _plan(
        self,
        query: str,
        prepared: Admitted,
        operation: OperationDefinitionNode,
        coerced: Any,
        variables: dict[str, Any] | None,
        env: SqlEnv,
        context: Any,
    ) -> tuple[dict[str, list[FieldNode]], dict[str, RootPlan], dict[str, str]]:
        """Plans of the root fields, cached by everything the SQL depends on: the
        document and operation, the variables, and the tenant, role, modules and day
        of the request, so a plan never serves another tenant or role."""
        viewer = context.viewer
        cache_key = _plan_key(query, operation, variables, env, viewer.role, viewer.enabled_modules)
        cached = self.plans.get(cache_key)
        if cached is not None:
            return cached
        if self.admission.request_errors(prepared, operation, variables):
            # No plan: the resolver path refuses it with the same error.
            refused: tuple[dict[str, list[FieldNode]], dict[str, RootPlan], dict[str, str]] = (
                {},
                {},
                {},
            )
            self.plans.put(cache_key, refused)
            return refused
        planner = Planner(
            schema=self.graphql_schema,
            strawberry_schema=self.schema,
            env=env,
            variables=coerced,
            fragments=prepared.fragments,
            context=context,
        )
        query_type = self.graphql_schema.query_type
        fields = planner.collect_root(query_type, operation.selection_set)
        plans: dict[str, RootPlan] = {}
        fallback: dict[str, str] = {}
        if any(not isinstance(s, FieldNode) for s in operation.selection_set.selections):
            fallback = {key: "root fragments" for key in fields}
        else:
            for key, nodes in fields.items():
                name = nodes[0].name.value
                if name.startswith("__"):
                    fallback[key] = "introspection"
                    continue
                try:
                    plans[key] = planner.root(query_type.fields[name], nodes)
                except Fallback as exc:
                    fallback[key] = str(exc)
        for response_key, reason in fallback.items():
            log.debug("resolver path for %s: %s", response_key, reason)
        # As text: the JSON goes into the response exactly as the database wrote it.
        for response_key, plan in plans.items():
            if plan.statement is not None:
                as_text = cast(plan.statement.selected_columns[0], Text)
                plans[response_key] = replace(
                    plan, statement=plan.statement.with_only_columns(as_text)
                )
        result = (fields, plans, fallback)
        self.plans.put(cache_key, result)
        return result

    async def _run(
        self,
        query: str,
        prepared: Admitted,
        operation: OperationDefinitionNode,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        context: Any,
        fields: dict[str, list[FieldNode]],
        plans: dict[str, RootPlan],
        fallback: dict[str, str],
    ) -> CompiledResponse:
        answers: dict[str, str | None] = {}
        for key, plan in plans.items():
            if plan.statement is not None:
                # A Core statement with explicit tenant predicates: run it on the
                # session's connection, without the ORM's per-statement machinery;
                # the driver's text and parameters are recorded for the direct path.
                connection = await context.session.connection()
                result = await connection.execute(
                    plan.statement, execution_options={_RECORD_ON: plan}
                )
                answers[key] = result.scalar()
        resolver_result = None
        if fallback:
            reduced = _reduce(query, prepared.document, operation, set(fallback))
            resolver_result = await self.schema.execute(
                reduced,
                variable_values=variables,
                context_value=context,
                operation_name=operation_name,
            )
        return self._respond(fields, plans, answers, resolver_result)

    def _respond(
        self,
        fields: dict[str, list[FieldNode]],
        plans: dict[str, RootPlan],
        answers: dict[str, str | None],
        resolver_result: Any,
    ) -> CompiledResponse:
        """The response body: each compiled root field's JSON text as the database
        wrote it, the resolver path's fields, and the errors of both."""
        data: dict[str, str] = {}
        errors: list[dict[str, Any]] = []
        for key, plan in plans.items():
            text = answers.get(key)
            if text is None:
                data[key] = "null"
                if plan.not_found:
                    errors.append(_not_found(plan.not_found, fields[key][0], key))
            else:
                data[key] = text
                errors.extend(_null_errors(plan, text))
        if resolver_result is not None:
            for key, value in (resolver_result.data or {}).items():
                data[key] = json.dumps(value, separators=(",", ":"))
            errors.extend(e.formatted for e in resolver_result.errors or [])
        if resolver_result is not None and resolver_result.data is None:
            # A non-null root field failed: GraphQL nulls the whole `data`.
            body = '{"data":null'
        else:
            ordered = ",".join(f"{json.dumps(key)}:{data.get(key, 'null')}" for key in fields)
            body = '{"data":{' + ordered + "}"
        if errors:
            errors.sort(key=query_order)  # compiled and resolver fields' errors interleaved
            body += ',"errors":' + json.dumps(errors, separators=(",", ":"))
        executors = {key: "compiled" if key in plans else "resolver" for key in fields}
        extensions: dict[str, Any] = {}
        if not self.settings.is_production and self.settings.env == "development":
            extensions["executors"] = executors
        return CompiledResponse(head=body, executors=executors, extensions=extensions)


def _plan_key(
    query: str,
    operation: OperationDefinitionNode,
    variables: dict[str, Any] | None,
    env: SqlEnv,
    role: Any,
    modules: frozenset[str],
) -> tuple[Any, ...]:
    """Everything a plan's SQL depends on: the document and operation, the variables,
    and the dialect, tenant, day, role and modules of the request; so a plan never
    serves another tenant or role."""
    return (
        query,
        operation.name.value if operation.name else None,
        variables_key(variables),
        env.dialect,
        env.tenant_id,
        env.today,
        role,
        modules,
    )


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((op for op in operations if op.name and op.name.value == name), None)


def _not_found(message: str, node: FieldNode, key: str) -> dict[str, Any]:
    return GraphQLError(
        message, nodes=[node], path=[key], extensions={"code": "NOT_FOUND"}
    ).formatted  # type: ignore[return-value]


def _null_errors(plan: RootPlan, text: str) -> list[dict[str, Any]]:
    """The errors of the plan's fields that can be null with an error and came back
    null. The text is parsed only when such a key is followed by null somewhere in it."""
    found = []
    parsed: Any = None
    for null in plan.null_errors:
        if not re.search(re.escape(json.dumps(null.path[-1])) + r"\s*:\s*null", text):
            continue
        value = parsed = json.loads(text) if parsed is None else parsed
        for step in null.path[1:-1]:
            value = value.get(step) if isinstance(value, dict) else None
        if isinstance(value, dict) and null.path[-1] in value and value[null.path[-1]] is None:
            error = GraphQLError(
                null.message,
                nodes=[null.node],
                path=list(null.path),
                extensions={"code": null.code},
            )
            found.append(dict(error.formatted))
    return found


def _reduce(
    query: str, document: DocumentNode, operation: OperationDefinitionNode, keep: set[str]
) -> str:
    """The query text with only the root fields in `keep` (and the variables and
    fragments they still use: GraphQL refuses unused ones). Removed parts are blanked
    out, not reprinted, so every remaining node keeps its line and column, and the
    resolver path's error locations match the client's query."""
    text = list(query)

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if text[i] not in "\n\r":
                text[i] = " "

    kept: list[Any] = []
    for selection in operation.selection_set.selections:
        key = selection.alias.value if selection.alias else selection.name.value  # type: ignore[union-attr]
        if key in keep:
            kept.append(selection)
        else:
            blank(selection.loc.start, selection.loc.end)  # type: ignore[union-attr]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    used_fragments = _used_fragments(SelectionSetNode(selections=tuple(kept)), fragments)
    for name, fragment in fragments.items():
        if name not in used_fragments:
            blank(fragment.loc.start, fragment.loc.end)  # type: ignore[union-attr]
    used_variables = _used_variables([*kept, *(fragments[f] for f in used_fragments)])
    definitions = list(operation.variable_definitions or ())
    removed = [v for v in definitions if v.variable.name.value not in used_variables]
    for definition in removed:
        blank(definition.loc.start, definition.loc.end)  # type: ignore[union-attr]
    if definitions and len(removed) == len(definitions):
        # No variable left: the empty parentheses must go too.
        opening = query.rfind("(", 0, definitions[0].loc.start)  # type: ignore[union-attr]
        closing = query.find(")", definitions[-1].loc.end)  # type: ignore[union-attr]
        blank(opening, opening + 1)
        blank(closing, closing + 1)
    return "".join(text)


def _used_fragments(node: Any, fragments: dict[str, FragmentDefinitionNode]) -> set[str]:
    """Names of the fragments `node` spreads, directly or through other fragments."""
    found: set[str] = set()
    pending = [node]
    while pending:
        for name in _spreads(pending.pop()) - found:
            found.add(name)
            if name in fragments:
                pending.append(fragments[name])
    return found


def _spreads(node: Any) -> set[str]:
    names: set[str] = set()

    class Spreads(Visitor):
        def enter_fragment_spread(self, spread: Any, *_: Any) -> None:
            names.add(spread.name.value)

    visit(node, Spreads())
    return names


def _used_variables(nodes: Iterable[Any]) -> set[str]:
    names: set[str] = set()

    class Variables(Visitor):
        def enter_variable(self, variable: VariableNode, *_: Any) -> None:
            names.add(variable.name.value)

    for node in nodes:
        visit(node, Variables())
    return names
