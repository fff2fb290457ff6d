"""Document arithmetic (gql/domains/documents/totals.py): exact, as DESIGN.md states it."""

from decimal import Decimal as D

from gql.domains.documents.totals import LineAmounts, document_totals, line_amounts


def test_line_net_applies_rate_discount_then_flat_discount():
    # given 3 x 19.99 = 59.97, 10% off (6.00) then 1.00 off
    line = line_amounts(
        quantity=D("3"),
        unit_price=D("19.99"),
        discount_rate=D("10"),
        discount_amount=D("1"),
        tax_rate=D("20"),
    )
    # then
    assert line.net == D("52.97")
    assert line.tax == D("10.59")  # 52.97 x 20% = 10.594


def test_withholding_tax_is_negative():
    line = line_amounts(
        quantity=D("1"),
        unit_price=D("100"),
        discount_rate=None,
        discount_amount=None,
        tax_rate=D("15"),
        withholding=True,
    )
    assert line.tax == D("-15.00")


def test_document_total_is_subtotal_less_discount_plus_tax_plus_shipping():
    lines = [LineAmounts(net=D("52.97"), tax=D("10.59")), LineAmounts(net=D("0.10"), tax=D("0.02"))]
    totals = document_totals(lines, discount_rate=D("10"), discount_amount=D("2"), shipping=D("5"))
    assert totals.subtotal == D("53.07")
    assert totals.discount_total == D("7.31")  # 5.307 -> 5.31, then 2.00
    assert totals.tax_total == D("10.61")
    assert totals.total == D("61.37")


def test_no_float_drift_on_many_small_lines():
    lines = [
        line_amounts(
            quantity=D("1"),
            unit_price=D("0.10"),
            discount_rate=None,
            discount_amount=None,
            tax_rate=D("0"),
        )
    ] * 30
    totals = document_totals(lines, discount_rate=None, discount_amount=None, shipping=D("0"))
    assert totals.total == D("3.00")
