"""Talking to the API as a client does: log in, send a probe."""

from __future__ import annotations

import httpx

from scripts.benchmark.targets import Fixture, Probe


async def login(client: httpx.AsyncClient, fixture: Fixture) -> dict[str, str]:
    """POST /api/auth/login; the headers every later request carries."""
    response = await client.post(
        "/api/auth/login", json={"email": fixture.email, "password": fixture.password}
    )
    if response.status_code != 200:
        raise RuntimeError(f"login failed: HTTP {response.status_code}: {response.text[:300]}")
    token = response.json()["data"]["token"]
    return {"Authorization": f"Bearer {token}", "X-Company-Id": fixture.company_id}


async def send(
    client: httpx.AsyncClient, probe: Probe, headers: dict[str, str]
) -> tuple[str | None, bytes]:
    """Send `probe` once: (None when the answer is good, else what is wrong; the body)."""
    response = await client.request(
        probe.method, probe.path, json=probe.json, params=probe.params, headers=headers
    )
    return probe.failure(response.status_code, response.content), response.content
