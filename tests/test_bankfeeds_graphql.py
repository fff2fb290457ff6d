"""Bank feeds over GraphQL: connections, rules, CSV and OFX imports (idempotent, rules
applied, bad files refused by row), and reconciliation: a line matched to a payment,
split into new transactions posted to the books, unmatched again; the account's
reconciliation figures on both read paths (the differential test compares them)."""

from __future__ import annotations

import base64
from typing import Any

from tests.bankfeeds import (
    CONNECTION_DELETE,
    CONNECTION_UPDATE,
    IMPORT,
    MATCH,
    RULE_CREATE,
    RULE_DELETE,
    RULE_UPDATE,
    SPLIT,
    STATEMENT,
    UNMATCH,
    category,
    connection,
    csv_input,
    imported,
    reconciliation,
    rule,
)
from tests.factories import Api, Tenant
from tests.test_money_concurrency import account, issued, pay

OFX = """OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS>
<DTSERVER>20260131120000<LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>123456789<ACCTID>0001<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><DTSTART>20260101<DTEND>20260131
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20260105<TRNAMT>250.00<FITID>F-1<NAME>Acme Ltd<MEMO>INV-7</STMTTRN>
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20260107<TRNAMT>-45.50<FITID>F-2<NAME>Coffee Shop</STMTTRN>
</BANKTRANLIST><LEDGERBAL><BALAMT>1204.50<DTASOF>20260131</LEDGERBAL>
</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>
"""
LINES = """query($filter: BankFeedTransactionFilter, $orderBy: BankFeedTransactionOrder) {
  bankFeedTransactions(filter: $filter, orderBy: $orderBy) { totalCount
    nodes { description amount { amount } status } } }"""
CONNECTION_LINES = """query($id: ID!) { bankConnection(id: $id) { provider
  account { name feedTransactions(filter: {status: UNMATCHED}) { totalCount } }
  feedTransactions(first: 2) { totalCount nodes { date description } } } }"""
TRANSACTION_DELETE = """mutation($id: ID!) { transactionDelete(input: {id: $id}) {
  deletedTransactionId userErrors { field message code } } }"""
DOCUMENT = """query($id: ID!) { document(id: $id) { status amountPaid { amount } } }"""
TRIAL = "{ company { reports { trialBalance { balanced totalDebit { amount } } } } }"


async def errors_of(api: Api, tenant: Tenant, query: str, input: Any) -> list[Any]:
    (payload,) = (await api.data(query, {"input": input}, tenant)).values()
    return payload["userErrors"]  # type: ignore[no-any-return]


def by_description(lines: list[dict[str, Any]], text: str) -> dict[str, Any]:
    return next(line for line in lines if text in line["description"])


# --- connections and rules ------------------------------------------------------------------


async def test_a_connection_is_for_an_account_of_the_company(api):
    owner, other = await api.register(), await api.register()
    made = await connection(api, owner)
    assert made["provider"] == "Plaid" and made["status"] == "ACTIVE"
    assert made["lastImportAt"] is None and made["account"] == {"name": "Bank"}
    foreign = await account(api, other)
    errors = await errors_of(
        api, owner, CONNECTION_CREATE_Q, {"provider": "Plaid", "accountId": foreign}
    )
    assert errors == [
        {"field": ["input", "accountId"], "message": "Account not found", "code": "NOT_FOUND"}
    ]
    errors = await errors_of(
        api, owner, CONNECTION_CREATE_Q, {"provider": "", "accountId": foreign}
    )
    assert errors[0]["field"] == ["input", "provider"]


CONNECTION_CREATE_Q = """mutation($input: BankConnectionCreateInput!) {
  bankConnectionCreate(input: $input) { bankConnection { id } userErrors { field message code } } }"""


