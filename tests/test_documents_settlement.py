"""Settlement (gql/domains/documents/settlement.py): what payments and credit notes do to an
invoice's paid and credited amounts and to its status, through the services in process
on the real database: partial, then paid; a payment over what is due refused and nothing
written; credit notes counted in what is due; a payment taken off puts the status back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from gql.core.errors import ErrorCode, UserInputError
from gql.domains.contacts.service import create_contact
from gql.domains.documents import settlement
from gql.domains.documents.models import Document
from gql.domains.documents.service import cancel_document, create_document, issue_document
from tests.factories import Api, Tenant, tenant_db


@pytest.fixture(scope="module")
async def tenant(api: Api) -> Tenant:
    return await api.register(name="Settlement owner")


@pytest.fixture
async def session(app: Any, tenant: Tenant) -> AsyncIterator[Any]:
    """One transaction per test, rolled back: each test settles its own fresh invoice."""
    async with tenant_db(app, tenant.company_id) as session:
        yield session
        await session.rollback()


async def _invoice(session: Any, total: str = "100", *, issue: bool = True) -> Document:
    contact = await create_contact(session=session, data={"name": "Buyer", "type": "customer"})
    doc = await create_document(
        session=session,
        data={
            "kind": "invoice",
            "contactId": contact.id,
            "lines": [{"name": "Work", "quantity": "1", "unitPrice": total}],
        },
    )
    return await issue_document(session=session, id=doc.id) if issue else doc


async def _credit_note(session: Any, invoice: Document, total: str) -> Document:
    note = await create_document(
        session=session,
        data={
            "kind": "credit_note",
            "contactId": invoice.contact_id,
            "invoiceId": invoice.id,
            "lines": [{"name": "Refund", "quantity": "1", "unitPrice": total}],
        },
    )
    return await issue_document(session=session, id=note.id)


async def _state(session: AsyncSession, doc: Document) -> tuple[str, Decimal, Decimal, Decimal]:
    due = await settlement.amount_due(session, doc.id)
    return doc.status, doc.amount_paid, doc.amount_credited, due


def _refusal(exc: pytest.ExceptionInfo[UserInputError]) -> tuple[tuple[str, ...], ErrorCode]:
    [error] = exc.value.errors
    return error.path, error.code


async def test_a_part_payment_makes_it_partial_and_the_rest_makes_it_paid(session: Any) -> None:
    # given an issued invoice of 100
    invoice = await _invoice(session)
    assert await _state(session, invoice) == (
        "sent",
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("100.00"),
    )

    # when 40 is paid, then 60
    await settlement.apply_payment(session, invoice, Decimal("40"))
    after_part = await _state(session, invoice)
    await settlement.apply_payment(session, invoice, Decimal("60"))

    # then it is partial with 60 due, then paid with nothing due
    assert after_part == ("partial", Decimal("40.00"), Decimal("0.00"), Decimal("60.00"))
    assert await _state(session, invoice) == (
        "paid",
        Decimal("100.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )


async def test_paying_more_than_is_due_is_refused_and_writes_nothing(session: Any) -> None:
    # given an invoice of 100 with 30 paid
    invoice = await _invoice(session)
    await settlement.apply_payment(session, invoice, Decimal("30"))

    # when 70.01 is paid
    with pytest.raises(UserInputError) as refused:
        await settlement.apply_payment(session, invoice, Decimal("70.01"))

    # then it is refused on the amount, and the invoice is as it was
    assert _refusal(refused) == (("amount",), ErrorCode.INVALID)
    assert "amount due (70.00" in str(refused.value)
    assert await _state(session, invoice) == (
        "partial",
        Decimal("30.00"),
        Decimal("0.00"),
        Decimal("70.00"),
    )
    # and a paid invoice takes nothing more: nothing is due
    await settlement.apply_payment(session, invoice, Decimal("70"))
    with pytest.raises(UserInputError) as again:
        await settlement.apply_payment(session, invoice, Decimal("0.01"))
    assert _refusal(again) == (("amount",), ErrorCode.INVALID)
    assert "amount due (0.00" in str(again.value)


async def test_only_an_issued_invoice_takes_a_payment(session: Any) -> None:
    # given a draft and a cancelled invoice
    draft = await _invoice(session, issue=False)
    cancelled = await cancel_document(session=session, id=(await _invoice(session)).id)

    for doc in (draft, cancelled):
        # when either is paid
        with pytest.raises(UserInputError) as refused:
            await settlement.apply_payment(session, doc, Decimal("1"))

        # then it is refused on the document and nothing is paid
        assert _refusal(refused) == (("documentId",), ErrorCode.INVALID_STATE)
        assert doc.amount_paid == Decimal("0.00")


async def test_a_credit_note_counts_in_what_is_due_but_is_not_a_payment(session: Any) -> None:
    # given an invoice of 100
    invoice = await _invoice(session)

    # when a credit note of 30 is issued against it
    await _credit_note(session, invoice, "30")
    await settlement.reload_document(session, invoice.id)

    # then 70 is due, and the invoice is still sent (nothing is paid)
    assert await _state(session, invoice) == (
        "sent",
        Decimal("0.00"),
        Decimal("30.00"),
        Decimal("70.00"),
    )
    # and paying the 70 settles it, with the credit note's 30
    await settlement.apply_payment(session, invoice, Decimal("70"))
    assert await _state(session, invoice) == (
        "paid",
        Decimal("70.00"),
        Decimal("30.00"),
        Decimal("0.00"),
    )


async def test_a_credit_note_over_what_is_due_is_refused(session: Any) -> None:
    # given an invoice of 100 with 80 paid
    invoice = await _invoice(session)
    await settlement.apply_payment(session, invoice, Decimal("80"))

    # when a credit note of 20.01 is issued against it
    with pytest.raises(UserInputError) as refused:
        await _credit_note(session, invoice, "20.01")

    # then it is refused on its total, and the invoice keeps its 20 due
    assert _refusal(refused) == (("total",), ErrorCode.INVALID_STATE)
    await settlement.reload_document(session, invoice.id)
    assert await _state(session, invoice) == (
        "partial",
        Decimal("80.00"),
        Decimal("0.00"),
        Decimal("20.00"),
    )


async def test_taking_a_payment_off_puts_the_status_back(session: Any) -> None:
    # given an invoice of 100, paid in full by two payments, with a credit note of 10
    invoice = await _invoice(session)
    await _credit_note(session, invoice, "10")
    await settlement.apply_payment(session, invoice, Decimal("50"))
    await settlement.apply_payment(session, invoice, Decimal("40"))
    assert invoice.status == "paid"

    # when the 40 is taken off, then the 50
    await settlement.remove_payment(session, invoice.id, Decimal("40"))
    after_one = await _state(session, invoice)
    await settlement.remove_payment(session, invoice.id, Decimal("50"))

    # then it is partial again, then sent with only the credit counted
    assert after_one == ("partial", Decimal("50.00"), Decimal("10.00"), Decimal("40.00"))
    assert await _state(session, invoice) == (
        "sent",
        Decimal("0.00"),
        Decimal("10.00"),
        Decimal("90.00"),
    )


async def test_taking_off_more_than_was_paid_is_a_bug_not_a_refusal(session: Any) -> None:
    # given an invoice of 100 with 10 paid
    invoice = await _invoice(session)
    await settlement.apply_payment(session, invoice, Decimal("10"))

    # when 10.01 is taken off, then the books are wrong: it fails loudly, writing nothing
    with pytest.raises(RuntimeError):
        await settlement.remove_payment(session, invoice.id, Decimal("10.01"))
    await settlement.reload_document(session, invoice.id)
    assert await _state(session, invoice) == (
        "partial",
        Decimal("10.00"),
        Decimal("0.00"),
        Decimal("90.00"),
    )


async def test_cancelling_a_credit_note_gives_the_credit_back(session: Any) -> None:
    # given an invoice of 100 paid 70 and credited 30 (so paid)
    invoice = await _invoice(session)
    note = await _credit_note(session, invoice, "30")
    await settlement.apply_payment(session, invoice, Decimal("70"))
    assert invoice.status == "paid"

    # when the credit note is cancelled
    await cancel_document(session=session, id=note.id)
    await settlement.reload_document(session, invoice.id)

    # then 30 is due again and the invoice is partial
    assert await _state(session, invoice) == (
        "partial",
        Decimal("70.00"),
        Decimal("0.00"),
        Decimal("30.00"),
    )
