"""Query and Mutation fields of bank feeds: connections, rules, feed lines, imports and
reconciliation (module: banking)."""

from __future__ import annotations

from typing import Any

import strawberry

from gql.auth.permissions import module_read, module_write
from gql.core.graph import RootConnection, root_connection, root_get
from gql.core.mutations import mutation
from gql.domains.bankfeeds import reconcile, service
from gql.domains.bankfeeds.filters import (
    MODULE,
    BankConnectionFilter,
    BankConnectionOrder,
    BankFeedTransactionFilter,
    BankFeedTransactionOrder,
    BankRuleFilter,
    BankRuleOrder,
    connection_filter_of,
    connection_order_of,
    feed_filter_of,
    feed_order_of,
    rule_filter_of,
    rule_order_of,
)
from gql.domains.bankfeeds.imports import ImportResult, import_statement
from gql.domains.bankfeeds.models import BankConnection, BankFeedTransaction, BankRule
from gql.domains.bankfeeds.types import (
    BankConnectionConnection,
    BankConnectionCreateInput,
    BankConnectionDeletePayload,
    BankConnectionNode,
    BankConnectionPayload,
    BankConnectionUpdateInput,
    BankFeedImportInput,
    BankFeedImportPayload,
    BankFeedMatchInput,
    BankFeedSplitInput,
    BankFeedTransactionConnection,
    BankFeedTransactionNode,
    BankFeedTransactionPayload,
    BankIdInput,
    BankRuleConnection,
    BankRuleCreateInput,
    BankRuleDeletePayload,
    BankRuleNode,
    BankRulePayload,
    BankRuleUpdateInput,
)

READ = module_read(MODULE)
WRITE = module_write(MODULE)

CONNECTIONS = RootConnection(
    BankConnection, connection_filter_of, connection_order_of, service.CONNECTION_ORDER_COLUMNS
)
RULES = RootConnection(BankRule, rule_filter_of, rule_order_of, service.RULE_ORDER_COLUMNS)
FEED = RootConnection(
    BankFeedTransaction, feed_filter_of, feed_order_of, service.FEED_ORDER_COLUMNS
)


def import_answer(result: ImportResult, _loaders: Any) -> dict[str, Any]:
    return {
        "import_id": strawberry.ID(result.batch.id),
        "connection": result.connection,
        "lines": result.batch.lines,
        "new_lines": result.batch.new_lines,
        "existing_lines": result.existing,
        "feed_transactions": result.new,
    }


@strawberry.type
class Query:
    bank_connection: BankConnectionNode | None = root_get(
        BankConnection, "BankConnection", permission_classes=READ
    )
    bank_connections: BankConnectionConnection = root_connection(
        CONNECTIONS,
        BankConnectionConnection,
        filter=BankConnectionFilter,
        order=BankConnectionOrder,
        permission_classes=READ,
        description="The company's bank connections, oldest first unless ordered otherwise.",
    )
    bank_rule: BankRuleNode | None = root_get(BankRule, "BankRule", permission_classes=READ)
    bank_rules: BankRuleConnection = root_connection(
        RULES,
        BankRuleConnection,
        filter=BankRuleFilter,
        order=BankRuleOrder,
        permission_classes=READ,
        description="The auto-categorisation rules, highest priority first unless ordered "
        "otherwise.",
    )
    bank_feed_transaction: BankFeedTransactionNode | None = root_get(
        BankFeedTransaction, "BankFeedTransaction", permission_classes=READ
    )
    bank_feed_transactions: BankFeedTransactionConnection = root_connection(
        FEED,
        BankFeedTransactionConnection,
        filter=BankFeedTransactionFilter,
        order=BankFeedTransactionOrder,
        permission_classes=READ,
        description="Imported statement lines of every connection, latest date first unless "
        "ordered otherwise.",
    )


@strawberry.type
class Mutation:
    bank_connection_create = mutation(
        input=BankConnectionCreateInput,
        payload=BankConnectionPayload,
        field="bank_connection",
        run=service.create_connection,
        permission=WRITE,
        description="Connect a money account to a bank feed (ACTIVE).",
    )
    bank_connection_update = mutation(
        input=BankConnectionUpdateInput,
        payload=BankConnectionPayload,
        field="bank_connection",
        run=service.update_connection,
        permission=WRITE,
        description="Change the provider, or disconnect (no more imports) and reconnect.",
    )
    bank_connection_delete = mutation(
        input=BankIdInput,
        payload=BankConnectionDeletePayload,
        field="deleted_bank_connection_id",
        returns="deleted_id",
        run=service.delete_connection,
        permission=WRITE,
        description="Delete a connection without feed lines (IN_USE otherwise: disconnect it).",
    )
    bank_rule_create = mutation(
        input=BankRuleCreateInput,
        payload=BankRulePayload,
        field="bank_rule",
        run=service.create_rule,
        permission=WRITE,
        description="Add an auto-categorisation rule, applied to lines imported from now on.",
    )
    bank_rule_update = mutation(
        input=BankRuleUpdateInput,
        payload=BankRulePayload,
        field="bank_rule",
        run=service.update_rule,
        permission=WRITE,
        description="Change a rule; lines imported before keep their suggestion.",
    )
    bank_rule_delete = mutation(
        input=BankIdInput,
        payload=BankRuleDeletePayload,
        field="deleted_bank_rule_id",
        returns="deleted_id",
        run=service.delete_rule,
        permission=WRITE,
        description="Delete a rule; lines it categorised keep the suggestion.",
    )
    bank_feed_import = mutation(
        input=BankFeedImportInput,
        payload=BankFeedImportPayload,
        run=import_statement,
        answer=import_answer,
        permission=WRITE,
        description="Import a statement file (CSV with a column mapping, or OFX) through an "
        "active connection. Lines already imported for the account (same FITID, or same "
        "date, amount, description and occurrence) are skipped, so importing a file again, "
        "or one that overlaps it, adds only what is new. New lines get the first matching "
        "rule's suggestion. A bad file is refused whole, each error naming the row.",
    )
    bank_feed_match = mutation(
        input=BankFeedMatchInput,
        payload=BankFeedTransactionPayload,
        field="feed_transaction",
        run=reconcile.match,
        permission=WRITE,
        description="Reconcile an unmatched line with existing transactions of its account "
        "(payments on documents among them) that add up to it exactly: MATCHED.",
    )
    bank_feed_split = mutation(
        input=BankFeedSplitInput,
        payload=BankFeedTransactionPayload,
        field="feed_transaction",
        run=reconcile.split,
        permission=WRITE,
        description="Reconcile an unmatched line by new transactions (posted to the books) "
        "that add up to it; without parts, one from its suggested category and contact: "
        "CREATED.",
    )
    bank_feed_unmatch = mutation(
        input=BankIdInput,
        payload=BankFeedTransactionPayload,
        field="feed_transaction",
        run=reconcile.unmatch,
        permission=WRITE,
        description="Undo a line's reconciliation: matched transactions are released; "
        "created ones are deleted (their vouchers reversed). UNMATCHED again.",
    )
