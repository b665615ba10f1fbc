"""Dossiers through the API, on behalf of the client's unit: list and read them, create one,
change its texts, attach files, submit it and resubmit it after a send-back.

Each write calls the services and the transition the forms call (create_nomination, which is
check_offered and build_draft; update_nomination; add_attachment with its storage and content
checks; apply_transition with the submit guard), as the client's account, a nominator of the
client's unit: there is no second path. Every write is also recorded under the client's name.
"""

from typing import Any

from flask import abort, url_for
from flask_babel import gettext as _

from recognition.api.enums import ClientAction, Scope
from recognition.api.schemas import (
    AttachmentIn,
    AttachmentOut,
    DossierChangesIn,
    FileIn,
    NominationDetailOut,
    NominationFilter,
    NominationIn,
    NominationOut,
    TransitionIn,
)
from recognition.api.services import record_write
from recognition.api.spec import (
    Blueprint,
    PageArgs,
    authorised,
    current_client,
    page_of,
    page_schema,
)
from recognition.campaigns.models import AwardType, Campaign, Criterion
from recognition.errors import DomainError, InvalidTransition
from recognition.extensions import db
from recognition.nominations.attachments import AlreadyAttached, add_attachment
from recognition.nominations.enums import Action, Gender
from recognition.nominations.models import Nomination
from recognition.nominations.permissions import can_view_nomination
from recognition.nominations.queries import (
    Filters,
    nomination_ids_for_user,
    nominations_in_order,
    return_note,
)
from recognition.nominations.services import (
    Answer,
    Collective,
    Nominee,
    Report,
    create_nomination,
    update_nomination,
)
from recognition.nominations.workflow import apply_transition, available_actions
from recognition.units.models import Unit

dossiers = Blueprint(
    "api_dossiers",
    __name__,
    url_prefix="/api/v1",
    tag="Dossiers",
    description=(
        "The dossiers (nominations) of the client's unit and the units below it: listed and "
        "read with scope `read`; created, completed, given evidence files, submitted and "
        "resubmitted on the unit's behalf with scope `nominations:write`."
    ),
)


def _detail(nomination: Nomination) -> dict[str, Any]:
    note = return_note(nomination)
    user = current_client().user
    return {
        **_summary(nomination),
        "summary": nomination.summary,
        "answers": [
            {
                "criterion_id": a.criterion_id,
                "met": a.met,
                "value": a.value,
                "text": a.text,
                "evidence_note": a.evidence_note,
            }
            for a in nomination.answers
        ],
        "attachments": [a for a in nomination.attachments if a.removed_at is None],
        "returned": {"comment": note.comment, "at": note.at} if note else None,
        "actions": [a.value for a in available_actions(user, nomination)],
    }


def _summary(nomination: Nomination) -> dict[str, Any]:
    return {
        "id": nomination.id,
        "reference": nomination.reference,
        "state": nomination.state,
        "version": nomination.version,
        "campaign_id": nomination.campaign_id,
        "award_type_id": nomination.award_type_id,
        "nominating_unit_id": nomination.nominating_unit_id,
        "nominee_name": nomination.nominee_name,
        "nominee_unit_id": nomination.nominee_unit_id,
        "submitted_at": nomination.submitted_at,
    }


def _load(nomination_id: int) -> Nomination:
    nomination = db.session.get(Nomination, nomination_id)
    if nomination is None:
        abort(404)
    if not can_view_nomination(current_client().user, nomination):
        abort(403)
    return nomination


def _unit(unit_id: int | None) -> Unit | None:
    return db.session.get(Unit, unit_id) if unit_id else None


def _report(data: dict[str, Any] | None, nomination: Nomination) -> Report:
    """The report as sent; a section left out keeps its text."""
    data = data or {}
    return Report(
        summary=data.get("summary", nomination.summary),
        general=data.get("general", nomination.report_general),
        achievements=data.get("achievements", nomination.report_achievements),
        criteria=data.get("criteria", nomination.report_criteria),
        commendations=data.get("commendations", nomination.report_commendations),
    )


