"""Document loaders."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from sqlalchemy import ColumnElement

from gql.core.loaders import ByForeignKeyLoader, ByIdLoader, PageByForeignKeyLoader
from gql.core.ordering import order_clauses
from gql.domains.documents.models import Document, DocumentLine


class DocumentByIdLoader(ByIdLoader[Document]):
    model = Document


class DocumentLineByIdLoader(ByIdLoader[DocumentLine]):
    model = DocumentLine


class DocumentLinesByDocumentIdLoader(ByForeignKeyLoader[DocumentLine]):
    model = DocumentLine
    foreign_key = "document_id"
    order_by = ("position", "id")


class DocumentPageByContactIdLoader(PageByForeignKeyLoader[Document]):
    """Contact.documents: keys are (contact id, PageArgs, DocumentFilter, (field, direction))."""

    model = Document
    foreign_key = "contact_id"

    def conditions(self, where_key: Hashable) -> list[ColumnElement[bool]]:
        return where_key.conditions()  # type: ignore[attr-defined,no-any-return]

    def ordering(self, order_key: Hashable) -> list[ColumnElement[Any]]:
        from gql.domains.documents.service import ORDER_COLUMNS

        field, direction = order_key  # type: ignore[misc]
        return order_clauses(Document, ORDER_COLUMNS[field], direction)
