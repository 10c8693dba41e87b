"""Where commands find the policy when not told: --policy, $SOCIALGUARD_POLICY, /etc, ./policy, the bundled copy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from socialguard.policy import PolicyError, load_policy
from socialguard.policy import locate
from socialguard.policy.locate import locate_policy

SOCIALGUARD = str(Path(sys.executable).parent / "socialguard")


def _policy_dir(path: Path) -> Path:
    path.mkdir(parents=True)
    (path / "agency.yaml").write_text("# marker\n")
    return path


@pytest.fixture
def places(tmp_path, monkeypatch):
    """A system folder and a working directory of the test's own; no $SOCIALGUARD_POLICY."""
    monkeypatch.setattr(locate, "SYSTEM_DIR", tmp_path / "etc-policy")
    work = tmp_path / "work"
    work.mkdir()
    return tmp_path, work


@pytest.mark.parametrize("present, expected", [
    ({"explicit", "env", "system", "cwd"}, "explicit"),
    ({"env", "system", "cwd"}, "env"),
    ({"system", "cwd"}, "system"),
    ({"cwd"}, "cwd"),
    (set(), "bundled"),
])
def test_search_order(places, present, expected):
    tmp, work = places
    where = {"explicit": tmp / "explicit", "env": tmp / "env", "system": locate.SYSTEM_DIR,
             "cwd": work / "policy"}
    for name in present:
        _policy_dir(where[name])
    explicit = str(where["explicit"]) if "explicit" in present else None
    environ = {"SOCIALGUARD_POLICY": str(where["env"])} if "env" in present else {}
    found = locate_policy(explicit, environ=environ, cwd=work)
    assert found == (locate.BUNDLED_DIR.resolve() if expected == "bundled" else where[expected].resolve())


@pytest.mark.parametrize("explicit, environ, named", [
    ("missing-dir", {}, "--policy: missing-dir"),
    (None, {"SOCIALGUARD_POLICY": "/no/such/policy"}, "$SOCIALGUARD_POLICY: /no/such/policy"),
])
def test_a_place_named_explicitly_must_exist_and_the_error_says_where_it_looked(places, explicit, environ, named):
    """Falling through to the bundled rules when an operator named a folder would run a policy nobody chose."""
    tmp, work = places
    _policy_dir(work / "policy")
    with pytest.raises(PolicyError) as e:
        locate_policy(explicit, environ=environ, cwd=work)
    assert "policy directory not found" in str(e.value) and named in str(e.value)


def test_an_implicit_folder_without_agency_yaml_is_passed_over(places):
    tmp, work = places
    (work / "policy").mkdir()  # some unrelated folder called policy
    assert locate_policy(None, environ={}, cwd=work) == locate.BUNDLED_DIR.resolve()


def test_the_bundled_policy_is_the_shipped_one_and_loads():
    policy = load_policy(locate.BUNDLED_DIR)
    assert len(policy.catalog.platforms) >= 26


def test_init_policy_round_trips_through_check_policy(tmp_path):
    target = tmp_path / "agency-policy"
    r = subprocess.run([SOCIALGUARD, "init-policy", str(target)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert (target / "agency.yaml").is_file() and not (target / "agency.yaml").is_symlink()
    assert (target / "platforms").is_dir() and any((target / "logos").glob("*.png"))
    r = subprocess.run([SOCIALGUARD, "check-policy", str(target)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and ": ok (" in r.stdout, r.stderr
    # The copy is the agency's: an edit shows in check-policy, and the bundled copy is untouched.
    (target / "agency.yaml").write_text((target / "agency.yaml").read_text() + "bogus: 1\n")
    r = subprocess.run([SOCIALGUARD, "check-policy", str(target)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "unknown key 'bogus'" in r.stderr
    assert "bogus" not in (locate.BUNDLED_DIR / "agency.yaml").read_text()


@pytest.mark.parametrize("setup", ["file", "non-empty folder", "symlink"])
def test_init_policy_never_writes_over_something(tmp_path, setup):
    target = tmp_path / "t"
    if setup == "file":
        target.write_text("x")
    elif setup == "non-empty folder":
        target.mkdir()
        (target / "keep.txt").write_text("mine")
    else:
        (tmp_path / "elsewhere").mkdir()
        target.symlink_to(tmp_path / "elsewhere")
    r = subprocess.run([SOCIALGUARD, "init-policy", str(target)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "nothing written" in r.stderr
    assert not (tmp_path / "elsewhere" / "agency.yaml").exists() and not (target / "agency.yaml").exists()


def test_check_policy_without_argument_outside_a_checkout_uses_the_bundled_copy(tmp_path):
    env = {k: v for k, v in __import__("os").environ.items() if k != "SOCIALGUARD_POLICY"}
    r = subprocess.run([SOCIALGUARD, "check-policy"], capture_output=True, text=True, timeout=60, cwd=tmp_path,
                       env=env)
    if locate.SYSTEM_DIR.is_dir():
        pytest.fail(f"{locate.SYSTEM_DIR} exists on this machine; the test expects it not to")
    assert r.returncode == 0, r.stderr
    assert str(locate.BUNDLED_DIR.resolve()) in r.stdout
