"""recognition: emulation-movement recognition for Vietnamese local government."""

import select
from pathlib import Path
from typing import Any

from flask import Flask, g, has_request_context, request
from psycopg.pq import TransactionStatus
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import Pool
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from recognition.common.application import App
from recognition.common.autocommit import refuse_second_write
from recognition.common.pg_cursor import describe_lazily
from recognition.common.static_files import init_static_files
from recognition.config import load_config
from recognition.extensions import csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints and commands."""
    app = App(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(load_config(Path(app.instance_path)))
    if test_config:
        app.config.from_mapping(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["PROXY_COUNT"]:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=app.config["PROXY_COUNT"]
        )

    app.url_map.converters["int"] = IdConverter
    init_static_files(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_commands(app)
    return app


class IdConverter(IntegerConverter):
    """`<int:…>` in our routes is a database id: a number no id column holds (PostgreSQL's
    integer stops at 2**31 - 1) is a 404, not a database error."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = 2**31 - 1,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _init_extensions(app: Flask) -> None:
    from recognition.admin import permissions as admin_permissions
    from recognition.auth import permissions as auth_permissions
    from recognition.blanks import permissions as blank_permissions
    from recognition.campaigns import permissions as campaign_permissions
    from recognition.certificates import dossiers as certificate_dossiers
    from recognition.certificates import permissions as certificate_permissions
    from recognition.clusters import permissions as cluster_permissions
    from recognition.common.after_commit import init_after_commit
    from recognition.common.autocommit import init_autocommit
    from recognition.common.fragments import init_fragments
    from recognition.common.i18n import init_i18n
    from recognition.common.outbox import init_outbox
    from recognition.common.templates import init_templates
    from recognition.council import permissions as council_permissions
    from recognition.council import reminders as council_reminders
    from recognition.council.frozen_rules import init_frozen_rules
    from recognition.dashboard import navigation
    from recognition.database import init_derived_keys
    from recognition.decisions import permissions as decision_permissions
    from recognition.decisions import reminders as decision_reminders
    from recognition.decisions.frozen_names import init_frozen_names
    from recognition.decisions.money import permissions as money_permissions
    from recognition.errors import register_error_handlers
    from recognition.history import permissions as history_permissions
    from recognition.honours import permissions as honour_permissions
    from recognition.law import permissions as law_permissions
    from recognition.nominations import permissions as nomination_permissions
    from recognition.nominations import reminders as nomination_reminders
    from recognition.notifications.reminders import init_reminders
    from recognition.ops.query_count import init_query_count
    from recognition.registration import permissions as registration_permissions
    from recognition.registration import queries as registration_queries
    from recognition.review import permissions as review_permissions
    from recognition.review import reminders as review_reminders
    from recognition.security import init_security
    from recognition.statistics import permissions as statistics_permissions
    from recognition.targets import permissions as target_permissions
    from recognition.units import permissions as unit_permissions

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    init_templates(app)
    init_i18n(app)
    init_fragments(app)
    init_autocommit(app)
    init_security(app)
    register_error_handlers(app)
    unit_permissions.register_template_globals(app)
    law_permissions.register_template_globals(app)
    auth_permissions.register_template_globals(app)
    campaign_permissions.register_template_globals(app)
    nomination_permissions.register_template_globals(app)
    certificate_permissions.register_template_globals(app)
    certificate_dossiers.register_template_globals(app)
    decision_permissions.register_template_globals(app)
    blank_permissions.register_template_globals(app)
    admin_permissions.register_template_globals(app)
    review_permissions.register_template_globals(app)
    council_permissions.register_template_globals(app)
    cluster_permissions.register_template_globals(app)
    target_permissions.register_template_globals(app)
    honour_permissions.register_template_globals(app)
    history_permissions.register_template_globals(app)
    statistics_permissions.register_template_globals(app)
    registration_permissions.register_template_globals(app)
    registration_queries.register_template_globals(app)
    money_permissions.register_template_globals(app)
    navigation.register_template_globals(app)
    init_outbox(app)
    init_reminders(
        app,
        [
            council_reminders.consultations_closing,
            decision_reminders.postings_ended,
            review_reminders.appraisals_due,
            nomination_reminders.windows_closing,
        ],
    )
    init_after_commit()
    init_derived_keys()
    init_frozen_rules()
    init_frozen_names()
    init_query_count(app)


