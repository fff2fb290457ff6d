"""Document loaders."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement

from gql.core.loaders import (
    ByForeignKeyLoader,
    ByIdLoader,
    OneByForeignKeyLoader,
)
from gql.domains.documents.models import Document, DocumentLine
from gql.domains.ledger.models import SourceType, Voucher


class DocumentByIdLoader(ByIdLoader[Document]):
    model = Document


class DocumentLineByIdLoader(ByIdLoader[DocumentLine]):
    model = DocumentLine


class DocumentLinesByDocumentIdLoader(ByForeignKeyLoader[DocumentLine]):
    model = DocumentLine
    foreign_key = "document_id"
    order_by = ("position", "id")


class DocumentsByParentIdLoader(ByForeignKeyLoader[Document]):
    """Document.children: what was made from a document (credit notes of an invoice,
    the invoice an estimate or order became), oldest first."""

    model = Document
    foreign_key = "parent_id"
    order_by = ("created_at", "id")


class VoucherByDocumentIdLoader(OneByForeignKeyLoader[Voucher]):
    """Document.voucher: the voucher issuing the document posted (not its reversal)."""

    model = Voucher
    foreign_key = "source_id"
    order_by = ("date", "number", "id")

    @staticmethod
    def where(table: Any) -> list[ColumnElement[bool]]:
        return [table.c.source_type == SourceType.DOCUMENT.value, table.c.reverses_id.is_(None)]
