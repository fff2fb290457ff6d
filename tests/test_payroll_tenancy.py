"""Payroll across companies: another company's department, position, employee, contact,
pay run or account is exactly an id that does not exist, at write time and at read time,
on both read paths and over REST; and the module gate holds on every path."""

from __future__ import annotations

from tests.test_payroll_graphql import (
    EMPLOYEE_CREATE,
    PAY_RUN_APPROVE,
    PAY_RUN_CREATE,
    PAY_RUN_PAY,
    PAYSLIP_UPDATE,
    approved,
    bank_account,
    department,
    employee,
    pay_run,
)

NOT_FOUND = "NOT_FOUND"


async def two_companies(api):
    owner, other = await api.register(), await api.register()
    their_department = await department(api, other)
    their_contact = await api.contact(other)
    their_employee = await employee(
        api,
        other,
        departmentId=their_department["id"],
        contactId=their_contact["id"],
        startDate="2025-01-01",
    )
    their_run = await pay_run(api, other)
    their_account = await bank_account(api, other)
    return (
        owner,
        other,
        {
            "department": their_department,
            "contact": their_contact,
            "employee": their_employee,
            "run": their_run,
            "account": their_account,
        },
    )


async def errors_of(api, tenant, name, query, input):
    return (await api.data(query, {"input": input}, tenant))[name]["userErrors"]


async def test_another_companys_rows_are_refused_at_write_time(api):
    owner, _, theirs = await two_companies(api)
    for field, value in (
        ("departmentId", theirs["department"]["id"]),
        ("contactId", theirs["contact"]["id"]),
    ):
        errors = await errors_of(
            api,
            owner,
            "employeeCreate",
            EMPLOYEE_CREATE,
            {"firstName": "A", "lastName": "B", field: value},
        )
        assert [(e["field"], e["code"]) for e in errors] == [(["input", field], NOT_FOUND)]
    errors = await errors_of(
        api,
        owner,
        "payRunCreate",
        PAY_RUN_CREATE,
        {"payDate": "2026-01-31", "period": "2026-01", "employeeIds": [theirs["employee"]["id"]]},
    )
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "employeeIds", "0"], NOT_FOUND)]
    for name, query, input in (
        ("payRunApprove", PAY_RUN_APPROVE, {"id": theirs["run"]["id"]}),
        (
            "payslipUpdate",
            PAYSLIP_UPDATE,
            {"id": theirs["run"]["payslips"]["nodes"][0]["id"], "deductions": "1"},
        ),
    ):
        errors = await errors_of(api, owner, name, query, input)
        assert [(e["field"], e["code"]) for e in errors] == [(["input", "id"], NOT_FOUND)]
    # my approved run paid from their account
    await employee(api, owner, startDate="2025-01-01")
    mine = await approved(api, owner)
    errors = await errors_of(
        api,
        owner,
        "payRunPay",
        PAY_RUN_PAY,
        {"id": mine["id"], "accountId": theirs["account"]["id"]},
    )
    assert [(e["field"], e["code"]) for e in errors] == [(["input", "accountId"], NOT_FOUND)]


async def test_another_companys_rows_are_invisible_on_both_paths_and_over_rest(
    api, resolver_client
):
    owner, _, theirs = await two_companies(api)
    await employee(api, owner, firstName="Mine")
    for query in (
        f'{{ employee(id: "{theirs["employee"]["id"]}") {{ firstName }} }}',
        f'{{ department(id: "{theirs["department"]["id"]}") {{ name }} }}',
        f'{{ payRun(id: "{theirs["run"]["id"]}") {{ period }} }}',
    ):
        for client in (api.client, resolver_client):
            r = await client.post("/graphql", json={"query": query}, headers=owner.headers)
            answer = r.json()
            assert list(answer["data"].values()) == [None], query
            assert answer["errors"][0]["extensions"]["code"] == NOT_FOUND
    lists = f"""{{ employees {{ totalCount nodes {{ firstName }} }} departments {{ totalCount }}
      payRuns {{ totalCount }} payslips {{ totalCount }}
      filtered: employees(filter: {{departmentId: "{theirs["department"]["id"]}"}}) {{ totalCount }} }}"""
    for client in (api.client, resolver_client):
        r = await client.post("/graphql", json={"query": lists}, headers=owner.headers)
        data = r.json()["data"]
        assert data["employees"] == {"totalCount": 1, "nodes": [{"firstName": "Mine"}]}
        assert data["departments"]["totalCount"] == 0 and data["payRuns"]["totalCount"] == 0
        assert data["payslips"]["totalCount"] == 0 and data["filtered"]["totalCount"] == 0
    for path, total in (("employees", 1), ("departments", 0), ("pay-runs", 0)):
        r = await api.rest("GET", f"/api/payroll/{path}", owner)
        assert r.json()["pagination"]["total"] == total, path


async def test_the_module_switched_off_is_forbidden_on_both_paths(api, resolver_client):
    owner = await api.register()
    contact = await api.contact(owner)
    await employee(api, owner, contactId=contact["id"])
    await api.data(
        'mutation { moduleSet(input: {alias: "payroll", enabled: false}) { userErrors { message } } }',
        None,
        owner,
    )
    message = "The Payroll module (payroll) is not enabled for this company"
    for query in (
        "{ employees { totalCount } }",
        "{ departments { totalCount } }",
        "{ payRuns { totalCount } }",
        "{ payslips { totalCount } }",
        "{ contacts { nodes { name employee { firstName } } } }",
    ):
        for client in (api.client, resolver_client):
            r = await client.post("/graphql", json={"query": query}, headers=owner.headers)
            error = r.json()["errors"][0]
            assert (error["message"], error["extensions"]["code"]) == (message, "FORBIDDEN"), query
    payload = await api.gql(EMPLOYEE_CREATE, {"input": {"firstName": "A", "lastName": "B"}}, owner)
    assert payload["errors"][0]["extensions"]["code"] == "FORBIDDEN"
