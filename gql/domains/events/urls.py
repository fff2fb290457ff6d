"""Outbound webhook URLs: http(s) only, and never an address inside our own network
(loopback, private, link-local, ...) unless the setting allows it, so a webhook cannot
be used to reach internal services. Checked when an endpoint is saved and again before
each delivery (a name may resolve elsewhere by then)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


class RefusedUrl(ValueError):
    """Why a URL may not receive webhooks (the message is the client's to read)."""


def _internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


async def check_url(url: str, *, allow_private: bool) -> None:
    """Refuse (RefusedUrl) a URL that is not http(s), has no host, does not resolve, or
    resolves to an internal address while `allow_private` is off."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise RefusedUrl(f"is not a URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise RefusedUrl("must be an http or https URL")
    if not parts.hostname:
        raise RefusedUrl("must name a host")
    if parts.username or parts.password:
        raise RefusedUrl("must not carry credentials")
    if allow_private:
        return
    try:
        found = await asyncio.get_running_loop().getaddrinfo(
            parts.hostname,
            port or (443 if parts.scheme == "https" else 80),
            type=socket.SOCK_STREAM,
        )
    except (OSError, UnicodeError):
        raise RefusedUrl("has a host that does not resolve") from None
    if any(_internal(str(info[4][0])) for info in found):
        raise RefusedUrl("resolves to a loopback, private or link-local address")
