"""The fault suite: the production shape (a Celery worker and beat, PostgreSQL, Redis, an HTTP SMS
gateway) on private services, with faults injected while a batch of citizens' work is in flight.

    python -m bench faults                 # every fault, production timings, a batch of 20
    python -m bench faults --quick         # one of each, a batch of 5, short leases (tests/faults)

Per fault it reports how many requests of the batch reached their final state, how many were
delivered twice (a statement issued twice, an SMS delivered under two keys), how many sends the
gateway got again under a key it had delivered (`resent`: suppressed by the Idempotency-Key), and
the recovery time: from the end of the fault (worker restarted, Redis back,
PostgreSQL up, gateway answering) until the last request of the batch was final. Workloads:
`notifications` (an SMS per citizen through the outbox and the gateway) and, without --quick,
`statements` (a confirmed statement request, issued by the worker, with its SMS notification).
Figures: docs/reliability.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from .gateway import FakeGateway
from .services import ROOT, CeleryProcess, PrivateCluster, PrivateRedis, wait_until, workdir


@dataclass
class Outcome:
    fault: str
    workload: str
    batch: int
    final: int
    twice: int
    resent: int
    recovery_seconds: float | None
    note: str = ""


# --- workloads (run in this process, on the private database) --------------------------------------------------
class Notifications:
    name = "notifications"

    def __init__(self, gateway: FakeGateway):
        self.gateway = gateway

    def submit(self, users, *, before_confirming=None) -> list:
        from osms.core.notifications import notification_create

        if before_confirming:
            before_confirming()
        return [notification_create(user=u, subject="ОСМС", body="fault suite", email=False).pk for u in users]

    def final(self, ids) -> int:
        from osms.core.models import NotificationDelivery

        return NotificationDelivery.objects.filter(notification_id__in=ids, status="sent").count()

    def twice(self, ids) -> int:
        from osms.core.models import Notification

        phones = Notification.objects.filter(pk__in=ids).values_list("user__phone", flat=True)
        return self.gateway.delivered_twice(phones, "fault suite")


class Statements:
    name = "statements"

    def __init__(self, gateway: FakeGateway):
        self.gateway = gateway

    def submit(self, users, *, before_confirming=None) -> list:
        """Draft, code by SMS, confirm: `before_confirming` runs once the codes have arrived (a fault
        that begins between the citizen's code and their confirmation)."""
        from osms.coverage.periods import Period
        from osms.statements import services

        drafts = []
        for user in users:
            draft = services.statement_request_create(
                actor=user, period_from=Period(2025, 1), period_to=Period(2025, 12), language="ru", consent=True
            )
            services.statement_confirmation_begin(actor=user, request=draft, method="sms")
            drafts.append((user, draft))
        wait_until(lambda: all(u.phone in self.gateway.texts for u, _ in drafts), timeout=150, what="codes sent")
        if before_confirming:
            before_confirming()
        for user, draft in drafts:
            code = next(word.strip(".") for word in self.gateway.texts[user.phone].split() if word.strip(".").isdigit())
            services.statement_request_confirm(actor=user, request=draft, method="sms", proof=code)
        return [draft.pk for _, draft in drafts]

    def final(self, ids) -> int:
        from osms.core.models import NotificationDelivery
        from osms.statements.models import StatementRequest

        issued = StatementRequest.objects.filter(pk__in=ids, status__in=["issued", "refused"])
        numbers = list(issued.values_list("number", flat=True))
        sent = NotificationDelivery.objects.filter(
            channel="sms", status="sent", notification__url__regex=r"(" + "|".join(numbers or ["^$"]) + ")"
        ).count()
        return min(len(numbers), sent)

    def twice(self, ids) -> int:
        from django.db.models import Count

        from osms.statements.models import StatementStage

        return (
            StatementStage.objects.filter(request_id__in=ids, kind__in=["issued", "refused"])
            .values("request_id")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
        )


# --- the harness -------------------------------------------------------------------------------------------------
class Suite:
    def __init__(self, *, batch: int, quick: bool):
        self.batch, self.quick = batch, quick
        self.root = workdir("osms-faults-")
        self.redis, self.cluster, self.gateway = PrivateRedis(self.root), PrivateCluster(self.root), FakeGateway()
        self.serial = 0
        self.iins: set[str] = set()

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": self.cluster.url("osms_faults"),
            "REDIS_URL": self.redis.url,
            "CELERY_BROKER_URL": self.redis.url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "SMS_BACKEND": "osms.core.sms.HttpGatewaySmsBackend",
            "SMS_GATEWAY_URL": self.gateway.url,
            "SMS_GATEWAY_TIMEOUT": "5",
            "SMS_GATEWAY_TOKEN": "fault-suite",
            "PRIVATE_MEDIA_ROOT": str(self.root / "private"),
            "LOG_LEVEL": "WARNING",
        }
        if self.quick:  # short leases and sweeps, so that five faults fit well inside two minutes
            env.update(
                NOTIFICATION_LOST_AFTER="6",
                NOTIFICATION_CLAIM_LEASE="6",
                OUTBOX_SWEEP_SECONDS="2",
                NOTIFICATION_RETRY_SECONDS="3",
            )
        return env

    def __enter__(self) -> Suite:
        self.redis.start()
        self.cluster.init().start()
        self.cluster.psql("CREATE DATABASE osms_faults")
        self.gateway.start()
        env = self.env()
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        os.environ.update(env)
        import django

        django.setup()
        self.worker = CeleryProcess(env, self.root / "worker.log")
        self.beat = CeleryProcess(env, self.root / "beat.log", beat=True)
        self.worker.start()
        self.beat.start()
        return self

    def __exit__(self, *exc) -> None:
        from django.db import connections

        connections.close_all()
        for stop in (self.beat.stop, self.worker.stop, self.redis.stop, self.cluster.destroy, self.gateway.stop):
            try:
                stop()
            except Exception as error:  # tidy up what can be, report the rest
                print(f"cleanup: {error}", file=sys.stderr)

    def users(self, n: int) -> list:
        from django.utils import timezone

        from osms.accounts.models import User
        from osms.core.iin import make_iin

        made = []
        while len(made) < n:
            self.serial += 1
            iin = make_iin(dt.date(1990, 1, 1), serial=self.serial)
            if iin in self.iins:
                continue
            self.iins.add(iin)
            phone = f"+7701{self.serial:07d}"
            made.append(
                User.objects.create_user(
                    iin, None, last_name="Тестов", first_name="Тест", phone=phone, phone_verified_at=timezone.now()
                )
            )
        return made

    def settle(self, workload, ids, *, since: float, timeout: float) -> tuple[int, float | None]:
        """Wait until every request is final; (how many are, seconds since `since` or None)."""
        from django.db import OperationalError, connections

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if workload.final(ids) == len(ids):
                    return len(ids), round(time.monotonic() - since, 1)
            except OperationalError:
                connections.close_all()
            time.sleep(0.5)
        return workload.final(ids), None

    def run(self, fault: str, workload) -> Outcome:
        timeout = 90 if self.quick else 400
        ids, note = [], ""
        resent_before = self.gateway.resent()
        if fault == "worker SIGKILL mid-batch":
            self.gateway.delay = 1.0
            ids = workload.submit(self.users(self.batch))
            time.sleep(0.7)
            self.worker.kill()
            time.sleep(2.0)
            since = self.worker.start()
            self.gateway.delay = 0.0
        elif fault == "Redis stopped, then started":
            # Submitted (confirmed) with the cache and the broker away: each commits, none is queued.
            ids = workload.submit(self.users(self.batch), before_confirming=self.redis.stop)
            time.sleep(5)
            self.redis.start()
            since = time.monotonic()
        elif fault == "Redis flushed":
            # Queued while no worker consumes (statements: once their codes have arrived), then lost.
            ids = workload.submit(self.users(self.batch), before_confirming=self.worker.stop)
            self.redis.cli("FLUSHALL")
            since = self.worker.start()
        elif fault == "PostgreSQL restart":
            ids = workload.submit(self.users(self.batch))
            self.cluster.restart()
            since = time.monotonic()
        elif fault == "SMS gateway 500, then 200":
            since = self.gateway.fail_for(8 if self.quick else 20)
            ids = workload.submit(self.users(self.batch))
            wait_until(lambda: time.monotonic() >= since, timeout=30)
        final, recovery = self.settle(workload, ids, since=since, timeout=timeout)
        if recovery is None:
            note = f"not all final within {timeout} s"
        resent = self.gateway.resent() - resent_before
        return Outcome(fault, workload.name, len(ids), final, workload.twice(ids), resent, recovery, note)


