"""Query and Mutation fields of banking (module: banking): accounts, transactions,
transfers, and payments on documents (which also need invoicing)."""

from __future__ import annotations

from typing import Any

import strawberry

from gql.auth.access import Level, Need
from gql.auth.permissions import module_read, module_write, require_module, requires
from gql.auth.viewer import Viewer
from gql.core.graph import RootConnection, root_connection, root_get
from gql.core.inputs import find_row
from gql.core.mutations import mutation
from gql.db.engine import RequestSession
from gql.domains.banking import service
from gql.domains.banking.models import Account, Transaction, Transfer
from gql.domains.banking.types import (
    MODULE,
    AccountConnection,
    AccountCreateInput,
    AccountDeleteInput,
    AccountDeletePayload,
    AccountFilter,
    AccountNode,
    AccountOrder,
    AccountPayload,
    AccountUpdateInput,
    DocumentPaymentCreateInput,
    DocumentPaymentPayload,
    TransactionConnection,
    TransactionCreateInput,
    TransactionDeleteInput,
    TransactionDeletePayload,
    TransactionFilter,
    TransactionNode,
    TransactionOrder,
    TransactionPayload,
    TransferConnection,
    TransferCreateInput,
    TransferDeleteInput,
    TransferDeletePayload,
    TransferFilter,
    TransferNode,
    TransferOrder,
    TransferPayload,
    account_filter_of,
    account_order_of,
    transaction_filter_of,
    transaction_order_of,
    transfer_filter_of,
    transfer_order_of,
)
from gql.domains.companies.modules import ModuleAlias
from gql.domains.documents.models import Document

READ = module_read(MODULE)
WRITE = module_write(MODULE)
# A payment changes a document too: both modules must be on.
PAY = [*WRITE, requires(Need(level=Level.WRITE, module=ModuleAlias.INVOICING))]

ACCOUNTS = RootConnection(
    Account, account_filter_of, account_order_of, service.ACCOUNT_ORDER_COLUMNS
)
TRANSACTIONS = RootConnection(
    Transaction, transaction_filter_of, transaction_order_of, service.TRANSACTION_ORDER_COLUMNS
)
TRANSFERS = RootConnection(
    Transfer, transfer_filter_of, transfer_order_of, service.TRANSFER_ORDER_COLUMNS
)


@strawberry.type
class Query:
    account: AccountNode | None = root_get(
        Account,
        "Account",
        permission_classes=READ,
        description="A bank, cash or credit-card account by id; null with NOT_FOUND when there "
        "is none.",
    )

    accounts: AccountConnection = root_connection(
        ACCOUNTS,
        AccountConnection,
        filter=AccountFilter,
        order=AccountOrder,
        permission_classes=READ,
        description="The company's bank, cash and credit-card accounts.",
    )

    transaction: TransactionNode | None = root_get(
        Transaction,
        "Transaction",
        permission_classes=READ,
        description="A transaction by id; null with NOT_FOUND when there is none.",
    )

    transactions: TransactionConnection = root_connection(
        TRANSACTIONS,
        TransactionConnection,
        filter=TransactionFilter,
        order=TransactionOrder,
        permission_classes=READ,
        description="Incomes and expenses of every account (payments and transfers' sides "
        "included).",
    )

    transfer: TransferNode | None = root_get(
        Transfer,
        "Transfer",
        permission_classes=READ,
        description="A transfer by id; null with NOT_FOUND when there is none.",
    )

    transfers: TransferConnection = root_connection(
        TRANSFERS,
        TransferConnection,
        filter=TransferFilter,
        order=TransferOrder,
        permission_classes=READ,
        description="Transfers between the company's accounts.",
    )


async def _create_transaction(
    *, session: RequestSession, viewer: Viewer, data: dict[str, Any]
) -> Transaction:
    # A payment on a document changes the document too: invoicing must be on as well.
    if data.get("documentId") is not None:
        require_module(viewer, ModuleAlias.INVOICING)
    return await service.create_transaction(session=session, data=data)


async def _record_payment(*, session: RequestSession, data: dict[str, Any]) -> dict[str, Any]:
    """The payment and its document as paid now: the payload's two fields."""
    payment = await service.record_payment(session=session, data=data)
    document = await find_row(session, Document, payment.document_id, "Document")
    return {"transaction": payment, "document": document}


@strawberry.type
class Mutation:
    account_create = mutation(
        input=AccountCreateInput,
        payload=AccountPayload,
        field="account",
        run=service.create_account,
        permission=WRITE,
        description="Open a bank, cash or credit-card account; a non-zero opening balance posts an "
        "opening-balance voucher.",
    )

    account_update = mutation(
        input=AccountUpdateInput,
        payload=AccountPayload,
        field="account",
        run=service.update_account,
        permission=WRITE,
        description="Change an account. Its type and currency are fixed once it has "
        "transactions; a new "
        "opening balance reverses the old opening voucher and posts a new one.",
    )

    account_delete = mutation(
        input=AccountDeleteInput,
        payload=AccountDeletePayload,
        field="deleted_account_id",
        returns="deleted_id",
        run=service.delete_account,
        permission=WRITE,
        description="Delete an account without transactions (IN_USE otherwise: disable it "
        "instead).",
    )

    transaction_create = mutation(
        input=TransactionCreateInput,
        payload=TransactionPayload,
        field="transaction",
        run=_create_transaction,
        permission=WRITE,
        description="Record an income or an expense and post its voucher. With documentId it "
        "is a payment "
        "on that document (needs the invoicing module too), as documentPaymentCreate.",
    )

    transaction_delete = mutation(
        input=TransactionDeleteInput,
        payload=TransactionDeletePayload,
        field="deleted_transaction_id",
        returns="deleted_id",
        run=service.delete_transaction,
        permission=WRITE,
        description="Delete a transaction: its voucher is reversed and a payment is taken back "
        "off its "
        "document. A transfer's sides go with the transfer (transferDelete).",
    )

    transfer_create = mutation(
        input=TransferCreateInput,
        payload=TransferPayload,
        field="transfer",
        run=service.create_transfer,
        permission=WRITE,
        description="Move money between two accounts: one transfer, two transactions and one "
        "voucher, "
        "written together. Between currencies give toAmount or currencyRate.",
    )

    transfer_delete = mutation(
        input=TransferDeleteInput,
        payload=TransferDeletePayload,
        field="deleted_transfer_id",
        returns="deleted_id",
        run=service.delete_transfer,
        permission=WRITE,
        description="Delete a transfer: both transactions go and its voucher is reversed.",
    )

    document_payment_create = mutation(
        input=DocumentPaymentCreateInput,
        payload=DocumentPaymentPayload,
        run=_record_payment,
        permission=PAY,
        description="Record a payment on an issued invoice (income) or bill (expense): the "
        "document's amount paid, amount due and status (partial, paid) follow, and the "
        "payment's voucher is posted. "
        "Paying more than is due, a draft, a cancelled document, or another kind is refused.",
    )
