"""Benchmarks of the coverage area, run by hand (`make bench` or `python -m bench ...`); never in the tests.

    python -m bench generate --rows 5000000 --out var/bench/payments-5m.csv
    python -m bench import var/bench/payments-5m.csv          # rows/s, peak memory, then re-import
    python -m bench build-table --persons 4000000 --months 13 # a large payments table, built in SQL
    python -m bench status --samples 20000                    # status_answer p50/p99, random IINs
    python -m bench web --url http://127.0.0.1:8000 --seconds 30 --connections 32
    python -m bench wrk-script --url http://127.0.0.1:8000      # then wrk -s var/bench/status.lua ...
    python -m bench gunicorn-wrk --connections 16 --seconds 20  # the public check: gunicorn + wrk, CPU per request
    python -m bench ratios --rounds 3 --seconds 5             # A floor, B check, C form, D bare WSGI, R round trips, pages
    python -m bench import-ratio var/bench/payments-1m.csv    # the import against the raw COPY limit, same run
    python -m bench profile check|form|page [--path P]        # py-spy on gunicorn: where the time goes
    python -m bench cpu --requests 1000                       # CPU per request of each variant, in-process
    python -m bench profile-table var/bench/prof-*.txt        # the profiles side by side
    python -m bench statements ...                            # the statement service: python -m bench.statements_issue --help
    python -m bench faults [--quick]                          # the fault suite on private services (docs/reliability.md)

All but `generate` need DATABASE_URL pointing at a PostgreSQL database migrated for the portal
(the figures in docs/performance.md used a database of its own, osms_bench, on the tuned cluster
that `bench/pg-cluster` creates on port 5433). With no sub-command,
`make bench` prints this help.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from .ratios import DEFAULT_PAGES

# Benchmarks with their own command line: python -m bench NAME ... (module of this package).
_OWN_PARSERS = {"statements": "statements_issue", "faults": "faults"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command")

    generate = commands.add_parser("generate", help="write a synthetic payments register (DOMAIN §13)")
    generate.add_argument("--rows", type=int, default=5_000_000)
    generate.add_argument("--persons", type=int, default=3_000_000)
    generate.add_argument("--month", default="102026", help="the period most rows pay for, MMYYYY")
    generate.add_argument("--seed", type=int, default=2026)
    generate.add_argument("--out", default="var/bench/payments.csv")

    importing = commands.add_parser("import", help="import a payments file twice: first load, then unchanged")
    importing.add_argument("file")
    importing.add_argument("--no-reimport", action="store_true")

    build = commands.add_parser("build-table", help="fill coverage_payment with a large synthetic history in SQL")
    build.add_argument("--persons", type=int, default=4_000_000)
    build.add_argument("--months", type=int, default=13)

    status = commands.add_parser("status", help="status_answer latency for random IINs")
    status.add_argument("--samples", type=int, default=20_000)
    status.add_argument("--on", default="2026-11-23")
    status.add_argument("--persons", type=int, default=4_200_000, help="as given to build-table")

    web = commands.add_parser("web", help="the public status page under load from this (separate) process")
    web.add_argument("--url", default="http://127.0.0.1:8000")
    web.add_argument("--seconds", type=float, default=30)
    web.add_argument("--connections", type=int, default=32)
    web.add_argument("--processes", type=int, default=1)

    measure = commands.add_parser(
        "gunicorn-wrk", help="the public check under wrk: gunicorn (production config), CPU per request"
    )
    measure.add_argument("--connections", type=int, default=16)
    measure.add_argument("--seconds", type=int, default=20)
    measure.add_argument("--persons", type=int, default=4_200_000, help="as given to build-table")
    measure.add_argument("--port", type=int, default=8077)
    measure.add_argument("gunicorn_args", nargs="*", help="after --: more gunicorn options")

    ratios = commands.add_parser("ratios", help="the public pages as ratios to the framework floor (bench/ratios.py)")
    ratios.add_argument("--rounds", type=int, default=3)
    ratios.add_argument("--seconds", type=float, default=5)
    ratios.add_argument("--connections", type=int, default=8)
    ratios.add_argument("--persons", type=int, default=300_000, help="as given to build-table")
    ratios.add_argument("--pages", default=",".join(DEFAULT_PAGES), help="other anonymous GET pages, comma-separated")
    ratios.add_argument("--port", type=int, default=8077)
    ratios.add_argument("gunicorn_args", nargs="*", help="after --: more gunicorn options")

    import_ratio = commands.add_parser(
        "import-ratio", help="the payments import against the raw COPY limit, alternating (bench/raw_limit.py)"
    )
    import_ratio.add_argument("file")
    import_ratio.add_argument("--rounds", type=int, default=2)

    profile = commands.add_parser("profile", help="py-spy on a running gunicorn under wrk (bench/profile.py)")
    profile.add_argument("name", choices=["check", "form", "page"])
    profile.add_argument("--path", default=None, help="the page, for `page` (default /ru/information/who-pays/)")
    profile.add_argument("--seconds", type=int, default=12)
    profile.add_argument("--persons", type=int, default=300_000, help="as given to build-table")
    profile.add_argument("--port", type=int, default=8091)
    cpu = commands.add_parser("cpu", help="CPU per request of each variant, in-process (bench/inprocess.py)")
    cpu.add_argument("--requests", type=int, default=1000)
    cpu.add_argument("--variants", default="ABCREFGHIJKL")
    cpu.add_argument("--persons", type=int, default=300_000, help="as given to build-table")
    profile_table = commands.add_parser("profile-table", help="profiles (py-spy raw files) side by side")
    profile_table.add_argument("files", nargs="+")

    wrk = commands.add_parser("wrk-script", help="write a wrk script that POSTs random IINs to the public check")
    wrk.add_argument("--url", default="http://127.0.0.1:8000")
    wrk.add_argument("--persons", type=int, default=4_200_000, help="as given to build-table")
    wrk.add_argument("--out", default="var/bench/status.lua")

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] and argv[0] in _OWN_PARSERS:
        module = importlib.import_module(f".{_OWN_PARSERS[argv[0]]}", __package__)
        return module.main(argv[1:])

    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    if args.command in _WITHOUT_DJANGO:
        _WITHOUT_DJANGO[args.command](args)
        return 0

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()
    from . import database

    if args.command == "import":
        database.bench_import(args.file, reimport=not args.no_reimport)
    elif args.command == "build-table":
        database.build_table(persons=args.persons, months=args.months)
    elif args.command == "import-ratio":
        from . import raw_limit

        raw_limit.bench_import_ratio(args.file, rounds=args.rounds)
    elif args.command == "status":
        database.bench_status(samples=args.samples, on=args.on, persons=args.persons)
    return 0


# --- the commands that drive a server or write files from this process (no Django here) ---------
def _generate(args) -> None:
    from .generate import generate_payments

    generate_payments(rows=args.rows, persons=args.persons, month=args.month, seed=args.seed, out=args.out)


def _wrk_script(args) -> None:
    from .web import write_wrk_script

    write_wrk_script(url=args.url, persons=args.persons, out=args.out)


def _gunicorn_wrk(args) -> None:
    from .web import gunicorn_wrk

    gunicorn_wrk(
        connections=args.connections,
        seconds=args.seconds,
        persons=args.persons,
        port=args.port,
        gunicorn_args=args.gunicorn_args,
    )


def _ratios(args) -> None:
    from .ratios import run_ratios

    run_ratios(
        rounds=args.rounds,
        seconds=args.seconds,
        connections=args.connections,
        persons=args.persons,
        pages=[page for page in args.pages.split(",") if page],
        port=args.port,
        gunicorn_args=args.gunicorn_args,
    )


def _profile(args) -> None:
    from .profile import run_profile

    default = "/ru/information/who-pays/" if args.name == "page" else "/ru/status/"
    run_profile(name=args.name, path=args.path or default, seconds=args.seconds, persons=args.persons, port=args.port)


def _cpu(args) -> None:
    from .inprocess import run_cpu

    run_cpu(requests=args.requests, variants=args.variants, persons=args.persons)


def _profile_table(args) -> None:
    from .profile import print_table

    print_table(args.files)


def _web(args) -> None:
    from .web import run_web

    run_web(url=args.url, seconds=args.seconds, connections=args.connections, processes=args.processes)


_WITHOUT_DJANGO = {
    "generate": _generate,
    "wrk-script": _wrk_script,
    "gunicorn-wrk": _gunicorn_wrk,
    "ratios": _ratios,
    "profile": _profile,
    "cpu": _cpu,
    "profile-table": _profile_table,
    "web": _web,
}


if __name__ == "__main__":
    sys.exit(main())