FAULTS = (
    "worker SIGKILL mid-batch",
    "Redis stopped, then started",
    "Redis flushed",
    "PostgreSQL restart",
    "SMS gateway 500, then 200",
)


def run(*, batch: int, quick: bool, workloads: list[str], faults: list[str] = FAULTS) -> list[Outcome]:
    outcomes = []
    with Suite(batch=batch, quick=quick) as suite:
        kinds = {"notifications": Notifications, "statements": Statements}
        for name in workloads:
            for fault in faults:
                outcome = suite.run(fault, kinds[name](suite.gateway))
                print(json.dumps(asdict(outcome), ensure_ascii=False), flush=True)
                outcomes.append(outcome)
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench faults", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one of each fault, small batch, short leases")
    parser.add_argument("--batch", type=int)
    parser.add_argument("--workload", action="append", choices=["notifications", "statements"])
    parser.add_argument("--fault", action="append", choices=FAULTS, help="only this fault (may be repeated)")
    parser.add_argument("--json", type=Path, help="write the outcomes here")
    args = parser.parse_args(argv)
    workloads = args.workload or (["notifications"] if args.quick else ["notifications", "statements"])
    batch = args.batch or (5 if args.quick else 20)
    outcomes = run(batch=batch, quick=args.quick, workloads=workloads, faults=args.fault or FAULTS)
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], ensure_ascii=False, indent=1))
    print(f"\n{'fault':32} {'workload':14} {'final':>7} {'twice':>6} {'resent':>7} {'recovery, s':>12}")
    for o in outcomes:
        recovery = "—" if o.recovery_seconds is None else f"{o.recovery_seconds:.1f}"
        print(f"{o.fault:32} {o.workload:14} {o.final:>3}/{o.batch:<3} {o.twice:>6} {o.resent:>7} {recovery:>12}")
    return 0 if all(o.final == o.batch and o.twice == 0 for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