async def test_a_disconnected_connection_takes_no_import_and_one_with_lines_is_kept(api):
    owner = await api.register()
    made = await connection(api, owner)
    await imported(api, owner, made["id"])
    payload = await api.mutate(
        "bankConnectionUpdate",
        CONNECTION_UPDATE,
        {"id": made["id"], "status": "DISCONNECTED"},
        owner,
    )
    assert payload["bankConnection"]["status"] == "DISCONNECTED"
    errors = await errors_of(api, owner, IMPORT, csv_input(made["id"]))
    assert errors[0]["code"] == "INVALID_STATE" and errors[0]["field"] == ["input", "connectionId"]
    errors = await errors_of(api, owner, CONNECTION_DELETE, {"id": made["id"]})
    assert errors[0]["code"] == "IN_USE"
    empty = await connection(api, owner)
    payload = await api.mutate(
        "bankConnectionDelete", CONNECTION_DELETE, {"id": empty["id"]}, owner
    )
    assert payload["deletedBankConnectionId"] == empty["id"]


async def test_rules_are_written_checked_changed_and_deleted(api):
    owner, other = await api.register(), await api.register()
    coffee = await category(api, owner, "Coffee", "EXPENSE")
    contact = await api.contact(owner, name="Starbucks", type="supplier")
    made = await rule(
        api, owner, "STARBUCKS", coffee["id"], contactId=contact["id"], priority=3, direction="OUT"
    )
    assert made["category"] == {"name": "Coffee"} and made["contact"] == {"name": "Starbucks"}
    assert made["priority"] == 3 and made["direction"] == "OUT" and made["account"] is None
    theirs = await category(api, other, "Theirs", "EXPENSE")
    errors = await errors_of(api, owner, RULE_CREATE, {"pattern": "x", "categoryId": theirs["id"]})
    assert errors == [
        {"field": ["input", "categoryId"], "message": "Category not found", "code": "NOT_FOUND"}
    ]
    errors = await errors_of(
        api, owner, RULE_CREATE, {"pattern": "x", "categoryId": coffee["id"], "priority": 5000}
    )
    assert errors[0]["field"] == ["input", "priority"]
    changed = await api.mutate(
        "bankRuleUpdate", RULE_UPDATE, {"id": made["id"], "pattern": "coffee", "priority": 9}, owner
    )
    assert changed["bankRule"] == {"pattern": "coffee", "priority": 9}
    errors = await errors_of(api, owner, RULE_UPDATE, {"id": made["id"], "pattern": None})
    assert errors[0]["code"] == "REQUIRED"
    gone = await api.mutate("bankRuleDelete", RULE_DELETE, {"id": made["id"]}, owner)
    assert gone["deletedBankRuleId"] == made["id"]


# --- imports --------------------------------------------------------------------------------


async def test_an_import_categorises_new_lines_by_the_highest_priority_rule(api):
    owner = await api.register()
    made = await connection(api, owner)
    coffee = await category(api, owner, "Coffee", "EXPENSE")
    drinks = await category(api, owner, "Drinks", "EXPENSE")
    sales = await category(api, owner, "Sales", "INCOME")
    await rule(api, owner, "starbucks", drinks["id"], priority=1)
    await rule(api, owner, "STARBUCKS", coffee["id"], priority=5)
    await rule(api, owner, "acme", sales["id"], direction="OUT")  # only money out: no match
    payload = await imported(api, owner, made["id"])
    assert (payload["lines"], payload["newLines"], payload["existingLines"]) == (4, 4, 0)
    assert payload["connection"]["lastImportAt"] is not None
    lines = payload["feedTransactions"]
    assert [line["date"] for line in lines] == sorted(line["date"] for line in lines)
    coffees = [line for line in lines if "STARBUCKS" in line["description"]]
    assert len(coffees) == 2  # two equal lines on one day are two lines
    assert {c["category"]["name"] for c in coffees} == {"Coffee"}
    assert coffees[0]["rule"] == {"pattern": "STARBUCKS"}
    acme = by_description(lines, "Acme")
    assert acme["category"] is None and acme["status"] == "UNMATCHED"
    assert (
        acme["amount"] == {"amount": "1000.00", "currency": "USD"} and acme["reference"] == "INV-1"
    )


