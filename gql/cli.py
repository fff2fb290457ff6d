"""The `ledgergraph` command: serve, migrate, seed-demo, export-schema, documents add.

Configuration comes from LEDGERGRAPH_* environment variables (gql/settings.py), so
every uvicorn worker process builds the same app from the same environment.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError
from pydantic_settings import SettingsError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from gql.settings import Settings

if TYPE_CHECKING:
    from gql.persisted import Client

APP = "gql.app:app_factory"
ENV_PREFIX = "LEDGERGRAPH_"


class CliError(Exception):
    """A failure to report as one line on stderr, without a traceback."""


# --- settings -------------------------------------------------------------------------------


def describe_settings_error(exc: ValidationError | SettingsError) -> str:
    if isinstance(exc, SettingsError):
        return str(exc)
    problems = []
    for err in exc.errors(include_url=False):
        message = str(err["msg"]).removeprefix("Value error, ")
        field = ".".join(str(part) for part in err["loc"])
        problems.append(f"{ENV_PREFIX}{field.upper()}: {message}" if field else message)
    return "; ".join(problems)


def load_settings() -> Settings:
    try:
        return Settings()
    except (ValidationError, SettingsError) as exc:
        raise CliError(f"invalid settings: {describe_settings_error(exc)}") from None


def _say(message: str) -> None:
    print(f"ledgergraph: {message}", file=sys.stderr, flush=True)


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL fails later with its own message
        return "<database>"


# --- commands -------------------------------------------------------------------------------


def migrate(settings: Settings) -> None:
    from gql.migrations import database_state, head_revision, upgrade_to_head

    url = settings.migrations_url
    try:
        before, tables = asyncio.run(database_state(url))
        if before is None and tables:
            raise CliError(
                f"database {_safe_url(url)} has tables but no migration history (made with"
                " metadata.create_all?); recreate it, or mark it current with"
                " `alembic -c gql/migrations/alembic.ini stamp head` if it matches the models"
            )
        asyncio.run(upgrade_to_head(url))
    except (OSError, OperationalError) as exc:
        reason = getattr(exc, "orig", None) or exc
        raise CliError(f"cannot use the database {_safe_url(url)}: {reason}") from None
    head = head_revision()
    if before == head:
        _say(f"database {_safe_url(url)} is up to date (revision {head})")
    else:
        _say(f"migrated database {_safe_url(url)} from {before or 'empty'} to {head}")


def cmd_migrate(args: argparse.Namespace) -> int:
    migrate(load_settings())
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    # The schema first: its node types register the models' type names, which the
    # services' events (global ids) and module checks read as they write.
    import gql.schema  # noqa: F401
    from gql.demo import seed_demo

    settings = load_settings()
    migrate(settings)
    login = asyncio.run(seed_demo(settings))
    state = "created" if login.created else "already present, left unchanged"
    print(f"Demo data {state}.")
    print(f"  Log in as {login.email} / {login.password}  (company: {login.company_name})")
    print(
        f"  Second tenant: {login.other_email} / {login.other_password}"
        f"  (company: {login.other_company_name})"
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = load_settings()
    if args.workers < 1:
        raise CliError("--workers must be at least 1")
    migrate(settings)
    # Each worker reads the dev signing secret from .ledgergraph/jwt-secret; create it
    # once here, so workers never race to write different ones.
    _ = settings.signing_secret
    host = f"[{args.host}]" if ":" in args.host else args.host
    _say(f"GraphiQL at http://{host}:{args.port}/graphql")
    reload_dirs = [str(Path(__file__).resolve().parent)] if args.reload else None
    uvicorn.run(
        APP,
        factory=True,
        host=args.host,
        port=args.port,
        workers=None if args.reload else args.workers,
        reload=args.reload,
        reload_dirs=reload_dirs,
        log_level=settings.log_level.lower(),
        http="gql.server:HeadLimitedHttpToolsProtocol",
        h11_max_incomplete_event_size=settings.max_header_bytes,
        # Subscription messages are small JSON: compressing them saves little, and each
        # WebSocket's zlib state would cost more memory than the rest of it.
        ws_per_message_deflate=False,
    )
    return 0


def cmd_webhooks_run(args: argparse.Namespace) -> int:
    from gql.db.engine import create_engine, session_factory
    from gql.domains.events.delivery import Worker

    settings = load_settings()

    async def run() -> None:
        engine = create_engine(settings.database_url, pool_size=2)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            await Worker(session_factory(engine), settings).run(stop)
        finally:
            await engine.dispose()

    _say("delivering webhooks (Ctrl-C stops)")
    asyncio.run(run())
    return 0


def schema_sdl() -> str:
    """The SDL exactly as `strawberry export-schema gql.schema:schema` prints it."""
    from strawberry.printer import print_schema

    from gql.schema import schema

    return print_schema(schema) + "\n"


def cmd_export_schema(args: argparse.Namespace) -> int:
    load_settings()  # gql.schema builds its Settings at import; fail on them cleanly
    sdl = schema_sdl()
    if args.output:
        Path(args.output).write_text(sdl, encoding="utf-8")
        _say(f"schema exported to {args.output}")
    else:
        sys.stdout.write(sdl)
    return 0


async def _add_documents(settings: Settings, bodies: list[str], client: Client) -> None:
    from gql.db.engine import create_engine, session_factory
    from gql.persisted import add_documents

    engine = create_engine(settings.database_url, pool_size=1)
    try:
        async with session_factory(engine)() as session:
            await add_documents(session, bodies, client)
            await session.commit()
    finally:
        await engine.dispose()


def cmd_documents_add(args: argparse.Namespace) -> int:
    from gql.persisted import Client, ManifestError, documents_in

    settings = load_settings()
    bodies: list[str] = []
    for name in args.files:
        try:
            bodies.extend(documents_in(Path(name)))
        except (OSError, UnicodeDecodeError, ManifestError) as exc:
            raise CliError(str(exc)) from None
    try:
        asyncio.run(_add_documents(settings, bodies, Client(args.client_name, args.client_version)))
    except (OSError, OperationalError) as exc:
        reason = getattr(exc, "orig", None) or exc
        url = _safe_url(settings.database_url)
        raise CliError(f"cannot use the database {url}: {reason}") from None
    _say(f"{len(set(bodies))} persisted document(s) registered from {len(args.files)} file(s)")
    return 0


# --- wiring ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ledgergraph",
        description="Ledgergraph: a GraphQL API over a small business's books. "
        "Configured by LEDGERGRAPH_* environment variables.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="migrate the database, then serve the API")
    serve.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    serve.add_argument("--reload", action="store_true", help="restart on code changes (dev)")
    serve.set_defaults(handler=cmd_serve)

    migrate_cmd = commands.add_parser("migrate", help="bring the database schema up to date")
    migrate_cmd.set_defaults(handler=cmd_migrate)

    seed = commands.add_parser(
        "seed-demo", help="migrate, then create the demo companies and data (once)"
    )
    seed.set_defaults(handler=cmd_seed_demo)

    webhooks = commands.add_parser("webhooks", help="the webhook delivery worker")
    webhook_commands = webhooks.add_subparsers(dest="webhooks_command", required=True)
    webhooks_run = webhook_commands.add_parser(
        "run", help="deliver webhooks until stopped (beside servers with the worker off)"
    )
    webhooks_run.set_defaults(handler=cmd_webhooks_run)

    export = commands.add_parser("export-schema", help="print or write the GraphQL SDL")
    export.add_argument("--output", "-o", help="write to this file instead of stdout")
    export.set_defaults(handler=cmd_export_schema)

    documents = commands.add_parser("documents", help="the registry of persisted documents")
    documents_commands = documents.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = documents_commands.add_parser(
        "add",
        help="register .graphql files and JSON manifests (Apollo's, or {hash: text} maps)",
    )
    add.add_argument("files", nargs="+", metavar="FILE")
    add.add_argument("--client-name", help="the client the documents come from")
    add.add_argument("--client-version", help="that client's version")
    add.set_defaults(handler=cmd_documents_add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except CliError as exc:
        print(f"ledgergraph: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