def _answers(items: list[dict[str, Any]]) -> dict[int, Answer]:
    return {
        item["criterion_id"]: Answer(
            met=item["met"],
            value=item["value"],
            text=item["text"],
            evidence_note=item["evidence_note"],
        )
        for item in items
    }


def _apply_changes(nomination: Nomination, data: dict[str, Any]) -> list[str]:
    """update_nomination with what the request sends (the same service as the form)."""
    if data.get("report") is None and not data.get("answers") and data.get("women_percent") is None:
        return []
    women = data.get("women_percent")
    return update_nomination(
        nomination,
        _report(data.get("report"), nomination),
        _answers(data.get("answers") or []),
        actor=current_client().user,
        collective=Collective(women_percent=women) if women is not None else None,
        expected_version=data.get("version"),
    )


@dossiers.get("/nominations")
@authorised(Scope.READ)
@dossiers.arguments(NominationFilter, location="query")
@dossiers.arguments(PageArgs, location="query")
@dossiers.response(200, page_schema(NominationOut, "NominationPage"))
def nominations(filters: dict[str, Any], args: dict[str, int]) -> Any:
    """The dossiers of the client's unit and the units below it, by the nominee's name."""
    ids = nomination_ids_for_user(
        current_client().user,
        Filters(campaign_id=filters["campaign_id"], state=filters["state"]),
    )
    # As the HTML list: a page of ids from the list's covering index, then those dossiers.
    page = page_of(ids, args)
    page["items"] = [_summary(n) for n in nominations_in_order(page["items"])]
    return page


@dossiers.get("/nominations/<int:nomination_id>")
@authorised(Scope.READ)
@dossiers.response(200, NominationDetailOut)
def nomination(nomination_id: int) -> Any:
    return _detail(_load(nomination_id))


@dossiers.post("/nominations")
@authorised(Scope.NOMINATIONS_WRITE)
@dossiers.arguments(NominationIn)
@dossiers.response(201, NominationDetailOut)
@dossiers.alt_response(409, response="CONFLICT")
@dossiers.alt_response(422, response="UNPROCESSABLE_ENTITY")
def create(data: dict[str, Any]) -> Any:
    """Start a draft dossier in an open campaign, for a unit or a person in the client's
    reach, with its report and self-assessment if given."""
    client = current_client()
    campaign = db.session.get(Campaign, data["campaign_id"])
    award = db.session.get(AwardType, data["award_type_id"])
    if campaign is None or award is None:
        field = "campaign_id" if campaign is None else "award_type_id"
        raise DomainError(_not_found(), field=field)
    person = data.get("person") or {}
    nominee = Nominee(
        unit=_unit(data.get("nominee_unit_id")),
        person_name=person.get("name", ""),
        person_position=person.get("position", ""),
        person_unit=_unit(person.get("unit_id")),
        person_birth_year=person.get("birth_year"),
        person_gender=Gender(person["gender"]) if person.get("gender") else None,
    )
    created = create_nomination(campaign, award, nominee, actor=client.user)
    _apply_changes(created, {**data, "version": None})
    record_write(client, ClientAction.CREATE_DOSSIER, subject=created.nominee_name)
    db.session.commit()
    return _detail(created), 201, {"Location": _location(created)}


def _not_found() -> str:
    return _("No such object.")


def _location(nomination: Nomination) -> str:
    return url_for("api_dossiers.nomination", nomination_id=nomination.id)


@dossiers.patch("/nominations/<int:nomination_id>")
@authorised(Scope.NOMINATIONS_WRITE)
@dossiers.arguments(DossierChangesIn)
@dossiers.response(200, NominationDetailOut)
@dossiers.alt_response(409, response="CONFLICT")
@dossiers.alt_response(422, response="UNPROCESSABLE_ENTITY")
def update(data: dict[str, Any], nomination_id: int) -> Any:
    """Change a draft's or a returned dossier's report and self-assessment (with `version`,
    a newer version stored is a 409)."""
    client = current_client()
    found = _load(nomination_id)
    changed = _apply_changes(found, data)
    if changed:
        record_write(
            client, ClientAction.EDIT_DOSSIER, subject=_name(found), comment=", ".join(changed)
        )
    db.session.commit()
    return _detail(found)