async def test_importing_the_same_or_an_overlapping_file_adds_only_new_lines(api):
    owner = await api.register()
    made = await connection(api, owner)
    await imported(api, owner, made["id"])
    again = await imported(api, owner, made["id"])
    assert (again["lines"], again["newLines"], again["existingLines"]) == (4, 0, 4)
    assert again["feedTransactions"] == []
    overlap = STATEMENT + "2026-01-12,Payment from Bolt,300.00,INV-2\n"
    more = await imported(api, owner, made["id"], content=overlap)
    assert (more["newLines"], more["existingLines"]) == (1, 4)
    assert more["feedTransactions"][0]["description"] == "Payment from Bolt"
    # The same file through another connection of the account adds nothing either.
    account_id = (await api.data(CONNECTION_ACCOUNT, {"id": made["id"]}, owner))["bankConnection"][
        "account"
    ]["id"]
    second = await connection(api, owner, account_id)
    through_second = await imported(api, owner, second["id"])
    assert (through_second["newLines"], through_second["existingLines"]) == (0, 4)
    total = (await api.data(LINES, {}, owner))["bankFeedTransactions"]["totalCount"]
    assert total == 5


async def test_a_csv_with_debit_and_credit_columns_a_date_format_and_decimal_commas(api):
    owner = await api.register()
    made = await connection(api, owner)
    content = "Datum;Text;Soll;Haben\n05.01.2026;Miete;1.200,00;\n06.01.2026;Kunde;;99,90\n"
    mapping = {
        "date": "Datum",
        "description": "Text",
        "debit": "Soll",
        "credit": "Haben",
        "dateFormat": "DD.MM.YYYY",
        "decimalSeparator": ",",
        "delimiter": ";",
    }
    encoded = base64.b64encode(content.encode("latin-1")).decode()
    body = {"connectionId": made["id"], "format": "CSV", "content": encoded, "base64": True}
    payload = await api.mutate("bankFeedImport", IMPORT, {**body, "mapping": mapping}, owner)
    amounts = {
        line["description"]: line["amount"]["amount"] for line in payload["feedTransactions"]
    }
    assert amounts == {"Miete": "-1200.00", "Kunde": "99.90"}


async def test_a_bad_file_is_refused_whole_each_error_naming_its_row(api):
    owner = await api.register()
    made = await connection(api, owner)
    content = "Date,Description,Amount,Ref\n2026-01-05,Fine,10.00,\n2026-13-01,Bad day,5,\n2026-01-06,,abc,\n"
    errors = await errors_of(api, owner, IMPORT, csv_input(made["id"], content=content))
    assert errors == [
        {
            "field": ["input", "content", "3", "date"],
            "message": "row 3: '2026-13-01' is not a date as YYYY-MM-DD",
            "code": "INVALID",
        },
        {
            "field": ["input", "content", "4", "amount"],
            "message": "row 4: 'abc' is not a non-zero amount",
            "code": "INVALID",
        },
        {
            "field": ["input", "content", "4", "description"],
            "message": "row 4: is empty",
            "code": "INVALID",
        },
    ]
    assert (await api.data(LINES, {}, owner))["bankFeedTransactions"]["totalCount"] == 0
    missing = {"date": "When", "description": "Description", "amount": "Amount"}
    errors = await errors_of(api, owner, IMPORT, csv_input(made["id"], mapping=missing))
    assert errors[0]["field"] == ["input", "mapping", "date"]
    no_amount = {"date": "Date", "description": "Description"}
    errors = await errors_of(api, owner, IMPORT, csv_input(made["id"], mapping=no_amount))
    assert errors[0] == {
        "field": ["input", "mapping", "amount"],
        "message": "give amount, or debit and credit",
        "code": "REQUIRED",
    }
    errors = await errors_of(api, owner, IMPORT, {**csv_input(made["id"]), "mapping": None})
    assert errors[0]["code"] == "REQUIRED"
    errors = await errors_of(
        api, owner, IMPORT, {"connectionId": made["id"], "format": "OFX", "content": "garbage"}
    )
    assert (
        errors[0]["field"] == ["input", "content"]
        and "not an OFX statement" in errors[0]["message"]
    )
    errors = await errors_of(api, owner, IMPORT, csv_input(made["id"], base64=True, content="***"))
    assert errors[0]["message"] == "is not valid base64"


