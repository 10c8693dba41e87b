"""inspection.yaml and markers.yaml: parsed into frozen dataclasses, bad values rejected with file:line."""

import shutil

import pytest
from support.proxies import ROOT

from socialguard.policy import PolicyError, load_policy
from socialguard.policy.inspection import InspectionPolicy


def copy(tmp_path):
    shutil.copytree(ROOT / "policy", tmp_path / "p")
    return tmp_path / "p"


def test_shipped_settings(policy):
    insp = policy.inspection
    assert insp.limits.hold_bytes == 16 * 2**20 and insp.fail_open and not insp.save_crops
    assert insp.action_for("marker", "marker.top_secret") == "block"
    assert insp.action_for("marker", "marker.protected_b") == "log"
    assert {r.name for r in policy.markers.markers} >= {"protected_a", "protected_b", "protected_c", "secret",
                                                        "top_secret", "confidential", "embargo",
                                                        "statistics_act_notice", "code_word"}
    assert policy.markers.logos.directory.name == "logos"


def test_rule_action_wins_over_kind():
    insp = InspectionPolicy(kind_actions={"marker": "coach"}, rule_actions={"marker.secret": "block"})
    assert insp.action_for("marker", "marker.secret") == "block"
    assert insp.action_for("marker", "marker.embargo") == "coach"
    assert insp.action_for("logo", "logo.reference") == "log"


def test_absent_files_give_defaults(tmp_path):
    p = copy(tmp_path)
    (p / "inspection.yaml").unlink()
    (p / "markers.yaml").unlink()
    policy = load_policy(p)
    assert policy.inspection == InspectionPolicy() and policy.markers.markers == ()


@pytest.mark.parametrize("file,old,new,message", [
    ("inspection.yaml", "default: log", "default: shred", "inspection.yaml:"),
    ("inspection.yaml", "workers: 2", "workers: 0", "inspection.yaml:"),
    ("inspection.yaml", "fail_open: true", "fail_opn: true", "did you mean 'fail_open'"),
    ("markers.yaml", "id: marker.secret,", "id: marker.confidential,", "duplicate rule id"),
    ("markers.yaml", "directory: logos", "directory: nowhere", "logo directory"),
])
def test_bad_values_are_rejected_with_their_line(tmp_path, file, old, new, message):
    p = copy(tmp_path)
    path = p / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(PolicyError) as e:
        load_policy(p)
    assert message in str(e.value)
    line = int(str(e.value).split(f"{file}:", 1)[1].split(":", 1)[0])
    assert new.split(":")[0].strip() in path.read_text().splitlines()[line - 1] or "duplicate" in message
