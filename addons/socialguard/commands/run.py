"""socialguard run: mitmdump with the socialguard addons; arguments after `--` go to mitmdump unchanged."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..policy.locate import locate_policy
from .common import add_policy_option, load_policy_or_report, resolve_policy_dir_or_report


def add_parser(sub, name):
    p = sub.add_parser(name, help="run the proxy (mitmdump + socialguard); args after -- go to mitmdump")
    add_policy_option(p)
    p.add_argument("--events-dir", default="var/events", help="event files directory (default: ./var/events)")
    p.add_argument("--listen-host", default="127.0.0.1")
    p.add_argument("--listen-port", type=int, default=8080)
    p.add_argument("--node", default=None, help="this node's name in events (default: host name)")
    p.add_argument("--workers", type=int, default=1,
                   help="proxy processes sharing the port (SO_REUSEPORT), policy and events; one per core")
    p.add_argument("--reuse-port", action="store_true", help=argparse.SUPPRESS)
    return p


def mitmdump_args(args) -> list[str]:
    entry = Path(__file__).resolve().parent.parent / "adapter" / "mitm_entry.py"
    argv = [
        "--listen-host", args.listen_host, "--listen-port", str(args.listen_port),
        "-s", str(entry),
        "--set", f"socialguard_policy={locate_policy(args.policy)}",
        "--set", f"socialguard_events_dir={Path(args.events_dir).resolve()}",
        "--set", "flow_detail=0",
    ]
    if args.node:
        argv += ["--set", f"socialguard_node={args.node}"]
    return argv + list(args.passthrough)


def main(args) -> int:
    if args.workers < 1:
        print("--workers must be at least 1", file=sys.stderr)
        return 2
    # Fail before starting the proxy, with file:line, rather than inside mitmproxy's option machinery.
    policy_dir = resolve_policy_dir_or_report(args.policy)
    if policy_dir is None or load_policy_or_report(policy_dir) is None:
        return 1
    args.policy = str(policy_dir)
    if args.workers > 1:
        from .workers import supervise

        return supervise(args)
    if args.reuse_port:
        from .workers import enable_reuse_port

        enable_reuse_port()
    confdir = Path("~/.mitmproxy").expanduser()
    for i, a in enumerate(args.passthrough):
        if a == "--set" and i + 1 < len(args.passthrough) and args.passthrough[i + 1].startswith("confdir="):
            confdir = Path(args.passthrough[i + 1].split("=", 1)[1]).expanduser()
    print(
        f"socialguard: proxy on http://{args.listen_host}:{args.listen_port}, policy {Path(args.policy).resolve()},"
        f" events in {Path(args.events_dir).resolve()}\n"
        f"  Point a browser at it: HTTP and HTTPS proxy {args.listen_host}:{args.listen_port}"
        f" (e.g. chromium --proxy-server=http://{args.listen_host}:{args.listen_port}).\n"
        f"  Trust the CA certificate {confdir / 'mitmproxy-ca-cert.pem'} (created on first start;"
        f" also served at http://mitm.it through the proxy).",
        file=sys.stderr, flush=True,
    )
    from mitmproxy.tools.main import mitmdump

    return mitmdump(mitmdump_args(args)) or 0
