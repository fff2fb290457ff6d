"""Query and Mutation fields of banking (module: banking): accounts, transactions,
transfers, and payments on documents (which also need invoicing)."""

from __future__ import annotations

from typing import TypeVar

import strawberry

from gql.auth.access import Level, Need
from gql.auth.permissions import module_read, module_write, require_module, requires
from gql.context import Info
from gql.core.graph import RootConnection, root_connection, root_get
from gql.core.inputs import find_row, input_to_dict
from gql.core.mutations import delete_mutation, run_mutation, save_mutation
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

P = TypeVar("P")


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


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Open a bank, cash or credit-card account; a non-zero opening balance posts an "
        "opening-balance voucher.",
        permission_classes=WRITE,
    )
    async def account_create(self, info: Info, input: AccountCreateInput) -> AccountPayload:
        session = info.context.session
        return await save_mutation(
            session,
            AccountPayload,
            "account",
            lambda: service.create_account(session=session, data=input_to_dict(input)),
        )

    @strawberry.mutation(
        description="Change an account. Its type and currency are fixed once it has "
        "transactions; a new "
        "opening balance reverses the old opening voucher and posts a new one.",
        permission_classes=WRITE,
    )
    async def account_update(self, info: Info, input: AccountUpdateInput) -> AccountPayload:
        session = info.context.session
        data = input_to_dict(input)
        account_id = data.pop("id")
        return await save_mutation(
            session,
            AccountPayload,
            "account",
            lambda: service.update_account(session=session, id=account_id, data=data),
        )

    @strawberry.mutation(
        description="Delete an account without transactions (IN_USE otherwise: disable it "
        "instead).",
        permission_classes=WRITE,
    )
    async def account_delete(self, info: Info, input: AccountDeleteInput) -> AccountDeletePayload:
        session = info.context.session
        return await delete_mutation(
            session,
            AccountDeletePayload,
            "deleted_account_id",
            lambda: service.delete_account(session=session, id=input.id),
        )

    @strawberry.mutation(
        description="Record an income or an expense and post its voucher. With documentId it "
        "is a payment "
        "on that document (needs the invoicing module too), as documentPaymentCreate.",
        permission_classes=WRITE,
    )
    async def transaction_create(
        self, info: Info, input: TransactionCreateInput
    ) -> TransactionPayload:
        session = info.context.session
        data = input_to_dict(input)
        if data.get("documentId") is not None:
            require_module(info.context.viewer, ModuleAlias.INVOICING)
        return await save_mutation(
            session,
            TransactionPayload,
            "transaction",
            lambda: service.create_transaction(session=session, data=data),
        )

    @strawberry.mutation(
        description="Delete a transaction: its voucher is reversed and a payment is taken back "
        "off its "
        "document. A transfer's sides go with the transfer (transferDelete).",
        permission_classes=WRITE,
    )
    async def transaction_delete(
        self, info: Info, input: TransactionDeleteInput
    ) -> TransactionDeletePayload:
        session = info.context.session
        return await delete_mutation(
            session,
            TransactionDeletePayload,
            "deleted_transaction_id",
            lambda: service.delete_transaction(session=session, id=input.id),
        )

    @strawberry.mutation(
        description="Move money between two accounts: one transfer, two transactions and one "
        "voucher, "
        "written together. Between currencies give toAmount or currencyRate.",
        permission_classes=WRITE,
    )
    async def transfer_create(self, info: Info, input: TransferCreateInput) -> TransferPayload:
        session = info.context.session
        return await save_mutation(
            session,
            TransferPayload,
            "transfer",
            lambda: service.create_transfer(session=session, data=input_to_dict(input)),
        )

    @strawberry.mutation(
        description="Delete a transfer: both transactions go and its voucher is reversed.",
        permission_classes=WRITE,
    )
    async def transfer_delete(
        self, info: Info, input: TransferDeleteInput
    ) -> TransferDeletePayload:
        session = info.context.session
        return await delete_mutation(
            session,
            TransferDeletePayload,
            "deleted_transfer_id",
            lambda: service.delete_transfer(session=session, id=input.id),
        )

    @strawberry.mutation(
        description="Record a payment on an issued invoice (income) or bill (expense): the "
        "document's amount paid, amount due and status (partial, paid) follow, and the "
        "payment's voucher is posted. "
        "Paying more than is due, a draft, a cancelled document, or another kind is refused.",
        permission_classes=PAY,
    )
    async def document_payment_create(
        self, info: Info, input: DocumentPaymentCreateInput
    ) -> DocumentPaymentPayload:
        session = info.context.session

        async def action() -> DocumentPaymentPayload:
            tx = await service.record_payment(session=session, data=input_to_dict(input))
            doc = await find_row(session, Document, tx.document_id, "Document")
            return DocumentPaymentPayload(transaction=tx, document=doc)  # type: ignore[arg-type]

        return await run_mutation(session, DocumentPaymentPayload, action)