async def test_an_ofx_file_gives_fitids_and_the_statement_balance(api):
    owner = await api.register()
    made = await connection(api, owner)
    body = {"connectionId": made["id"], "format": "OFX", "content": OFX}
    payload = await api.mutate("bankFeedImport", IMPORT, body, owner)
    lines = payload["feedTransactions"]
    assert [(x["description"], x["amount"]["amount"], x["reference"]) for x in lines] == [
        ("INV-7", "250.00", "F-1"),
        ("Coffee Shop", "-45.50", "F-2"),
    ]
    assert lines[0]["counterparty"] == "Acme Ltd"
    again = await api.mutate("bankFeedImport", IMPORT, body, owner)
    assert again["newLines"] == 0 and again["existingLines"] == 2
    account_id = (await api.data(CONNECTION_ACCOUNT, {"id": made["id"]}, owner))["bankConnection"][
        "account"
    ]["id"]
    figures = (await reconciliation(api, owner, account_id))["reconciliation"]
    assert figures["statementBalance"] == {"amount": "1204.50", "currency": "USD"}
    assert figures["difference"] == {"amount": "204.50"}  # nothing reconciled yet


CONNECTION_ACCOUNT = "query($id: ID!) { bankConnection(id: $id) { account { id } } }"


async def test_lines_filter_and_order(api):
    owner = await api.register()
    made = await connection(api, owner)
    await imported(api, owner, made["id"])

    async def descriptions(filter: Any = None, order: Any = None) -> list[str]:
        found = await api.data(LINES, {"filter": filter, "orderBy": order}, owner)
        return [n["description"] for n in found["bankFeedTransactions"]["nodes"]]

    assert await descriptions() == [
        "Office rent January",
        "STARBUCKS 1234",
        "STARBUCKS 1234",
        "Payment from Acme Ltd",
    ]
    assert await descriptions({"amountFrom": "-10", "amountTo": "0"}) == ["STARBUCKS 1234"] * 2
    assert (
        await descriptions({"dateFrom": "2026-01-06", "dateTo": "2026-01-08"})
        == ["STARBUCKS 1234"] * 2
    )
    assert await descriptions({"search": "rent"}) == ["Office rent January"]
    assert await descriptions({"status": "MATCHED"}) == []
    assert await descriptions({"connectionId": made["id"], "search": "acme"}) == [
        "Payment from Acme Ltd"
    ]
    assert (await descriptions(order={"field": "AMOUNT", "direction": "DESC"}))[0] == (
        "Payment from Acme Ltd"
    )
    nested = (await api.data(CONNECTION_LINES, {"id": made["id"]}, owner))["bankConnection"]
    assert nested["feedTransactions"]["totalCount"] == 4
    assert len(nested["feedTransactions"]["nodes"]) == 2
    assert nested["account"]["feedTransactions"] == {"totalCount": 4}


# --- reconciliation -------------------------------------------------------------------------


async def _setup(api: Api) -> tuple[Tenant, str, list[dict[str, Any]]]:
    owner = await api.register()
    account_id = await account(api, owner)
    made = await connection(api, owner, account_id)
    payload = await imported(api, owner, made["id"])
    return owner, account_id, payload["feedTransactions"]


