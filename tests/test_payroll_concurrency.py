"""Pay runs moved by ten identical requests at the same moment, on PostgreSQL (SQLite
serialises writers, so there is no race to test there): one approval posts one salary
voucher, one payment writes one bank transaction per payslip, and of pay runs created at
once for the same employee and period exactly one is written; the others get what a
client trying again afterwards would get, nothing failing unexpectedly."""

from __future__ import annotations

import pytest

from gql.domains.banking.models import Transaction
from gql.domains.ledger.models import Voucher
from gql.domains.payroll.models import PayRun, Payslip
from tests.conftest import IS_POSTGRES
from tests.factories import concurrently, count_rows
from tests.test_money_concurrency import again, exactly_one_wins, race
from tests.test_payroll_graphql import approved, bank_account, employee, trial_balance_is_zero

pytestmark = pytest.mark.skipif(not IS_POSTGRES, reason="a race needs PostgreSQL's concurrency")
PARALLEL = 10

ERRORS = "userErrors { field message code }"
APPROVE = f"""mutation($id: ID!) {{ payRunApprove(input: {{id: $id}}) {{
  payRun {{ status voucher {{ number }} }} {ERRORS} }} }}"""


def pay(account_id: str) -> str:
    return f"""mutation($id: ID!) {{ payRunPay(input: {{id: $id, accountId: "{account_id}"}}) {{
      payRun {{ status }} {ERRORS} }} }}"""


async def test_a_pay_run_approved_and_paid_ten_times_at_once_posts_and_pays_once(api, app):
    # given a draft pay run of two employees and a bank account
    owner = await api.register()
    await employee(api, owner, startDate="2025-01-01")
    await employee(api, owner, firstName="Bob", startDate="2025-01-01", salary="24000")
    account = await bank_account(api, owner)
    draft = await api.mutate(
        "payRunCreate",
        """mutation($input: PayRunCreateInput!) { payRunCreate(input: $input) {
          payRun { id } userErrors { message } } }""",
        {"payDate": "2026-01-31", "period": "2026-01"},
        owner,
    )
    run_id = draft["payRun"]["id"]
    vouchers_before = await count_rows(app, Voucher, owner.company_id)
    # when ten requests approve it at the same moment
    payloads = await race(app, owner, APPROVE, run_id)
    retry = await again(api, owner, APPROVE, run_id)
    # then one approves it, the others are told it is approved, and one voucher is posted
    assert retry["userErrors"] == [
        {
            "field": ["input", "id"],
            "message": "Only a draft pay run can be approved; this one is approved",
            "code": "INVALID_STATE",
        }
    ]
    exactly_one_wins(payloads, retry)
    assert await count_rows(app, Voucher, owner.company_id) == vouchers_before + 1
    # when ten requests pay it at the same moment
    payloads = await race(app, owner, pay(account["id"]), run_id)
    retry = await again(api, owner, pay(account["id"]), run_id)
    exactly_one_wins(payloads, retry)
    # then each payslip is paid once: two transactions, two more vouchers
    assert await count_rows(app, Transaction, owner.company_id) == 2
    assert await count_rows(app, Voucher, owner.company_id) == vouchers_before + 3
    await trial_balance_is_zero(api, owner)


async def test_pay_runs_created_at_once_for_one_employee_and_period_make_one(api, app):
    owner = await api.register()
    ada = await employee(api, owner, startDate="2025-01-01")
    query = """mutation($input: PayRunCreateInput!) { payRunCreate(input: $input) {
      payRun { id } userErrors { field message code } } }"""
    body = {
        "query": query,
        "variables": {
            "input": {"payDate": "2026-03-31", "period": "2026-03", "employeeIds": [ada["id"]]}
        },
    }
    responses = await concurrently(app, owner, [("POST", "/graphql", body)] * PARALLEL)
    payloads = []
    for response in responses:
        assert response.status_code == 200 and "errors" not in response.json(), response.text
        payloads.append(response.json()["data"]["payRunCreate"])
    winners = [p for p in payloads if not p["userErrors"]]
    assert len(winners) == 1, payloads
    assert {p["userErrors"][0]["code"] for p in payloads if p["userErrors"]} == {"TAKEN"}
    assert await count_rows(app, PayRun, owner.company_id) == 1
    assert await count_rows(app, Payslip, owner.company_id) == 1
    # and the one run, approved, still posts
    assert (await approved(api, owner, period="2026-04", payDate="2026-04-30"))[
        "status"
    ] == "APPROVED"
