"""What follows a transition: the submitted snapshot, notifications and e-mails.

Effects key on data (the event's target state), not on which code path called them.
"""

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from recognition.auth.enums import Role
from recognition.auth.models import RoleGrant, User
from recognition.campaigns.enums import AwardKind
from recognition.common.audit import AuditEvent
from recognition.common.links import app_path
from recognition.extensions import db
from recognition.nominations.diff import snapshot_data
from recognition.nominations.enums import Action, NominationState
from recognition.nominations.models import Nomination, NominationSnapshot
from recognition.notifications.enums import NotificationKind
from recognition.notifications.services import notify


def _take_snapshot(nomination: Nomination) -> None:
    db.session.expire(nomination, ["attachments", "answers"])
    last = (
        db.session.scalar(
            select(func.max(NominationSnapshot.round)).where(
                NominationSnapshot.nomination_id == nomination.id
            )
        )
        or 0
    )
    db.session.add(
        NominationSnapshot(
            nomination_id=nomination.id, round=last + 1, data=snapshot_data(nomination)
        )
    )


def _holders(role: Role, unit_ids: list[int]) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .where(
                RoleGrant.role == role.value,
                RoleGrant.unit_id.in_(unit_ids),
                User.disabled_at.is_(None),
            )
            .distinct()
        )
    )


def _nominators(nomination: Nomination) -> list[User]:
    """The author and the nominators of the nominating unit and of the units above it below
    the awarding body: a nominator of the body itself (who proposes the body's own dossiers,
    or its dossiers to the level above) is not told of every dossier of the units below."""
    ancestors = [*nomination.nominating_unit.ids_above, nomination.nominating_unit_id]
    body = nomination.campaign.awarding_body_id
    below = ancestors[ancestors.index(body) + 1 :] if body in ancestors else ancestors
    unit_ids = sorted({*below, nomination.nominating_unit_id})
    users = {u.id: u for u in _holders(Role.NOMINATOR, unit_ids)}
    if nomination.created_by.is_active:
        users[nomination.created_by.id] = nomination.created_by
    return list(users.values())


def holders(role: Role, unit_ids: list[int]) -> list[User]:
    """The active users holding `role` on any of these units."""
    return _holders(role, unit_ids)


def nominators_of(nomination: Nomination) -> list[User]:
    """Who nominated the dossier: its author and the nominators of its unit and of the units
    above it below the awarding body."""
    return _nominators(nomination)


def _body_people(nomination: Nomination, *roles: Role) -> list[User]:
    body = nomination.campaign.awarding_body_id
    found: dict[int, User] = {}
    for role in roles:
        found.update({u.id: u for u in _holders(role, [body])})
    return list(found.values())


def _message(event: AuditEvent, nomination: Nomination) -> str:
    names = {"nominee": nomination.nominee_name, "award": nomination.award_type.name}
    # A title is recognised ("được công nhận danh hiệu"), a commendation given ("được tặng").
    title = nomination.award_type.kind in (AwardKind.TITLE, AwardKind.MODEL)
    target = NominationState(event.to_state)
    texts = {
        NominationState.SUBMITTED: _("New dossier to appraise: %(nominee)s — %(award)s.", **names),
        NominationState.RETURNED: _(
            "The dossier of %(nominee)s (%(award)s) was sent back for changes.", **names
        ),
        NominationState.ACCEPTED: _(
            "The dossier of %(nominee)s (%(award)s) was accepted.", **names
        ),
        NominationState.REJECTED: _(
            "The dossier of %(nominee)s (%(award)s) was rejected.", **names
        ),
        NominationState.PASSED: (
            _("The council passed %(nominee)s for the title “%(award)s”.", **names)
            if title
            else _("The council passed %(nominee)s for %(award)s.", **names)
        ),
        NominationState.FAILED: _("The council did not pass %(nominee)s for %(award)s.", **names),
        NominationState.AWARDED: (
            _("%(nominee)s has been recognised with the title “%(award)s” by decision.", **names)
            if title
            else _("%(nominee)s has been awarded %(award)s by decision.", **names)
        ),
        NominationState.ANNULLED: _("The award of %(award)s to %(nominee)s was annulled.", **names),
    }
    if target == NominationState.AWARDED and event.comment:
        # The comment of an award is the decision that made it ("Quyết định số …").
        if title:
            return _(
                "%(nominee)s has been recognised with the title “%(award)s” (%(decision)s).",
                decision=event.comment,
                **names,
            )
        return _(
            "%(nominee)s has been awarded %(award)s (%(decision)s).",
            decision=event.comment,
            **names,
        )
    text = texts.get(target, "")
    if text and event.comment:
        if event.action == Action.CLOSE_VOTE.value:
            # The council's count, not anyone's opinion.
            text += " " + _("Result of the vote: %(result)s", result=event.comment)
        else:
            text += " " + _("Comment: %(comment)s", comment=event.comment)
    return text


