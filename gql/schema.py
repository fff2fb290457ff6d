"""The one schema: every area's Query and Mutation merged."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.tools import merge_types

from gql.core import node_fields
from gql.core.admission import Admission
from gql.core.execution import install_direct_resolvers
from gql.core.limits import extensions
from gql.core.scalars import SCALAR_OVERRIDES, name_bad_values
from gql.domains.audit import schema as audit
from gql.domains.bankfeeds import schema as bankfeeds
from gql.domains.banking import schema as banking
from gql.domains.catalogue import schema as catalogue
from gql.domains.companies import schema as companies
from gql.domains.contacts import schema as contacts
from gql.domains.contracts import schema as contracts
from gql.domains.crm import schema as crm
from gql.domains.documents import schema as documents
from gql.domains.events import schema as events
from gql.domains.helpdesk import schema as helpdesk
from gql.domains.inventory import schema as inventory
from gql.domains.ledger import schema as ledger
from gql.domains.payroll import schema as payroll
from gql.domains.pos import schema as pos
from gql.domains.projects import schema as projects
from gql.persisted_schema import Mutation as PersistedMutation
from gql.settings import Settings
from gql.subscriptions.schema import Subscription
from gql.subscriptions.sharing import SharedEventExecution

AREAS = (
    companies,
    contacts,
    catalogue,
    documents,
    ledger,
    banking,
    crm,
    contracts,
    helpdesk,
    projects,
    payroll,
    inventory,
    bankfeeds,
    pos,
    events,
    audit,
)

Query = merge_types("Query", (node_fields.Query, *(area.Query for area in AREAS)))
Mutation = merge_types(
    "Mutation",
    (*(area.Mutation for area in AREAS if hasattr(area, "Mutation")), PersistedMutation),
)


class LedgerSchema(strawberry.Schema):
    def __init__(self, *args: Any, settings: Settings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        install_direct_resolvers(self._schema)
        # One admission per schema: both read paths share its cache of outcomes.
        self.admission = Admission(self._schema, settings)

    def process_errors(self, errors: Any, execution_context: Any = None) -> None:
        # Every error passes here, before the extensions see them: bad scalar values
        # get the field they were sent for.
        name_bad_values(errors, getattr(execution_context, "graphql_document", None))
        # Expected errors (NOT_FOUND, FORBIDDEN, bad input) are the client's to read,
        # not ours to log; unexpected ones are logged with their request id by
        # MaskUnexpectedErrors (gql/core/limits.py).


def build_schema(settings: Settings) -> strawberry.Schema:
    return LedgerSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        extensions=extensions(),
        # LeafShortcutExecution, which also hands subscriptions their group's results
        execution_context_class=SharedEventExecution,
        scalar_overrides=SCALAR_OVERRIDES,
        settings=settings,
    )


schema = build_schema(Settings())
