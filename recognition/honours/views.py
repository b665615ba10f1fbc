"""The honour board: public pages (no account) and the secretariat's publishing pages."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from recognition.certificates.rendering import verify_url
from recognition.common.downloads import PDF, send_document, send_stored
from recognition.common.forms import ask_for_the_files_again, parse_id, show_domain_error
from recognition.common.links import public_url
from recognition.common.loading import load_or_404, require
from recognition.common.pagination import paginate
from recognition.common.text import clean
from recognition.database import local_today
from recognition.errors import DomainError
from recognition.extensions import db, limiter
from recognition.honours.forms import PHOTO_SLOTS, PublishForm, UnpublishForm
from recognition.honours.models import HonourEntry, HonourPhoto
from recognition.honours.permissions import (
    can_manage_any_honours,
    can_publish_certificate,
    can_unpublish_entry,
)
from recognition.honours.poster import poster_view, render_poster
from recognition.honours.queries import (
    BoardFilter,
    award_years,
    awards_for_bodies,
    board_facets,
    board_query,
    certificate_for_publishing,
    entries_by_certificate,
    entry_for_certificate,
    managed_bodies,
    poster_entries,
    published_entry,
)
from recognition.honours.services import PhotoUpload, photo_limit_mb, publish_entry, unpublish_entry
from recognition.units.models import Unit

bp = Blueprint("honours", __name__, url_prefix="/honours")

PER_PAGE = 12
QUERY_MAX = 100


def _year(value: str | None) -> int | None:
    number = parse_id(value)
    return number if number is not None and 1945 <= number <= 2200 else None


def _filters() -> BoardFilter:
    args = request.args
    return BoardFilter(
        year=_year(args.get("year")),
        body_id=parse_id(args.get("body")),
        unit_id=parse_id(args.get("unit")),
        award_type_id=parse_id(args.get("title")),
        q=clean(args.get("q", ""))[:QUERY_MAX],
    )


@bp.get("/")
def board() -> ResponseReturnValue:
    """The public board: filters by year, body, unit and title, a search without diacritics."""
    chosen = _filters()
    page = paginate(board_query(chosen), per_page=PER_PAGE)
    share = (
        public_url("honours.board", year=chosen.year)
        if chosen.year
        else public_url("honours.board")
    )
    return render_template(
        "honours/board.html", page=page, chosen=chosen, facets=board_facets(), share_url=share
    )


@bp.get("/<int:entry_id>")
def entry(entry_id: int) -> ResponseReturnValue:
    """One entry: its story, photos and the link to its certificate's verification."""
    found = published_entry(entry_id)
    if found is None:
        abort(404)
    first = found.photos[0] if found.photos else None
    return render_template(
        "honours/entry.html",
        entry=found,
        verify_link=verify_url(found.certificate),
        share_url=public_url("honours.entry", entry_id=found.id),
        image_url=public_url("honours.photo", photo_id=first.id) if first else None,
    )


@bp.get("/photos/<int:photo_id>")
def photo(photo_id: int) -> ResponseReturnValue:
    """A photo of a published entry (served by the app, never as a static file)."""
    found = db.session.get(HonourPhoto, photo_id)
    if found is None or published_entry(found.entry_id) is None:
        abort(404)
    return send_stored(
        found.storage_key, mimetype=found.content_type, filename=found.original_name, inline=True
    )


@bp.get("/poster.pdf")
@limiter.limit("10 per minute")
def poster() -> ResponseReturnValue:
    """A year's models as a poster (A3): the year asked, or the latest with entries."""
    chosen = _filters()
    facets = board_facets()
    year = chosen.year or (facets.years[0] if facets.years else local_today().year)
    body = db.session.get(Unit, chosen.body_id) if chosen.body_id else None
    entries = poster_entries(year, body.id if body else None)
    names = {e.awarding_body.name for e in entries}
    body_name = body.name if body else (names.pop() if len(names) == 1 else "")
    view = poster_view(entries, year=year, body_name=body_name, today=local_today())
    try:
        content = render_poster(view)
    except DomainError as error:
        flash(error.message, "danger")
        return redirect(url_for("honours.board", year=year))
    return send_document(content, mimetype=PDF, filename=f"guong-dien-hinh-{year}.pdf")


