"""The ``backbone`` command: demo, serve, init-db, import, create-user, config, mapping, quality."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from api.config import Mode, Settings

if TYPE_CHECKING:
    from api.db import Database


def _settings(**overrides: Any) -> Settings:
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        raise SystemExit("Configuration problem:\n" + "\n".join(f"  {e['msg']}" for e in exc.errors())) from None


def _serve(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    import uvicorn

    from api.main import create_app

    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "info",
        "proxy_headers": True,
        # Only these proxies may say the request came over https, or from which address (logins are counted by it).
        "forwarded_allow_ips": settings.forwarded_allow_ips,
    }
    if workers == 1:
        uvicorn.run(create_app(settings), **options)
        return
    # Each worker process builds its own app from the environment: the settings given here go with it.
    os.environ["BACKBONE_DATA_DIR"] = str(settings.data_dir)
    uvicorn.run("api.main:create_app", factory=True, workers=workers, **options)


def cmd_demo(args: argparse.Namespace) -> None:
    from api.db import Database
    from api.migrate import upgrade
    from api.seed import load_seed

    data_dir = Path(args.data_dir).resolve()
    if data_dir.exists():
        for name in ("backbone.db", "backbone.db-wal", "backbone.db-shm"):
            (data_dir / name).unlink(missing_ok=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    # The demo always builds a fresh SQLite file, whatever BACKBONE_DATABASE_URL says.
    settings = _settings(mode=Mode.demo, data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'backbone.db'}")
    started = time.perf_counter()
    db = Database(settings.resolved_database_url)
    upgrade(db.engine)
    report = load_seed(db, settings.upload_dir)
    db.dispose()
    print(
        f"Demo database built in {time.perf_counter() - started:.1f}s: {report.organisations} organisations, "
        f"{report.areas} areas, {report.indicators} indicators, {report.observations} observations "
        f"(synthetic values) in {report.submissions} submissions."
    )
    print(f"Serving http://{args.host}:{args.port}/  (API docs: /docs, dashboard: /dashboard/)")
    print("Demo users (password demo-<username>): admin, steering, kidsfirst, witten, hattingen")
    _serve(settings, args.host, args.port)


def cmd_serve(args: argparse.Namespace) -> None:
    from api.db import Database
    from api.migrate import upgrade

    settings = _settings(data_dir=args.data_dir)
    if settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.resolved_database_url)
    if args.workers > 1 and db.is_sqlite:
        db.dispose()
        raise SystemExit(
            "Several workers need PostgreSQL: SQLite is served by one process "
            "(set BACKBONE_DATABASE_URL to a PostgreSQL database, or serve with --workers 1)"
        )
    try:
        if not args.no_migrate:
            upgrade(db.engine)
        _print_first_admin_link(db, settings, args.public_url or _local_url(args.host, args.port))
    finally:
        db.dispose()
    _serve(settings, args.host, args.port, args.workers)


def _at_least_one(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of 1 or more")
    return int(text)


def _local_url(host: str, port: int) -> str:
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - naming the wildcard, not binding to it
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _print_first_admin_link(db: Database, settings: Settings, base_url: str) -> None:
    """On a database where no admin can log in: the one-time link with which the first admin sets up the alliance."""
    from api.services.accounts.users import first_admin

    with db.transaction() as session:
        link = first_admin(session=session, settings=settings, base_url=base_url)
    if link is not None:
        print(
            "\nNo admin can log in yet. Open this link once to set the first admin's password\n"
            f"(it works until {link.expires_at:%Y-%m-%d %H:%M} UTC; each start without an admin makes a new one):\n\n"
            f"    {link.url}\n",
            flush=True,
        )


def cmd_init_db(args: argparse.Namespace) -> None:
    from api.db import Database
    from api.migrate import upgrade

    settings = _settings(data_dir=args.data_dir)
    if settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(settings.resolved_database_url)
    upgrade(db.engine)
    db.dispose()
    print(f"Database at {db.url.render_as_string(hide_password=True)} is up to date.")


def cmd_create_user(args: argparse.Namespace) -> None:
    from api.db import Database
    from api.errors import BackboneError
    from api.models.common import Channel, Role
    from api.services.accounts.auth import create_user
    from api.services.audit import trail

    settings = _settings(data_dir=args.data_dir)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != password:
            raise SystemExit("The passwords differ.")
    db = Database(settings.resolved_database_url)
    try:
        with db.transaction() as session:
            trail.act_as(session, user_id=None, organisation_id=None, channel=Channel.cli)
            user = create_user(
                session=session,
                username=args.username,
                password=password,
                role=Role(args.role),
                organisation=args.organisation,
                full_name=args.full_name or "",
            )
    except BackboneError as exc:
        raise SystemExit(f"Not created: {exc.message}") from None
    finally:
        db.dispose()
    print(f"Created {args.role} '{user.username}' of {args.organisation}.")


def cmd_config_export(args: argparse.Namespace) -> None:
    from api.db import Database
    from api.services.config.tables import export

    settings = _settings(data_dir=args.data_dir)
    target = Path(args.directory)
    target.mkdir(parents=True, exist_ok=True)
    db = Database(settings.resolved_database_url)
    try:
        with db.session() as session:
            files = export(session)
    finally:
        db.dispose()
    for name, data in files.items():
        (target / name).parent.mkdir(exist_ok=True)
        (target / name).write_bytes(data)
    print(f"Wrote {len(files)} files to {target}: {', '.join(files)}")


def cmd_config_load(args: argparse.Namespace) -> None:
    from api.db import Database
    from api.errors import BackboneError
    from api.models.common import Channel
    from api.services.config.load import load, read_directory

    settings = _settings(data_dir=args.data_dir)
    source = Path(args.directory)
    if not source.is_dir():
        raise SystemExit(f"No such directory: {source}")
    db = Database(settings.resolved_database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    try:
        with db.transaction() as session:
            report = load(
                session=session,
                actor=None,
                files=read_directory(source),
                settings=settings,
                base_url=args.public_url,
                dry_run=args.dry_run,
                channel=Channel.cli,
            )
        print(report.model_dump_json(indent=2))
    except BackboneError as exc:
        print(exc.body().model_dump_json(indent=2))
        print(f"Not loaded: {exc.message}", file=sys.stderr)
        raise SystemExit(1) from None
    finally:
        db.dispose()


def cmd_mapping_check(args: argparse.Namespace) -> None:
    """A file through a mapping document, with no server nor database: the observations it makes, or why not."""
    import csv
    import tempfile

    from api.errors import BackboneError
    from api.ingest.spool import spool_local_file
    from api.services.imports import mappings

    settings = _settings(mode=Mode.demo)  # only its limits: no database is opened
    source = Path(args.file)
    if not source.is_file():
        raise SystemExit(f"No such file: {source}")
    with tempfile.TemporaryDirectory() as spool_dir:
        try:
            document = mappings.read_document_file(Path(args.mapping))
            spooled = spool_local_file(
                source, Path(spool_dir), max_bytes=settings.max_upload_bytes, max_line_bytes=settings.max_line_bytes
            )
            count, rows = mappings.check_file(
                spooled,
                document,
                max_rows=settings.max_import_rows,
                max_errors=settings.max_error_count,
                limit=args.rows,
            )
        except (BackboneError, OSError) as exc:
            body = exc.body().model_dump_json(indent=2, exclude_none=True) if isinstance(exc, BackboneError) else ""
            print(body or str(exc))
            raise SystemExit(f"Not mapped: {getattr(exc, 'message', exc)}") from None
    dimensions = sorted({d for row in rows for d in row.breakdown})
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["line", "indicator", "area", "period", "value", "numerator", "denominator", *dimensions])
    for row in rows:
        parts = [row.indicator, row.area, row.period, row.value, row.numerator, row.denominator]
        writer.writerow([row.line, *parts, *(row.breakdown.get(d, "") for d in dimensions)])
    shown = f"the first {len(rows)}" if len(rows) < count else "all"
    print(
        f"{document.code}: {count} observations from {source.name} ({shown} above); not checked against the "
        "alliance's indicators and areas: an import (--dry-run) does that",
        file=sys.stderr,
    )


class _ProgressBar:
    """Progress of a long import on standard error: a bar on a terminal, stage lines otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.stage = ""
        self.last: int | None = -1

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if stage != self.stage:
            if self.tty and self.stage:
                sys.stderr.write("\n")
            self.stage, self.last = stage, -1
            if not self.tty:
                sys.stderr.write(f"{stage}...\n")
        if not self.tty:
            return
        percent = int(100 * done / total) if total else None
        if percent == self.last:
            return
        self.last = percent
        if percent is None:
            sys.stderr.write(f"\r{stage:<9}")
        else:
            bar = "#" * (percent // 4)
            sys.stderr.write(f"\r{stage:<9} [{bar:<25}] {percent:3d}%")
        sys.stderr.flush()

    def close(self) -> None:
        if self.tty and self.stage:
            sys.stderr.write("\n")


def cmd_import(args: argparse.Namespace) -> None:
    from sqlmodel import select

    from api.db import Database
    from api.errors import BackboneError
    from api.ingest.spool import spool_local_file
    from api.models import User
    from api.models.common import Channel, Role
    from api.readmodel import ReadModel
    from api.services.imports import mappings
    from api.services.imports.batches import import_file

    settings = _settings(data_dir=args.data_dir)
    source = Path(args.file)
    if not source.is_file():
        raise SystemExit(f"No such file: {source}")
    db = Database(settings.resolved_database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    progress = _ProgressBar()
    spooled = None
    try:
        mapping = None
        if args.mapping and Path(args.mapping).is_file():  # a mapping document not saved yet
            mapping = mappings.read_document_file(Path(args.mapping))
        elif args.mapping:
            with db.session() as session:
                mapping = mappings.get_mapping(session=session, code=args.mapping)
        organisation_id = user_id = None
        staff = True  # the server's operator, unless importing as a member
        if args.as_user:
            with db.session() as session:
                user = session.exec(select(User).where(User.username == args.as_user.strip().lower())).first()
            if user is None or not user.is_active or user.role == Role.viewer:
                raise SystemExit(f"No active member or admin '{args.as_user}' to import as")
            organisation_id, user_id = user.organisation_id, user.id
            staff = user.role == Role.admin
        spooled = spool_local_file(
            source,
            settings.upload_dir,
            max_bytes=settings.max_upload_bytes,
            max_line_bytes=settings.max_line_bytes,
            progress=progress,
        )
        with db.transaction() as session:
            summary = import_file(
                session=session,
                read_model=ReadModel(db),
                settings=settings,
                spooled=spooled,
                organisation_id=organisation_id,
                user_id=user_id,
                channel=Channel.cli,
                dry_run=args.dry_run,
                progress=progress,
                staff=staff,
                override=args.override,
                reason=args.reason,
                mapping=mapping,
            )
        progress.close()
        print(summary.model_dump_json(indent=2, exclude_none=True))
    except BackboneError as exc:
        progress.close()
        print(exc.body().model_dump_json(indent=2))
        print(f"Not imported: {exc.message}", file=sys.stderr)
        raise SystemExit(1) from None
    finally:
        if spooled is not None:
            spooled.remove()
        db.dispose()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="backbone", description="Shared measurement for Collective Impact alliances.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str, handler: Callable[[argparse.Namespace], None]) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    def where(sub: argparse.ArgumentParser, default_dir: str | None = None) -> None:
        sub.add_argument(
            "--data-dir", default=default_dir, help="data directory (default: $BACKBONE_DATA_DIR or ./data)"
        )

    demo = add("demo", "Build a fresh demo database from seed_data/ and serve it.", cmd_demo)
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument(
        "--data-dir",
        default=os.environ.get("BACKBONE_DEMO_DIR", "demo-data"),
        help="where the demo database goes (default: ./demo-data; it is rebuilt every time)",
    )

    serve = add("serve", "Serve the API and dashboard from the configured database.", cmd_serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-migrate", action="store_true", help="do not upgrade the schema first")
    serve.add_argument(
        "--workers",
        type=_at_least_one,
        default=os.environ.get("BACKBONE_WORKERS", "1"),  # argparse turns it into a number, or says why not
        help="processes serving requests (default: $BACKBONE_WORKERS or 1); more than one needs PostgreSQL",
    )
    serve.add_argument(
        "--public-url",
        default=None,
        help="the address people open, e.g. https://backbone.example.org, for the first admin's link "
        "(default: http://HOST:PORT)",
    )
    where(serve)

    init_db = add("init-db", "Create the database or upgrade its schema to the latest version.", cmd_init_db)
    where(init_db)

    importer = add(
        "import",
        "Import a CSV or XLSX file of observations through the same pipeline as an upload.",
        cmd_import,
    )
    importer.add_argument("file", help="the CSV or XLSX file")
    importer.add_argument("--dry-run", action="store_true", help="check and count only; write nothing")
    importer.add_argument(
        "--override",
        action="store_true",
        help="write into locked periods too (not with --as a member); needs --reason, recorded in the submission",
    )
    importer.add_argument("--reason", default=None, help="why locked periods are overridden")
    importer.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        help="import for this user's organisation (its assignments apply); without it each row goes "
        "to the organisation assigned to its indicator and area",
    )
    importer.add_argument(
        "--mapping",
        metavar="CODE",
        help="the file is a publisher's: read it through this source mapping (its code, or a JSON/YAML file)",
    )
    where(importer)

    mapping = add("mapping", "Source mappings: how a publisher's statistics file becomes observations.", _mapping_help)
    mapping_commands = mapping.add_subparsers(dest="mapping_command", required=True, metavar="ACTION")
    checker = mapping_commands.add_parser(
        "check",
        help="run FILE through a mapping document and print the observations it makes (no server or database)",
        description="run FILE through a mapping document and print the observations it makes, as CSV",
    )
    checker.add_argument("file", metavar="FILE")
    checker.add_argument("--mapping", required=True, metavar="PATH", help="the mapping document (JSON or YAML)")
    checker.add_argument("--rows", type=int, default=20, help="how many observations to print (default 20)")
    checker.set_defaults(handler=cmd_mapping_check)

    quality = add("quality", "Data quality: the rules every value is checked against, and their flags.", _quality_help)
    quality_commands = quality.add_subparsers(dest="quality_command", required=True, metavar="ACTION")
    rechecker = quality_commands.add_parser(
        "check",
        help="run every rule over everything stored (after rules or thresholds changed); flags opened and closed",
        description="run every data quality rule over everything stored; print the flags opened and closed",
    )
    rechecker.set_defaults(handler=cmd_quality_check)
    where(rechecker)

    user = add("create-user", "Create a user (asks for the password).", cmd_create_user)
    user.add_argument("username")
    user.add_argument("--role", required=True, choices=["admin", "member", "viewer"])
    user.add_argument("--organisation", required=True, help="organisation code, e.g. STADT-WITTEN")
    user.add_argument("--full-name", default="")
    user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    where(user)

    config = add("config", "The alliance's set-up as CSV files, one per kind (as in seed_data/).", _config_help)
    config_commands = config.add_subparsers(dest="config_command", required=True, metavar="ACTION")
    exporter = config_commands.add_parser(
        "export", help="write the set-up (users without secrets) into DIR", description="write the set-up into DIR"
    )
    exporter.add_argument("directory", metavar="DIR")
    exporter.set_defaults(handler=cmd_config_export)
    where(exporter)
    loader = config_commands.add_parser(
        "load",
        help="load the set-up files in DIR: all or nothing, every problem by file, row and column",
        description="load the set-up files in DIR: all or nothing; rows missing from a file stay as they are",
    )
    loader.add_argument("directory", metavar="DIR")
    loader.add_argument("--dry-run", action="store_true", help="check and count only; write nothing")
    loader.add_argument(
        "--public-url",
        default="http://127.0.0.1:8000",
        help="the address people open, for the invitation links of new users (default: http://127.0.0.1:8000)",
    )
    loader.set_defaults(handler=cmd_config_load)
    where(loader)
    return parser


def cmd_quality_check(args: argparse.Namespace) -> None:
    """Every data quality rule over everything stored; the flags follow."""
    from api.db import Database
    from api.models.common import Channel
    from api.readmodel import ReadModel
    from api.services.quality import checks, flags

    settings = _settings(data_dir=args.data_dir)
    db = Database(settings.resolved_database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    try:
        with db.transaction() as session:
            opened, closed, standing = flags.recheck(
                session=session, read_model=ReadModel(db), check=checks.quality_check(session), channel=Channel.cli
            )
    finally:
        db.dispose()
    print(f"{opened} flags opened, {closed} closed, {standing} standing (open or confirmed)")


def _quality_help(args: argparse.Namespace) -> None:  # argparse requires an action, so this is never reached
    raise SystemExit("backbone quality check")


def _mapping_help(args: argparse.Namespace) -> None:  # argparse requires an action, so this is never reached
    raise SystemExit("backbone mapping check FILE --mapping PATH")


def _config_help(args: argparse.Namespace) -> None:  # argparse requires an action, so this is never reached
    raise SystemExit("backbone config export DIR | backbone config load DIR [--dry-run]")


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    args.handler(args)


if __name__ == "__main__":
    main()
