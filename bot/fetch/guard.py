"""The SSRF guard: which addresses newsbot may connect to, and a resolver that pins the checked ones.

A link pasted in Slack is attacker-controlled input. Before each request (and each redirect hop) the host
is resolved here, every address it resolves to is checked, and the checked addresses are handed to
`PinnedResolver`, the only resolver the HTTP client consults. So the connection goes to an address that was
checked — a DNS answer that changes between check and connect (DNS rebinding) never reaches the socket —
while the URL, the Host header and TLS SNI keep the host name.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Iterable

from aiohttp.abc import AbstractResolver, ResolveResult

from .errors import BlockedAddress, ConnectionFailed, InvalidURL

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# A part of a legacy numeric IPv4 host: decimal, octal (leading 0) or hex (0x…), as inet_aton reads them.
_NUMERIC_PART = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)$", re.IGNORECASE)

MAX_PINS = 1024
LOCAL = "a local address of this machine"
PRIVATE = "on a private network"


def refusal_reason(ip: IPAddress) -> str | None:
    """Why newsbot must not connect to `ip`, or None when it is an ordinary public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv6 forms that carry an IPv4 address reach that IPv4 host: judge the embedded address too.
        if ip in _NAT64:
            # DNS64 networks give every IPv4 site such an address: it is exactly as safe as the IPv4 one.
            return refusal_reason(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip.teredo:
            embedded = ip.teredo[1]
        if embedded is not None:
            reason = refusal_reason(embedded)
            if reason:
                return reason
    if ip.is_loopback or ip.is_unspecified:
        return LOCAL
    if ip.is_multicast:
        return "a multicast address"
    if ip.is_link_local or ip.is_private or ip in _CGNAT:
        return PRIVATE
    if ip.is_reserved:
        return "a reserved address"
    if not ip.is_global:
        return "not a public internet address"
    return None


def parse_ip_host(host: str) -> tuple[IPAddress, bool] | None:
    """The address a host string denotes when it is an IP literal, and whether it is written canonically.

    Catches the legacy IPv4 spellings that socket libraries still accept: decimal `2130706433`, octal
    `0177.0.0.1`, hex `0x7f.1`, short `127.1`. Returns None for a host name.
    """
    bare = host.strip().strip("[]").rstrip(".")
    try:
        return ipaddress.ip_address(bare), True
    except ValueError:
        pass
    parts = bare.split(".")
    if 1 <= len(parts) <= 4 and all(_NUMERIC_PART.match(p) for p in parts):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(bare)), False
        except OSError:
            raise InvalidURL(host, "its numeric address is not valid") from None
    return None


def _normal_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def host_allowed(host: str, allow_hosts: Iterable[str]) -> bool:
    """Whether the host is named in NEWSBOT_FETCH_ALLOW_HOSTS (exactly, or under a `.example.com` entry)."""
    name = _normal_host(host)
    literal = parse_ip_host(name)
    for entry in allow_hosts:
        wanted = _normal_host(entry)
        if not wanted:
            continue
        if wanted.startswith(("*.", ".")):
            suffix = wanted.lstrip("*")
            if name.endswith(suffix) or name == suffix[1:]:
                return True
        elif name == wanted:
            return True
        elif literal is not None and literal[1]:  # a disguised number never matches an allowed IP
            other = parse_ip_host(wanted)
            if other is not None and other[0] == literal[0]:
                return True
    return False


async def resolve_checked(
    host: str, port: int, allow_hosts: Iterable[str], *, url: str | None = None
) -> list[ResolveResult] | None:
    """Resolve `host` and check every address; the results are what the connection may use.

    Returns None for an IP literal (the client connects to it as written, and it has been checked).
    Raises BlockedAddress if any address is refused: a name that answers with both a public and a private
    address is refused as a whole, since we cannot know which one a later lookup would prefer.
    """
    allowed = host_allowed(host, allow_hosts)
    literal = parse_ip_host(host)
    if literal is not None:
        ip, canonical = literal
        if not allowed:
            if not canonical:
                raise BlockedAddress(url, host, "written as a disguised number")
            reason = refusal_reason(ip)
            if reason:
                raise BlockedAddress(url, str(ip), reason)
        return None
    name = _normal_host(host)
    if not allowed and (name == "localhost" or name.endswith(".localhost")):
        # RFC 6761: these names are this machine whatever DNS says; `localhost.` may not resolve at all,
        # and it must be refused for what it is, not reported as a site that doesn't exist.
        raise BlockedAddress(url, host, LOCAL)
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise ConnectionFailed(f"I couldn't find a site called {host}", url=url, retryable=False) from None
    results: list[ResolveResult] = []
    for family, _type, proto, _canon, sockaddr in infos:
        address = str(sockaddr[0])
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not allowed:
            reason = refusal_reason(ip)
            if reason:
                raise BlockedAddress(url, address, reason)
        results.append(
            ResolveResult(hostname=host, host=address, port=port, family=family, proto=proto,
                          flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV)
        )
    if not results:
        raise ConnectionFailed(f"I couldn't find a site called {host}", url=url, retryable=False)
    return results


class PinnedResolver(AbstractResolver):
    """Answers only with addresses that `resolve_checked` approved for that host; never asks DNS itself."""

    def __init__(self) -> None:
        self._pins: dict[str, list[ResolveResult]] = {}

    def pin(self, host: str, results: list[ResolveResult]) -> None:
        key = _normal_host(host)
        self._pins.pop(key, None)
        if len(self._pins) >= MAX_PINS:
            # Forget the oldest pin so a long-lived session does not grow without bound; a fetch that
            # loses its pin in between fails to connect and is retried, which pins again.
            self._pins.pop(next(iter(self._pins)))
        self._pins[key] = results

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_UNSPEC
    ) -> list[ResolveResult]:
        pinned = self._pins.get(_normal_host(host))
        if not pinned:
            # Reaching here means a connection was attempted without passing the guard: refuse it.
            raise OSError(f"{host} has not been checked by the fetch guard")
        return [
            ResolveResult(**{**r, "port": port})
            for r in pinned
            if family in (socket.AF_UNSPEC, 0) or r["family"] == family
        ]

    async def close(self) -> None:
        self._pins.clear()
