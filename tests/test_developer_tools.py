"""The developer's tools as the README describes them: make targets, pre-commit hooks, test output."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def makefile() -> str:
    return (ROOT / "Makefile").read_text()


def test_every_phony_target_exists():
    text = makefile()
    phony = re.search(r"^\.PHONY:(.*)$", text, re.M).group(1).split()
    defined = set(re.findall(r"^([a-z][\w-]*):", text, re.M))
    assert phony and set(phony) <= defined
    assert {"run", "test", "check"} <= set(phony)


def test_make_check_runs_the_gates_without_the_browser_and_the_worker():
    recipe = re.search(r"^check:.*\n\t(.*)$", makefile(), re.M).group(1)
    assert recipe.startswith("scripts/test-all") and '-m "not browser and not worker"' in recipe


def test_the_test_run_lists_its_slowest_tests_and_checks_the_size_limits():
    script = (ROOT / "scripts" / "test-all").read_text()
    assert "--durations=" in script and "scripts/size-limits" in script and "djlint" in script


def test_pre_commit_runs_ruff_the_template_lint_and_the_catalogue_check():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff", "ruff-format", "djlint", "catalogues-compile"} <= set(hooks)
    for hook in hooks.values():
        program = hook["entry"].split()[0]
        assert (ROOT / program).exists() or program.startswith(".venv/"), hook["id"]
