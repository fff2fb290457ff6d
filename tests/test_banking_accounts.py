"""Banking over GraphQL: accounts with live balances and opening-balance vouchers,
incomes and expenses with their vouchers, transfers (also between currencies), and
deletions that reverse what was posted."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from gql.domains.ledger.models import LedgerAccount, Voucher, VoucherLine
from tests.factories import Api, Tenant, tenant_db

ERRORS = "userErrors { field message code }"
ACCOUNT_FIELDS = """id objectId name type number currencyCode bankName iban depositNumber
    branchCode enabled
    openingBalance { amount currency } balance { amount currency } ledgerAccount { code }"""

ACCOUNT_CREATE = f"""mutation($input: AccountCreateInput!) {{
  accountCreate(input: $input) {{ account {{ {ACCOUNT_FIELDS} }} {ERRORS} }} }}"""
ACCOUNT_UPDATE = f"""mutation($input: AccountUpdateInput!) {{
  accountUpdate(input: $input) {{ account {{ {ACCOUNT_FIELDS} }} {ERRORS} }} }}"""
ACCOUNT_DELETE = f"""mutation($input: AccountDeleteInput!) {{
  accountDelete(input: $input) {{ deletedAccountId {ERRORS} }} }}"""
ACCOUNT = f"query($id: ID!) {{ account(id: $id) {{ {ACCOUNT_FIELDS} }} }}"
ACCOUNTS = """query($filter: AccountFilter, $orderBy: AccountOrder) {
  accounts(filter: $filter, orderBy: $orderBy) {
    totalCount nodes { name type balance { amount } } } }"""

TRANSACTION_FIELDS = """id objectId type amount { amount currency } currencyCode currencyRate paidAt
    description
    paymentMethod reference documentAmount account { name } contact { name } category { name }
    document { number } transfer { id } voucher { kind lines { debit credit account { code } } }"""
TRANSACTION_CREATE = f"""mutation($input: TransactionCreateInput!) {{
  transactionCreate(input: $input) {{ transaction {{ {TRANSACTION_FIELDS} }} {ERRORS} }} }}"""
TRANSACTION_DELETE = f"""mutation($input: TransactionDeleteInput!) {{
  transactionDelete(input: $input) {{ deletedTransactionId {ERRORS} }} }}"""
TRANSACTIONS = """query($filter: TransactionFilter, $orderBy: TransactionOrder, $first: Int) {
  transactions(filter: $filter, orderBy: $orderBy, first: $first) {
    totalCount nodes { description type amount { amount } } } }"""

TRANSFER_FIELDS = """id amount toAmount currencyRate description
    fromAccount { name } toAccount { name }
    transactions { type amount { amount currency } currencyRate transfer { id } account { name } }
    voucher { lines { debit credit account { code } } }"""
TRANSFER_CREATE = f"""mutation($input: TransferCreateInput!) {{
  transferCreate(input: $input) {{ transfer {{ {TRANSFER_FIELDS} }} {ERRORS} }} }}"""
TRANSFER_DELETE = f"""mutation($input: TransferDeleteInput!) {{
  transferDelete(input: $input) {{ deletedTransferId {ERRORS} }} }}"""
TRANSFERS = """query($filter: TransferFilter) {
  transfers(filter: $filter) { totalCount nodes { description } } }"""

CURRENCY_CREATE = """mutation($input: CurrencyCreateInput!) { currencyCreate(input: $input) {
    currency { code } userErrors { field message } } }"""
CATEGORIES = "{ categories { nodes { id name type } } }"


# --- helpers ------------------------------------------------------------------------------------


async def account(api: Api, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    body = {"name": "Current account", "type": "BANK", **fields}
    payload = await api.mutate("accountCreate", ACCOUNT_CREATE, body, tenant)
    return payload["account"]  # type: ignore[no-any-return]


async def currency(api: Api, tenant: Tenant, code: str, rate: str) -> None:
    await api.mutate(
        "currencyCreate", CURRENCY_CREATE, {"code": code, "name": code, "rate": rate}, tenant
    )


async def transaction(api: Api, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    return (await api.mutate("transactionCreate", TRANSACTION_CREATE, fields, tenant))[
        "transaction"
    ]  # type: ignore[no-any-return]


async def refused(
    api: Api, name: str, query: str, input: dict[str, Any], tenant: Tenant
) -> list[dict[str, Any]]:
    payload = (await api.data(query, {"input": input}, tenant))[name]
    assert payload["userErrors"], payload
    return payload["userErrors"]  # type: ignore[no-any-return]


async def category_id(api: Api, tenant: Tenant, type_: str) -> str:
    nodes = (await api.data(CATEGORIES, tenant=tenant))["categories"]["nodes"]
    return next(c["id"] for c in nodes if c["type"] == type_)


async def ledger(app: Any, tenant: Tenant) -> dict[str, Decimal]:
    """Debits less credits per ledger account code, over every voucher of the company;
    checks on the way that every voucher balances."""
    async with tenant_db(app, tenant.company_id) as session:
        rows = (
            await session.execute(
                select(Voucher.id, LedgerAccount.code, VoucherLine.debit, VoucherLine.credit)
                .join(VoucherLine, VoucherLine.voucher_id == Voucher.id)
                .join(LedgerAccount, LedgerAccount.id == VoucherLine.account_id)
            )
        ).all()
    per_voucher: dict[str, Decimal] = {}
    per_code: dict[str, Decimal] = {}
    for voucher_id, code, debit, credit in rows:
        per_voucher[voucher_id] = per_voucher.get(voucher_id, Decimal(0)) + debit - credit
        per_code[code] = per_code.get(code, Decimal(0)) + debit - credit
    assert all(v == 0 for v in per_voucher.values()), per_voucher
    return {code: amount for code, amount in per_code.items() if amount != 0}


async def vouchers(app: Any, tenant: Tenant) -> list[Voucher]:
    async with tenant_db(app, tenant.company_id) as session:
        return list((await session.scalars(select(Voucher).order_by(Voucher.number))).all())


# --- accounts -----------------------------------------------------------------------------------


async def test_create_account_posts_its_opening_balance(api, app):
    # given a new company
    owner = await api.register()
    # when a bank account with every field and an opening balance is opened
    created = await account(
        api,
        owner,
        name="Main",
        number="0042",
        openingBalance="1500.25",
        bankName="First Bank",
        iban="gb82 west 1234 5698 7654 32",
        depositNumber="1020-10-2008748-1",
        branchCode="1020",
    )
    # then the account shows every field, its balance is the opening balance
    assert (
        created["name"] == "Main" and created["type"] == "BANK" and created["currencyCode"] == "USD"
    )
    assert created["iban"] == "GB82WEST12345698765432"
    assert created["depositNumber"] == "1020-10-2008748-1" and created["branchCode"] == "1020"
    assert created["openingBalance"] == {"amount": "1500.25", "currency": "USD"}
    assert created["balance"] == {"amount": "1500.25", "currency": "USD"}
    assert created["ledgerAccount"] == {"code": "1110"}
    # and an opening-balance voucher debits the bank and credits opening balance equity
    assert await ledger(app, owner) == {"1110": Decimal("1500.25"), "3300": Decimal("-1500.25")}
    assert [v.kind for v in await vouchers(app, owner)] == ["OPENING_BALANCE"]


async def test_cash_and_credit_card_book_to_their_own_ledger_accounts(api, app):
    owner = await api.register()
    cash = await account(api, owner, name="Till", type="CASH", openingBalance="50")
    card = await account(api, owner, name="Card", type="CREDIT_CARD", openingBalance="-300")
    assert cash["ledgerAccount"] == {"code": "1120"}
    # a credit card's debt is a negative balance: credit the card, debit equity
    assert card["ledgerAccount"] == {"code": "2300"} and card["balance"]["amount"] == "-300.00"
    assert await ledger(app, owner) == {
        "1120": Decimal("50"),
        "2300": Decimal("-300"),
        "3300": Decimal("250"),
    }


async def test_account_without_opening_balance_posts_nothing(api, app):
    owner = await api.register()
    created = await account(api, owner)
    assert created["openingBalance"]["amount"] == "0.00" and created["balance"]["amount"] == "0.00"
    assert await vouchers(app, owner) == []


async def test_account_currency_must_be_the_base_or_a_company_currency(api):
    owner = await api.register()
    errors = await refused(
        api,
        "accountCreate",
        ACCOUNT_CREATE,
        {"name": "X", "type": "BANK", "currencyCode": "EUR"},
        owner,
    )
    assert errors == [
        {"field": ["input", "currencyCode"], "message": "Currency not found", "code": "NOT_FOUND"}
    ]
    await currency(api, owner, "EUR", "0.9")
    created = await account(api, owner, currencyCode="EUR", openingBalance="90")
    assert created["balance"] == {"amount": "90.00", "currency": "EUR"}


async def test_account_inputs_are_validated(api):
    owner = await api.register()
    errors = await refused(
        api,
        "accountCreate",
        ACCOUNT_CREATE,
        {"name": "", "type": "BANK", "iban": "not an iban"},
        owner,
    )
    assert {tuple(e["field"]) for e in errors} == {("input", "name"), ("input", "iban")}


async def test_foreign_opening_balance_is_booked_in_the_base_currency(api, app):
    owner = await api.register()
    await currency(api, owner, "EUR", "0.8")
    await account(api, owner, currencyCode="EUR", openingBalance="100")
    assert await ledger(app, owner) == {"1110": Decimal("125.00"), "3300": Decimal("-125.00")}


async def test_changing_the_opening_balance_reverses_and_reposts(api, app):
    # given an account opened with 100
    owner = await api.register()
    created = await account(api, owner, openingBalance="100")
    # when its opening balance becomes 40 and its name changes
    payload = await api.mutate(
        "accountUpdate",
        ACCOUNT_UPDATE,
        {"id": created["id"], "openingBalance": "40", "name": "Renamed"},
        owner,
    )
    # then the balance follows and the ledger holds exactly the new opening balance
    assert (
        payload["account"]["balance"]["amount"] == "40.00"
        and payload["account"]["name"] == "Renamed"
    )
    assert await ledger(app, owner) == {"1110": Decimal("40"), "3300": Decimal("-40")}
    kinds = [(v.kind, v.reverses_id is not None) for v in await vouchers(app, owner)]
    assert kinds == [
        ("OPENING_BALANCE", False),
        ("OPENING_BALANCE", True),
        ("OPENING_BALANCE", False),
    ]


async def test_type_and_currency_are_fixed_once_there_are_transactions(api):
    owner = await api.register()
    created = await account(api, owner)
    # before any transaction the type may change
    changed = await api.mutate(
        "accountUpdate", ACCOUNT_UPDATE, {"id": created["id"], "type": "CASH"}, owner
    )
    assert changed["account"]["ledgerAccount"] == {"code": "1120"}
    await transaction(api, owner, type="INCOME", accountId=created["id"], amount="10")
    errors = await refused(
        api, "accountUpdate", ACCOUNT_UPDATE, {"id": created["id"], "type": "BANK"}, owner
    )
    assert errors == [
        {
            "field": ["input", "type"],
            "message": "cannot change once the account has transactions",
            "code": "LOCKED",
        }
    ]
    errors = await refused(
        api, "accountUpdate", ACCOUNT_UPDATE, {"id": created["id"], "name": None}, owner
    )
    assert errors[0]["code"] == "REQUIRED"


async def test_delete_is_refused_while_the_account_has_transactions(api, app):
    owner = await api.register()
    used = await account(api, owner, name="Used")
    await transaction(api, owner, type="EXPENSE", accountId=used["id"], amount="5")
    errors = await refused(api, "accountDelete", ACCOUNT_DELETE, {"id": used["id"]}, owner)
    assert errors == [
        {
            "field": ["input", "id"],
            "message": "The account has transactions; disable it instead of deleting it",
            "code": "IN_USE",
        }
    ]
    # an unused account goes, and its opening balance is reversed
    spare = await account(api, owner, name="Spare", openingBalance="70")
    payload = await api.mutate("accountDelete", ACCOUNT_DELETE, {"id": spare["id"]}, owner)
    assert payload["deletedAccountId"] == spare["id"]
    body = await api.gql(ACCOUNT, {"id": spare["id"]}, owner)
    assert (
        body["data"]["account"] is None and body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    )
    assert "3300" not in await ledger(app, owner)


async def test_accounts_list_filters_and_orders(api):
    owner = await api.register()
    await account(api, owner, name="B bank")
    await account(api, owner, name="A cash", type="CASH", openingBalance="3")
    await account(api, owner, name="C card", type="CREDIT_CARD", enabled=False)
    data = await api.data(ACCOUNTS, {}, owner)
    assert [n["name"] for n in data["accounts"]["nodes"]] == ["A cash", "B bank", "C card"]
    data = await api.data(ACCOUNTS, {"filter": {"type": "CASH"}}, owner)
    assert data["accounts"]["nodes"] == [
        {"name": "A cash", "type": "CASH", "balance": {"amount": "3.00"}}
    ]
    data = await api.data(ACCOUNTS, {"filter": {"enabled": False}}, owner)
    assert [n["name"] for n in data["accounts"]["nodes"]] == ["C card"]
    data = await api.data(
        ACCOUNTS,
        {"filter": {"search": "bank"}, "orderBy": {"field": "NAME", "direction": "DESC"}},
        owner,
    )
    assert [n["name"] for n in data["accounts"]["nodes"]] == ["B bank"]


# --- transactions -------------------------------------------------------------------------------


async def test_income_and_expense_move_the_balance_and_post_vouchers(api, app):
    # given an account with 100 and a customer
    owner = await api.register()
    bank = await account(api, owner, openingBalance="100")
    contact = await api.contact(owner, name="Acme")
    income_category = await category_id(api, owner, "INCOME")
    # when an income of 250.50 and an expense of 80.25 are recorded
    income = await transaction(
        api,
        owner,
        type="INCOME",
        accountId=bank["id"],
        amount="250.50",
        paidAt="2026-03-01T10:00:00+00:00",
        description="Consulting",
        categoryId=income_category,
        contactId=contact["id"],
        paymentMethod="bank_transfer",
        reference="R-1",
    )
    await transaction(
        api, owner, type="EXPENSE", accountId=bank["id"], amount="80.25", description="Paper"
    )
    # then the transaction shows its fields and edges, and its voucher
    assert (
        income["amount"] == {"amount": "250.50", "currency": "USD"}
        and income["currencyRate"] == "1.00000000"
    )
    assert income["account"] == {"name": "Current account"} and income["contact"] == {
        "name": "Acme"
    }
    assert income["category"] == {"name": "Sales"} and income["document"] is None
    assert income["paidAt"] == "2026-03-01T10:00:00+00:00" and income["reference"] == "R-1"
    lines = {
        (line["account"]["code"], line["debit"], line["credit"])
        for line in income["voucher"]["lines"]
    }
    assert lines == {("1110", "250.50", "0.00"), ("4900", "0.00", "250.50")}
    # and the balance is the opening balance plus incomes less expenses
    data = await api.data(ACCOUNT, {"id": bank["id"]}, owner)
    assert data["account"]["balance"] == {"amount": "270.25", "currency": "USD"}
    assert await ledger(app, owner) == {
        "1110": Decimal("270.25"),
        "3300": Decimal("-100"),
        "4900": Decimal("-250.50"),
        "6000": Decimal("80.25"),
    }


async def test_transaction_refusals_name_the_field(api):
    owner = await api.register()
    await currency(api, owner, "EUR", "0.9")
    bank = await account(api, owner)
    euro = await account(api, owner, name="Euro", currencyCode="EUR")
    closed = await account(api, owner, name="Closed", enabled=False)
    expense_category = await category_id(api, owner, "EXPENSE")
    cases = [
        (
            {"type": "INCOME", "accountId": bank["id"], "amount": "0"},
            ("input", "amount"),
            "INVALID",
        ),
        (
            {"type": "INCOME", "accountId": bank["id"], "amount": "-5"},
            ("input", "amount"),
            "INVALID",
        ),
        (
            {"type": "INCOME", "accountId": "nope", "amount": "5"},
            ("input", "accountId"),
            "NOT_FOUND",
        ),
        (
            {"type": "INCOME", "accountId": closed["id"], "amount": "5"},
            ("input", "accountId"),
            "INVALID_STATE",
        ),
        (
            {"type": "INCOME", "accountId": euro["id"], "amount": "5"},
            ("input", "currencyRate"),
            "REQUIRED",
        ),
        (
            {"type": "INCOME", "accountId": bank["id"], "amount": "5", "currencyCode": "EUR"},
            ("input", "currencyCode"),
            "INVALID",
        ),
        (
            {"type": "INCOME", "accountId": bank["id"], "amount": "5", "currencyRate": "2"},
            ("input", "currencyRate"),
            "INVALID",
        ),
        (
            {
                "type": "INCOME",
                "accountId": bank["id"],
                "amount": "5",
                "categoryId": expense_category,
            },
            ("input", "categoryId"),
            "INVALID",
        ),
        (
            {"type": "INCOME", "accountId": bank["id"], "amount": "5", "contactId": "x"},
            ("input", "contactId"),
            "NOT_FOUND",
        ),
    ]
    for input, field, code in cases:
        errors = await refused(api, "transactionCreate", TRANSACTION_CREATE, input, owner)
        assert [(tuple(e["field"]), e["code"]) for e in errors] == [(field, code)], (input, errors)
    errors = await refused(
        api,
        "transactionCreate",
        TRANSACTION_CREATE,
        {"type": "INCOME", "accountId": euro["id"], "amount": "5"},
        owner,
    )
    assert errors[0]["message"] == "required for a foreign currency"


async def test_foreign_currency_transaction_is_booked_at_its_rate(api, app):
    owner = await api.register()
    await currency(api, owner, "EUR", "0.9")
    euro = await account(api, owner, name="Euro", currencyCode="EUR")
    tx = await transaction(
        api, owner, type="INCOME", accountId=euro["id"], amount="90", currencyRate="0.8"
    )
    assert (
        tx["amount"] == {"amount": "90.00", "currency": "EUR"}
        and tx["currencyRate"] == "0.80000000"
    )
    assert await ledger(app, owner) == {"1110": Decimal("112.50"), "4900": Decimal("-112.50")}
    data = await api.data(ACCOUNT, {"id": euro["id"]}, owner)
    assert data["account"]["balance"] == {"amount": "90.00", "currency": "EUR"}


async def test_deleting_a_transaction_reverses_its_voucher(api, app):
    owner = await api.register()
    bank = await account(api, owner)
    tx = await transaction(api, owner, type="EXPENSE", accountId=bank["id"], amount="42")
    assert await ledger(app, owner) == {"1110": Decimal("-42"), "6000": Decimal("42")}
    payload = await api.mutate("transactionDelete", TRANSACTION_DELETE, {"id": tx["id"]}, owner)
    assert payload["deletedTransactionId"] == tx["id"]
    # the voucher stays and a reversal nets it to zero
    assert await ledger(app, owner) == {}
    assert [v.reverses_id is not None for v in await vouchers(app, owner)] == [False, True]
    data = await api.data(ACCOUNT, {"id": bank["id"]}, owner)
    assert data["account"]["balance"]["amount"] == "0.00"
    errors = await refused(api, "transactionDelete", TRANSACTION_DELETE, {"id": tx["id"]}, owner)
    assert errors[0]["code"] == "NOT_FOUND"


async def test_transactions_filter_and_order(api):
    owner = await api.register()
    bank = await account(api, owner)
    cash = await account(api, owner, name="Cash", type="CASH")
    contact = await api.contact(owner)
    await transaction(
        api,
        owner,
        type="INCOME",
        accountId=bank["id"],
        amount="10",
        description="alpha",
        paidAt="2026-01-05T08:00:00Z",
        contactId=contact["id"],
    )
    await transaction(
        api,
        owner,
        type="EXPENSE",
        accountId=bank["id"],
        amount="30",
        description="beta",
        paidAt="2026-01-20T23:59:59Z",
        reference="INV-7",
    )
    await transaction(
        api,
        owner,
        type="INCOME",
        accountId=cash["id"],
        amount="20",
        description="gamma",
        paidAt="2026-02-01T00:00:00Z",
    )

    async def names(**variables: Any) -> list[str]:
        data = await api.data(TRANSACTIONS, variables, owner)
        return [n["description"] for n in data["transactions"]["nodes"]]

    assert await names() == ["gamma", "beta", "alpha"]
    assert await names(filter={"type": "INCOME"}) == ["gamma", "alpha"]
    assert await names(filter={"accountId": bank["id"]}) == ["beta", "alpha"]
    assert await names(filter={"contactId": contact["id"]}) == ["alpha"]
    assert await names(filter={"paidAtFrom": "2026-01-06", "paidAtTo": "2026-01-20"}) == ["beta"]
    assert await names(filter={"paidAtTo": "2026-01-31"}) == ["beta", "alpha"]
    assert await names(filter={"search": "inv-"}) == ["beta"]
    assert await names(filter={"accountId": "not-an-id"}) == []
    assert await names(orderBy={"field": "AMOUNT", "direction": "ASC"}) == [
        "alpha",
        "gamma",
        "beta",
    ]
    assert await names(orderBy={"field": "CREATED_AT", "direction": "ASC"}, first=2) == [
        "alpha",
        "beta",
    ]


async def test_account_transactions_edge_pages_and_filters(api):
    owner = await api.register()
    bank = await account(api, owner)
    for n in range(5):
        await transaction(
            api,
            owner,
            type="INCOME" if n % 2 else "EXPENSE",
            accountId=bank["id"],
            amount=str(n + 1),
            description=f"t{n}",
        )
    query = """query($id: ID!) { account(id: $id) {
        all: transactions(first: 2, orderBy: {field: AMOUNT, direction: DESC}) {
            totalCount pageInfo { hasNextPage } nodes { description } }
        incomes: transactions(filter: {type: INCOME}) { totalCount nodes { description } } } }"""
    data = (await api.data(query, {"id": bank["id"]}, owner))["account"]
    assert data["all"]["totalCount"] == 5 and data["all"]["pageInfo"]["hasNextPage"] is True
    assert [n["description"] for n in data["all"]["nodes"]] == ["t4", "t3"]
    assert data["incomes"]["totalCount"] == 2


# --- transfers ----------------------------------------------------------------------------------


async def test_transfer_writes_one_transfer_and_two_transactions(api, app):
    # given a bank account with 500 and an empty till
    owner = await api.register()
    bank = await account(api, owner, name="Bank", openingBalance="500")
    till = await account(api, owner, name="Till", type="CASH")
    # when 120 move from the bank to the till
    payload = await api.mutate(
        "transferCreate",
        TRANSFER_CREATE,
        {
            "fromAccountId": bank["id"],
            "toAccountId": till["id"],
            "amount": "120",
            "description": "Float",
        },
        owner,
    )
    transfer = payload["transfer"]
    # then one transfer with an expense and an income, both linked to it
    assert transfer["amount"] == "120.00" and transfer["toAmount"] == "120.00"
    assert [
        (t["type"], t["account"]["name"], t["amount"]["amount"]) for t in transfer["transactions"]
    ] == [
        ("EXPENSE", "Bank", "120.00"),
        ("INCOME", "Till", "120.00"),
    ]
    assert all(t["transfer"]["id"] == transfer["id"] for t in transfer["transactions"])
    # the balances move and the voucher moves the money from bank to cash
    balances = await api.data(ACCOUNTS, {}, owner)
    assert {n["name"]: n["balance"]["amount"] for n in balances["accounts"]["nodes"]} == {
        "Bank": "380.00",
        "Till": "120.00",
    }
    assert await ledger(app, owner) == {
        "1110": Decimal("380"),
        "1120": Decimal("120"),
        "3300": Decimal("-500"),
    }
    assert (await api.data(TRANSFERS, {"filter": {"accountId": till["id"]}}, owner))["transfers"][
        "totalCount"
    ] == 1


async def test_transfer_between_currencies_records_both_amounts(api, app):
    owner = await api.register()
    await currency(api, owner, "EUR", "0.8")
    usd = await account(api, owner, name="Dollars", openingBalance="1000")
    eur = await account(api, owner, name="Euros", currencyCode="EUR", type="CASH")
    # without toAmount or a rate it is refused
    errors = await refused(
        api,
        "transferCreate",
        TRANSFER_CREATE,
        {"fromAccountId": usd["id"], "toAccountId": eur["id"], "amount": "100"},
        owner,
    )
    assert errors[0]["field"] == ["input", "toAmount"] and errors[0]["code"] == "REQUIRED"
    # with toAmount both amounts are recorded
    transfer = (
        await api.mutate(
            "transferCreate",
            TRANSFER_CREATE,
            {
                "fromAccountId": usd["id"],
                "toAccountId": eur["id"],
                "amount": "100",
                "toAmount": "79.50",
            },
            owner,
        )
    )["transfer"]
    assert (transfer["amount"], transfer["toAmount"], transfer["currencyRate"]) == (
        "100.00",
        "79.50",
        "0.79500000",
    )
    sides = {t["type"]: t for t in transfer["transactions"]}
    assert sides["EXPENSE"]["amount"] == {"amount": "100.00", "currency": "USD"}
    assert sides["INCOME"]["amount"] == {"amount": "79.50", "currency": "EUR"}
    # and with a rate the destination amount is computed
    by_rate = (
        await api.mutate(
            "transferCreate",
            TRANSFER_CREATE,
            {
                "fromAccountId": usd["id"],
                "toAccountId": eur["id"],
                "amount": "10",
                "currencyRate": "0.805",
            },
            owner,
        )
    )["transfer"]
    assert by_rate["toAmount"] == "8.05"
    balances = await api.data(ACCOUNTS, {}, owner)
    assert {n["name"]: n["balance"]["amount"] for n in balances["accounts"]["nodes"]} == {
        "Dollars": "890.00",
        "Euros": "87.55",
    }
    # the ledger moves the source amount in the base currency, from bank to cash
    assert await ledger(app, owner) == {
        "1110": Decimal("890"),
        "1120": Decimal("110"),
        "3300": Decimal("-1000"),
    }


async def test_transfer_refusals(api):
    owner = await api.register()
    bank = await account(api, owner)
    other = await account(api, owner, name="Other")
    cases = [
        ({"fromAccountId": bank["id"], "toAccountId": bank["id"], "amount": "1"}, "toAccountId"),
        ({"fromAccountId": bank["id"], "toAccountId": other["id"], "amount": "0"}, "amount"),
        ({"fromAccountId": "x", "toAccountId": other["id"], "amount": "1"}, "fromAccountId"),
        (
            {
                "fromAccountId": bank["id"],
                "toAccountId": other["id"],
                "amount": "5",
                "toAmount": "6",
            },
            "toAmount",
        ),
    ]
    for input, field in cases:
        errors = await refused(api, "transferCreate", TRANSFER_CREATE, input, owner)
        assert [e["field"] for e in errors] == [["input", field]], errors


async def test_deleting_a_transfer_removes_both_sides_and_reverses_the_voucher(api, app):
    owner = await api.register()
    bank = await account(api, owner, name="Bank", openingBalance="100")
    till = await account(api, owner, name="Till", type="CASH")
    transfer = (
        await api.mutate(
            "transferCreate",
            TRANSFER_CREATE,
            {"fromAccountId": bank["id"], "toAccountId": till["id"], "amount": "60"},
            owner,
        )
    )["transfer"]
    # a side cannot be deleted on its own
    side = transfer["transactions"][0]
    tx_id = (await api.data(TRANSACTIONS, {}, owner))["transactions"]["nodes"]
    assert len(tx_id) == 2
    ids = await api.data("{ transactions { nodes { id } } }", tenant=owner)
    errors = await refused(
        api,
        "transactionDelete",
        TRANSACTION_DELETE,
        {"id": ids["transactions"]["nodes"][0]["id"]},
        owner,
    )
    assert errors[0]["code"] == "INVALID_STATE" and side["transfer"]["id"] == transfer["id"]
    # the transfer goes with both its transactions
    payload = await api.mutate("transferDelete", TRANSFER_DELETE, {"id": transfer["id"]}, owner)
    assert payload["deletedTransferId"] == transfer["id"]
    assert (await api.data(TRANSACTIONS, {}, owner))["transactions"]["totalCount"] == 0
    assert await ledger(app, owner) == {"1110": Decimal("100"), "3300": Decimal("-100")}
    balances = await api.data(ACCOUNTS, {}, owner)
    assert {n["name"]: n["balance"]["amount"] for n in balances["accounts"]["nodes"]} == {
        "Bank": "100.00",
        "Till": "0.00",
    }


async def test_banking_module_off_is_forbidden(api):
    owner = await api.register()
    await api.data(
        'mutation { moduleSet(input: {alias: "banking", enabled: false}) '
        "{ userErrors { message } } }",
        tenant=owner,
    )
    body = await api.gql("{ accounts { totalCount } }", tenant=owner)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await api.gql(ACCOUNT_CREATE, {"input": {"name": "X", "type": "BANK"}}, owner)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
