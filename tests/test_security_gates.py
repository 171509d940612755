"""The security gates of `make test`: bandit over osms/ and portal/ finds nothing unexplained."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_make_test_runs_bandit_and_development_requirements_pin_it():
    assert "-m bandit" in (ROOT / "scripts" / "test-all").read_text()
    assert any(line.startswith("bandit==") for line in (ROOT / "requirements-dev.txt").read_text().splitlines())


def test_bandit_finds_nothing_unexplained_in_the_code():
    command = [sys.executable, "-m", "bandit", "--quiet", "--recursive", "osms", "portal"]
    command += ["--exclude", "*/tests/*,*/migrations/*", "--severity-level", "low", "--format", "custom"]
    command += ["--msg-template", "{relpath}:{line} {test_id} {msg}"]
    result = subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_every_nosec_names_its_rule_and_a_reason():
    bare = []
    for path in [*ROOT.joinpath("osms").rglob("*.py"), *ROOT.joinpath("portal").rglob("*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "# nosec" in line:
                rest = line.split("# nosec", 1)[1]
                rule, _hash, reason = rest.partition("#")
                if not rule.strip().startswith("B") or len(reason.strip()) < 10:
                    bare.append(f"{path.relative_to(ROOT)}:{number}")
    assert bare == []