async def test_a_line_is_matched_to_an_invoice_payment_and_released_again(api):
    owner, account_id, lines = await _setup(api)
    invoice = await issued(api, owner, "1000")
    payment = await pay(api, owner, invoice["id"], account_id, "1000")
    acme = by_description(lines, "Acme")
    before = await reconciliation(api, owner, account_id)
    assert before["reconciliation"]["unreconciledCount"] == 1
    payload = await api.mutate(
        "bankFeedMatch", MATCH, {"id": acme["id"], "transactionIds": [payment]}, owner
    )
    line = payload["feedTransaction"]
    assert line["status"] == "MATCHED"
    assert line["matchedTransactions"] == [
        {
            "objectId": line["matchedTransactions"][0]["objectId"],
            "type": "INCOME",
            "amount": {"amount": "1000.00"},
            "document": {"objectId": invoice["objectId"]},
        }
    ]
    figures = (await reconciliation(api, owner, account_id))["reconciliation"]
    assert figures["reconciledBalance"] == {"amount": "2000.00"}  # opening 1000 + the payment
    assert figures["unreconciledCount"] == 0 and figures["unmatchedLines"] == 3
    assert figures["statementBalance"] == {"amount": "1191.00", "currency": "USD"}
    assert figures["difference"] == {"amount": "-809.00"}
    # matched: the payment cannot be deleted, nor matched to another line
    deleted = (await api.data(TRANSACTION_DELETE, {"id": payment}, owner))["transactionDelete"]
    assert deleted["userErrors"][0]["code"] == "IN_USE"
    rent = by_description(lines, "rent")
    errors = await errors_of(api, owner, MATCH, {"id": rent["id"], "transactionIds": [payment]})
    assert errors[0]["code"] == "TAKEN" and errors[0]["field"] == ["input", "transactionIds", "0"]
    errors = await errors_of(api, owner, MATCH, {"id": acme["id"], "transactionIds": [payment]})
    assert errors[0]["code"] == "INVALID_STATE"
    # unmatched: the payment stays (on its invoice), only released
    released = await api.mutate("bankFeedUnmatch", UNMATCH, {"id": acme["id"]}, owner)
    assert released["feedTransaction"]["status"] == "UNMATCHED"
    assert released["feedTransaction"]["matchedTransactions"] == []
    doc = (await api.data(DOCUMENT, {"id": invoice["id"]}, owner))["document"]
    assert doc == {"status": "PAID", "amountPaid": {"amount": "1000.00"}}
    errors = await errors_of(api, owner, UNMATCH, {"id": acme["id"]})
    assert errors[0]["code"] == "INVALID_STATE"


async def test_matched_amounts_must_add_up_and_be_of_the_lines_account(api):
    owner, account_id, lines = await _setup(api)
    invoice = await issued(api, owner, "1000")
    part = await pay(api, owner, invoice["id"], account_id, "600")
    rest = await pay(api, owner, invoice["id"], account_id, "400")
    acme = by_description(lines, "Acme")
    errors = await errors_of(api, owner, MATCH, {"id": acme["id"], "transactionIds": [part]})
    assert errors == [
        {
            "field": ["input", "transactionIds"],
            "message": "add up to 600.00; the line is 1000.00",
            "code": "INVALID",
        }
    ]
    elsewhere = await pay(
        api, owner, (await issued(api, owner, "5"))["id"], await account(api, owner), "5"
    )
    errors = await errors_of(api, owner, MATCH, {"id": acme["id"], "transactionIds": [elsewhere]})
    assert errors[0]["message"] == "must be a transaction of the line's account"
    errors = await errors_of(api, owner, MATCH, {"id": acme["id"], "transactionIds": [part, part]})
    assert errors[0]["message"] == "is given twice"
    both = await api.mutate(
        "bankFeedMatch", MATCH, {"id": acme["id"], "transactionIds": [part, rest]}, owner
    )
    assert len(both["feedTransaction"]["matchedTransactions"]) == 2