# --- the secretariat ------------------------------------------------------------------------


@bp.get("/manage")
@require(can_manage_any_honours)
def manage() -> ResponseReturnValue:
    """The awards of the user's bodies, with what is on the board."""
    bodies = managed_bodies(current_user)
    body_ids = [body.id for body in bodies]
    years = award_years(body_ids)
    year = _year(request.args.get("year"))
    page = paginate(awards_for_bodies(body_ids, year), per_page=25)
    entries = entries_by_certificate([certificate.id for certificate in page.items])
    return render_template(
        "honours/manage.html", page=page, entries=entries, years=years, year=year, bodies=bodies
    )


def _uploads(form: PublishForm) -> list[PhotoUpload]:
    uploads = []
    for slot in range(1, PHOTO_SLOTS + 1):
        data = getattr(form, f"photo_{slot}").data
        if getattr(data, "filename", ""):
            caption = getattr(form, f"caption_{slot}").data or ""
            uploads.append(PhotoUpload(data.stream, data.filename, caption, f"photo_{slot}"))
    return uploads


@bp.route("/certificates/<int:certificate_id>/publish", methods=["GET", "POST"])
@login_required
def publish(certificate_id: int) -> ResponseReturnValue:
    """Publish an award on the board, or edit its entry: story and photos."""
    certificate = certificate_for_publishing(certificate_id)
    if certificate is None:
        abort(404)
    if not can_publish_certificate(current_user, certificate):
        abort(403)
    existing = entry_for_certificate(certificate)
    form = PublishForm(obj=existing)
    form.remove_photos.choices = [(p.id, p.caption) for p in (existing.photos if existing else [])]
    if form.validate_on_submit():
        try:
            entry = publish_entry(
                certificate,
                actor=current_user,
                story=form.story.data or "",
                photos=_uploads(form),
                remove_photo_ids=set(form.remove_photos.data or []),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("The entry is on the public honour board."), "success")
            return redirect(url_for("honours.entry", entry_id=entry.id))
    if form.is_submitted():
        ask_for_the_files_again(form)
    return render_template(
        "honours/publish.html",
        certificate=certificate,
        line=certificate.line,
        entry=existing,
        form=form,
        unpublish_form=UnpublishForm(),
        photo_mb=photo_limit_mb(),
        photo_slots=PHOTO_SLOTS,
    )


@bp.get("/entries/<int:entry_id>")
@login_required
def entry_record(entry_id: int) -> ResponseReturnValue:
    """Where the audit log links an entry: its form for the body's secretariat, its public
    page for everyone else while it is published."""
    found = load_or_404(HonourEntry, entry_id)
    if can_unpublish_entry(current_user, found):
        return redirect(url_for("honours.publish", certificate_id=found.certificate_id))
    if published_entry(found.id) is None:
        abort(404)
    return redirect(url_for("honours.entry", entry_id=found.id))


@bp.post("/<int:entry_id>/unpublish")
@login_required
def unpublish(entry_id: int) -> ResponseReturnValue:
    """Take an entry down from the public board (audited, with the reason)."""
    entry = load_or_404(HonourEntry, entry_id, permitted=can_unpublish_entry)
    form = UnpublishForm()
    if not form.validate_on_submit():
        flash(_("The reason is too long, or the form expired; send it again."), "danger")
        return redirect(url_for("honours.publish", certificate_id=entry.certificate_id))
    unpublish_entry(entry, actor=current_user, reason=form.reason.data or "")
    db.session.commit()
    flash(_("The entry was taken down from the public honour board."), "success")
    return redirect(url_for("honours.manage"))
