"""The alert rules, the Prometheus configuration and the Grafana dashboard in docs/ops/ are well formed
and speak of the metrics /metrics really exports."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
OPS = ROOT / "docs" / "ops"
ALERTS = OPS / "prometheus" / "alerts.yml"
DASHBOARD = OPS / "grafana" / "dashboards" / "osms-portal.json"
EXPORTED = {
    "osms_http_request_duration_seconds_bucket",
    "osms_http_request_duration_seconds_count",
    "osms_http_request_duration_seconds_sum",
    "osms_service_level_up",
    "osms_service_queue_items",
    "osms_service_overdue_items",
    "osms_task_failures_recent",
    "osms_notification_failures_recent",
}
PROMQL_WORDS = {
    "sum", "by", "rate", "histogram_quantile", "topk", "absent", "or", "and", "le", "view", "task",
    "service", "channel", "status",
}  # fmt: skip


def _metric_names(expr: str) -> set[str]:
    without_strings = re.sub(r'"[^"]*"', '""', expr)
    without_labels = re.sub(r"\{[^}]*\}", "", without_strings)
    without_ranges = re.sub(r"\[[^\]]*\]", "", without_labels)
    return {word for word in re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", without_ranges) if word not in PROMQL_WORDS}


def _balanced(expr: str) -> bool:
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for char in expr:
        if char in "([{":
            stack.append(char)
        elif char in pairs and (not stack or stack.pop() != pairs[char]):
            return False
    return not stack


def _rules() -> list[dict]:
    data = yaml.safe_load(ALERTS.read_text())
    return [rule for group in data["groups"] for rule in group["rules"]]


def test_alert_rules_are_well_formed_and_use_exported_metrics():
    data = yaml.safe_load(ALERTS.read_text())
    assert {group["name"] for group in data["groups"]} == {"osms-service-level", "osms-web"}
    rules = _rules()
    names = [rule["alert"] for rule in rules]
    assert len(names) == len(set(names))
    for rule in rules:
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule["alert"]
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", rule["alert"])
        assert re.fullmatch(r"[0-9]+[smh]", rule["for"]), rule["alert"]
        assert rule["labels"]["severity"] in {"page", "ticket"}
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]
        assert _balanced(rule["expr"]), rule["alert"]
        assert _metric_names(rule["expr"]) <= EXPORTED, (rule["alert"], _metric_names(rule["expr"]) - EXPORTED)


def test_the_service_level_the_issue_names_has_an_alert():
    exprs = " ".join(rule["expr"] for rule in _rules())
    for needle in (
        'osms_service_overdue_items{service="statements"}',
        'osms_service_overdue_items{service="attachment"}',
        'osms_service_queue_items{service="statements"}',
        "osms_task_failures_recent",
        'osms_notification_failures_recent{channel="sms"}',
        "osms_http_request_duration_seconds_bucket",
    ):
        assert needle in exprs, needle


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool is not installed")
def test_promtool_accepts_the_alert_rules():
    subprocess.run(["promtool", "check", "rules", str(ALERTS)], check=True, capture_output=True)


def test_prometheus_configuration_scrapes_metrics_with_the_token_and_loads_the_rules():
    config = yaml.safe_load((OPS / "prometheus" / "prometheus.yml").read_text())
    assert config["rule_files"] == ["/etc/prometheus/alerts.yml"]
    (job,) = config["scrape_configs"]
    assert job["metrics_path"] == "/metrics" and job["authorization"]["credentials_file"]
    assert job["static_configs"][0]["targets"] == ["web:8000"]


def test_grafana_dashboard_is_valid_json_with_panels_on_exported_metrics():
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"] and dashboard["title"] and dashboard["panels"]
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dashboard["panels"]:
        assert panel["type"] in {"stat", "timeseries"} and set(panel["gridPos"]) == {"x", "y", "w", "h"}
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24
        assert panel["datasource"]["uid"] == "osms-prometheus"
        for target in panel["targets"]:
            assert _balanced(target["expr"]) and _metric_names(target["expr"]) <= EXPORTED, target["expr"]
    provisioning = yaml.safe_load((OPS / "grafana" / "provisioning" / "datasources" / "prometheus.yml").read_text())
    assert provisioning["datasources"][0]["uid"] == "osms-prometheus"


@pytest.mark.django_db
def test_every_metric_the_rules_use_is_exported(client, settings):
    settings.METRICS_TOKEN = "t" * 32
    client.get("/healthz")
    body = client.get("/metrics", HTTP_AUTHORIZATION="Bearer " + "t" * 32).content.decode()
    exported = {line.split("{")[0].split(" ")[0] for line in body.splitlines() if line and not line.startswith("#")}
    used = set().union(*(_metric_names(rule["expr"]) for rule in _rules()))
    assert used <= exported, used - exported
