"""Forbix bodies carry each row's `version`, answered as the ETag too, and Forbix PUTs
honour If-Match as Numbors' do: a stale one is a 409 naming the current version and
changes nothing (the one hook: gql/core/versions.py through the endpoint wrapper)."""

from __future__ import annotations

from tests.factories import Api
from tests.test_forbix_customers import create as create_customer
from tests.test_forbix_customers import example as customer_example
from tests.test_forbix_invoices import books
from tests.test_forbix_invoices import create as create_invoice
from tests.test_forbix_items import create as create_item
from tests.test_forbix_items import simple


async def test_a_customer_shows_its_version_and_a_stale_if_match_is_refused(api: Api) -> None:
    # given a customer, read with its version and ETag
    owner = await api.register()
    customer_id = await create_customer(api, owner, customer_example())
    path = f"/openapi/customers/{customer_id}"
    got = await api.rest("GET", path, owner)
    assert got.json()["data"]["version"] == 1 and got.headers["etag"] == '"1"'
    listed = await api.rest("GET", "/openapi/customers", owner)
    assert [row["version"] for row in listed.json()["data"]] == [1]

    # when it is saved with that ETag, then saved again with the same (now stale) one
    body = {"customerDisplayName": "Jane Doe"}
    saved = await api.rest("PUT", path, owner, json=body, headers={"If-Match": '"1"'})
    stale = await api.rest(
        "PUT", path, owner, json={"customerDisplayName": "Lost"}, headers={"If-Match": '"1"'}
    )

    # then the first write answers the new version; the second is a conflict, and lost
    assert saved.status_code == 200, saved.text
    assert saved.json()["data"] == {"_id": customer_id, "version": 2}
    assert saved.headers["etag"] == '"2"'
    assert stale.status_code == 409, stale.text
    assert stale.json()["code"] == "CONFLICT" and stale.json()["currentVersion"] == 2
    assert stale.json()["errors"][0]["field"] == "If-Match"
    now = (await api.rest("GET", path, owner)).json()["data"]
    assert (now["customerDisplayName"], now["version"]) == ("Jane Doe", 2)


async def test_an_invoice_and_an_item_answer_the_version_their_next_read_shows(api: Api) -> None:
    b = await books(api)
    invoice_id = await create_invoice(api, b, b.example())
    path = f"/openapi/invoices/{invoice_id}"
    put = await api.rest(
        "PUT", path, b.tenant, json={"referenceNumber": "R-9"}, headers={"If-Match": '"1"'}
    )
    assert put.status_code == 200, put.text
    got = await api.rest("GET", path, b.tenant)
    assert put.json()["data"]["version"] == got.json()["data"]["version"] == 2
    assert got.headers["etag"] == '"2"'
    stale = await api.rest(
        "PUT", path, b.tenant, json={"referenceNumber": "R-0"}, headers={"If-Match": '"1"'}
    )
    assert (stale.status_code, stale.json()["currentVersion"]) == (409, 2)

    # an item's write answers `_id` and `version` beside the envelope, and the ETag
    item_id = await create_item(api, b.tenant, simple("Bolt"))
    item_path = f"/openapi/items/{item_id}"
    renamed = await api.rest(
        "PUT", item_path, b.tenant, json={"name": "Bolt M8"}, headers={"If-Match": '"1"'}
    )
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["version"], renamed.headers["etag"]) == (2, '"2"')
    stale_item = await api.rest(
        "PUT", item_path, b.tenant, json={"name": "Bolt M6"}, headers={"If-Match": '"1"'}
    )
    assert stale_item.status_code == 409, stale_item.text
