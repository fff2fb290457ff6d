"""Every REST write path, sent bad input: every 4xx body carries a `code`, so does each
of its errors, and each error's `field` is a field the client sent, under the name
the client sent it (Numbors' `contact`, `items[0].price`, not our contactId or
lines[0].unitPrice)."""

from __future__ import annotations

import re
from typing import Any

from gql.app import NUMBORS_ROUTES
from tests.factories import Api, Tenant

MISSING = "0" * 24  # an object id no company has


def _path(field: str) -> list[str | int]:
    """ "items[0].price" as ["items", 0, "price"]."""
    return [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", field)]


def _sent(body: Any, field: str) -> bool:
    """Whether `field` names something in `body`, as the client wrote it."""
    value = body
    for part in _path(field):
        if isinstance(part, int):
            if not isinstance(value, list) or part >= len(value):
                return False
        elif not isinstance(value, dict) or part not in value:
            return False
        value = value[part]
    return True


def assert_coded(r: Any, body: Any) -> None:
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    answer = r.json()
    assert answer["success"] is False and answer["code"], answer
    for error in answer.get("errors", []):
        assert error["code"], answer
        assert error["field"] == "body" or _sent(body, error["field"]), (body, answer)


async def _bad_bodies(api: Api, tenant: Tenant) -> dict[tuple[str, str], list[Any]]:
    """Per write path (as routed), the URL and the bad bodies to send it."""
    contact = (await api.contact(tenant, type="both"))["id"]
    account = (
        await api.rest("POST", "/api/accounts", tenant, json={"name": "A", "type": "bank"})
    ).json()["data"]["id"]
    document = (await api.document(tenant, contact))["id"]
    estimate = (await api.rest("POST", "/api/estimates", tenant, json={"contact": contact})).json()[
        "data"
    ]["id"]
    category = (
        await api.rest("POST", "/api/categories", tenant, json={"name": "C", "type": "income"})
    ).json()["data"]["id"]
    tax = (await api.tax(tenant))["objectId"]
    project = (await api.rest("POST", "/api/projects", tenant, json={"name": "P"})).json()["data"][
        "id"
    ]
    terminal = (await api.rest("POST", "/api/pos/terminals", tenant, json={"name": "T"})).json()[
        "data"
    ]["id"]
    till = (
        await api.rest("POST", "/api/pos/sessions/open", tenant, json={"terminal": terminal})
    ).json()["data"]["id"]
    webhook = (
        await api.rest(
            "POST",
            "/api/webhooks",
            tenant,
            # a public address literal: checked without a name to resolve
            json={"url": "https://93.184.216.34/hook", "eventTypes": ["document.issued"]},
        )
    ).json()["data"]["id"]
    line_refs = {"name": "x", "item": MISSING, "tax": MISSING}
    bad_line = {"name": "", "price": "x", "quantity": 0, "discountRate": 101}
    return {
        ("/auth/register", "/api/auth/register"): [{"name": "", "email": "x", "password": "1"}],
        ("/auth/login", "/api/auth/login"): [{"email": 5, "password": 5}],
        ("/contacts", "/api/contacts"): [
            {"name": "", "email": "bad", "type": "zz", "taxNumber": 5},
            {"name": "N", "currencyCode": "QQQ"},
        ],
        ("/contacts/{id}", f"/api/contacts/{contact}"): [{"name": None, "entityType": None}],
        ("/items", "/api/items"): [
            {"name": "", "salePrice": "x", "variants": [{"name": "V", "salePrice": -1}]},
            {"name": "I", "category": MISSING, "tax": MISSING},
        ],
        ("/categories", "/api/categories"): [{"name": "", "type": "zz"}],
        ("/categories/{id}", f"/api/categories/{category}"): [{"name": None, "enabled": None}],
        ("/taxes", "/api/taxes"): [{"name": "T", "rate": "200"}],
        ("/taxes/{id}", f"/api/taxes/{tax}"): [{"rate": None}, {"rate": "1.00001"}],
        ("/currencies", "/api/currencies"): [{"code": "e", "name": "", "rate": 0}],
        ("/documents", "/api/documents"): [
            {"type": "zz", "contact": contact, "items": [bad_line], "dueDate": "x", "shipping": -1},
            {"type": "invoice", "contact": MISSING, "items": [line_refs]},
        ],
        ("/documents/{id}", f"/api/documents/{document}"): [
            {"contact": None, "shipping": None, "issuedAt": None},
            {"status": "paid"},
        ],
        ("/estimates", "/api/estimates"): [
            {"contact": contact, "expiryDate": "x", "items": [bad_line]}
        ],
        ("/estimates/{id}", f"/api/estimates/{estimate}"): [{"items": [line_refs]}],
        ("/credit-notes", "/api/credit-notes"): [
            {"contact": contact, "amount": "x", "reason": ""},
            {"contact": MISSING, "amount": 5},
        ],
        ("/sales/orders", "/api/sales/orders"): [{"contact": contact, "items": []}],
        ("/purchases/orders", "/api/purchases/orders"): [
            {"contact": contact, "items": [line_refs]}
        ],
        ("/accounting/chart-of-accounts", "/api/accounting/chart-of-accounts"): [
            {"name": "", "code": "", "type": "zz"},
            {"name": "N", "code": "9999", "type": "asset", "parent": MISSING},
        ],
        ("/accounting/journal", "/api/accounting/journal"): [
            {"date": "x", "lines": [{"account": "6200", "debit": "x"}]},
            {
                "date": "2026-03-01",
                "lines": [
                    {"account": "0000", "debit": 5},
                    {"account": "3100", "credit": 5, "contact": MISSING},
                ],
            },
        ],
        ("/accounts", "/api/accounts"): [
            {"name": "", "type": "zz", "currency": "QQ", "openingBalance": "x"},
            {"name": "B", "type": "bank", "currency": "QQQ"},
        ],
        ("/transactions", "/api/transactions"): [
            {"type": "zz", "account": account, "amount": "x", "paidAt": "x"},
            {"type": "income", "account": MISSING, "amount": 5, "category": MISSING},
            {"type": "income", "account": account, "amount": 5, "currencyRate": 2},
        ],
        ("/transfers", "/api/transfers"): [
            {"fromAccount": account, "toAccount": MISSING, "amount": 5},
            {"fromAccount": account, "toAccount": account, "amount": 0},
        ],
        # CRM
        ("/crm/pipelines", "/api/crm/pipelines"): [
            {"name": "", "stages": [{"name": "A", "probability": 101}]},
            {"name": "P", "stages": "x"},
        ],
        ("/crm/leads", "/api/crm/leads"): [{"name": "", "email": "bad", "source": "tv"}],
        ("/crm/deals", "/api/crm/deals"): [
            {"name": "D", "pipeline": MISSING, "value": "x"},
            {"name": "D", "pipeline": MISSING, "contact": MISSING},
        ],
        ("/crm/activities", "/api/crm/activities"): [
            {"type": "zz", "subject": "", "scheduledAt": "x"},
            {"type": "call", "subject": "S", "deal": MISSING},
        ],
        ("/crm/campaigns", "/api/crm/campaigns"): [
            {"name": "", "type": "zz", "startDate": "x", "budget": -1},
            {"name": "C", "type": "sms", "startDate": "2026-03-02", "endDate": "2026-03-01"},
        ],
        # contracts
        ("/contracts", "/api/contracts"): [
            {"title": "", "contact": MISSING, "value": "x", "startDate": "x"},
            {"title": "T", "contact": contact, "startDate": "2026-02-01", "endDate": "2026-01-01"},
        ],
        ("/contracts/proposals", "/api/contracts/proposals"): [
            {"title": "", "contact": MISSING, "sections": [{"title": "", "body": 5}], "value": -1},
            {"title": "T", "contact": contact, "currency": "QQQ"},
        ],
        # helpdesk
        ("/helpdesk/categories", "/api/helpdesk/categories"): [{"name": ""}],
        ("/helpdesk/tickets", "/api/helpdesk/tickets"): [
            {"subject": "", "priority": "asap"},
            {"subject": "S", "category": MISSING, "contact": MISSING, "assignee": MISSING},
        ],
        ("/helpdesk/slas", "/api/helpdesk/slas"): [
            {"name": "", "responseTime": "x", "targets": [{"priority": "zz"}]}
        ],
        ("/helpdesk/articles", "/api/helpdesk/articles"): [
            {"title": "", "body": 5, "slug": "Not A Slug"},
            {"title": "T", "body": "B", "category": MISSING},
        ],
        # projects
        ("/projects", "/api/projects"): [
            {"name": "", "customer": MISSING, "budget": "x", "startDate": "x"},
            {"name": "P", "startDate": "2026-02-01", "endDate": "2026-01-01", "currency": "QQQ"},
        ],
        ("/projects/{id}", f"/api/projects/{project}"): [
            {"name": None, "status": "completed"},
            {"hourlyRate": -1, "customer": MISSING},
        ],
        ("/projects/{id}/tasks", f"/api/projects/{project}/tasks"): [
            {"name": "", "assignedTo": MISSING, "dueDate": "x"},
        ],
        ("/projects/time", "/api/projects/time"): [
            {"project": MISSING, "startTime": "x", "endTime": "2026-01-05T10:00:00Z"},
            {
                "project": project,
                "startTime": "2026-01-05T10:00:00Z",
                "endTime": "2026-01-05T09:00:00Z",
            },
            {
                "project": project,
                "startTime": "2026-01-05T09:00:00Z",
                "endTime": "2026-01-05T10:00:00Z",
                "task": MISSING,
                "user": MISSING,
            },
        ],
        # payroll
        ("/payroll/departments", "/api/payroll/departments"): [{"name": ""}],
        ("/payroll/employees", "/api/payroll/employees"): [
            {"firstName": "", "lastName": "", "email": "bad", "salary": "x"},
            {"firstName": "A", "lastName": "B", "department": MISSING, "position": MISSING},
            {"firstName": "A", "lastName": "B", "startDate": "2026-02-01", "endDate": "2026-01-01"},
        ],
        ("/payroll/pay-runs", "/api/payroll/pay-runs"): [
            {"payDate": "x", "period": "2026-13"},
            {"payDate": "2026-01-31", "period": "2026-01", "employees": [MISSING]},
        ],
        # point of sale
        ("/pos/terminals", "/api/pos/terminals"): [
            {"name": "", "cashAccount": MISSING},
            {"name": "T", "warehouse": MISSING, "enabled": "x"},
        ],
        ("/pos/sessions/open", "/api/pos/sessions/open"): [
            {"terminal": MISSING, "openingFloat": "x"},
            {"terminal": terminal},  # it has an open session: TAKEN
        ],
        ("/pos/orders", "/api/pos/orders"): [
            {"session": till, "items": [{**bad_line, "item": MISSING}], "paymentMethod": "cheque"},
            {"session": MISSING, "items": [{"item": MISSING, "tax": MISSING}], "contact": MISSING},
        ],
        ("/pos/loyalty/programs", "/api/pos/loyalty/programs"): [
            {"name": "", "pointsPerPound": -1},
            {"name": "P", "active": "x"},
        ],
        # inventory
        ("/inventory/warehouses", "/api/inventory/warehouses"): [{"name": "", "code": "x" * 41}],
        ("/inventory/transfers", "/api/inventory/transfers"): [
            {
                "fromWarehouse": MISSING,
                "toWarehouse": MISSING,
                "items": [{"item": MISSING, "quantity": "x"}],
            },
            {
                "fromWarehouse": MISSING,
                "toWarehouse": MISSING,
                "items": [{"item": MISSING, "quantity": 1}],
            },
        ],
        ("/inventory/adjustments", "/api/inventory/adjustments"): [
            {"warehouse": MISSING, "items": []},
            {"warehouse": MISSING, "items": [{"item": MISSING, "variant": MISSING, "quantity": 1}]},
        ],
        # bank feeds
        ("/banking/feeds/connections", "/api/banking/feeds/connections"): [
            {"provider": "", "account": MISSING},
            {"provider": "P", "account": MISSING},
        ],
        ("/banking/feeds/rules", "/api/banking/feeds/rules"): [
            {"pattern": "", "category": MISSING, "priority": "x"},
            {"pattern": "p", "category": category, "contact": MISSING, "direction": "up"},
        ],
        ("/banking/feeds/import", "/api/banking/feeds/import"): [
            {"connection": MISSING, "format": "xml", "content": "", "closingBalance": "x"},
            {"connection": MISSING, "format": "csv", "content": "Date\n"},
        ],
        # webhooks (ours, not Numbors')
        ("/webhooks", "/api/webhooks"): [
            {"url": "ftp://93.184.216.34/hook", "eventTypes": []},
            {"url": "https://93.184.216.34/hook", "eventTypes": ["no.such"], "active": "x"},
        ],
        ("/webhooks/{id}", f"/api/webhooks/{webhook}"): [
            {"url": "http://127.0.0.1/hook"},
            {"eventTypes": [], "active": "x"},
        ],
    }


async def test_every_rest_write_answers_bad_input_with_codes_and_the_clients_names(
    api: Api,
) -> None:
    tenant = await api.register()
    cases = await _bad_bodies(api, tenant)
    routed = {
        (method, route.path)
        for route in NUMBORS_ROUTES
        for method in (route.methods or set()) & {"POST", "PUT"}
    }
    methods = {path: method for method, path in routed}
    assert {path for _, path in routed} == {path for path, _ in cases}  # every write path

    for (routed_path, url), bodies in cases.items():
        method = methods[routed_path]
        for body in [*bodies, [1], "text"]:  # and a body that is not a JSON object
            r = await api.rest(method, url, tenant, json=body)
            assert r.status_code == 400, (url, body, r.text)
            assert_coded(r, body)
            if isinstance(body, dict):
                assert r.json()["errors"], (url, body)


async def test_refusals_that_are_not_about_a_field_carry_a_code_too(api: Api) -> None:
    tenant = await api.register()
    unauthenticated = await api.client.post("/api/contacts", json={"name": "X"})
    missing = await api.rest("PUT", f"/api/documents/{MISSING}", tenant, json={"notes": "x"})
    unrouted = await api.rest("GET", "/api/no-such-thing", tenant)
    bad_page = await api.rest("GET", "/api/documents?page=x&limit=0", tenant)

    assert unauthenticated.status_code == 401
    assert unauthenticated.json()["code"] == "UNAUTHENTICATED"
    assert missing.status_code == 404 and missing.json()["code"] == "NOT_FOUND"
    assert unrouted.status_code == 404 and unrouted.json()["code"] == "NOT_FOUND"
    assert bad_page.status_code == 400
    assert_coded(bad_page, {"page": "x", "limit": "0"})
    assert [e["field"] for e in bad_page.json()["errors"]] == ["page", "limit"]
