"""Where a client may not send the proxy: to the proxy's own sockets, and (by policy) to the proxy host's loopback.

A hostile client on the network could otherwise read the metrics and health endpoints through the proxy
(`GET http://127.0.0.1:9464/healthz`, `CONNECT localhost:9464`), loop the proxy into itself, or reach services
that listen on the proxy host's loopback only. The adapter asks `refusal` for each request's target (host as
the client wrote it) and again with the address the connection really went to (a DNS name that resolves to
127.0.0.1), and refuses what it answers.

Host spellings are read the way the C library's resolver reads them, so `127.1`, `2130706433`, `0x7f000001`,
`0177.0.0.1`, `[::1]`, `[::ffff:127.0.0.1]`, `0.0.0.0` and `localhost.` are all the proxy host.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from typing import Literal

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Reason = Literal["self", "loopback"]

# Names every resolver maps to the loopback (RFC 6761: all of *.localhost) without asking DNS.
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_INET_ATON = re.compile(r"^[0-9a-fA-FxX.]+$")


def parse_address(host: str) -> Address | None:
    """The IP address a host spelling stands for without DNS (None for a name): brackets and zone ids removed,
    IPv4-mapped IPv6 unmapped, and the legacy IPv4 forms inet_aton accepts (`127.1`, `2130706433`, octal, hex)."""
    h = host.strip().strip("[]").split("%", 1)[0].rstrip(".")
    if ":" in h:
        try:
            addr = ipaddress.IPv6Address(h)
        except ValueError:
            return None
    elif not _INET_ATON.match(h):
        return None                     # a name (the common case: no exception raised on the hot path)
    else:
        try:
            addr = ipaddress.IPv4Address(socket.inet_aton(h))
        except OSError:
            return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    return addr


def is_loopback_name(host: str) -> bool:
    h = host.strip().strip("[]").rstrip(".").lower()
    return h in _LOOPBACK_NAMES or h.endswith(".localhost")


def _is_loopback_address(addr: Address) -> bool:
    if addr.version == 4:
        return addr.packed[0] == 127 or addr.packed == b"\0\0\0\0"
    return addr.is_loopback or addr.is_unspecified


def _read(host: str) -> tuple[Address | None, bool]:
    """The host's address (None for a name) and whether it is the proxy host's loopback."""
    addr = parse_address(host)
    if addr is not None:
        return addr, _is_loopback_address(addr)
    return None, is_loopback_name(host)


def is_loopback(host: str) -> bool:
    """The proxy host's own loopback: a loopback name, a loopback address, or the unspecified address (a
    connection to 0.0.0.0 or :: reaches the local host)."""
    return _read(host)[1]


def _bound_address(listen_host: str) -> Address | None:
    """The one address a listening socket answers on; None when it answers on all of the host's addresses."""
    if is_loopback_name(listen_host):
        return ipaddress.IPv4Address("127.0.0.1")
    addr = parse_address(listen_host) if listen_host else None
    return None if addr is None or addr.is_unspecified else addr


def _reaches(target: Address | None, loopback: bool, port: int, listen_addrs: Iterable[tuple[str, int]],
             local_addrs: Iterable[str]) -> bool:
    for listen_host, listen_port in listen_addrs:
        if port != listen_port:
            continue
        bound = _bound_address(listen_host)
        if bound is None:
            if loopback or (target is not None and target in {parse_address(a) for a in local_addrs}):
                return True
        elif target == bound:
            return True
        elif bound.is_loopback and loopback and (target is None or target.is_unspecified):
            return True                 # `localhost`, 0.0.0.0 and :: reach a loopback-bound socket
    return False


def is_self_target(host: str, port: int, listen_addrs: Iterable[tuple[str, int]],
                   local_addrs: Iterable[str] = ()) -> bool:
    """Does (host, port) reach one of the proxy's own listening sockets (`listen_addrs`: the proxy port and the
    metrics port, each with the address it is bound to)? `local_addrs` are the host's own addresses
    (interfaces), which a socket bound to the unspecified address also answers on."""
    target, loopback = _read(host)
    return _reaches(target, loopback, port, listen_addrs, local_addrs)


def refusal(host: str, port: int, listen_addrs: Iterable[tuple[str, int]], refuse_loopback: bool,
            local_addrs: Iterable[str] = ()) -> Reason | None:
    """Why a request to (host, port) is refused: `self` (the proxy's own socket, always), `loopback` (the
    proxy host's loopback, when the policy says so), or None. One parse of the host; a name costs a regex."""
    target, loopback = _read(host)
    if _reaches(target, loopback, port, listen_addrs, local_addrs):
        return "self"
    if refuse_loopback and loopback:
        return "loopback"
    return None


REFUSAL_TEXT = {
    "self": ("socialguard: this proxy does not forward requests to itself (its proxy, metrics or health port).\n"
             "socialguard : ce mandataire ne relaie pas les requêtes vers lui-même (ports du mandataire, des\n"
             "métriques ou de l'état de santé).\n"),
    "loopback": ("socialguard: this proxy does not forward requests to its own host's loopback addresses.\n"
                 "socialguard : ce mandataire ne relaie pas les requêtes vers les adresses de bouclage de son hôte.\n"),
}


def refusal_response(reason: Reason) -> tuple[int, bytes, dict[str, str]]:
    """What the client gets: 403, a bilingual plain-text body, headers. Names no address or port."""
    body = REFUSAL_TEXT[reason].encode()
    return 403, body, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


def own_host_addresses() -> tuple[str, ...]:
    """This host's addresses as its own name resolves them (for sockets bound to every address)."""
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, proto=socket.IPPROTO_TCP)
    except OSError:
        return ()
    return tuple(dict.fromkeys(str(info[4][0]) for info in infos))
