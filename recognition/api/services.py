"""Registering and revoking API clients, finding a client by its token, auditing its writes."""

import hashlib
import secrets
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from recognition.admin.services import UserData, create_user, grant_role
from recognition.api.enums import ClientAction, Scope
from recognition.api.models import ApiClient
from recognition.auth.enums import Role
from recognition.auth.models import API_ACCOUNT_PREFIX, RoleGrant, User
from recognition.auth.passwords import hash_password
from recognition.auth.workflow import disable_user
from recognition.common.audit import ObjectKind, record, register_vocabulary
from recognition.common.text import clean
from recognition.database import utcnow
from recognition.errors import DomainError
from recognition.extensions import db
from recognition.units.models import Unit

register_vocabulary(ObjectKind.API_CLIENT, ClientAction)

TOKEN_PREFIX = "rk_"  # noqa: S105 - marks a token, not a secret  # nosec B105
NAME_LENGTH = 120


def token_digest(token: str) -> str:
    """What is stored of a token: its SHA-256 (the token has 256 random bits, so a plain hash
    suffices; no one can guess one from its digest)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _checked_name(name: str) -> str:
    cleaned = clean(name)
    if not cleaned:
        raise DomainError(_("Give the client a name."), field="name")
    if len(cleaned) > NAME_LENGTH:
        raise DomainError(_("The name is at most %(n)d characters.", n=NAME_LENGTH), field="name")
    taken = db.session.scalar(
        select(ApiClient.id).where(func.lower(ApiClient.name) == cleaned.lower())
    )
    if taken is not None:
        raise DomainError(_("A client named %(name)s already exists.", name=cleaned), field="name")
    return cleaned


def _checked_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = set(scopes)
    known: list[str] = [scope.value for scope in Scope if scope.value in chosen]
    if not known or len(known) != len(chosen):
        raise DomainError(_("Choose at least one scope."), field="scopes")
    return known


def create_client(
    name: str, *, scopes: Iterable[str], unit: Unit, actor: User | None
) -> tuple[ApiClient, str]:
    """Register a client and its account (a nominator of `unit` that no one can log in as);
    returns the client and its token, which is shown once and stored only as a digest.
    Audited: the account, its role and the registration (never the token)."""
    cleaned = _checked_name(name)
    chosen = _checked_scopes(scopes)
    if not unit.is_active:
        raise DomainError(_("Choose an active unit."), field="unit_id")
    user, _temporary = create_user(
        UserData(
            username=f"{API_ACCOUNT_PREFIX}{secrets.token_hex(6)}", full_name=f"API · {cleaned}"
        ),
        actor=actor,
    )
    # A password no one knows: the account acts only through the API.
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    user.must_change_password = False
    grant_role(user, role=Role.NOMINATOR, unit=unit, actor=actor)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient(
        name=cleaned,
        token_hash=token_digest(token),
        token_hint=token[:10],
        scopes=chosen,
        unit=unit,
        user=user,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(client)
    db.session.flush()
    record(
        ObjectKind.API_CLIENT,
        client.id,
        ClientAction.CREATE,
        actor=actor,
        subject=client.name,
        comment=f"{unit.name} · {', '.join(chosen)}",
    )
    return client, token


def revoke_client(client: ApiClient, *, actor: User) -> None:
    """Revoke a client: its token is refused from the next request on, and its account is
    disabled. Audited."""
    if client.is_revoked:
        raise DomainError(_("This client is already revoked."))
    client.revoked_at = utcnow()
    client.revoked_by_id = actor.id
    if client.user.is_active:
        disable_user(client.user, actor=actor, comment=_("API client revoked"))
    db.session.flush()
    record(ObjectKind.API_CLIENT, client.id, ClientAction.REVOKE, actor=actor, subject=client.name)


def client_for_token(token: str) -> ApiClient | None:
    """The live client whose token this is (not revoked, its account active), with its
    account's roles loaded; None otherwise."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    client = db.session.scalar(
        select(ApiClient)
        .where(ApiClient.token_hash == token_digest(token))
        .options(
            joinedload(ApiClient.user).joinedload(User.grants).joinedload(RoleGrant.unit),
            joinedload(ApiClient.unit),
        )
    )
    if client is None or client.is_revoked or not client.user.is_active:
        return None
    return client


def record_write(
    client: ApiClient, action: ClientAction, *, subject: str, comment: str = ""
) -> None:
    """Audit a change made through the API, under the client's name and account."""
    record(
        ObjectKind.API_CLIENT,
        client.id,
        action,
        actor=client.user,
        subject=f"{client.name} · {subject}"[:300],
        comment=comment,
    )