KINDS = {
    NominationState.SUBMITTED: NotificationKind.DOSSIER_SUBMITTED,
    NominationState.RETURNED: NotificationKind.DOSSIER_RETURNED,
    NominationState.ACCEPTED: NotificationKind.DOSSIER_ACCEPTED,
    NominationState.REJECTED: NotificationKind.DOSSIER_REJECTED,
    NominationState.PASSED: NotificationKind.DOSSIER_PASSED,
    NominationState.FAILED: NotificationKind.DOSSIER_FAILED,
    NominationState.AWARDED: NotificationKind.DOSSIER_AWARDED,
    NominationState.ANNULLED: NotificationKind.AWARD_ANNULLED,
}


def _recipients(event: AuditEvent, nomination: Nomination) -> list[User]:
    target = NominationState(event.to_state)
    if target == NominationState.SUBMITTED:
        return _body_people(nomination, Role.SECRETARIAT)
    if target in (
        NominationState.RETURNED,
        NominationState.ACCEPTED,
        NominationState.REJECTED,
        NominationState.AWARDED,
        NominationState.ANNULLED,
    ):
        return _nominators(nomination)
    if target in (NominationState.PASSED, NominationState.FAILED):
        return _nominators(nomination) + _body_people(nomination, Role.SECRETARIAT)
    return []


def on_transition(nomination: Nomination, event: AuditEvent) -> None:
    """Run the effects of a recorded transition (in the same transaction)."""
    if event.to_state == NominationState.SUBMITTED.value:
        _take_snapshot(nomination)
    if event.action == Action.EDIT.value:
        return
    link = app_path("nominations.detail", nomination_id=nomination.id)
    for user in _recipients(event, nomination):
        if user.id == event.actor_id:
            continue
        with force_locale(user.locale or "vi"):
            text = _message(event, nomination)
        if text:
            kind = KINDS[NominationState(event.to_state)]
            notify(user, kind=kind, text=text, link=link)


def _hold_message(event: AuditEvent, nomination: Nomination) -> str:
    names = {"nominee": nomination.nominee_name, "award": nomination.award_type.name}
    if event.action == Action.HOLD.value and nomination.hold_kind is not None:
        return _(
            "The dossier of %(nominee)s (%(award)s) is held: %(kind)s. Reason: %(reason)s",
            kind=nomination.hold_kind.label,
            reason=event.comment,
            **names,
        )
    return _(
        "The hold on the dossier of %(nominee)s (%(award)s) has been lifted. Reason: %(reason)s",
        reason=event.comment,
        **names,
    )


def on_hold_changed(nomination: Nomination, event: AuditEvent) -> None:
    """Tell the nominators that their dossier was held or released (in their language)."""
    link = app_path("nominations.detail", nomination_id=nomination.id)
    kind = (
        NotificationKind.DOSSIER_HELD
        if event.action == Action.HOLD.value
        else NotificationKind.DOSSIER_RELEASED
    )
    for user in _nominators(nomination):
        if user.id == event.actor_id:
            continue
        with force_locale(user.locale or "vi"):
            text = _hold_message(event, nomination)
        notify(user, kind=kind, text=text, link=link)
