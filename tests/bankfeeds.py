"""Helpers of the bank-feed tests: an account with a connection, rules, a CSV statement
and the mutations that import, match, split and unmatch."""

from __future__ import annotations

from typing import Any

from tests.factories import Api, Tenant
from tests.test_money_concurrency import account

ERRORS = "userErrors { field message code }"
LINE_FIELDS = """id objectId date description reference counterparty status importId
    amount { amount currency } rule { pattern } category { name } contact { name }
    matchedTransactions { objectId type amount { amount } document { objectId } }"""
CONNECTION_CREATE = f"""mutation($input: BankConnectionCreateInput!) {{
  bankConnectionCreate(input: $input) {{
    bankConnection {{ id objectId provider status lastImportAt account {{ name }} }} {ERRORS} }} }}"""
CONNECTION_UPDATE = f"""mutation($input: BankConnectionUpdateInput!) {{
  bankConnectionUpdate(input: $input) {{ bankConnection {{ provider status }} {ERRORS} }} }}"""
CONNECTION_DELETE = f"""mutation($input: BankIdInput!) {{
  bankConnectionDelete(input: $input) {{ deletedBankConnectionId {ERRORS} }} }}"""
RULE_CREATE = f"""mutation($input: BankRuleCreateInput!) {{
  bankRuleCreate(input: $input) {{ bankRule {{ id objectId pattern priority direction
    category {{ name }} contact {{ name }} account {{ name }} }} {ERRORS} }} }}"""
RULE_UPDATE = f"""mutation($input: BankRuleUpdateInput!) {{
  bankRuleUpdate(input: $input) {{ bankRule {{ pattern priority }} {ERRORS} }} }}"""
RULE_DELETE = f"""mutation($input: BankIdInput!) {{
  bankRuleDelete(input: $input) {{ deletedBankRuleId {ERRORS} }} }}"""
IMPORT = f"""mutation($input: BankFeedImportInput!) {{
  bankFeedImport(input: $input) {{ importId lines newLines existingLines
    connection {{ lastImportAt }} feedTransactions {{ {LINE_FIELDS} }} {ERRORS} }} }}"""
MATCH = f"""mutation($input: BankFeedMatchInput!) {{
  bankFeedMatch(input: $input) {{ feedTransaction {{ {LINE_FIELDS} }} {ERRORS} }} }}"""
SPLIT = f"""mutation($input: BankFeedSplitInput!) {{
  bankFeedSplit(input: $input) {{ feedTransaction {{ {LINE_FIELDS} }} {ERRORS} }} }}"""
UNMATCH = f"""mutation($input: BankIdInput!) {{
  bankFeedUnmatch(input: $input) {{ feedTransaction {{ {LINE_FIELDS} }} {ERRORS} }} }}"""
RECONCILIATION = """query($id: ID!) { account(id: $id) { balance { amount } reconciliation {
  statementBalance { amount currency } reconciledBalance { amount } unreconciledAmount { amount }
  unreconciledCount unmatchedLines difference { amount } } } }"""
CATEGORY = f"""mutation($input: CategoryCreateInput!) {{
  categoryCreate(input: $input) {{ category {{ id objectId name }} {ERRORS} }} }}"""
MAPPING = {"date": "Date", "amount": "Amount", "description": "Description", "reference": "Ref"}
STATEMENT = """Date,Description,Amount,Ref
2026-01-05,Payment from Acme Ltd,1000.00,INV-1
2026-01-07,STARBUCKS 1234,-4.50,
2026-01-07,STARBUCKS 1234,-4.50,
2026-01-09,Office rent January,-800.00,RENT
"""


async def connection(api: Api, tenant: Tenant, account_id: str | None = None) -> dict[str, Any]:
    """A connection on a new bank account with an opening balance of 1000.00."""
    body = {"provider": "Plaid", "accountId": account_id or await account(api, tenant)}
    return (await api.mutate("bankConnectionCreate", CONNECTION_CREATE, body, tenant))[  # type: ignore[no-any-return]
        "bankConnection"
    ]


async def category(api: Api, tenant: Tenant, name: str, type_: str) -> dict[str, Any]:
    body = {"name": name, "type": type_}
    return (await api.mutate("categoryCreate", CATEGORY, body, tenant))["category"]  # type: ignore[no-any-return]


async def rule(api: Api, tenant: Tenant, pattern: str, category_id: str, **fields: Any) -> Any:
    body = {"pattern": pattern, "categoryId": category_id, **fields}
    return (await api.mutate("bankRuleCreate", RULE_CREATE, body, tenant))["bankRule"]


def csv_input(connection_id: str, content: str = STATEMENT, **fields: Any) -> dict[str, Any]:
    return {
        "connectionId": connection_id,
        "format": "CSV",
        "content": content,
        "mapping": MAPPING,
        **fields,
    }


async def imported(api: Api, tenant: Tenant, connection_id: str, **fields: Any) -> dict[str, Any]:
    return await api.mutate("bankFeedImport", IMPORT, csv_input(connection_id, **fields), tenant)


async def reconciliation(api: Api, tenant: Tenant, account_id: str) -> dict[str, Any]:
    return (await api.data(RECONCILIATION, {"id": account_id}, tenant))["account"]  # type: ignore[no-any-return]
