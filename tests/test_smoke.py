async def test_register_and_query_viewer(api):
    tenant = await api.register()
    data = await api.data(
        "{ viewer { user { email } company { name baseCurrency } role } }", tenant=tenant
    )
    assert data["viewer"]["role"] == "OWNER"
    contact = await api.contact(tenant, email="A@Example.com")
    assert contact["email"] == "a@example.com"
    data = await api.data(
        "{ contacts(first: 5) { totalCount nodes { id name objectId documents { totalCount } } } }",
        tenant=tenant,
    )
    assert data["contacts"]["totalCount"] == 1
    doc = await api.document(tenant, data["contacts"]["nodes"][0]["id"])
    assert doc["number"] == "INV-00001"
    assert doc["total"] == {"amount": "100.00", "currency": "USD"}
