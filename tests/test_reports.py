"""Reports (Company.reports) on worked books built through the API: trial balance, profit
and loss, balance sheet, receivables and payables ageing, a contact's statement. Each is
checked to the cent, against the documents behind it, and across companies."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.factories import Api, Tenant

MONEY = "{ amount currency }"
TRIAL_BALANCE = f"""query($from: Date, $to: Date) {{ company {{ reports {{
  trialBalance(from: $from, to: $to) {{
    from to balanced totalDebit {MONEY} totalCredit {MONEY}
    rows {{ code name type debit {MONEY} credit {MONEY} balance {MONEY} account {{ code level }} }}
}} }} }} }}"""
PROFIT_AND_LOSS = f"""query($from: Date, $to: Date) {{ company {{ reports {{
  profitAndLoss(from: $from, to: $to) {{
    from to income {{ code name amount {MONEY} }} expenses {{ code amount {MONEY} }}
    totalIncome {MONEY} totalExpenses {MONEY} netProfit {MONEY} }} }} }} }}"""
BALANCE_SHEET = f"""query($asOf: Date) {{ company {{ reports {{ balanceSheet(asOf: $asOf) {{
    asOf assets {{ code amount {MONEY} }} liabilities {{ code amount {MONEY} }}
    equity {{ code amount {MONEY} }}
    currentEarnings {MONEY} totalAssets {MONEY} totalLiabilities {MONEY} totalEquity {MONEY}
    totalLiabilitiesAndEquity {MONEY} }} }} }} }}"""
BUCKETS = """current { amount } days1To30 { amount } days31To60 { amount } days61To90 { amount }
    over90 { amount } total { amount currency }"""
AGEING = f"""query($asOf: Date) {{ company {{ reports {{
    receivables: receivablesAgeing(asOf: $asOf) {{ asOf
      rows {{ name contact {{ objectId }} amounts {{ {BUCKETS} }} }} totals {{ {BUCKETS} }} }}
    payables: payablesAgeing(asOf: $asOf) {{ asOf
      rows {{ name contact {{ objectId }} amounts {{ {BUCKETS} }} }} totals {{ {BUCKETS} }} }}
}} }} }}"""
STATEMENT = f"""query($contactId: ID!, $from: Date, $to: Date) {{ company {{ reports {{
    contactStatement(contactId: $contactId, from: $from, to: $to) {{
      contact {{ objectId name }} from to openingBalance {MONEY} closingBalance {MONEY}
      entries {{ date number description debit {{ amount }} credit {{ amount }} balance {{ amount }}
                 voucher {{ type source {{ __typename ... on Document {{ number }} }} }} }}
}} }} }} }}"""

VOUCHER_CREATE = """mutation($input: VoucherCreateInput!) { voucherCreate(input: $input) {
    voucher { id } userErrors { field message code } } }"""
VOUCHER_REVERSE = """mutation($input: VoucherReverseInput!) { voucherReverse(input: $input) {
    voucher { id } userErrors { field message code } } }"""
DOCUMENT_ISSUE = """mutation($input: DocumentIdInput!) { documentIssue(input: $input) {
    document { id status } userErrors { field message code } } }"""
DOCUMENT_CANCEL = """mutation($input: DocumentIdInput!) { documentCancel(input: $input) {
    document { id status } userErrors { field message code } } }"""
CURRENCY_CREATE = """mutation($input: CurrencyCreateInput!) { currencyCreate(input: $input) {
    currency { id } userErrors { field message } } }"""


# --- building books through the API ---------------------------------------------------------


async def voucher(
    api: Api,
    tenant: Tenant,
    day: str,
    *lines: tuple[str, str, str],
    kind: str = "REGULAR",
    contact: str | None = None,
) -> str:
    """A manual voucher: (code, debit, credit) lines; `contact` goes on receivable and
    payable lines."""
    payload = await api.mutate(
        "voucherCreate",
        VOUCHER_CREATE,
        {
            "date": day,
            "description": f"Manual {day}",
            "kind": kind,
            "lines": [
                {
                    "accountCode": code,
                    "debit": debit,
                    "credit": credit,
                    **({"contactId": contact} if contact and code in ("1200", "2100") else {}),
                }
                for code, debit, credit in lines
            ],
        },
        tenant,
    )
    return payload["voucher"]["id"]  # type: ignore[no-any-return]


async def issued(
    api: Api,
    tenant: Tenant,
    contact_id: str,
    price: str,
    *,
    kind: str = "INVOICE",
    tax_id: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """An issued document with one line of `price` (plus the tax, if any)."""
    line: dict[str, Any] = {"name": "Work", "unitPrice": price}
    if tax_id:
        line["taxId"] = tax_id
    doc = await api.document(tenant, contact_id, lines=[line], kind=kind, **fields)
    await api.mutate("documentIssue", DOCUMENT_ISSUE, {"id": doc["id"]}, tenant)
    return doc


async def reports(api: Api, tenant: Tenant, query: str, **variables: Any) -> dict[str, Any]:
    return (await api.data(query, variables, tenant))["company"]["reports"]  # type: ignore[no-any-return]


def amounts(rows: list[dict[str, Any]], key: str = "amount") -> dict[str, str]:
    return {r["code"]: r[key]["amount"] for r in rows}


@pytest.fixture
async def books(api: Api) -> dict[str, Any]:
    """A quarter of a small business's books:

    01-01 the owner puts 5000 in the bank (opening balance)
    01-10 invoice to Acme, 100 + 20% tax
    01-20 bill from Supplies Co, 40 + 20% tax
    02-01 rent 300 paid from the bank
    02-15 Acme pays 50 into the bank (a manual entry on its receivable)
    02-20 a DRAFT voucher of 999 (counts nowhere)
    04-01 office supplies 25 paid from the bank (after the quarter)
    """
    owner = await api.register()
    tax = await api.tax(owner, rate="20")
    acme = await api.contact(owner, name="Acme")
    supplier = await api.contact(owner, name="Supplies Co", type="supplier")
    await voucher(
        api,
        owner,
        "2026-01-01",
        ("1110", "5000", "0"),
        ("3100", "0", "5000"),
        kind="OPENING_BALANCE",
    )
    invoice = await issued(
        api,
        owner,
        acme["id"],
        "100",
        tax_id=tax["id"],
        issueDate="2026-01-10",
        dueDate="2026-02-09",
    )
    bill = await issued(
        api,
        owner,
        supplier["id"],
        "40",
        kind="BILL",
        tax_id=tax["id"],
        issueDate="2026-01-20",
        dueDate="2026-02-19",
    )
    await voucher(api, owner, "2026-02-01", ("6200", "300", "0"), ("1110", "0", "300"))
    await voucher(
        api, owner, "2026-02-15", ("1110", "50", "0"), ("1200", "0", "50"), contact=acme["id"]
    )
    await voucher(
        api, owner, "2026-02-20", ("6100", "999", "0"), ("1110", "0", "999"), kind="DRAFT"
    )
    await voucher(api, owner, "2026-04-01", ("6100", "25", "0"), ("1110", "0", "25"))
    return {
        "owner": owner,
        "acme": acme,
        "supplier": supplier,
        "invoice": invoice,
        "bill": bill,
        "tax": tax,
    }


# --- trial balance -------------------------------------------------------------------------------


async def test_trial_balance_of_the_worked_books(api: Api, books: dict[str, Any]) -> None:
    # when the trial balance of all time and of the first quarter are read
    owner = books["owner"]
    whole = (await reports(api, owner, TRIAL_BALANCE))["trialBalance"]
    quarter = (
        await reports(api, owner, TRIAL_BALANCE, **{"from": "2026-01-01", "to": "2026-03-31"})
    )["trialBalance"]

    # then every account with movement is there, by code, with its debits and credits
    assert [
        (r["code"], r["debit"]["amount"], r["credit"]["amount"], r["balance"]["amount"])
        for r in whole["rows"]
    ] == [
        ("1110", "5050.00", "325.00", "4725.00"),
        ("1200", "120.00", "50.00", "70.00"),
        ("1300", "8.00", "0.00", "8.00"),
        ("2100", "0.00", "48.00", "-48.00"),
        ("2200", "0.00", "20.00", "-20.00"),
        ("3100", "0.00", "5000.00", "-5000.00"),
        ("4000", "0.00", "100.00", "-100.00"),
        ("5000", "40.00", "0.00", "40.00"),
        ("6100", "25.00", "0.00", "25.00"),
        ("6200", "300.00", "0.00", "300.00"),
    ]
    assert whole["rows"][0]["name"] == "Bank" and whole["rows"][0]["type"] == "ASSET"
    assert whole["rows"][0]["account"] == {"code": "1110", "level": "ACCOUNT"}
    # and the totals are equal, in the base currency (the draft counts nowhere)
    assert whole["totalDebit"] == whole["totalCredit"] == {"amount": "5543.00", "currency": "USD"}
    assert whole["balanced"] is True
    # and the quarter leaves out April's entry
    assert quarter["from"] == "2026-01-01" and quarter["to"] == "2026-03-31"
    assert "6100" not in amounts(quarter["rows"], "debit")
    assert quarter["totalDebit"]["amount"] == quarter["totalCredit"]["amount"] == "5518.00"


async def test_trial_balance_sums_to_zero_after_every_kind_of_posting(api: Api) -> None:
    # given a company that posts invoices, bills, credit notes, cancellations, manual
    # vouchers and reversals, with awkward amounts
    owner = await api.register()
    tax = await api.tax(owner, rate="19.6")
    customer = await api.contact(owner)
    supplier = await api.contact(owner, type="supplier")
    steps: list[Any] = [
        lambda: issued(api, owner, customer["id"], "33.33", tax_id=tax["id"]),
        lambda: issued(api, owner, supplier["id"], "0.07", kind="BILL", tax_id=tax["id"]),
        lambda: voucher(
            api,
            owner,
            "2026-05-05",
            ("6200", "0.01", "0"),
            ("6100", "99999.99", "0"),
            ("1120", "0", "100000.00"),
        ),
        lambda: issued(api, owner, customer["id"], "12.34", kind="CREDIT_NOTE", tax_id=tax["id"]),
        lambda: issued(api, owner, customer["id"], "1000000.01", tax_id=tax["id"]),
    ]
    for step in steps:
        await step()
        # then after each step the trial balance sums to exactly zero
        tb = (await reports(api, owner, TRIAL_BALANCE))["trialBalance"]
        assert tb["totalDebit"]["amount"] == tb["totalCredit"]["amount"]
        assert sum(Decimal(r["balance"]["amount"]) for r in tb["rows"]) == 0
    listed = await api.data(
        "{ documents(first: 1, filter: {kind: INVOICE}) { nodes { id } } }", tenant=owner
    )
    await api.mutate(
        "documentCancel", DOCUMENT_CANCEL, {"id": listed["documents"]["nodes"][0]["id"]}, owner
    )
    manual = await voucher(api, owner, "2026-06-01", ("1110", "7.77", "0"), ("3100", "0", "7.77"))
    await api.mutate("voucherReverse", VOUCHER_REVERSE, {"id": manual}, owner)
    tb = (await reports(api, owner, TRIAL_BALANCE))["trialBalance"]
    assert tb["balanced"] is True and sum(Decimal(r["balance"]["amount"]) for r in tb["rows"]) == 0
    assert amounts(tb["rows"], "balance")["3100"] == "0.00"


# --- profit and loss and balance sheet --------------------------------------------------


async def test_profit_and_loss_of_the_worked_books(api: Api, books: dict[str, Any]) -> None:
    owner = books["owner"]
    quarter = (
        await reports(api, owner, PROFIT_AND_LOSS, **{"from": "2026-01-01", "to": "2026-03-31"})
    )["profitAndLoss"]
    whole = (await reports(api, owner, PROFIT_AND_LOSS))["profitAndLoss"]
    february = (
        await reports(api, owner, PROFIT_AND_LOSS, **{"from": "2026-02-01", "to": "2026-02-28"})
    )["profitAndLoss"]

    # income and expenses on their natural side, with their totals and the net result
    assert amounts(quarter["income"]) == {"4000": "100.00"}
    assert quarter["income"][0]["name"] == "Sales"
    assert amounts(quarter["expenses"]) == {"5000": "40.00", "6200": "300.00"}
    assert quarter["totalIncome"] == {"amount": "100.00", "currency": "USD"}
    assert quarter["totalExpenses"]["amount"] == "340.00"
    assert quarter["netProfit"]["amount"] == "-240.00"
    assert (
        whole["totalExpenses"]["amount"] == "365.00" and whole["netProfit"]["amount"] == "-265.00"
    )
    assert february["income"] == [] and february["totalIncome"]["amount"] == "0.00"
    assert amounts(february["expenses"]) == {"6200": "300.00"}


async def test_balance_sheet_balances_on_every_date(api: Api, books: dict[str, Any]) -> None:
    owner = books["owner"]

    # at the end of the quarter
    sheet = (await reports(api, owner, BALANCE_SHEET, asOf="2026-03-31"))["balanceSheet"]
    assert sheet["asOf"] == "2026-03-31"
    assert amounts(sheet["assets"]) == {"1110": "4750.00", "1200": "70.00", "1300": "8.00"}
    assert amounts(sheet["liabilities"]) == {"2100": "48.00", "2200": "20.00"}
    assert amounts(sheet["equity"]) == {"3100": "5000.00"}
    assert sheet["currentEarnings"]["amount"] == "-240.00"
    assert sheet["totalAssets"] == {"amount": "4828.00", "currency": "USD"}
    assert sheet["totalLiabilities"]["amount"] == "68.00"
    assert sheet["totalEquity"]["amount"] == "4760.00"
    assert sheet["totalLiabilitiesAndEquity"]["amount"] == "4828.00"

    # and on every day around a posting, assets = liabilities + equity exactly
    for day in (
        "2025-12-31",
        "2026-01-01",
        "2026-01-15",
        "2026-02-01",
        "2026-04-01",
        str(date.today()),
    ):
        sheet = (await reports(api, owner, BALANCE_SHEET, asOf=day))["balanceSheet"]
        assert sheet["totalAssets"]["amount"] == sheet["totalLiabilitiesAndEquity"]["amount"], day
    early = (await reports(api, owner, BALANCE_SHEET, asOf="2026-01-15"))["balanceSheet"]
    assert amounts(early["assets"]) == {"1110": "5000.00", "1200": "120.00"}
    assert early["currentEarnings"]["amount"] == "100.00"
    empty = (await reports(api, owner, BALANCE_SHEET, asOf="2025-12-31"))["balanceSheet"]
    assert empty["assets"] == [] and empty["totalAssets"]["amount"] == "0.00"


async def test_closing_the_year_moves_earnings_to_equity_without_changing_profit(
    api: Api, books: dict[str, Any]
) -> None:
    # given the year's result closed to retained earnings (sales 100 against expenses 365)
    owner = books["owner"]
    await voucher(
        api,
        owner,
        "2026-12-31",
        ("4000", "100", "0"),
        ("3200", "265", "0"),
        ("5000", "0", "40"),
        ("6100", "0", "25"),
        ("6200", "0", "300"),
        kind="CLOSING_TEMPORARY_ACCOUNTS",
    )

    # then profit and loss still reports the year's result, and the balance sheet holds
    # it in retained earnings with no current earnings left
    pl = (await reports(api, owner, PROFIT_AND_LOSS, **{"from": "2026-01-01", "to": "2026-12-31"}))[
        "profitAndLoss"
    ]
    assert pl["netProfit"]["amount"] == "-265.00"
    sheet = (await reports(api, owner, BALANCE_SHEET, asOf="2026-12-31"))["balanceSheet"]
    assert amounts(sheet["equity"]) == {"3100": "5000.00", "3200": "-265.00"}
    assert sheet["currentEarnings"]["amount"] == "0.00"
    assert (
        sheet["totalAssets"]["amount"] == sheet["totalLiabilitiesAndEquity"]["amount"] == "4803.00"
    )


# --- ageing ----------------------------------------------------------------------

AS_OF = date(2026, 6, 30)


def _days_before(days: int) -> str:
    return (AS_OF - timedelta(days=days)).isoformat()


async def test_ageing_buckets_open_documents_by_days_past_due_at_their_edges(api: Api) -> None:
    # given invoices to Alpha due 0, 1, 30, 31, 60, 61, 90 and 91 days before the date
    # (and one not yet due), each a distinct power of two
    owner = await api.register()
    alpha = await api.contact(owner, name="Alpha")
    beta = await api.contact(owner, name="Beta")
    supplier = await api.contact(owner, name="Gamma Supplies", type="supplier")
    await api.mutate(
        "currencyCreate", CURRENCY_CREATE, {"code": "EUR", "name": "Euro", "rate": "0.9"}, owner
    )
    for days, price in (
        (-5, "1"),
        (0, "2"),
        (1, "4"),
        (30, "8"),
        (31, "16"),
        (60, "32"),
        (61, "64"),
        (90, "128"),
        (91, "256"),
    ):
        due = _days_before(days)
        await issued(
            api, owner, alpha["id"], price, issueDate=min(due, AS_OF.isoformat()), dueDate=due
        )
    # and Beta: an invoice with a credit note, two in euros at awkward rates, and
    # documents that must not count (draft, cancelled, issued after the date)
    credited = await issued(
        api, owner, beta["id"], "100", issueDate=_days_before(0), dueDate=_days_before(0)
    )
    await issued(
        api,
        owner,
        beta["id"],
        "30",
        kind="CREDIT_NOTE",
        invoiceId=credited["id"],
        issueDate=_days_before(0),
    )
    await issued(
        api,
        owner,
        beta["id"],
        "200",
        issueDate=_days_before(10),
        dueDate=_days_before(10),
        currencyCode="EUR",
        currencyRate="3",
    )
    await issued(
        api,
        owner,
        beta["id"],
        "1.25",
        issueDate=_days_before(100),
        dueDate=_days_before(100),
        currencyCode="EUR",
        currencyRate="2",
    )
    await api.document(
        owner, beta["id"], lines=[{"name": "Draft", "unitPrice": "1000"}], issueDate=_days_before(5)
    )
    cancelled = await issued(api, owner, beta["id"], "2000", issueDate=_days_before(5))
    await api.mutate("documentCancel", DOCUMENT_CANCEL, {"id": cancelled["id"]}, owner)
    await issued(api, owner, beta["id"], "4000", issueDate=(AS_OF + timedelta(days=1)).isoformat())
    # and a bill 45 days past due
    await issued(
        api,
        owner,
        supplier["id"],
        "45.50",
        kind="BILL",
        issueDate=_days_before(45),
        dueDate=_days_before(45),
    )

    # when the ageing is read as of the date
    result = await reports(api, owner, AGEING, asOf=AS_OF.isoformat())

    # then each invoice is in its bucket: 0 days is current, 30 is 1-30, 31 is 31-60,
    # 60 is 31-60, 61 is 61-90, 90 is 61-90, 91 is over 90
    def row(buckets: dict[str, Any]) -> list[str]:
        return [
            buckets[k]["amount"]
            for k in ("current", "days1To30", "days31To60", "days61To90", "over90", "total")
        ]

    receivables = result["receivables"]
    assert receivables["asOf"] == AS_OF.isoformat()
    assert [r["name"] for r in receivables["rows"]] == ["Alpha", "Beta"]
    assert row(receivables["rows"][0]["amounts"]) == [
        "3.00",
        "12.00",
        "48.00",
        "192.00",
        "256.00",
        "511.00",
    ]
    assert receivables["rows"][0]["contact"]["objectId"] == alpha["id"]
    # Beta: 100 - 30 credited is current; 200 EUR at 3 = 66.67; 1.25 EUR at 2 = 0.625 -> 0.63
    assert row(receivables["rows"][1]["amounts"]) == [
        "70.00",
        "66.67",
        "0.00",
        "0.00",
        "0.63",
        "137.30",
    ]
    assert row(receivables["totals"]) == ["73.00", "78.67", "48.00", "192.00", "256.63", "648.30"]
    assert receivables["totals"]["total"]["currency"] == "USD"
    # and the bill is payables, not receivables
    assert [r["name"] for r in result["payables"]["rows"]] == ["Gamma Supplies"]
    assert row(result["payables"]["totals"]) == ["0.00", "0.00", "45.50", "0.00", "0.00", "45.50"]

    # and today (after the cancellation's reversal) what is open agrees with the ledger
    today = str(date.today())
    now = await reports(api, owner, AGEING, asOf=today)
    sheet = (await reports(api, owner, BALANCE_SHEET, asOf=today))["balanceSheet"]
    assert amounts(sheet["assets"])["1200"] == now["receivables"]["totals"]["total"]["amount"]
    assert amounts(sheet["liabilities"])["2100"] == now["payables"]["totals"]["total"]["amount"]

    # and a day later each invoice has aged one day
    later = (await reports(api, owner, AGEING, asOf=(AS_OF + timedelta(days=1)).isoformat()))[
        "receivables"
    ]
    assert row(later["rows"][0]["amounts"]) == [
        "1.00",
        "6.00",
        "24.00",
        "96.00",
        "384.00",
        "511.00",
    ]
    assert [r["name"] for r in later["rows"]] == ["Alpha", "Beta"]
    assert later["rows"][1]["amounts"]["current"]["amount"] == "4000.00"


async def test_ageing_of_a_company_with_nothing_open_is_zero(api: Api) -> None:
    owner = await api.register()
    result = await reports(api, owner, AGEING, asOf="2026-01-01")
    assert (
        result["receivables"]["rows"] == []
        and result["receivables"]["totals"]["total"]["amount"] == "0.00"
    )


# --- contact statement ------------------------------------------------------------


async def test_a_contacts_statement_runs_its_balance_in_date_order(
    api: Api, books: dict[str, Any]
) -> None:
    # given Acme of the worked books, credited 20 (+ tax) on its invoice and invoiced again
    owner, acme = books["owner"], books["acme"]
    await issued(
        api,
        owner,
        acme["id"],
        "16.67",
        kind="CREDIT_NOTE",
        invoiceId=books["invoice"]["id"],
        issueDate="2026-01-20",
    )
    second = await issued(api, owner, acme["id"], "60", issueDate="2026-03-01")

    # when its statement is read for February and March, and for all time
    window = (
        await reports(
            api,
            owner,
            STATEMENT,
            contactId=acme["id"],
            **{"from": "2026-02-01", "to": "2026-03-31"},
        )
    )["contactStatement"]
    whole = (await reports(api, owner, STATEMENT, contactId=acme["id"]))["contactStatement"]

    # then the balance brought forward is what was owed on 1 February (120 - 16.67)
    assert window["contact"] == {"objectId": acme["id"], "name": "Acme"}
    assert window["from"] == "2026-02-01" and window["to"] == "2026-03-31"
    assert window["openingBalance"] == {"amount": "103.33", "currency": "USD"}
    # and the entries run it on: the payment, then the second invoice
    assert [
        (e["date"], e["debit"]["amount"], e["credit"]["amount"], e["balance"]["amount"])
        for e in window["entries"]
    ] == [
        ("2026-02-15", "0.00", "50.00", "53.33"),
        ("2026-03-01", "60.00", "0.00", "113.33"),
    ]
    assert window["entries"][1]["voucher"]["source"] == {
        "__typename": "Document",
        "number": second["number"],
    }
    assert window["entries"][0]["voucher"]["type"] == "MANUAL"
    assert window["closingBalance"]["amount"] == "113.33"
    # and from the beginning, every posting on Acme's account
    assert [(e["date"], e["balance"]["amount"]) for e in whole["entries"]] == [
        ("2026-01-10", "120.00"),
        ("2026-01-20", "103.33"),
        ("2026-02-15", "53.33"),
        ("2026-03-01", "113.33"),
    ]
    assert whole["entries"][0]["description"] == f"Invoice {books['invoice']['number']}"
    assert (
        whole["openingBalance"]["amount"] == "0.00"
        and whole["closingBalance"]["amount"] == "113.33"
    )

    # and the supplier's statement shows what is owed to it as a negative balance
    supplier = (await reports(api, owner, STATEMENT, contactId=books["supplier"]["id"]))[
        "contactStatement"
    ]
    assert [(e["credit"]["amount"], e["balance"]["amount"]) for e in supplier["entries"]] == [
        ("48.00", "-48.00")
    ]


async def test_a_cancelled_invoice_nets_to_nothing_on_the_statement(api: Api) -> None:
    owner = await api.register()
    customer = await api.contact(owner)
    doc = await issued(api, owner, customer["id"], "75", issueDate="2026-02-02")
    await api.mutate("documentCancel", DOCUMENT_CANCEL, {"id": doc["id"]}, owner)
    statement = (await reports(api, owner, STATEMENT, contactId=customer["id"]))["contactStatement"]
    assert [(e["debit"]["amount"], e["credit"]["amount"]) for e in statement["entries"]] == [
        ("75.00", "0.00"),
        ("0.00", "75.00"),
    ]
    assert statement["closingBalance"]["amount"] == "0.00"


# --- tenancy -------------------------------------------------------------------------------------


async def test_another_companys_books_never_reach_these_reports(
    api: Api, books: dict[str, Any]
) -> None:
    # given the worked books, read once
    owner = books["owner"]
    queries = [
        (TRIAL_BALANCE, {}),
        (PROFIT_AND_LOSS, {}),
        (BALANCE_SHEET, {"asOf": "2026-12-31"}),
        (AGEING, {"asOf": "2026-12-31"}),
        (STATEMENT, {"contactId": books["acme"]["id"]}),
    ]
    before = [await reports(api, owner, q, **v) for q, v in queries]

    # when another company posts on every account and document the reports read
    other = await api.register()
    customer = await api.contact(other, name="Acme")
    supplier = await api.contact(other, type="supplier")
    await issued(api, other, customer["id"], "777", issueDate="2026-01-05", dueDate="2026-01-06")
    await issued(
        api, other, supplier["id"], "888", kind="BILL", issueDate="2026-01-05", dueDate="2026-01-06"
    )
    await voucher(
        api, other, "2026-01-02", ("1110", "999", "0"), ("1200", "0", "999"), contact=customer["id"]
    )

    # then the first company's reports are exactly as they were
    after = [await reports(api, owner, q, **v) for q, v in queries]
    assert after == before
    # and the other company's contact has no statement here
    theirs = await api.gql(STATEMENT, {"contactId": customer["id"]}, owner)
    assert theirs["data"]["company"]["reports"]["contactStatement"] is None
    assert theirs["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # while its own reports show its own books only
    tb = (await reports(api, other, TRIAL_BALANCE))["trialBalance"]
    assert (
        tb["totalDebit"]["amount"] == str(Decimal("777") + Decimal("888") + Decimal("999")) + ".00"
    )


# --- end to end with payments ----------------------------------------------------------------

ACCOUNT_CREATE = """mutation($input: AccountCreateInput!) { accountCreate(input: $input) {
    account { id } userErrors { field message code } } }"""
PAY = """mutation($input: DocumentPaymentCreateInput!) { documentPaymentCreate(input: $input) {
    transaction { id } document { amountDue { amount } } userErrors { field message code } } }"""
SOURCES = """{ vouchers(orderBy: {field: DATE, direction: ASC}) { nodes { type description
    source { __typename ... on Transaction { id } ... on Document { number } ... on Account { id } }
} } }"""


async def test_an_invoice_and_its_payment_agree_across_every_report(api: Api) -> None:
    # given a bank account opened with 1000, an invoice of 100 + 20% tax, and a payment of 50
    owner = await api.register()
    tax = await api.tax(owner, rate="20")
    customer = await api.contact(owner, name="Paying Customer")
    account = await api.mutate(
        "accountCreate",
        ACCOUNT_CREATE,
        {"name": "Main", "type": "BANK", "openingBalance": "1000"},
        owner,
    )
    invoice = await issued(
        api,
        owner,
        customer["id"],
        "100",
        tax_id=tax["id"],
        issueDate="2026-01-10",
        dueDate="2026-02-09",
    )
    paid = await api.mutate(
        "documentPaymentCreate",
        PAY,
        {
            "documentId": invoice["id"],
            "accountId": account["account"]["id"],
            "amount": "50",
            "paidAt": "2026-02-01T10:00:00+00:00",
        },
        owner,
    )
    assert paid["document"]["amountDue"]["amount"] == "70.00"

    # then the books balance, and the payment's voucher leads back to the payment
    today = str(date.today())
    tb = (await reports(api, owner, TRIAL_BALANCE))["trialBalance"]
    assert tb["balanced"] is True
    assert amounts(tb["rows"], "balance")["1200"] == "70.00"
    sources = (await api.data(SOURCES, tenant=owner))["vouchers"]["nodes"]
    found = [s["source"] for s in sources]
    assert {"__typename": "Transaction", "id": paid["transaction"]["id"]} in found
    assert {"__typename": "Account", "id": account["account"]["id"]} in found
    assert {"__typename": "Document", "number": invoice["number"]} in found
    # and what the customer owes agrees everywhere: ageing, ledger, statement
    ageing = (await reports(api, owner, AGEING, asOf="2026-03-15"))["receivables"]
    assert [r["name"] for r in ageing["rows"]] == ["Paying Customer"]
    assert ageing["rows"][0]["amounts"]["days31To60"]["amount"] == "70.00"
    sheet = (await reports(api, owner, BALANCE_SHEET, asOf=today))["balanceSheet"]
    assert amounts(sheet["assets"])["1200"] == "70.00"
    assert sheet["totalAssets"]["amount"] == sheet["totalLiabilitiesAndEquity"]["amount"]
    # the bank: 1000 opening + 50 received; receivables: 120 - 50
    assert sum(Decimal(a["amount"]["amount"]) for a in sheet["assets"]) == Decimal("1120.00")
    statement = (await reports(api, owner, STATEMENT, contactId=customer["id"]))["contactStatement"]
    assert [(e["date"], e["balance"]["amount"]) for e in statement["entries"]] == [
        ("2026-01-10", "120.00"),
        ("2026-02-01", "70.00"),
    ]
    assert statement["entries"][1]["voucher"]["type"] == "AUTO"