def _name(nomination: Nomination) -> str:
    return " · ".join(p for p in (nomination.reference, nomination.nominee_name) if p)


@dossiers.post("/nominations/<int:nomination_id>/attachments")
@authorised(Scope.NOMINATIONS_WRITE)
@dossiers.arguments(AttachmentIn, location="query")
@dossiers.arguments(FileIn, location="files")
@dossiers.response(201, AttachmentOut)
@dossiers.alt_response(409, response="CONFLICT")
@dossiers.alt_response(413, response="REQUEST_ENTITY_TOO_LARGE")
@dossiers.alt_response(422, response="UNPROCESSABLE_ENTITY")
def attach(form: dict[str, Any], files: dict[str, Any], nomination_id: int) -> Any:
    """Add an evidence file (PDF, image or office document, checked by its content), for the
    whole dossier or, with `criterion_id`, for one criterion."""
    client = current_client()
    found = _load(nomination_id)
    upload = files["file"]
    criterion = None
    if form.get("criterion_id"):
        criterion = db.session.get(Criterion, form["criterion_id"])
        if criterion is None:
            raise DomainError(_not_found(), field="criterion_id")
        if criterion.award_type_id != found.award_type_id:
            raise DomainError(
                _("That criterion does not belong to this dossier."), field="criterion_id"
            )
    try:
        attachment = add_attachment(
            found, upload.stream, upload.filename or "", actor=client.user, criterion=criterion
        )
    except AlreadyAttached as error:  # the dossier holds it already: a conflict, not bad input
        raise InvalidTransition(error.message) from error
    except DomainError as error:
        # The file's own checks (its type by content, its size, the dossier's total) are
        # about the input: a 422 on `file`, not a 409 about the dossier's state.
        if type(error) is not DomainError or error.field:
            raise
        raise DomainError(error.message, field="file") from error
    record_write(
        client, ClientAction.ATTACH, subject=_name(found), comment=attachment.original_name
    )
    db.session.commit()
    return attachment, 201


def _transition(nomination_id: int, action: Action, data: dict[str, Any]) -> Nomination:
    client = current_client()
    found = _load(nomination_id)
    apply_transition(found, action, actor=client.user, expected_version=data.get("version"))
    return found


@dossiers.post("/nominations/<int:nomination_id>/submit")
@authorised(Scope.NOMINATIONS_WRITE)
@dossiers.arguments(TransitionIn)
@dossiers.response(200, NominationDetailOut)
@dossiers.alt_response(409, response="CONFLICT")
def submit(data: dict[str, Any], nomination_id: int) -> Any:
    """Submit a draft (the submit guard: the window open, the report written, the required
    criteria answered and evidenced)."""
    found = _transition(nomination_id, Action.SUBMIT, data)
    record_write(current_client(), ClientAction.SUBMIT, subject=_name(found))
    db.session.commit()
    return _detail(found)


@dossiers.post("/nominations/<int:nomination_id>/resubmit")
@authorised(Scope.NOMINATIONS_WRITE)
@dossiers.arguments(DossierChangesIn)
@dossiers.response(200, NominationDetailOut)
@dossiers.alt_response(409, response="CONFLICT")
@dossiers.alt_response(422, response="UNPROCESSABLE_ENTITY")
def resubmit(data: dict[str, Any], nomination_id: int) -> Any:
    """Answer a send-back: apply the changes sent (as PATCH does), then submit the dossier
    again, in one transaction."""
    client = current_client()
    found = _load(nomination_id)
    changed = _apply_changes(found, data)
    apply_transition(
        found,
        Action.RESUBMIT,
        actor=client.user,
        expected_version=None if changed else data.get("version"),
    )
    record_write(client, ClientAction.RESUBMIT, subject=_name(found), comment=", ".join(changed))
    db.session.commit()
    return _detail(found)
