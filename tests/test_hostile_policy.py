"""A hostile policy editor (issue 14, point 5): alias bombs, recursive aliases, huge or deeply nested files,
messages that echo whole documents, and symlinks out of the policy folder. Each is refused with a short
`file:line: message`, and a running proxy that watches the folder writes a short `socialguard.policy` event."""

from __future__ import annotations

import subprocess
import sys

import pytest
from support.opsproxy import OpsProxy, copy_policy
from support.proxies import ROOT

from socialguard.policy import PolicyError, load_policy
from socialguard.policy.source import MAX_FILE_BYTES, MAX_MESSAGE_CHARS, MAX_PROBLEMS, expanded_size


def alias_bomb(levels: int, key: str = "addresses") -> str:
    """`levels` lists of 9 aliases to the previous one: 9**levels strings from a few hundred bytes."""
    lines = [f"{key}:", "  - &l0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"  - &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def check_policy(directory) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "socialguard.cli", "check-policy", str(directory)],
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def policy_dir(tmp_path):
    return copy_policy(tmp_path / "policy")


def test_alias_bomb_is_refused_before_it_is_built(policy_dir):
    bomb = alias_bomb(9)                          # 9**9 = 387 million strings, expanded
    assert len(bomb) < 1024
    (policy_dir / "identity.yaml").write_text(bomb)
    # A memory ceiling the expanded document would blow through many times over.
    run = subprocess.run(
        ["bash", "-c", f"ulimit -v 1500000; exec {sys.executable} -m socialguard.cli check-policy {policy_dir}"],
        capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert "identity.yaml:1: YAML aliases expand this document past" in run.stderr
    assert len(run.stdout + run.stderr) < 2000


def test_a_moderate_bomb_gives_short_messages(policy_dir):
    """Six levels expand to ~500,000 strings: under the expansion bound of some editors' files, but the schema
    message used to repr all of it (3 MB of output on main)."""
    bomb = alias_bomb(6)
    (policy_dir / "identity.yaml").write_text(bomb)
    run = check_policy(policy_dir)
    assert run.returncode == 1
    assert len(run.stdout + run.stderr) < 5000, run.stderr[:500]


def test_recursive_alias_is_refused(policy_dir):
    (policy_dir / "identity.yaml").write_text("addresses: &a [*a]\n")
    with pytest.raises(PolicyError) as e:
        load_policy(policy_dir)
    assert "recursive alias" in str(e.value)


def test_reused_anchors_of_normal_size_still_load(policy_dir):
    (policy_dir / "identity.yaml").write_text(
        "groups:\n  communications: &comms [comms.officer, jlemieux]\n  press: *comms\n  web: *comms\n")
    assert load_policy(policy_dir).identity is not None
    import yaml

    node = yaml.compose("a: &a [1, 2, 3]\nb: [*a, *a]\n")
    assert expanded_size(node, 10**6) == 1 + (1 + 1) + (1 + 3 * 2) + (1 + 1) + (1 + 2 * 7)


def test_oversized_file_is_refused_unread(policy_dir):
    big = "# filler\n" * (MAX_FILE_BYTES // 9 + 10)
    (policy_dir / "identity.yaml").write_text(big + "addresses: {}\n")
    with pytest.raises(PolicyError) as e:
        load_policy(policy_dir)
    assert f"larger than {MAX_FILE_BYTES} bytes" in str(e.value)


def test_deep_nesting_is_a_policy_error_not_a_crash(policy_dir):
    (policy_dir / "identity.yaml").write_text("addresses: " + "[" * 50_000 + "]" * 50_000 + "\n")
    with pytest.raises(PolicyError):
        load_policy(policy_dir)


def test_every_message_is_bounded(policy_dir):
    # Large without any alias: a 20,000-item list where an object belongs, and 5,000 wrong items.
    (policy_dir / "identity.yaml").write_text("addresses: [" + ", ".join(["'x' "] * 20_000) + "]\n")
    (policy_dir / "agency.yaml").write_text((ROOT / "policy" / "agency.yaml").read_text()
                                            + "professional_hosts: [" + ", ".join(["[1]"] * 5000) + "]\n")
    with pytest.raises(PolicyError) as e:
        load_policy(policy_dir)
    problems = e.value.problems
    assert len(problems) <= MAX_PROBLEMS + 1
    assert all(len(msg) <= MAX_MESSAGE_CHARS + 40 for _, _, msg in problems)
    assert len(str(e.value)) < (MAX_PROBLEMS + 1) * (MAX_MESSAGE_CHARS + 200)


def test_message_newlines_cannot_forge_problem_lines():
    e = PolicyError([("a.yaml", 3, "bad value 'x\nb.yaml:1: forged'")])
    assert str(e).count("\n") == 0


def test_symlink_out_of_the_policy_folder_is_refused_unread(policy_dir, tmp_path):
    secret = tmp_path / "outside.txt"
    secret.write_text("sgSYMLINKsecret42: [unclosed\n")
    (policy_dir / "identity.yaml").unlink()
    (policy_dir / "identity.yaml").symlink_to(secret)
    (policy_dir / "platforms" / "evil.yaml").symlink_to(secret)
    with pytest.raises(PolicyError) as e:
        load_policy(policy_dir)
    text = str(e.value)
    assert "sgSYMLINK" not in text
    assert text.count("symlink leading out of the policy folder") == 2


def test_symlink_inside_the_policy_folder_is_fine(policy_dir):
    (policy_dir / "shared").mkdir()
    (policy_dir / "identity.yaml").rename(policy_dir / "shared" / "identity.yaml")
    (policy_dir / "identity.yaml").symlink_to(policy_dir / "shared" / "identity.yaml")
    load_policy(policy_dir)


@pytest.mark.e2e
def test_watched_folder_bomb_gives_a_short_policy_event(tmp_path, internet):
    policy = copy_policy(tmp_path / "policy")
    (policy / "operations.yaml").write_text("reload: {watch: true, poll_interval_s: 0.2}\n")
    p = OpsProxy(tmp_path / "proxy", policy=policy, upstream_port=internet.port, ca_from=internet.confdir).start()
    try:
        (policy / "identity.yaml").write_text(alias_bomb(7))
        rejected = p.wait_for(lambda: [e for e in p.events() if e["event"]["action"] == "socialguard.policy"
                                       and e["socialguard"]["policy"]["status"] == "rejected"])
        assert rejected, p.log()[-2000:]
        lines = [line for f in p.events_dir.glob("*.jsonl") for line in f.read_text().split("\n")
                 if "socialguard.policy" in line]
        assert lines and max(len(line) for line in lines) < 4000
    finally:
        p.stop()
    assert len(p.log()) < 20_000