def _register_blueprints(app: Flask) -> None:
    from recognition.admin.log_views import bp as logs_bp
    from recognition.admin.views import bp as admin_bp
    from recognition.auth.views import bp as auth_bp
    from recognition.blanks.views import bp as blanks_bp
    from recognition.campaigns.views import bp as campaigns_bp
    from recognition.certificates.views import bp as certificates_bp
    from recognition.clusters.views import bp as clusters_bp
    from recognition.council.views import bp as council_bp
    from recognition.dashboard.views import bp as dashboard_bp
    from recognition.decisions.money.views import bp as money_bp
    from recognition.decisions.views import bp as decisions_bp
    from recognition.history.views import bp as history_bp
    from recognition.honours.views import bp as honours_bp
    from recognition.law.views import bp as law_bp
    from recognition.nominations.views import bp as nominations_bp
    from recognition.notifications.views import bp as notifications_bp
    from recognition.public.views import bp as public_bp
    from recognition.registration.views import bp as registration_bp
    from recognition.review.views import bp as review_bp
    from recognition.statistics.views import bp as statistics_bp
    from recognition.targets.views import bp as targets_bp
    from recognition.units.views import bp as units_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(units_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(campaigns_bp)
    app.register_blueprint(nominations_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(council_bp)
    app.register_blueprint(decisions_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(blanks_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(honours_bp)
    app.register_blueprint(history_bp)
    app.register_blueprint(statistics_bp)
    app.register_blueprint(money_bp)
    app.register_blueprint(registration_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(logs_bp)
    app.register_blueprint(law_bp)
    app.register_blueprint(clusters_bp)
    app.register_blueprint(targets_bp)
    _register_api(app)


def _register_api(app: Flask) -> None:
    """The JSON API (/api/v1/, bearer tokens, no session, no CSRF token: recognition.api),
    its documentation page and the administrator's client pages."""
    from recognition.api.admin_views import bp as api_clients_bp
    from recognition.api.docs_views import bp as api_docs_bp
    from recognition.api.dossier_views import dossiers
    from recognition.api.spec import init_api
    from recognition.api.views import reading, records

    app.register_blueprint(api_clients_bp)
    app.register_blueprint(api_docs_bp)
    blueprints = [reading, records, dossiers]
    for blueprint in blueprints:
        csrf.exempt(blueprint)
    init_api(app, blueprints)


def _register_commands(app: Flask) -> None:
    from recognition.cli import register_commands

    register_commands(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite: foreign keys on, WAL, wait for locks instead of failing; SQLAlchemy owns BEGIN."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "connect")
def _postgres_cursors(dbapi_connection: Any, connection_record: Any) -> None:
    """PostgreSQL: results are described when the description is read (common/pg_cursor.py)."""
    describe_lazily(dbapi_connection)


@event.listens_for(Pool, "checkout")
def _postgres_connection_alive(dbapi_connection: Any, *_records: Any) -> None:
    """PostgreSQL: a pooled connection the server has closed is replaced before it is used,
    without a round trip to the server (the pool's pre-ping costs one per request).

    An idle connection has nothing to read: once its statements are answered the server says
    nothing until asked. When it ends the connection (a restart, a crash of a backend, which
    makes the server end them all, pg_terminate_backend, an idle timeout), its last message
    and the end of the stream arrive on the socket, which becomes readable; so does a broken
    socket. Then the pool is told the connection is lost (DisconnectionError) and opens a
    fresh one in its place. A connection cut off without a word (a network partition) fails
    at its first statement, as it would after a ping.
    """
    pgconn = getattr(dbapi_connection, "pgconn", None)
    if pgconn is None:  # SQLite: no server to lose
        return
    if dbapi_connection.closed or dbapi_connection.broken:
        raise DisconnectionError("the connection is closed")
    try:
        watch = select.poll()
        watch.register(pgconn.socket, select.POLLIN)
        said = watch.poll(0)
    except Exception as error:  # psycopg.OperationalError: no socket any more
        raise DisconnectionError("the connection has no socket") from error
    if said:
        raise DisconnectionError("the server has closed the connection")


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: Any) -> None:
    """SQLite: a transaction that may write takes the write lock when it begins.

    A deferred transaction that reads and then writes cannot wait for another writer: SQLite
    answers "database is locked" at once (its snapshot is stale), whatever busy_timeout says.
    BEGIN IMMEDIATE waits up to busy_timeout for the lock instead, so concurrent writers queue.
    Only requests that change things (POST and the like) take it, and a GET that said it will
    write (common/writes.py): other GET requests keep deferred, concurrent reads, and so does
    work outside a request (commands, background jobs), which may read for a long time before
    it writes.
    """
    if connection.dialect.name != "sqlite":
        return
    writing = has_request_context() and (
        request.method not in {"GET", "HEAD", "OPTIONS"} or bool(g.get("writes"))
    )
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


# PostgreSQL: a transaction that only read ends with COMMIT, not ROLLBACK --------------------
#
# psycopg forgets its prepared statements on every ROLLBACK (it cannot know whether one was
# prepared in the failed transaction) and tells the server to DEALLOCATE ALL. A request that
# only reads ends its transaction with a rollback (the session is closed without a commit), so
# no statement was ever run the five times psycopg wants before it prepares it: every request
# had PostgreSQL parse and plan its statements again (a third to a half of the server's time
# for a ballot). For a transaction that ran nothing but SELECTs, COMMIT and ROLLBACK end it
# the same way; COMMIT keeps the prepared statements. A transaction that ran anything else
# (a write, SET, SAVEPOINT, a CTE, which may hold a write), or that failed, is rolled back as
# before.

_WROTE = "recognition.wrote"


@event.listens_for(Engine, "begin")
def _transaction_reads_so_far(connection: Any) -> None:
    connection.info[_WROTE] = False


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(
    connection: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any, _many: bool
) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":
        if connection.info.get(_WROTE):
            refuse_second_write(connection)  # a view without a transaction writes once
        connection.info[_WROTE] = True


@event.listens_for(Engine, "rollback")
def _end_reads_with_commit(connection: Any) -> None:
    if (
        connection.dialect.name != "postgresql"
        or connection.invalidated
        or connection.info.get(_WROTE, True)
    ):
        return
    driver = connection.connection.driver_connection
    if driver is not None and driver.info.transaction_status == TransactionStatus.INTRANS:
        # The rollback that follows finds no transaction and sends nothing.
        driver.commit()
