"""Payroll over GraphQL: departments, positions and employees (a linked contact reads as
an employee), pay runs from draft to paid with their payslips (gross pro rata by days),
the salary voucher and the bank payments they post, the moves that make sense and the
refusal of those that do not, and the lists' filters and orders on both read paths."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import delete

from gql.domains.ledger.models import LedgerAccount
from tests.factories import Api, Tenant, tenant_db
from tests.test_contracts_graphql import on_both_paths, refused
from tests.test_ledger_vouchers import ACCOUNT_CREATE as LEDGER_ACCOUNT_CREATE

ERRORS = "userErrors { field message code }"
DEPARTMENT_CREATE = f"""mutation($input: DepartmentCreateInput!) {{
  departmentCreate(input: $input) {{ department {{ id objectId name }} {ERRORS} }} }}"""
DEPARTMENT_DELETE = f"""mutation($input: PayrollIdInput!) {{
  departmentDelete(input: $input) {{ deletedDepartmentId {ERRORS} }} }}"""
POSITION_CREATE = f"""mutation($input: PositionCreateInput!) {{
  positionCreate(input: $input) {{ position {{ id name department {{ name }} }} {ERRORS} }} }}"""
EMPLOYEE_FIELDS = """id objectId firstName lastName email startDate endDate currencyCode
    salary { amount currency } department { name } position { name } contact { name }"""
EMPLOYEE_CREATE = f"""mutation($input: EmployeeCreateInput!) {{
  employeeCreate(input: $input) {{ employee {{ {EMPLOYEE_FIELDS} }} {ERRORS} }} }}"""
EMPLOYEE_UPDATE = f"""mutation($input: EmployeeUpdateInput!) {{
  employeeUpdate(input: $input) {{ employee {{ {EMPLOYEE_FIELDS} }} {ERRORS} }} }}"""
EMPLOYEE_DELETE = f"""mutation($input: PayrollIdInput!) {{
  employeeDelete(input: $input) {{ deletedEmployeeId {ERRORS} }} }}"""
PAY_RUN_FIELDS = """id objectId period payDate status currencyCode approvedAt paidAt
    gross { amount } deductions { amount } net { amount }
    voucher { number description lines { account { code } debit credit } }
    account { name }
    payslips(orderBy: {field: GROSS, direction: DESC}) { totalCount nodes {
      id daysPaid daysInPeriod gross { amount } deductions { amount } net { amount }
      employee { firstName } voucher { number } transaction { amount { amount } type } } }"""
PAY_RUN_CREATE = f"""mutation($input: PayRunCreateInput!) {{
  payRunCreate(input: $input) {{ payRun {{ {PAY_RUN_FIELDS} }} {ERRORS} }} }}"""
PAY_RUN_APPROVE = f"""mutation($input: PayrollIdInput!) {{
  payRunApprove(input: $input) {{ payRun {{ {PAY_RUN_FIELDS} }} {ERRORS} }} }}"""
PAY_RUN_REVERSE = f"""mutation($input: PayrollIdInput!) {{
  payRunReverse(input: $input) {{ payRun {{ {PAY_RUN_FIELDS} }} {ERRORS} }} }}"""
PAY_RUN_PAY = f"""mutation($input: PayRunPayInput!) {{
  payRunPay(input: $input) {{ payRun {{ {PAY_RUN_FIELDS} }} {ERRORS} }} }}"""
PAY_RUN_DELETE = f"""mutation($input: PayrollIdInput!) {{
  payRunDelete(input: $input) {{ deletedPayRunId {ERRORS} }} }}"""
PAYSLIP_UPDATE = f"""mutation($input: PayslipUpdateInput!) {{
  payslipUpdate(input: $input) {{ payslip {{ gross {{ amount }} deductions {{ amount }}
    net {{ amount }} payRun {{ gross {{ amount }} deductions {{ amount }} net {{ amount }} }} }}
    {ERRORS} }} }}"""
ACCOUNT_CREATE = """mutation($input: AccountCreateInput!) {
  accountCreate(input: $input) { account { id name } userErrors { field message } } }"""
TRIAL_BALANCE = """{ company { reports { trialBalance { balanced rows { code balance { amount } } }
  } } }"""


# --- helpers ------------------------------------------------------------------------------------


async def department(api: Api, tenant: Tenant, name: str = "Engineering") -> dict[str, Any]:
    payload = await api.mutate("departmentCreate", DEPARTMENT_CREATE, {"name": name}, tenant)
    return payload["department"]  # type: ignore[no-any-return]


async def employee(api: Api, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    body = {"firstName": "Ada", "lastName": "Lovelace", "salary": "60000", **fields}
    return (await api.mutate("employeeCreate", EMPLOYEE_CREATE, body, tenant))["employee"]  # type: ignore[no-any-return]


async def pay_run(api: Api, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    body = {"payDate": "2026-01-31", "period": "2026-01", **fields}
    return (await api.mutate("payRunCreate", PAY_RUN_CREATE, body, tenant))["payRun"]  # type: ignore[no-any-return]


async def bank_account(api: Api, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    body = {"name": "Current account", "type": "BANK", **fields}
    return (await api.mutate("accountCreate", ACCOUNT_CREATE, body, tenant))["account"]  # type: ignore[no-any-return]


async def approved(api: Api, tenant: Tenant, **fields: Any) -> dict[str, Any]:
    run = await pay_run(api, tenant, **fields)
    return (await api.mutate("payRunApprove", PAY_RUN_APPROVE, {"id": run["id"]}, tenant))[  # type: ignore[no-any-return]
        "payRun"
    ]


def lines(voucher: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(ln["account"]["code"], ln["debit"], ln["credit"]) for ln in voucher["lines"]}


async def trial_balance_is_zero(api: Api, tenant: Tenant) -> None:
    tb = (await api.data(TRIAL_BALANCE, tenant=tenant))["company"]["reports"]["trialBalance"]
    assert tb["balanced"] is True
    assert sum(Decimal(r["balance"]["amount"]) for r in tb["rows"]) == 0, tb


# --- departments, positions, employees ----------------------------------------------------------


async def test_an_employee_is_written_with_department_position_salary_and_contact(api):
    # given a department, a position in it and a contact
    owner = await api.register()
    engineering = await department(api, owner)
    position = (
        await api.mutate(
            "positionCreate",
            POSITION_CREATE,
            {"name": "Engineer", "departmentId": engineering["id"]},
            owner,
        )
    )["position"]
    contact = await api.contact(owner, name="Ada Lovelace")
    # when an employee is created with all of them
    created = await employee(
        api,
        owner,
        email="ada@example.com",
        departmentId=engineering["id"],
        positionId=position["id"],
        contactId=contact["id"],
        startDate="2025-03-01",
        salary="60000.5",
    )
    # then they read back exact, with every edge
    assert created["salary"] == {"amount": "60000.50", "currency": "USD"}
    assert created["department"] == {"name": "Engineering"}
    assert created["position"] == {"name": "Engineer"}
    assert created["contact"] == {"name": "Ada Lovelace"}
    assert created["startDate"] == "2025-03-01" and created["endDate"] is None
    assert position["department"] == {"name": "Engineering"}
    # and the contact reads as an employee, on both read paths
    query = """query($id: ID!) { contact(id: $id) { isEmployee employee { firstName } } }"""
    data = await api.data(query, {"id": contact["id"]}, owner)
    assert data["contact"] == {"isEmployee": True, "employee": {"firstName": "Ada"}}
    other = await api.contact(owner)
    data = await api.data(query, {"id": other["id"]}, owner)
    assert data["contact"] == {"isEmployee": False, "employee": None}


async def test_employee_inputs_are_checked_and_named(api):
    owner = await api.register()
    contact = await api.contact(owner)
    await employee(api, owner, contactId=contact["id"])
    # a second employee for the same contact, an end before the start, a negative salary
    errors = await refused(
        api,
        owner,
        "employeeCreate",
        EMPLOYEE_CREATE,
        {"firstName": "B", "lastName": "C", "contactId": contact["id"]},
    )
    assert errors == [
        {
            "field": ["input", "contactId"],
            "message": "The contact is already linked to another employee",
            "code": "TAKEN",
        }
    ]
    errors = await refused(
        api,
        owner,
        "employeeCreate",
        EMPLOYEE_CREATE,
        {"firstName": "B", "lastName": "C", "startDate": "2026-02-01", "endDate": "2026-01-31"},
    )
    assert errors[0]["field"] == ["input", "endDate"] and errors[0]["code"] == "INVALID"
    errors = await refused(
        api,
        owner,
        "employeeCreate",
        EMPLOYEE_CREATE,
        {"firstName": "B", "lastName": "C", "salary": "-1"},
    )
    assert errors[0]["field"] == ["input", "salary"]
    errors = await refused(
        api,
        owner,
        "employeeCreate",
        EMPLOYEE_CREATE,
        {"firstName": "B", "lastName": "C", "departmentId": "0" * 24},
    )
    assert errors == [
        {"field": ["input", "departmentId"], "message": "Department not found", "code": "NOT_FOUND"}
    ]


async def test_a_department_name_is_unique_and_one_in_use_is_not_deleted(api):
    owner = await api.register()
    engineering = await department(api, owner)
    errors = await refused(
        api, owner, "departmentCreate", DEPARTMENT_CREATE, {"name": "Engineering"}
    )
    assert errors[0]["code"] == "TAKEN" and errors[0]["field"] == ["input", "name"]
    await employee(api, owner, departmentId=engineering["id"])
    errors = await refused(
        api, owner, "departmentDelete", DEPARTMENT_DELETE, {"id": engineering["id"]}
    )
    assert errors == [
        {"field": ["input", "id"], "message": "The department has employees", "code": "IN_USE"}
    ]
    empty = await department(api, owner, "Sales")
    payload = await api.mutate("departmentDelete", DEPARTMENT_DELETE, {"id": empty["id"]}, owner)
    assert payload["deletedDepartmentId"] == empty["id"]


async def test_an_employee_update_changes_only_what_is_sent(api):
    owner = await api.register()
    ada = await employee(api, owner, email="ada@example.com")
    payload = await api.mutate(
        "employeeUpdate", EMPLOYEE_UPDATE, {"id": ada["id"], "endDate": "2099-06-30"}, owner
    )
    assert payload["employee"]["endDate"] == "2099-06-30"
    assert payload["employee"]["email"] == "ada@example.com"
    errors = await refused(
        api, owner, "employeeUpdate", EMPLOYEE_UPDATE, {"id": ada["id"], "lastName": None}
    )
    assert errors[0]["code"] == "REQUIRED"


# --- pay runs -----------------------------------------------------------------------------------


async def test_a_pay_run_goes_from_draft_to_paid_and_posts_its_vouchers(api):
    # given two employees for the whole of January, one leaving mid-month, one starting after
    owner = await api.register()
    await employee(api, owner, firstName="Ada", salary="60000", startDate="2025-01-01")
    await employee(
        api, owner, firstName="Bob", salary="36000", startDate="2025-01-01", endDate="2026-01-15"
    )
    await employee(api, owner, firstName="Cy", salary="12000", startDate="2026-02-01")
    account = await bank_account(api, owner)
    # when a pay run of January is created for everyone employed in it
    run = await pay_run(api, owner)
    # then Ada gets a month (60000 / 12), Bob 15 of 31 days (3000 * 15 / 31), Cy nothing
    assert run["status"] == "DRAFT" and run["voucher"] is None
    slips = run["payslips"]["nodes"]
    assert [(s["employee"]["firstName"], s["daysPaid"], s["gross"]["amount"]) for s in slips] == [
        ("Ada", 31, "5000.00"),
        ("Bob", 15, "1451.61"),
    ]
    assert run["gross"] == {"amount": "6451.61"} and run["net"] == {"amount": "6451.61"}
    # when Ada's payslip has 1000 deducted
    payload = await api.mutate(
        "payslipUpdate", PAYSLIP_UPDATE, {"id": slips[0]["id"], "deductions": "1000"}, owner
    )
    assert payload["payslip"]["net"] == {"amount": "4000.00"}
    assert payload["payslip"]["payRun"] == {
        "gross": {"amount": "6451.61"},
        "deductions": {"amount": "1000.00"},
        "net": {"amount": "5451.61"},
    }
    # and it is approved
    run = (await api.mutate("payRunApprove", PAY_RUN_APPROVE, {"id": run["id"]}, owner))["payRun"]
    # then the salary voucher is posted: Dr Salaries / Cr deductions payable / Cr wages payable
    assert run["status"] == "APPROVED" and run["approvedAt"]
    assert run["voucher"]["description"] == "Payroll 2026-01"
    assert lines(run["voucher"]) == {
        ("6300", "6451.61", "0.00"),
        ("2410", "0.00", "1000.00"),
        ("2400", "0.00", "5451.61"),
    }
    assert {s["voucher"]["number"] for s in run["payslips"]["nodes"]} == {run["voucher"]["number"]}
    # and a payslip of an approved run is fixed
    errors = await refused(
        api, owner, "payslipUpdate", PAYSLIP_UPDATE, {"id": slips[0]["id"], "deductions": "0"}
    )
    assert errors == [
        {
            "field": ["input", "id"],
            "message": "Only a draft pay run can be changed; this one is approved",
            "code": "INVALID_STATE",
        }
    ]
    # when it is paid from the bank account
    run = (
        await api.mutate(
            "payRunPay", PAY_RUN_PAY, {"id": run["id"], "accountId": account["id"]}, owner
        )
    )["payRun"]
    # then one expense per payslip, of its net
    assert run["status"] == "PAID" and run["account"] == {"name": "Current account"}
    assert [s["transaction"] for s in run["payslips"]["nodes"]] == [
        {"amount": {"amount": "4000.00"}, "type": "EXPENSE"},
        {"amount": {"amount": "1451.61"}, "type": "EXPENSE"},
    ]
    balance = await api.data(
        "query($id: ID!) { account(id: $id) { balance { amount } } }", {"id": account["id"]}, owner
    )
    assert balance["account"]["balance"]["amount"] == "-5451.61"
    # and wages payable is cleared: the payments' vouchers are Dr 2400 / Cr 1110
    vouchers = await api.data(
        """{ vouchers(first: 10) { nodes { description lines { account { code } debit credit } } } }""",
        tenant=owner,
    )
    payments = [v for v in vouchers["vouchers"]["nodes"] if v["description"].startswith("Salary")]
    assert {frozenset(lines(v)) for v in payments} == {
        frozenset({("2400", "4000.00", "0.00"), ("1110", "0.00", "4000.00")}),
        frozenset({("2400", "1451.61", "0.00"), ("1110", "0.00", "1451.61")}),
    }
    await trial_balance_is_zero(api, owner)
    # and a paid run is final: its payments stay, it is not paid again, reversed or deleted
    paid = await api.data("{ payslips { nodes { transaction { id } } } }", tenant=owner)
    payment = paid["payslips"]["nodes"][0]["transaction"]["id"]
    errors = (
        await api.data(
            "mutation($id: ID!) { transactionDelete(input: {id: $id}) { userErrors { message code } } }",
            {"id": payment},
            owner,
        )
    )["transactionDelete"]["userErrors"]
    assert errors == [
        {"message": "This transaction pays a payslip of a paid pay run", "code": "INVALID_STATE"}
    ]
    for name, query, body in (
        ("payRunPay", PAY_RUN_PAY, {"id": run["id"], "accountId": account["id"]}),
        ("payRunReverse", PAY_RUN_REVERSE, {"id": run["id"]}),
        ("payRunDelete", PAY_RUN_DELETE, {"id": run["id"]}),
        ("payRunApprove", PAY_RUN_APPROVE, {"id": run["id"]}),
    ):
        errors = await refused(api, owner, name, query, body)
        assert errors[0]["code"] == "INVALID_STATE" and "this one is paid" in errors[0]["message"]


async def test_an_employee_is_paid_at_most_once_per_period(api):
    owner = await api.register()
    ada = await employee(api, owner, startDate="2025-01-01")
    bob = await employee(api, owner, firstName="Bob", lastName="Ross", startDate="2025-01-01")
    run = await pay_run(api, owner, employeeIds=[ada["id"]])
    assert run["payslips"]["totalCount"] == 1
    # Ada again in January, named or by default, is refused; Bob alone is fine
    errors = await refused(
        api,
        owner,
        "payRunCreate",
        PAY_RUN_CREATE,
        {"payDate": "2026-01-31", "period": "2026-01", "employeeIds": [ada["id"], bob["id"]]},
    )
    assert errors == [
        {
            "field": ["input", "employeeIds"],
            "message": "Already in a pay run of 2026-01: Ada Lovelace",
            "code": "TAKEN",
        }
    ]
    second = await pay_run(api, owner, employeeIds=[bob["id"]])
    assert second["payslips"]["totalCount"] == 1
    # nobody is left to pay for January
    errors = await refused(
        api, owner, "payRunCreate", PAY_RUN_CREATE, {"payDate": "2026-01-31", "period": "2026-01"}
    )
    assert errors[0]["code"] == "TAKEN"
    # deleting a draft frees its employees for the period
    await api.mutate("payRunDelete", PAY_RUN_DELETE, {"id": run["id"]}, owner)
    again = await pay_run(api, owner, employeeIds=[ada["id"]])
    assert again["payslips"]["totalCount"] == 1


async def test_pay_run_inputs_are_checked(api):
    owner = await api.register()
    ada = await employee(api, owner, startDate="2026-03-01")
    # a period that is not a month, nobody employed, an employee not yet started
    errors = await refused(
        api, owner, "payRunCreate", PAY_RUN_CREATE, {"payDate": "2026-01-31", "period": "2026-13"}
    )
    assert errors[0]["field"] == ["input", "period"]
    errors = await refused(
        api, owner, "payRunCreate", PAY_RUN_CREATE, {"payDate": "2026-01-31", "period": "2026-01"}
    )
    assert errors == [
        {
            "field": ["input", "employeeIds"],
            "message": "No employee is employed in the period",
            "code": "REQUIRED",
        }
    ]
    errors = await refused(
        api,
        owner,
        "payRunCreate",
        PAY_RUN_CREATE,
        {"payDate": "2026-01-31", "period": "2026-01", "employeeIds": [ada["id"], "0" * 24]},
    )
    assert errors == [
        {
            "field": ["input", "employeeIds", "0"],
            "message": "The employee is not employed in the period",
            "code": "INVALID",
        },
        {
            "field": ["input", "employeeIds", "1"],
            "message": "Employee not found",
            "code": "NOT_FOUND",
        },
    ]
    # deductions above the gross
    run = await pay_run(api, owner, period="2026-03")
    slip = run["payslips"]["nodes"][0]
    errors = await refused(
        api, owner, "payslipUpdate", PAYSLIP_UPDATE, {"id": slip["id"], "deductions": "5000.01"}
    )
    assert errors == [
        {
            "field": ["input", "deductions"],
            "message": "must not be more than the gross (5000.00)",
            "code": "INVALID",
        }
    ]
    # paying a draft, or from an account that does not exist
    errors = await refused(
        api, owner, "payRunPay", PAY_RUN_PAY, {"id": run["id"], "accountId": "0" * 24}
    )
    assert errors[0]["field"] == ["input", "accountId"] and errors[0]["code"] == "NOT_FOUND"
    account = await bank_account(api, owner)
    errors = await refused(
        api, owner, "payRunPay", PAY_RUN_PAY, {"id": run["id"], "accountId": account["id"]}
    )
    assert errors[0]["message"] == "Only an approved pay run can be paid; this one is draft"


async def test_reversing_an_approved_run_reverses_its_voucher_and_makes_it_a_draft(api):
    owner = await api.register()
    await employee(api, owner, startDate="2025-01-01")
    run = await approved(api, owner)
    number = run["voucher"]["number"]
    # when the approval is reversed
    reversed_ = (await api.mutate("payRunReverse", PAY_RUN_REVERSE, {"id": run["id"]}, owner))[
        "payRun"
    ]
    # then it is a draft without a voucher, and the salary voucher has its reversal
    assert reversed_["status"] == "DRAFT" and reversed_["voucher"] is None
    assert reversed_["approvedAt"] is None
    vouchers = await api.data(
        "{ vouchers(first: 10) { nodes { number description reverses { number } } } }", tenant=owner
    )
    reversals = [v for v in vouchers["vouchers"]["nodes"] if v["reverses"]]
    assert [r["reverses"]["number"] for r in reversals] == [number]
    await trial_balance_is_zero(api, owner)
    # it can be approved again (a new voucher) or, as a draft, deleted
    again = (await api.mutate("payRunApprove", PAY_RUN_APPROVE, {"id": run["id"]}, owner))["payRun"]
    assert again["voucher"]["number"] not in (number, reversals[0]["number"])
    errors = await refused(api, owner, "payRunDelete", PAY_RUN_DELETE, {"id": run["id"]})
    assert errors[0]["code"] == "INVALID_STATE"


async def test_a_contact_that_is_an_employee_is_not_deleted(api):
    owner = await api.register()
    contact = await api.contact(owner)
    await employee(api, owner, contactId=contact["id"])
    r = await api.rest("DELETE", f"/api/contacts/{contact['id']}", owner)
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["code"] == "IN_USE"


# --- lists, filters, orders ---------------------------------------------------------------------

EMPLOYEES = """query($filter: EmployeeFilter, $orderBy: EmployeeOrder) {
  employees(filter: $filter, orderBy: $orderBy) { totalCount nodes { firstName
    department { name } payslips { nodes { period net { amount } } } } } }"""
PAY_RUNS = """query($filter: PayRunFilter, $orderBy: PayRunOrder) {
  payRuns(filter: $filter, orderBy: $orderBy) { totalCount nodes { period status
    payslips { totalCount } } } }"""


async def test_lists_filter_and_order_on_both_read_paths(api, resolver_client):
    owner = await api.register()
    engineering = await department(api, owner)
    ada = await employee(
        api, owner, firstName="Ada", departmentId=engineering["id"], startDate="2025-01-01"
    )
    await employee(api, owner, firstName="Bob", lastName="Ross", startDate="2026-02-01", salary="1")
    await pay_run(api, owner, employeeIds=[ada["id"]])
    await approved(api, owner, period="2026-02", payDate="2026-02-28")
    # employees by department, by day employed, by search; ordered by salary
    data = await on_both_paths(
        api, resolver_client, owner, EMPLOYEES, filter={"departmentId": engineering["id"]}
    )
    assert [e["firstName"] for e in data["employees"]["nodes"]] == ["Ada"]
    assert data["employees"]["nodes"][0]["payslips"]["nodes"] == [
        {"period": "2026-02", "net": {"amount": "5000.00"}},
        {"period": "2026-01", "net": {"amount": "5000.00"}},
    ]
    data = await on_both_paths(
        api, resolver_client, owner, EMPLOYEES, filter={"employedOn": "2026-01-15"}
    )
    assert data["employees"]["totalCount"] == 1
    data = await on_both_paths(
        api,
        resolver_client,
        owner,
        EMPLOYEES,
        filter={"search": "ross"},
    )
    assert [e["firstName"] for e in data["employees"]["nodes"]] == ["Bob"]
    data = await on_both_paths(
        api, resolver_client, owner, EMPLOYEES, orderBy={"field": "SALARY", "direction": "ASC"}
    )
    assert [e["firstName"] for e in data["employees"]["nodes"]] == ["Bob", "Ada"]
    # pay runs: latest pay date first; by status and period range
    data = await on_both_paths(api, resolver_client, owner, PAY_RUNS)
    assert [(r["period"], r["status"]) for r in data["payRuns"]["nodes"]] == [
        ("2026-02", "APPROVED"),
        ("2026-01", "DRAFT"),
    ]
    data = await on_both_paths(api, resolver_client, owner, PAY_RUNS, filter={"status": "APPROVED"})
    assert data["payRuns"]["nodes"][0]["payslips"]["totalCount"] == 2
    data = await on_both_paths(
        api,
        resolver_client,
        owner,
        PAY_RUNS,
        filter={"periodFrom": "2026-01", "periodTo": "2026-01"},
    )
    assert [r["period"] for r in data["payRuns"]["nodes"]] == ["2026-01"]
    # a department's employees, a payslip's pay run
    data = await on_both_paths(
        api,
        resolver_client,
        owner,
        """{ departments { nodes { name employees { totalCount } positions { totalCount } } }
             payslips(filter: {period: "2026-02"}) { totalCount nodes { payRun { status } } } }""",
    )
    assert data["departments"]["nodes"] == [
        {"name": "Engineering", "employees": {"totalCount": 1}, "positions": {"totalCount": 0}}
    ]
    assert data["payslips"]["totalCount"] == 2


async def test_a_chart_seeded_before_payroll_gets_its_liabilities_on_the_first_approval(app, api):
    # given a company whose chart has no payroll liabilities (seeded before they existed)
    owner = await api.register()
    async with tenant_db(app, owner.company_id) as session:
        for code in ("2400", "2410", "214"):  # leaves first, then their heading
            await session.execute(delete(LedgerAccount).where(LedgerAccount.code == code))
        await session.commit()
    await employee(api, owner, startDate="2025-01-01")
    # when a pay run is approved
    run = await approved(api, owner)
    # then the accounts are added as the standard chart has them, and the voucher posts
    assert lines(run["voucher"]) == {("6300", "5000.00", "0.00"), ("2400", "0.00", "5000.00")}
    chart = await api.data(
        '{ ledgerAccounts(filter: {search: "payable"}) { nodes { code parent { code } } } }',
        tenant=owner,
    )
    assert {"code": "2410", "parent": {"code": "214"}} in chart["ledgerAccounts"]["nodes"]


async def test_payroll_liabilities_added_later_keep_clear_of_the_companys_own_codes(app, api):
    # given a chart without payroll liabilities, where the company has since used 2400
    # for an account of its own
    owner = await api.register()
    async with tenant_db(app, owner.company_id) as session:
        for code in ("2400", "2410", "214"):
            await session.execute(delete(LedgerAccount).where(LedgerAccount.code == code))
        await session.commit()
    own = {"code": "2400", "name": "Customer deposits", "type": "LIABILITY"}
    assert (await api.mutate("ledgerAccountCreate", LEDGER_ACCOUNT_CREATE, own, owner))[
        "ledgerAccount"
    ]["code"] == "2400"
    await employee(api, owner, startDate="2025-01-01")
    # when a pay run is approved
    run = await approved(api, owner)
    # then wages payable takes the next free code; the company's account is untouched
    assert lines(run["voucher"]) == {("6300", "5000.00", "0.00"), ("2401", "0.00", "5000.00")}
    chart = await api.data(
        '{ ledgerAccounts(filter: {search: "2400"}) { nodes { code name } } }', tenant=owner
    )
    assert {"code": "2400", "name": "Customer deposits"} in chart["ledgerAccounts"]["nodes"]
