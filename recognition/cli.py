"""`flask` commands: thin, each calls a service and commits."""

import click
from flask import Flask
from sqlalchemy import select

from recognition.admin.services import UserData, create_user, grant_role
from recognition.audit import verify_chain
from recognition.auth.enums import Role
from recognition.demo import ACCOUNTS, DEMO_PASSWORD, seed_demo
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.outbox import deliver_pending
from recognition.units.enums import UnitKind
from recognition.units.models import Unit
from recognition.units.services import UnitData, create_unit


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Load the demo data (Chợ Lách) and its accounts; safe to run again."""
    figures = seed_demo()
    db.session.commit()
    click.echo(f"Demo data ready ({figures['units_created']} units created this time).")
    click.echo(f"Demo accounts (password '{DEMO_PASSWORD}'):")
    for spec in ACCOUNTS:
        click.echo(f"  {spec.username:<14} {spec.role.value:<15} {spec.full_name}")


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


audit_group = click.Group("audit", help="The audit log of nomination events.")


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


def register_commands(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(create_admin_command)
    app.cli.add_command(audit_group)
    app.cli.add_command(deliver_mail_command)
