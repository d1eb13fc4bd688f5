"""The moderation queue: read a submission, fix its metadata, publish it or send it back.

Only moderators and administrators come here: anonymous visitors are sent to the
login page, other logged-in people get 403. Every decision is audited by the
story operations themselves.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from memoire.accounts.access import role_required
from memoire.accounts.forms import add_error
from memoire.accounts.models import Role
from memoire.contributions import operations as contribution_ops
from memoire.contributions.forms import PRECISION_CHOICES, language_choices
from memoire.contributions.views import STATUS_LABELS
from memoire.core.errors import InvalidTransition, MemoireError, NotFound, ValidationError
from memoire.extensions import db
from memoire.media.models import DerivativeRole, Media, MediaKind
from memoire.moderation.forms import (
    MODERATION_VISIBILITY_CHOICES,
    PublishForm,
    SendBackForm,
    StoryEditForm,
)
from memoire.places.operations import find_or_create_place, is_new_place
from memoire.stories import operations as story_ops
from memoire.stories.models import PlaceRole, Status, Story
from memoire.stories.periods import parse_period_text
from memoire.stories.presenters import derivative_url

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

QUEUE_LIMIT = 200


#: Moderators and administrators only: 403 for others, the login page for visitors.
staff_required = role_required(Role.moderator)


def _media_view(media: Media) -> dict:
    """What a moderator needs to see a file: the browser copy, else the original (staff may)."""
    stream = media.derivative(DerivativeRole.stream)
    original = url_for("media.original", media_id=media.id)
    return {
        "media": media,
        "thumbnail": derivative_url(media, DerivativeRole.thumbnail),
        "display": derivative_url(media, DerivativeRole.display) or original,
        "audio": (derivative_url(media, DerivativeRole.stream) if stream else original)
        if media.kind == MediaKind.audio
        else None,
        "audio_mime": (stream.mime if stream else media.mime),
        "original": original,
    }


@bp.get("/")
@staff_required
def queue():
    stories = db.session.scalars(
        select(Story)
        .where(Story.status == Status.submitted.value)
        .options(
            selectinload(Story.media).selectinload(Media.derivatives), selectinload(Story.consents)
        )
        .order_by(Story.submitted_at.is_(None), Story.submitted_at, Story.id)
        .limit(QUEUE_LIMIT)
    ).all()
    waiting = db.session.scalar(
        select(func.count()).select_from(Story).where(Story.status == Status.submitted.value)
    )
    returned = db.session.scalars(
        select(Story)
        .where(Story.status == Status.rejected.value)
        .order_by(Story.updated_at.desc())
        .limit(20)
    ).all()
    return render_template(
        "moderation/queue.html",
        entries=[{"story": s, "media": [_media_view(m) for m in s.media]} for s in stories],
        waiting=waiting,
        returned=returned,
        status_labels=STATUS_LABELS,
    )


def _story(story_id: int) -> Story:
    story = db.session.get(Story, story_id)
    if story is None or story.status == Status.withdrawn:
        raise NotFound(_l("This story does not exist, or is not public."))
    return story


def _edit_form(story: Story) -> StoryEditForm:
    place = next(
        (link.place for link in story.place_links if link.role == PlaceRole.happened), None
    )
    form = StoryEditForm(
        prefix="edit",
        data={
            "title": story.title,
            "summary": story.summary,
            "body": story.body,
            "kind": story.kind,
            "language": story.language,
            "period": story.period_text or _years(story),
            "place_name": place.name if place else "",
            "commune": place.parent.name if place and place.parent else "",
            "lat": "" if story.lat is None else str(story.lat),
            "lon": "" if story.lon is None else str(story.lon),
            "themes": ", ".join(t.name for t in story.themes),
            "visibility": story.visibility,
            "precision": story.precision,
            "licence": story.licence,
        },
    )
    form.language.choices = language_choices()
    return form


def _years(story: Story) -> str:
    if story.period_start is None:
        return ""
    if story.period_end in (None, story.period_start):
        return str(story.period_start)
    return f"{story.period_start}-{story.period_end}"


def _render_review(story: Story, status: int = 200, **forms):
    forms.setdefault("edit_form", _edit_form(story))
    forms.setdefault("publish_form", PublishForm(prefix="publish", formdata=None))
    forms.setdefault("back_form", SendBackForm(prefix="back", formdata=None))
    return render_template(
        "moderation/review.html",
        story=story,
        media=[_media_view(m) for m in story.media],
        consent=story.consent,
        status_labels=STATUS_LABELS,
        publishable=story_ops.can_move(story, "publish"),
        returnable=story_ops.can_move(story, "send_back"),
        visibility_labels={c.value: c.label for c in MODERATION_VISIBILITY_CHOICES},
        precision_labels={c.value: c.label for c in PRECISION_CHOICES},
        # Places this contribution adds to the gazetteer: a typed name that matched no known place.
        new_places=[link.place for link in story.place_links if is_new_place(link.place, story)],
        **forms,
    ), status


@bp.get("/<int:story_id>")
@staff_required
def review(story_id: int):
    return _render_review(_story(story_id))


_EDIT_FIELDS = {"place": "place_name", "places": "place_name", "themes": "themes"}


@bp.post("/<int:story_id>/edit")
@staff_required
def edit(story_id: int):
    story = _story(story_id)
    form = StoryEditForm(prefix="edit")
    form.language.choices = language_choices()
    if form.validate_on_submit():
        try:
            _save_edit(story, form)
            db.session.commit()
        except ValidationError as error:
            db.session.rollback()
            add_error(form, _EDIT_FIELDS.get(error.field, error.field), error.message)
        else:
            flash(_("The changes are saved."), "success")
            return redirect(url_for(".review", story_id=story.id))
    return _render_review(story, 400, edit_form=form)


def _save_edit(story: Story, form: StoryEditForm) -> None:
    lat = contribution_ops.parse_coordinate(form.lat.data, field_name="lat")
    lon = contribution_ops.parse_coordinate(form.lon.data, field_name="lon")
    if (lat is None) != (lon is None):
        raise ValidationError(
            _l("A point needs both a latitude and a longitude."),
            field="lon" if lon is None else "lat",
        )
    period = parse_period_text(form.period.data or "")
    places = [
        (link.place, link.role) for link in story.place_links if link.role != PlaceRole.happened
    ]
    name = " ".join((form.place_name.data or "").split())
    if name:
        place = find_or_create_place(
            current_user, name=name, parent=" ".join((form.commune.data or "").split()) or None
        )
        places.insert(0, (place, PlaceRole.happened.value))
    themes = [t.strip() for t in (form.themes.data or "").split(",") if t.strip()]
    contribution_ops.save_changes(
        current_user,
        story,
        title=form.title.data,
        summary=form.summary.data or "",
        body=form.body.data or "",
        kind=form.kind.data,
        language=form.language.data,
        period=period,
        places=places,
        lat=lat,
        lon=lon,
        themes=themes,
        visibility=form.visibility.data,
        precision=form.precision.data,
        licence=form.licence.data,
    )


def _refused(form, error: MemoireError, field: str | None = None) -> None:
    """A refused decision: by its form, or, for a move the story's status does not allow
    (409, where the form is not shown), as a notice on the page."""
    if isinstance(error, InvalidTransition):
        flash(str(error.message), "error")
    else:
        add_error(form, field, error.message)


@bp.post("/<int:story_id>/publish")
@staff_required
def publish(story_id: int):
    story = _story(story_id)
    form = PublishForm(prefix="publish")
    if form.validate_on_submit():
        try:
            story_ops.publish_story(current_user, story)
            db.session.commit()
        except MemoireError as error:  # consent missing (400), or not up for review (409)
            db.session.rollback()
            _refused(form, error)
            return _render_review(story, error.status, publish_form=form)
        flash(_("“%(title)s” is published.", title=story.title), "success")
        return redirect(url_for(".queue"))
    return _render_review(story, 400, publish_form=form)


@bp.post("/<int:story_id>/send-back")
@staff_required
def send_back(story_id: int):
    story = _story(story_id)
    form = SendBackForm(prefix="back")
    if form.validate_on_submit():
        try:
            story_ops.send_back_story(current_user, story, form.reason.data)
            db.session.commit()
        except MemoireError as error:
            db.session.rollback()
            _refused(form, error, "reason" if error.field == "reason" else None)
            return _render_review(story, error.status, back_form=form)
        else:
            flash(_("“%(title)s” is sent back to its contributor.", title=story.title), "success")
            return redirect(url_for(".queue"))
    return _render_review(story, 400, back_form=form)


def _seconds(text: str | None) -> float | None:
    """'75', '1:15' or '0:01:15' as seconds; None when it cannot be read."""
    parts = (text or "").strip().split(":")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        return None
    if not values or len(values) > 3 or any(v < 0 for v in values):
        return None
    total = 0.0
    for value in values:
        total = total * 60 + value
    return total


@bp.post("/<int:story_id>/redact")
@staff_required
def redact(story_id: int):
    """Withhold a passage of a recording (silence in the public audio, neutral transcript)."""
    from memoire.media import operations as media_ops

    story = _story(story_id)  # CSRF is checked by CSRFProtect, as for every form
    media = db.session.get(Media, request.form.get("media_id", type=int) or 0)
    if media is None or media.story_id != story.id:
        abort(404)
    start, end = _seconds(request.form.get("start")), _seconds(request.form.get("end"))
    try:
        if start is None or end is None:
            raise ValidationError(_l("Give the start and end as seconds or minutes:seconds."), field="start")
        media_ops.redact(current_user, media, start, end)
        db.session.commit()
    except ValidationError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for(".review", story_id=story.id))
    flash(_("The passage is withheld; the public recording is being prepared again."), "success")
    return redirect(url_for(".review", story_id=story.id))
