"""`flask` commands: thin, each calls a service and commits."""

from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import select

from recognition.admin.services import UserData, create_user, grant_role
from recognition.api.enums import Scope
from recognition.api.services import create_client
from recognition.auth.enums import Role
from recognition.common.audit import verify_chain
from recognition.common.outbox import deliver_pending
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.notifications.reminders import send_due_reminders
from recognition.ops.backup import BackupError, create_backup, restore_backup
from recognition.ops.demo import ACCOUNTS, CAMPAIGN_2026, DEMO_PASSWORD, seed_demo
from recognition.ops.demo_signing import DEMO_ROOT_FILE
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from recognition.units.services import UnitData, create_unit


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Load the demo data (Vĩnh Long and the communes that replaced Chợ Lách district, with the
    district's 2024 history) and its accounts; safe to run again."""
    figures = seed_demo()
    db.session.commit()
    click.echo(f"Demo data ready ({figures['units_created']} units created this time).")
    click.echo(f"Open campaign: {CAMPAIGN_2026} (Xã Phú Phụng).")
    click.echo(
        "History: Huyện Chợ Lách and its communes, merged on 30-6-2025; its 2024 campaign and "
        "decision 15/QĐ-UBND."
    )
    root = Path(current_app.config["SIGNATURE_KEY_DIR"]) / DEMO_ROOT_FILE
    click.echo(
        "Signed with the demo key: Xã Phú Phụng's decision of 1-12-2026 and its certificates; "
        f"to see the signatures trusted, set RECOGNITION_SIGNATURE_TRUST_ROOTS={root}"
    )
    click.echo(f"Demo accounts (password '{DEMO_PASSWORD}'):")
    for spec in ACCOUNTS:
        click.echo(
            f"  {spec.username:<18} {spec.role.value:<15} {spec.full_name} — {spec.position}"
        )


@click.command("create-admin")
@click.option("--username", prompt=True)
@click.option("--full-name", prompt=True)
@click.option("--root-name", default="", help="Name of the top unit, when the tree is empty.")
@click.password_option()
def create_admin_command(username: str, full_name: str, root_name: str, password: str) -> None:
    """Create an administrator (and the top unit, when the tree is still empty)."""
    root = db.session.scalars(
        select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id)
    ).first()
    try:
        if root is None:
            if not root_name:
                raise click.UsageError("The unit tree is empty: give --root-name.")
            root = create_unit(
                UnitData(name=root_name, kind=UnitKind.PROVINCE, is_awarding_body=True), parent=None
            )
        user, _ = create_user(UserData(username=username, full_name=full_name), password=password)
        user.must_change_password = False
        grant_role(user, role=Role.ADMIN, unit=root, actor=user)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Administrator {user.username} created on {root.name}.")


audit_group = click.Group(
    "audit", help="The audit log of every object (dossiers, decisions, units, accounts…)."
)


@audit_group.command("verify")
def audit_verify_command() -> None:
    """Recompute the hash chain; exit 1 and list every altered or missing row."""
    count, problems = verify_chain()
    for problem in problems:
        click.echo(f"event {problem.event_id}: {problem.message}", err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"audit chain intact: {count} events")


@click.command("deliver-mail")
def deliver_mail_command() -> None:
    """Send the queued e-mails that are due (the web workers also do this by themselves)."""
    sent, failed = deliver_pending(limit=1000)
    click.echo(f"sent {sent}, failed {failed}")


@click.command("send-reminders")
@click.option(
    "--now",
    type=click.DateTime(formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d"]),
    default=None,
    help="The time to run for, in UTC (default: now).",
)
def send_reminders_command(now: datetime | None) -> None:
    """Send the deadline reminders that are due and not sent yet, then the mail (for cron
    where Redis is absent; safe to run again: nobody is reminded twice)."""
    counts = send_due_reminders(now=now.replace(tzinfo=UTC) if now else None)
    db.session.commit()
    sent, failed = deliver_pending(limit=1000)
    told = ", ".join(f"{kind} {count}" for kind, count in counts.items())
    click.echo(f"reminders: {told}; mail sent {sent}, failed {failed}")


@click.command("backup")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Directory to write the backup directory into.",
)
def backup_command(output: Path) -> None:
    """Write a consistent backup: database snapshot, uploaded files, instance secrets."""
    try:
        result = create_backup(output)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    manifest = result.manifest
    uploads = [entry for entry in manifest.files if entry.path.startswith("uploads/")]
    secrets = [entry.path for entry in manifest.files if entry.path.startswith("instance/")]
    click.echo(f"backup written to {result.path}")
    click.echo(
        f"  database: {manifest.database}, revision {manifest.alembic_revision}, "
        f"{sum(manifest.row_counts.values())} rows in {len(manifest.row_counts)} tables"
    )
    click.echo(f"  files: {len(uploads)} ({sum(entry.size for entry in uploads)} bytes)")
    click.echo(f"  instance secrets: {', '.join(secrets) or 'none'}")
    for key in manifest.missing_files:
        click.echo(
            f"warning: stored file {key} is named by a row but is not in the file store",
            err=True,
        )


@click.command("restore")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace existing data, files and certificate keys.")
def restore_command(directory: Path, force: bool) -> None:
    """Restore a backup written by `flask backup` into an empty database and file store."""
    try:
        report = restore_backup(directory, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"restored {directory}: {report.files} files")
    for line in report.secrets:
        click.echo(f"  {line}")
    click.echo("rows per table:")
    for name, count in report.row_counts.items():
        click.echo(f"  {name:<24} {count:>9}")
    for key in report.known_missing:
        click.echo(f"warning: stored file {key} was already missing from the backup", err=True)
    problems = [f"row count differs: {line}" for line in report.mismatches]
    problems += [
        f"stored file {key} is named by a row but was not restored" for key in report.missing_files
    ]
    if problems:
        raise click.ClickException(
            "the restored data does not match the backup:\n  " + "\n  ".join(problems)
        )
    click.echo(f"row counts match the manifest ({sum(report.row_counts.values())} rows)")


@click.command("create-api-client")
@click.argument("name")
@click.option("--unit-code", required=True, help="Administrative code of the client's unit.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice([scope.value for scope in Scope]),
    default=[Scope.READ.value, Scope.NOMINATIONS_WRITE.value],
    show_default=True,
)
def create_api_client_command(name: str, unit_code: str, scopes: tuple[str, ...]) -> None:
    """Register an API client for the active unit with this code and print its token, once:
    only its digest is stored (the demo's client: `flask create-api-client "Cổng thử"
    --unit-code 28879`)."""
    unit = db.session.scalars(
        select(Unit).where(Unit.code == unit_code, Unit.is_active).order_by(Unit.depth)
    ).first()
    if unit is None:
        raise click.ClickException(f"No active unit has the code {unit_code}.")
    try:
        client, token = create_client(name, scopes=scopes, unit=unit, actor=None)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"API client {client.name} for {unit.name}: {', '.join(client.scopes)}")
    click.echo(f"Token (shown once, keep it safe): {token}")


def register_commands(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_api_client_command)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(audit_group)
    app.cli.add_command(deliver_mail_command)
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
