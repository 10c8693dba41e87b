"""Checks that fail when a deploy file is wrong: systemd units verified by systemd-analyze, retention and log
rotation run for real on a scratch tree, the PAC file evaluated by node, haproxy -c, the log shipping configs
parsed and held to the event format, the Containerfile linted."""

from __future__ import annotations

import configparser
import json
import os
import re
import shlex
import shutil
import subprocess
import time
import tomllib
from datetime import datetime
from pathlib import Path

import pytest
from support.proxies import ROOT

from socialguard.cli import build_parser
from socialguard.events.writer import DailyJsonlWriter

DEPLOY = ROOT / "deploy"
SOCIALGUARD_BIN = Path(os.sys.executable).parent / "socialguard"
UNITS = ["socialguard.service", "socialguard@.service"]


def need(tool: str) -> str:
    path = shutil.which(tool) or (f"/usr/sbin/{tool}" if Path(f"/usr/sbin/{tool}").exists() else None)
    if path is None:
        pytest.skip(f"{tool} is not installed here (Debian package: see docs/operations.md)")
    return path


# -- systemd ----------------------------------------------------------------------------------------------

def unit_directives(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in text.replace("\\\n", " ").splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            out.setdefault(key.strip(), []).append(value.strip())
    return out


def local_unit(tmp_path: Path, name: str) -> Path:
    """The unit with ExecStart pointing at this checkout's socialguard, so verify can check the binary."""
    text = (DEPLOY / "systemd" / name).read_text().replace("/opt/socialguard/.venv/bin/socialguard",
                                                           str(SOCIALGUARD_BIN))
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("name, instance", [("socialguard.service", "socialguard.service"),
                                            ("socialguard@.service", "socialguard@8081.service")])
def test_systemd_analyze_verify_is_clean(tmp_path, name, instance):
    tool = need("systemd-analyze")
    local_unit(tmp_path, name)
    r = subprocess.run([tool, "verify", str(tmp_path / instance)], capture_output=True, text=True, timeout=60)
    complaints = [line for line in (r.stdout + r.stderr).splitlines() if str(tmp_path) in line or name in line]
    assert r.returncode == 0 and not complaints, r.stdout + r.stderr


@pytest.mark.parametrize("name", UNITS)
def test_systemd_unit_is_hardened(tmp_path, name):
    tool = need("systemd-analyze")
    path = local_unit(tmp_path, name)
    r = subprocess.run([tool, "security", "--offline=yes", str(path)], capture_output=True, text=True, timeout=60)
    m = re.search(r"Overall exposure level for \S+: ([\d.]+)", r.stdout + r.stderr)
    assert m, r.stdout + r.stderr
    assert float(m.group(1)) <= 2.5, r.stdout


@pytest.mark.parametrize("name", UNITS)
def test_systemd_unit_settings(name):
    d = unit_directives((DEPLOY / "systemd" / name).read_text())
    assert d["User"] == ["socialguard"] and d["ProtectSystem"] == ["strict"]
    assert d["Restart"] == ["on-failure"] and "NoNewPrivileges" in d and d["CapabilityBoundingSet"] == [""]
    assert d["StateDirectory"] == ["socialguard"]
    assert "socialguard/events" in d["LogsDirectory"][0].split()
    assert d["ExecReload"] == ["/bin/kill -HUP $MAINPID"]
    # The command line is one socialguard accepts, writing where the unit may write.
    argv = shlex.split(d["ExecStart"][0].replace("%i", "8081").replace("%H", "host"))
    assert argv[0] == "/opt/socialguard/.venv/bin/socialguard"
    ours, mitm = argv[1:argv.index("--")], argv[argv.index("--") + 1:]
    args = build_parser().parse_args(ours)
    assert args.command == "run" and args.events_dir == "/var/log/socialguard/events"
    assert "confdir=/var/lib/socialguard/mitmproxy" in mitm


def test_template_unit_ports_match_haproxy():
    d = unit_directives((DEPLOY / "systemd" / "socialguard@.service").read_text())
    assert "--listen-port %i" in d["ExecStart"][0] and "socialguard_metrics_port=1%i" in d["ExecStart"][0]
    cfg = (DEPLOY / "haproxy" / "haproxy.cfg").read_text()
    servers = re.findall(r"server \S+ 127\.0\.0\.1:(\d+) check port (\d+)", cfg)
    assert servers and all(metrics == "1" + port for port, metrics in servers)


# -- retention and rotation ----------------------------------------------------------------------------------

def test_tmpfiles_retention_deletes_only_old_event_files(tmp_path):
    tool = need("systemd-tmpfiles")
    conf = tmp_path / "socialguard.conf"
    conf.write_text((DEPLOY / "tmpfiles" / "socialguard.conf").read_text().replace("socialguard socialguard",
                                                                                   "root root"))
    events = tmp_path / "root" / "var/log/socialguard/events"
    events.mkdir(parents=True)
    old, new = events / "events-2024-01-01.jsonl", events / "events-2026-11-01.jsonl"
    old.write_text("{}\n")
    new.write_text("{}\n")
    long_ago = time.time() - 401 * 86400
    os.utime(old, (long_ago, long_ago))
    r = subprocess.run([tool, "--clean", f"--root={tmp_path / 'root'}", str(conf)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert not old.exists() and new.exists()


def test_logrotate_rotates_the_proxy_log(tmp_path):
    tool = need("logrotate")
    log = tmp_path / "proxy.log"
    log.write_text("line\n" * 10)
    conf = tmp_path / "socialguard"
    conf.write_text((DEPLOY / "logrotate" / "socialguard").read_text()
                    .replace("/var/log/socialguard/proxy.log", str(log))
                    .replace("socialguard socialguard", "root root"))
    os.chmod(conf, 0o644)
    r = subprocess.run([tool, "-v", "-f", "-s", str(tmp_path / "state"), str(conf)], capture_output=True, text=True)
    assert r.returncode == 0 and "error" not in r.stderr.lower(), r.stderr
    assert (tmp_path / "proxy.log.1").exists() and log.stat().st_size == 0


# -- PAC ----------------------------------------------------------------------------------------------------

PAC_RUNTIME = """
function isPlainHostName(h) { return h.indexOf('.') < 0; }
function dnsDomainIs(h, d) { return h.length >= d.length && h.substring(h.length - d.length) === d; }
function shExpMatch(s, p) {
  var re = new RegExp('^' + p.replace(/[.+^${}()|[\\]\\\\]/g, '\\\\$&').replace(/\\*/g, '.*').replace(/\\?/g, '.') + '$');
  return re.test(s);
}
"""


def evaluate_pac(hosts: list[str]) -> dict[str, str]:
    node = need("node")
    script = PAC_RUNTIME + (DEPLOY / "pac" / "proxy.pac").read_text() + f"""
var hosts = {json.dumps(hosts)};
var out = {{}};
hosts.forEach(function (h) {{ out[h] = FindProxyForURL('https://' + h + '/', h); }});
console.log(JSON.stringify(out));
"""
    r = subprocess.run([node, "-e", script], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_pac_sends_social_and_other_hosts_to_socialguard_with_failover(policy):
    social = [h for p in policy.catalog.platforms for h in p.hosts if "*" not in h]
    others = ["www.rbc.com", "www.example.org", "news.example.com"]
    results = evaluate_pac(social + others)
    nodes = set()
    for host, answer in results.items():
        parts = [p.strip() for p in answer.split(";")]
        assert all(p.startswith("PROXY socialguard") for p in parts), (host, answer)
        assert len(parts) == 2 and len(set(parts)) == 2, (host, answer)      # every node, as failover
        nodes.add(parts[0])
    assert len(nodes) == 2, "every host hashes to the same primary node: no load spreading"


@pytest.mark.parametrize("host", ["intranet", "wiki.agency.internal", "agency.internal", "www.statcan.gc.ca",
                                  "localhost", "127.0.0.1", "10.1.2.3"])
def test_pac_keeps_intranet_direct(host):
    assert evaluate_pac([host])[host] == "DIRECT"


def test_pac_answer_is_stable_per_host():
    a = evaluate_pac(["x.com", "bsky.app"])
    assert a == evaluate_pac(["x.com", "bsky.app"])


# -- haproxy --------------------------------------------------------------------------------------------------

def test_haproxy_config_is_valid():
    tool = need("haproxy")
    r = subprocess.run([tool, "-c", "-f", str(DEPLOY / "haproxy" / "haproxy.cfg")], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


# -- log shipping ----------------------------------------------------------------------------------------------

def sample_event_line() -> str:
    return '{"@timestamp":"2026-11-25T13:45:12.345Z","event":{"action":"social.activity"}}'


def events_glob_matches(pattern: str) -> bool:
    from fnmatch import fnmatch

    name = DailyJsonlWriter.__new__(DailyJsonlWriter)
    name.directory, name.prefix = Path("/var/log/socialguard/events"), "events"
    return fnmatch(str(name.path_for("2026-11-25")), pattern)


def no_literal_secrets(values: dict[str, object]) -> None:
    for key, value in values.items():
        if re.search(r"token|password|passwd", key, re.I):
            assert isinstance(value, str) and value.startswith("${"), f"{key} must come from the environment"


def _flatten(d: dict, prefix: str = "") -> dict[str, object]:
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def test_vector_config():
    cfg = tomllib.loads((DEPLOY / "shipping" / "vector.toml").read_text())
    src = cfg["sources"]["socialguard_events"]
    assert src["type"] == "file" and any(events_glob_matches(p) for p in src["include"])
    remap = cfg["transforms"]["socialguard_ecs"]
    assert remap["type"] == "remap" and remap["inputs"] == ["socialguard_events"]
    # Unchanged: the parsed line replaces the whole event and nothing else is assigned.
    assert [line.strip() for line in remap["source"].strip().splitlines()] == [". = parse_json!(string!(.message))"]
    sinks = cfg["sinks"]
    kinds = {s["type"] for s in sinks.values() if s["inputs"] == ["socialguard_ecs"]}
    assert {"elasticsearch", "splunk_hec_logs"} <= kinds
    splunk = next(s for s in sinks.values() if s["type"] == "splunk_hec_logs")
    assert splunk["encoding"]["codec"] == "json" and "timestamp_key" not in splunk
    for sink in sinks.values():
        no_literal_secrets(_flatten(sink))
    for name, sink in sinks.items():
        for inp in sink["inputs"]:
            assert inp.split(".")[0] in cfg["transforms"] | cfg["sources"], (name, inp)


def vector_binary_check(tmp_path):
    """Run the real `vector validate` when the binary is there (not packaged by Debian; not installed here)."""
    tool = shutil.which("vector")
    if not tool:
        pytest.skip("vector is not installed here; the config was checked by parsing only")
    r = subprocess.run([tool, "validate", "--no-environment", str(DEPLOY / "shipping" / "vector.toml")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_vector_validate_when_available(tmp_path):
    vector_binary_check(tmp_path)


def parse_fluent_bit(path: Path) -> list[tuple[str, dict[str, str]]]:
    """Fluent Bit's classic format: [SECTION] then `Key Value` lines (indented), comments with #."""
    sections: list[tuple[str, dict[str, str]]] = []
    for n, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            sections.append((line[1:-1].upper(), {}))
            continue
        assert sections and raw.startswith((" ", "\t")), f"{path}:{n}: entry outside a section or not indented"
        key, _, value = line.partition(" ")
        assert value.strip(), f"{path}:{n}: {key} has no value"
        sections[-1][1][key.lower()] = value.strip()
    return sections


def flb_time_format_to_python(fmt: str) -> str:
    return fmt.replace("%L", "%f")


def test_fluent_bit_config():
    conf = parse_fluent_bit(DEPLOY / "shipping" / "fluent-bit.conf")
    parsers = {s["name"]: s for kind, s in parse_fluent_bit(DEPLOY / "shipping" / "parsers.conf") if kind == "PARSER"}
    service = next(s for kind, s in conf if kind == "SERVICE")
    assert (DEPLOY / "shipping" / service["parsers_file"]).exists()
    inputs = [s for kind, s in conf if kind == "INPUT"]
    outputs = [s for kind, s in conf if kind == "OUTPUT"]
    assert inputs and all(s["name"] == "tail" and events_glob_matches(s["path"]) for s in inputs)
    ts = json.loads(sample_event_line())["@timestamp"]
    for s in inputs:
        parser = parsers[s["parser"]]
        assert parser["format"] == "json" and parser["time_key"] == "@timestamp"
        datetime.strptime(ts, flb_time_format_to_python(parser["time_format"]))
    by_name = {o["name"]: o for o in outputs}
    assert {"es", "splunk"} <= set(by_name)
    tags = {s["tag"]: parsers[s["parser"]] for s in inputs}
    # es writes @timestamp itself: its records must not keep theirs (a duplicate field is refused).
    assert tags[by_name["es"]["match"]]["time_keep"] == "Off" and by_name["es"]["time_key"] == "@timestamp"
    # Splunk gets the record exactly as written.
    assert tags[by_name["splunk"]["match"]]["time_keep"] == "On" and by_name["splunk"]["splunk_send_raw"] == "Off"
    for o in outputs:
        no_literal_secrets(o)


def test_fluent_bit_dry_run_when_available():
    tool = shutil.which("fluent-bit") or shutil.which("/opt/fluent-bit/bin/fluent-bit")
    if not tool:
        pytest.skip("fluent-bit is not installed here (not in Debian 12); the config was checked by parsing only")
    r = subprocess.run([tool, "-c", str(DEPLOY / "shipping" / "fluent-bit.conf"), "--dry-run"],
                       capture_output=True, text=True, cwd=DEPLOY / "shipping")
    assert r.returncode == 0, r.stdout + r.stderr


def test_splunk_props_time_format_reads_our_timestamps():
    props = configparser.ConfigParser(interpolation=None)
    props.optionxform = str
    props.read(DEPLOY / "shipping" / "splunk-props.conf")
    st = props["socialguard:event"]
    line = sample_event_line()
    prefix = st["TIME_PREFIX"]
    assert prefix in line
    ts = line.split(prefix, 1)[1][:24]
    datetime.strptime(ts, st["TIME_FORMAT"].replace("%3N", "%f"))


# -- container -------------------------------------------------------------------------------------------------

def containerfile() -> tuple[str, list[tuple[str, str]]]:
    text = (DEPLOY / "container" / "Containerfile").read_text()
    joined = re.sub(r"\\\n\s*", " ", text)
    instructions = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            instructions.append((word.upper(), rest.strip()))
    return text, instructions


def test_containerfile_builds_from_pyproject_as_non_root():
    text, ins = containerfile()
    copies = [rest for word, rest in ins if word == "COPY"]
    assert any("pyproject.toml" in c for c in copies) and any(c.startswith("addons") for c in copies)
    runs = " ".join(rest for word, rest in ins if word == "RUN")
    assert re.search(r"pip install \.(\s|$)", runs), "the image must install the project from its pyproject"
    assert not re.search(r"(curl|wget)[^|]*\|\s*(ba|z)?sh", text), "no piping downloads into a shell"
    users = [rest for word, rest in ins if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    froms = [rest for word, rest in ins if word == "FROM"]
    assert all(":" in f.split()[0] and not f.split()[0].endswith(":latest") for f in froms), "pin base images"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    minor = re.search(r"3\.(\d+)", pyproject["project"]["requires-python"]).group(1)
    assert all(int(re.search(r"python:3\.(\d+)", f).group(1)) >= int(minor) for f in froms)


def test_containerfile_entrypoint_and_health(policy):
    _, ins = containerfile()
    entry = json.loads(next(rest for word, rest in ins if word == "ENTRYPOINT"))
    cmd = json.loads(next(rest for word, rest in ins if word == "CMD"))
    assert entry[0].endswith("/socialguard")
    args = build_parser().parse_args(entry[1:entry.index("--")])
    exposed = [rest for word, rest in ins if word == "EXPOSE"]
    assert str(args.listen_port) in " ".join(exposed) and args.listen_host == "0.0.0.0"
    assert any(c.startswith("confdir=/var/lib/socialguard") for c in cmd)
    health = next(rest for word, rest in ins if word == "HEALTHCHECK")
    assert f"127.0.0.1:{policy.operations.metrics.port}/healthz" in health
    ignore = (DEPLOY / "container" / "Containerfile.dockerignore").read_text().split()
    assert ".venv" in ignore and ".git" in ignore


def _ignored(rel: str, patterns: list[str]) -> bool:
    """Docker's .dockerignore matching, for the pattern shapes the file uses (names, globs, `**/`)."""
    import fnmatch

    for pattern in patterns:
        pattern = pattern.strip("/")
        if pattern.startswith("**/"):
            if any(fnmatch.fnmatchcase(part, pattern[3:]) for part in rel.split("/")):
                return True
        elif fnmatch.fnmatchcase(rel, pattern) or rel.startswith(pattern + "/"):
            return True
    return False


def test_container_build_context_holds_what_the_image_copies():
    """Building pulls base images from the network, so tests do not build; what the build needs from the
    context (the repository root, minus the dockerignore) is checked file by file instead."""
    _, ins = containerfile()
    ignore = [p for p in (DEPLOY / "container" / "Containerfile.dockerignore").read_text().split() if p]
    sources = []
    for word, rest in ins:
        if word == "COPY" and not rest.startswith("--from"):
            sources += [s.rstrip("/") for s in shlex.split(rest)[:-1]]
    assert {"pyproject.toml", "addons", "policy"} <= set(sources)
    for source in sources:
        path = ROOT / source
        assert path.exists(), f"COPY {source}: not in the build context"
        assert not _ignored(source, ignore), f"COPY {source}: excluded by the dockerignore"
    # What the installed package reads at run time (package data) is inside what is copied and not ignored.
    needed = [p.relative_to(ROOT).as_posix() for p in (ROOT / "addons").rglob("*")
              if p.suffix in (".json", ".html", ".css", ".yaml") and "__pycache__" not in p.parts]
    assert any(n.endswith("schemas/markers.schema.json") for n in needed)
    assert not [n for n in needed if _ignored(n, ignore)]
    assert not [p for p in (ROOT / "policy").rglob("*.yaml") if _ignored(p.relative_to(ROOT).as_posix(), ignore)]
    assert _ignored("addons/socialguard/__pycache__/x.pyc", ignore) and _ignored("tests/test_x.py", ignore)
    # A link inside what the build stage copies must land inside it too (the bundled policy is a link to policy/).
    build_stage = ins[:next(i for i, (word, _) in enumerate(ins) if word == "FROM" and i > 0)]
    copied = {s.rstrip("/") for word, rest in build_stage if word == "COPY" for s in shlex.split(rest)[:-1]}
    for source in copied:
        for link in [p for p in [ROOT / source, *(ROOT / source).rglob("*")] if p.is_symlink()]:
            target = link.resolve().relative_to(ROOT).as_posix()
            assert any(target == c or target.startswith(c + "/") for c in copied), \
                f"{link.relative_to(ROOT)} points at {target}, which the build stage does not copy"
