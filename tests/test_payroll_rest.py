"""Numbors REST /api/payroll/departments, employees and pay-runs: the documented paths and
fields, employees with department and position populated, pay runs sorted by pay date
with their `employees`, errors naming the fields as sent, 403 when payroll is off."""

from __future__ import annotations

MODULE_OFF = """mutation { moduleSet(input: {alias: "payroll", enabled: false}) {
  userErrors { message } } }"""
PATHS = ("departments", "employees", "pay-runs")


async def post(api, tenant, path, body):
    return await api.rest("POST", f"/api/payroll/{path}", tenant, json=body)


async def created(api, tenant, path, body):
    r = await post(api, tenant, path, body)
    assert r.status_code == 201, r.text
    assert r.json()["success"] is True
    return r.json()["data"]


async def listed(api, tenant, path, query=""):
    r = await api.rest("GET", f"/api/payroll/{path}{query}", tenant)
    assert r.status_code == 200, r.text
    return r.json()


async def position(api, tenant, department_id):
    data = await api.data(
        """mutation($input: PositionCreateInput!) { positionCreate(input: $input) {
          position { objectId } userErrors { message } } }""",
        {"input": {"name": "Engineer", "departmentId": department_id}},
        tenant,
    )
    return data["positionCreate"]["position"]["objectId"]


async def test_departments_are_created_and_listed(api):
    owner = await api.register()
    made = await created(api, owner, "departments", {"name": "Engineering"})
    assert made["name"] == "Engineering" and len(made["id"]) == 24
    await created(api, owner, "departments", {"name": "Accounts"})
    body = await listed(api, owner, "departments")
    assert [d["name"] for d in body["data"]] == ["Accounts", "Engineering"]
    assert body["pagination"]["total"] == 2
    r = await post(api, owner, "departments", {"name": "Engineering"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "name"
    r = await post(api, owner, "departments", {})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "name"


async def test_employees_are_listed_with_department_and_position_populated(api):
    owner = await api.register()
    engineering = await created(api, owner, "departments", {"name": "Engineering"})
    engineer = await position(api, owner, engineering["id"])
    made = await created(
        api,
        owner,
        "employees",
        {
            "firstName": "Ada",
            "lastName": "Lovelace",
            "email": "ada@example.com",
            "department": engineering["id"],
            "position": engineer,
            "salary": 60000.5,
        },
    )
    assert made["department"] == {"id": engineering["id"], "name": "Engineering"}
    assert made["position"] == {"id": engineer, "name": "Engineer"}
    assert made["salary"] == 60000.5 and made["currency"] == "USD"
    await created(api, owner, "employees", {"firstName": "Bob", "lastName": "Babbage"})
    body = await listed(api, owner, "employees")
    assert [(e["lastName"], e["department"]) for e in body["data"]] == [
        ("Babbage", None),
        ("Lovelace", {"id": engineering["id"], "name": "Engineering"}),
    ]
    filtered = await listed(api, owner, "employees", f"?department={engineering['id']}")
    assert [e["firstName"] for e in filtered["data"]] == ["Ada"]
    # errors name the fields as sent
    r = await post(
        api, owner, "employees", {"firstName": "X", "lastName": "Y", "department": "0" * 24}
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "department"
    r = await post(api, owner, "employees", {"firstName": "X", "lastName": "Y", "email": "nope"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "email"
    r = await post(api, owner, "employees", {"lastName": "Y"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "firstName"


async def test_pay_runs_are_created_with_their_employees_and_sorted_by_pay_date(api):
    owner = await api.register()
    ada = await created(
        api,
        owner,
        "employees",
        {"firstName": "Ada", "lastName": "L", "salary": 60000, "startDate": "2025-01-01"},
    )
    bob = await created(
        api,
        owner,
        "employees",
        {"firstName": "Bob", "lastName": "B", "salary": 24000, "startDate": "2025-01-01"},
    )
    january = await created(
        api,
        owner,
        "pay-runs",
        {"payDate": "2026-01-31", "period": "2026-01", "employees": [ada["id"]]},
    )
    assert january["status"] == "draft" and january["employees"] == [ada["id"]]
    assert january["gross"] == 5000 and january["net"] == 5000 and january["currency"] == "USD"
    assert january["payslips"][0]["employee"] == ada["id"]
    february = await created(api, owner, "pay-runs", {"payDate": "2026-02-27", "period": "2026-02"})
    assert sorted(february["employees"]) == sorted([ada["id"], bob["id"]])
    assert february["gross"] == 7000
    body = await listed(api, owner, "pay-runs")
    assert [r["period"] for r in body["data"]] == ["2026-02", "2026-01"]
    assert body["pagination"]["total"] == 2
    assert [
        r["period"] for r in (await listed(api, owner, "pay-runs", "?period=2026-01"))["data"]
    ] == ["2026-01"]
    # Ada again in January: refused, naming `employees`
    r = await post(
        api,
        owner,
        "pay-runs",
        {"payDate": "2026-01-31", "period": "2026-01", "employees": [ada["id"]]},
    )
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "employees"
    assert r.json()["errors"][0]["code"] == "TAKEN"
    r = await post(api, owner, "pay-runs", {"payDate": "2026-01-31", "period": "January"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "period"
    r = await post(api, owner, "pay-runs", {"period": "2026-03"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "payDate"


async def test_module_off_is_403_on_every_path(api):
    owner = await api.register()
    await api.data(MODULE_OFF, tenant=owner)
    for path in PATHS:
        for method in ("GET", "POST"):
            r = await api.rest(method, f"/api/payroll/{path}", owner, json={"name": "x"})
            assert r.status_code == 403, (method, path, r.text)
            assert (
                r.json()["message"]
                == "The Payroll module (payroll) is not enabled for this company"
            )
