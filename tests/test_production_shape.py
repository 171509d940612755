"""The production shape, checked by reading the files (no container engine runs here)."""

import ast
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_text(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_compose_runs_the_six_services():
    services = compose()["services"]
    by_default = {name for name, service in services.items() if not service.get("profiles")}
    assert by_default == {"postgres", "redis", "clamav", "web", "worker", "beat", "backup"}


def test_prometheus_and_grafana_run_only_under_the_monitoring_profile():
    services = compose()["services"]
    assert {name for name, service in services.items() if service.get("profiles")} == {"prometheus", "grafana"}
    for name in ("prometheus", "grafana"):
        assert services[name]["profiles"] == ["monitoring"]
        for volume in services[name]["volumes"]:
            source = volume.split(":")[0]
            assert not source.startswith("./") or (ROOT / source).exists(), volume
    assert "metrics_token" in services["prometheus"]["secrets"]


def test_every_service_has_a_health_check_and_restarts():
    for name, service in compose()["services"].items():
        assert service.get("healthcheck", {}).get("test"), name
        assert service.get("restart") == "unless-stopped", name


def test_images_and_builds():
    services = compose()["services"]
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    for name in ("web", "worker", "beat"):
        assert services[name]["build"] == "." and services[name]["image"] == "osms-portal:latest"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.13" in dockerfile and "requirements.txt" in dockerfile and "gunicorn" in dockerfile


def test_commands_start_gunicorn_with_migrations_and_static_files_then_worker_and_beat():
    services = compose()["services"]
    web = command_text(services["web"])
    assert "migrate" in web and "collectstatic" in web and "gunicorn portal.wsgi:application" in web
    assert "celery -A portal worker" in command_text(services["worker"])
    assert "celery -A portal beat" in command_text(services["beat"])
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])


def test_web_server_settings_come_from_the_gunicorn_config_file(monkeypatch):
    import runpy

    assert "--config portal/gunicorn.conf.py" in command_text(compose()["services"]["web"])
    for name in ("WEB_BIND", "WEB_WORKER_CLASS", "WEB_WORKERS", "WEB_THREADS", "WEB_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    config = runpy.run_path(str(ROOT / "portal" / "gunicorn.conf.py"))
    assert config["bind"] == "0.0.0.0:8000" and config["worker_class"] == "sync"
    assert config["workers"] >= 2 and config["accesslog"] == "-"


def test_application_services_wait_for_healthy_database_and_broker_and_use_production_settings():
    services = compose()["services"]
    for name in ("web", "worker", "beat"):
        service = services[name]
        waits_for = {"postgres": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"}}
        if name == "web":  # uploads arrive at web: it waits for the antivirus as well
            waits_for["clamav"] = {"condition": "service_healthy"}
        assert service["depends_on"] == waits_for
        env = service["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "portal.settings.prod"
        assert env["DATABASE_URL"].startswith("postgres://") and env["REDIS_URL"].startswith("redis://redis:")


def test_data_lives_in_named_volumes():
    data = compose()
    assert {"postgres-data", "redis-data", "private-media", "beat-schedule", "clamav-db"} <= set(data["volumes"])
    assert "postgres-data:/var/lib/postgresql/data" in data["services"]["postgres"]["volumes"]


def test_every_upload_is_scanned_by_the_clamav_service_and_the_proxy_is_declared():
    services = compose()["services"]
    assert services["clamav"]["image"].startswith("clamav/clamav:")
    assert "clamav-db:/var/lib/clamav" in services["clamav"]["volumes"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["CLAMAV_URL"] == "tcp://clamav:3310"
        assert "PROXY_COUNT" in env and "TRUSTED_PROXIES" in env


def _default(value: str) -> str:
    """What a compose value ${A:-${B:-x}} comes to with neither variable set."""
    return re.sub(r"\$\{[A-Z_]+:-|\}", "", value)


def test_the_proxy_is_trusted_from_the_compose_network_only_and_checked_before_start():
    data = compose()
    subnet = data["networks"]["default"]["ipam"]["config"][0]["subnet"]
    for name in ("web", "worker", "beat"):
        env = data["services"][name]["environment"]
        assert int(_default(env["PROXY_COUNT"])) > 0
        assert _default(env["TRUSTED_PROXIES"]) == _default(subnet) == "172.30.0.0/24"
    web = data["services"]["web"]
    assert [_default(port) for port in web["ports"]] == ["127.0.0.1:8000:8000"]
    assert command_text(web).index("check --deploy --fail-level ERROR") < command_text(web).index("migrate")
    # The gate runs check --deploy behind the same proxy (osms.E001 would refuse an empty TRUSTED_PROXIES).
    gate = (ROOT / "scripts" / "test-all").read_text()
    assert "PROXY_COUNT=1 TRUSTED_PROXIES=172.30.0.0/24" in gate


def test_ci_installs_clamd_for_the_test_run():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "clamav-daemon" in ci


# --- Runtime and development requirements ------------------------------------------------------

DEV_ONLY = {"pytest", "pytest-django", "playwright", "ruff", "bandit", "djlint", "pre-commit", "time-machine", "polib"}


def requirement_names(name: str) -> set[str]:
    """The distributions a requirements file pins, following its `-r` includes."""
    names: set[str] = set()
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r"):
            names |= requirement_names(line[2:].strip())
        elif line:
            names.add(re.split(r"[\[=<>~ ;]", line, maxsplit=1)[0].lower())
    return names


def test_the_production_image_installs_the_runtime_requirements_only():
    installs = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if "pip install" in line]
    assert installs and all(re.findall(r"-r\s+(\S+)", line) == ["requirements.txt"] for line in installs)
    runtime = requirement_names("requirements.txt")
    assert {"django", "gunicorn", "celery"} <= runtime
    assert not runtime & DEV_ONLY


def test_development_requirements_add_the_tests_and_gates_to_the_runtime():
    dev = requirement_names("requirements-dev.txt")
    assert requirement_names("requirements.txt") <= dev and dev >= DEV_ONLY
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text()
    assert "-r requirements-dev.txt" in (ROOT / "Makefile").read_text()


def test_application_code_imports_no_development_package():
    """What runs in production (osms/ and portal/ less the tests and the development stand-ins) may
    import only what requirements.txt installs."""
    dev_modules = {"pytest", "playwright", "ruff", "bandit", "djlint", "time_machine", "polib", "yaml", "asn1crypto"}
    found = []
    for path in [*ROOT.joinpath("osms").rglob("*.py"), *ROOT.joinpath("portal").rglob("*.py")]:
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "testing" in parts or path.name == "conftest.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            found += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in dev_modules]
    assert not found