async def test_a_line_is_split_into_new_transactions_posted_and_reversed_on_unmatch(api):
    owner, account_id, lines = await _setup(api)
    rent_category = await category(api, owner, "Rent", "EXPENSE")
    office = await category(api, owner, "Office", "EXPENSE")
    rent = by_description(lines, "rent")
    parts = [
        {"amount": "700", "categoryId": rent_category["id"]},
        {"amount": "100", "categoryId": office["id"], "description": "Cleaning"},
    ]
    errors = await errors_of(api, owner, SPLIT, {"id": rent["id"], "parts": parts[:1]})
    assert errors[0] == {
        "field": ["input", "parts"],
        "message": "add up to 700.00; the line is 800.00",
        "code": "INVALID",
    }
    sales = await category(api, owner, "Sales", "INCOME")
    wrong = [parts[0], {"amount": "100", "categoryId": sales["id"]}]
    errors = await errors_of(api, owner, SPLIT, {"id": rent["id"], "parts": wrong})
    assert errors[0]["field"] == ["input", "parts", "1", "categoryId"]
    payload = await api.mutate("bankFeedSplit", SPLIT, {"id": rent["id"], "parts": parts}, owner)
    line = payload["feedTransaction"]
    assert line["status"] == "CREATED"
    assert sorted(t["amount"]["amount"] for t in line["matchedTransactions"]) == [
        "100.00",
        "700.00",
    ]
    assert {t["type"] for t in line["matchedTransactions"]} == {"EXPENSE"}
    after = await reconciliation(api, owner, account_id)
    assert after["balance"] == {"amount": "200.00"}
    assert after["reconciliation"]["reconciledBalance"] == {"amount": "200.00"}
    assert (await api.data(TRIAL, tenant=owner))["company"]["reports"]["trialBalance"]["balanced"]
    undone = await api.mutate("bankFeedUnmatch", UNMATCH, {"id": rent["id"]}, owner)
    assert undone["feedTransaction"]["status"] == "UNMATCHED"
    back = await reconciliation(api, owner, account_id)
    assert back["balance"] == {"amount": "1000.00"}
    assert back["reconciliation"]["reconciledBalance"] == {"amount": "1000.00"}
    assert (await api.data(TRIAL, tenant=owner))["company"]["reports"]["trialBalance"]["balanced"]


async def test_a_split_from_the_suggestion_is_one_call_and_a_part_can_pay_an_invoice(api):
    owner, _account, lines = await _setup(api)
    coffee = by_description(lines, "STARBUCKS")
    errors = await errors_of(api, owner, SPLIT, {"id": coffee["id"]})
    assert errors[0]["code"] == "REQUIRED"  # no rule suggested anything
    drinks = await category(api, owner, "Drinks", "EXPENSE")
    connection_id = (await api.data(LINE_CONNECTION, {"id": coffee["id"]}, owner))[
        "bankFeedTransaction"
    ]["connection"]["id"]
    await rule(api, owner, "starbucks", drinks["id"])
    more = await imported(
        api,
        owner,
        connection_id,
        content="Date,Description,Amount,Ref\n2026-02-01,STARBUCKS 99,-3.20,\n",
    )
    (new,) = more["feedTransactions"]
    payload = await api.mutate("bankFeedSplit", SPLIT, {"id": new["id"]}, owner)
    (created,) = payload["feedTransaction"]["matchedTransactions"]
    assert created["amount"] == {"amount": "3.20"} and created["type"] == "EXPENSE"
    invoice = await issued(api, owner, "1000")
    acme = by_description(lines, "Acme")
    paying = [{"amount": "1000", "documentId": invoice["id"]}]
    paid = await api.mutate("bankFeedSplit", SPLIT, {"id": acme["id"], "parts": paying}, owner)
    (payment,) = paid["feedTransaction"]["matchedTransactions"]
    assert payment["document"] == {"objectId": invoice["objectId"]}
    assert (await api.data(DOCUMENT, {"id": invoice["id"]}, owner))["document"]["status"] == "PAID"
    await api.mutate("bankFeedUnmatch", UNMATCH, {"id": acme["id"]}, owner)
    doc = (await api.data(DOCUMENT, {"id": invoice["id"]}, owner))["document"]
    assert doc == {"status": "SENT", "amountPaid": {"amount": "0.00"}}


LINE_CONNECTION = "query($id: ID!) { bankFeedTransaction(id: $id) { connection { id } } }"
