"""Sharing a memory step by step, a workshop's files in one go, and "my memories".

Every step is a plain HTML form that works without JavaScript; the draft story
itself holds the wizard's state, so a contributor can stop and come back.
"""

from __future__ import annotations

import re

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from memoire.accounts.forms import add_error
from memoire.accounts.models import Role
from memoire.contributions import held
from memoire.contributions import operations as ops
from memoire.contributions.forms import (
    CONSENT_METHOD_CHOICES,
    ConsentForm,
    MediaTextForm,
    PhotoForm,
    RecordingForm,
    WhatForm,
    WhenForm,
    WhereForm,
    WhoForm,
    WithdrawForm,
    WorkshopForm,
    choices,
    language_choices,
)
from memoire.core.db import parse_id
from memoire.core.errors import MemoireError, NotFound, ValidationError
from memoire.core.transaction import keep_changes, refused
from memoire.extensions import db
from memoire.media.models import DerivativeRole, Media, MediaKind
from memoire.places.models import Place
from memoire.places.operations import find_or_create_place, fold
from memoire.stories import operations as story_ops
from memoire.stories import responses
from memoire.stories.models import PlaceRole, Precision, Status, Story, Theme, Visibility
from memoire.stories.periods import parse_period_text
from memoire.stories.presenters import derivative_url

bp = Blueprint("contributions", __name__, url_prefix=None)

#: The wizard's steps, in order: (name, label).
STEPS = [
    ("what", _l("Your memory")),
    ("media", _l("Photos and sound")),
    ("where", _l("Where")),
    ("when", _l("When")),
    ("who", _l("Who tells it")),
    ("consent", _l("Consent")),
]
STEP_NAMES = [name for name, _label in STEPS]

STATUS_LABELS = {
    Status.draft.value: _l("Draft"),
    Status.submitted.value: _l("With the moderators"),
    Status.published.value: _l("Published"),
    Status.rejected.value: _l("Sent back to you"),
    Status.withdrawn.value: _l("Withdrawn"),
}

_NAME_WITH_PARENT = re.compile(r"^(.*\S)\s*\(([^()]+)\)$")


def _next_step(step: str) -> str | None:
    index = STEP_NAMES.index(step)
    return STEP_NAMES[index + 1] if index + 1 < len(STEP_NAMES) else None


def _previous_step(step: str) -> str | None:
    index = STEP_NAMES.index(step)
    return STEP_NAMES[index - 1] if index > 0 else None


def _is_mediator() -> bool:
    return current_user.is_authenticated and current_user.has_role(Role.mediator)


def _render_step(step: str, story: Story | None, status: int = 200, **context):
    context.setdefault("form", None)
    return render_template(
        f"contributions/{step}.html",
        step=step,
        steps=STEPS,
        story=story,
        next_step=_next_step(step),
        previous_step=_previous_step(step),
        is_mediator=_is_mediator(),
        **context,
    ), status


def _status(form) -> int:
    return 400 if form is not None and form.errors else 200


def _saved_and_next(story: Story, step: str):
    following = _next_step(step)
    if following is None:
        return redirect(url_for(".my_stories"))
    return redirect(url_for(".step", story_id=story.id, step=following))


# --------------------------------------------------------------------- step 1: what


def _theme_choices(form: WhatForm) -> None:
    themes = db.session.scalars(select(Theme).order_by(Theme.name)).all()
    locale = str(get_locale() or "fr")
    form.themes.choices = choices((t.name, t.label(locale)) for t in themes)
    form.language.choices = language_choices()


def _themes_from(form: WhatForm) -> list[str]:
    typed = [t.strip() for t in (form.new_themes.data or "").split(",")]
    return [*(form.themes.data or []), *(t for t in typed if t)]


@bp.route("/contribute", methods=["GET", "POST"])
@login_required
def contribute():
    """Step one for a new memory: its title and text; saving creates the draft."""
    form = WhatForm(data={"language": str(get_locale() or "fr")})
    _theme_choices(form)
    # "Je me souviens aussi": ?answers=<public story> pre-links the new draft to it.
    answering = _answering()
    moment_text = (request.values.get("answers_at") or request.values.get("t") or "").strip()
    moment_error = None
    if form.validate_on_submit():
        try:
            if answering is not None:
                try:
                    moment = responses.parse_moment(moment_text)
                except ValidationError as error:
                    moment_error = error.message
                    raise
                story = ops.start_response(
                    current_user,
                    answering,
                    title=form.title.data,
                    at=moment,
                    body=form.body.data or "",
                    language=form.language.data,
                    themes=_themes_from(form),
                )
            else:
                story = ops.start_draft(
                    current_user,
                    title=form.title.data,
                    body=form.body.data or "",
                    language=form.language.data,
                    themes=_themes_from(form),
                )
        except ValidationError as error:
            refused(form, error)
            if error.field == "answers_at":
                moment_error = error.message
        else:
            flash(
                _("Your draft is saved. You can come back to it at any time from “My memories”."),
                "success",
            )
            return _saved_and_next(story, "what")
    drafts = db.session.scalars(
        select(Story)
        .where(Story.contributor_id == current_user.id, Story.status == Status.draft.value)
        .order_by(Story.updated_at.desc())
        .limit(5)
    ).all()
    return _render_step(
        "what", None, _status(form), form=form, drafts=drafts, answering=answering,
        answering_recorded=answering is not None
        and any(m.kind == MediaKind.audio for m in answering.media),
        moment_text=_moment_text(moment_text), moment_error=moment_error,
    )


def _answering() -> Story | None:
    """The public story a new draft answers (?answers=id), or None; any other id is a 404."""
    ref = request.values.get("answers")
    if not ref:
        return None
    return responses.answerable_story(ref)


def _moment_text(text: str) -> str:
    """A moment from the player's ?t=83.5 shown as 1:23; what was typed stays as typed."""
    try:
        seconds = float(text)
    except ValueError:
        return text
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


@bp.route("/contribute/<int:story_id>/<step>", methods=["GET", "POST"])
@login_required
def step(story_id: int, step: str):
    if step not in STEP_NAMES:
        raise NotFound(_l("This page does not exist, or is not public."))
    story = ops.editable_story(current_user, story_id)
    return _STEP_VIEWS[step](story)


def _what(story: Story):
    form = WhatForm(
        data={
            "title": story.title,
            "body": story.body,
            "language": story.language,
            "themes": [t.name for t in story.themes],
        }
    )
    _theme_choices(form)
    # Themes added by others earlier stay ticked even if they were typed by hand.
    known = {choice.value for choice in form.themes.choices}
    form.themes.choices += choices((t.name, t.name) for t in story.themes if t.name not in known)
    if form.validate_on_submit():
        try:
            ops.save_changes(
                current_user,
                story,
                title=form.title.data,
                body=form.body.data or "",
                language=form.language.data,
                themes=_themes_from(form),
            )
            story.kind = ops.kind_from_media(story)
        except ValidationError as error:
            refused(form, error)
        else:
            return _saved_and_next(story, "what")
    return _render_step("what", story, _status(form), form=form, drafts=[])


# --------------------------------------------------------------------- step 2: media


def _media_items(story: Story) -> list[dict]:
    items = []
    for media in story.media:
        items.append(
            {
                "media": media,
                "thumbnail": derivative_url(media, DerivativeRole.thumbnail),
                "original": url_for("media.original", media_id=media.id),
                "form": MediaTextForm(
                    prefix=f"m{media.id}",
                    data={"caption": media.caption, "alt_text": media.alt_text},
                ),
            }
        )
    return items


def _render_media(
    story: Story, status: int = 200, photo_form=None, recording_form=None, items=None,
    held_photo=None,
):
    return _render_step(
        "media",
        story,
        status,
        held_photo=held_photo,
        photo_form=photo_form or PhotoForm(prefix="photo", formdata=None),
        recording_form=recording_form or RecordingForm(prefix="rec", formdata=None),
        items=items if items is not None else _media_items(story),
    )


def _media(story: Story):
    return _render_media(story)


@bp.post("/contribute/<int:story_id>/media/photo")
@login_required
def add_photo(story_id: int):
    story = ops.editable_story(current_user, story_id)
    form = PhotoForm(prefix="photo")
    held_photo = None
    if form.validate_on_submit():
        upload = form.photo.data
        chosen = bool(upload and upload.filename)
        # A photo kept from a previous try counts as chosen, unless a new one replaces it.
        held_photo = None if chosen else held.claim(current_user, story, request.form.get("photo-held"))
        if not chosen and held_photo is None:
            add_error(form, "photo", _l("Choose a photo first."))
        else:
            stream = upload.stream if chosen else held_photo.open()
            try:
                ops.add_contribution_media(
                    current_user,
                    story,
                    stream,
                    caption=form.caption.data,
                    alt_text=form.alt_text.data,
                    is_photo=True,
                )
            except ValidationError as error:
                field_name = error.field if error.field in {"alt_text", "caption"} else "photo"
                refused(form, error, field_name)
                if field_name != "photo" and chosen:
                    upload.stream.seek(0)
                    held_photo = held.hold(current_user, story, upload.stream, upload.filename)
                elif field_name == "photo":
                    held.release(held_photo)
                    held_photo = None
            else:
                held.release(held_photo)
                flash(_("The photo is added."), "success")
                return redirect(url_for(".step", story_id=story.id, step="media"))
            finally:
                if not chosen:
                    stream.close()
    return _render_media(story, 400, photo_form=form, held_photo=held_photo)


@bp.post("/contribute/<int:story_id>/media/recording")
@login_required
def add_recording(story_id: int):
    story = ops.editable_story(current_user, story_id)
    form = RecordingForm(prefix="rec")
    if form.validate_on_submit():
        upload = form.recording.data
        if not upload or not upload.filename:
            add_error(form, "recording", _l("Record or choose a sound file first."))
        else:
            try:
                ops.add_contribution_media(
                    current_user, story, upload.stream, caption=form.caption.data
                )
            except ValidationError as error:
                refused(form, error, "caption" if error.field == "caption" else "recording")
            else:
                flash(_("The recording is added."), "success")
                return redirect(url_for(".step", story_id=story.id, step="media"))
    return _render_media(story, 400, recording_form=form)


def _story_media(story: Story, media_id: int) -> Media:
    media = db.session.get(Media, media_id)
    if media is None or media.story_id != story.id:
        raise NotFound(_l("This file does not exist."))
    return media


@bp.post("/contribute/<int:story_id>/media/<int:media_id>")
@login_required
def update_media(story_id: int, media_id: int):
    story = ops.editable_story(current_user, story_id)
    media = _story_media(story, media_id)
    form = MediaTextForm(prefix=f"m{media.id}")
    if form.validate_on_submit():
        try:
            ops.update_media_text(
                current_user, media, caption=form.caption.data, alt_text=form.alt_text.data
            )
        except ValidationError as error:
            refused(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(
                url_for(".step", story_id=story.id, step="media") + f"#media-{media.id}"
            )
    items = _media_items(story)
    for item in items:
        if item["media"].id == media.id:
            item["form"] = form
    return _render_media(story, 400, items=items)


#: Held photos previewed in the browser: formats every browser shows, never SVG or HTML.
_PREVIEW_MIMES = {"image/jpeg", "image/png", "image/webp", "image/gif"}


@bp.get("/contribute/<int:story_id>/media/held")
@login_required
def held_preview(story_id: int):
    """The photo kept after a form error, shown back to the person who chose it (no one else)."""
    from flask import abort, send_file

    from memoire.media.processing import detect_kind

    story = ops.editable_story(current_user, story_id)
    kept = held.claim(current_user, story, request.args.get("ticket"))
    if kept is None:
        abort(404)
    try:
        kind, mime = detect_kind(kept.path)
    except MemoireError:
        abort(404)
    if kind != MediaKind.image or mime not in _PREVIEW_MIMES:
        abort(404)
    response = send_file(kept.path, mimetype=mime, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/contribute/<int:story_id>/media/<int:media_id>/remove")
@login_required
def remove_media(story_id: int, media_id: int):
    story = ops.editable_story(current_user, story_id)
    media = _story_media(story, media_id)
    ops.remove_contribution_media(current_user, story, media)
    flash(_("The file is removed."), "success")
    return redirect(url_for(".step", story_id=story.id, step="media"))


# --------------------------------------------------------------------- step 3: where


def _happened_place(story: Story) -> Place | None:
    return next((link.place for link in story.place_links if link.role == PlaceRole.happened), None)


def _coordinate_text(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}".rstrip("0").rstrip(".")


def _gps_suggestions(story: Story) -> list[dict]:
    return [
        {
            "media_id": m.id,
            "lat": round(m.gps_lat, 6),
            "lon": round(m.gps_lon, 6),
            "label": m.caption or m.alt_text,
        }
        for m in story.media
        if m.kind == MediaKind.image and m.gps_lat is not None and m.gps_lon is not None
    ]


def _resolve_place(form: WhereForm) -> Place | None:
    """The place named in the form: the suggestion picked, a known place, or a new one."""
    name = " ".join((form.place_name.data or "").split())
    if not name:
        return None
    picked = form.place_id.data
    if picked and str(picked).isascii() and str(picked).isdigit():
        place = db.session.get(Place, int(picked))
        if place is not None:
            labels = {fold(place.name), fold(ops.place_summary(place)["label"])}
            if fold(name) in labels:
                return place
    commune = " ".join((form.commune.data or "").split()) or None
    if commune is None and (m := _NAME_WITH_PARENT.match(name)):
        name, commune = m.group(1), m.group(2)
    return find_or_create_place(current_user, name=name, parent=commune)


#: Known places offered to tap on the "where" step, before any map or coordinates.
KNOWN_PLACES_SHOWN = 12


def _known_places(center: tuple[float, float] | None) -> list[Place]:
    """Gazetteer neighbourhoods this person may see, the nearest first when a point is known."""
    from memoire.places.queries import visible_place_ids

    shown = visible_place_ids(current_user)
    query = select(Place).where(Place.type.in_(["quartier", "commune"]), Place.lat.is_not(None))
    places = [p for p in db.session.scalars(query) if shown is None or p.id in shown]
    if center is not None:
        places.sort(key=lambda p: (p.lat - center[0]) ** 2 + ((p.lon - center[1]) * 0.64) ** 2)
    else:  # quartiers first: they are where people say things happened
        places.sort(key=lambda p: (p.type != "quartier", p.name))
    return places[:KNOWN_PLACES_SHOWN]


def _where(story: Story):
    place = _happened_place(story)
    form = WhereForm(
        data={
            "place_name": place.name if place else "",
            "place_id": str(place.id) if place else "",
            "commune": place.parent.name if place and place.parent else "",
            "lat": _coordinate_text(story.lat),
            "lon": _coordinate_text(story.lon),
        }
    )
    suggestions = _gps_suggestions(story)
    gps_used = None
    if request.method == "POST" and request.form.get("use_gps"):
        # "Use where the photo was taken": fill the point in, the contributor then saves.
        chosen = next(
            (s for s in suggestions if str(s["media_id"]) == request.form["use_gps"]), None
        )
        if chosen is not None:
            form.lat.data, form.lon.data = (
                _coordinate_text(chosen["lat"]),
                _coordinate_text(chosen["lon"]),
            )
            gps_used = chosen
        return _render_step(
            "where",
            story,
            form=form,
            gps=suggestions,
            gps_used=gps_used,
            map_center=_map_center(story, place),
        )
    known = _known_places(_map_center(story, place))
    tapped = request.form.get("known_place") if request.method == "POST" else None
    if tapped:
        # A known place tapped: it is the place, whatever the text box said.
        chosen = next((p for p in known if str(p.id) == tapped), None)
        if chosen is not None:
            form.place_name.data, form.place_id.data = chosen.name, str(chosen.id)
            form.commune.data = chosen.parent.name if chosen.parent else ""
    if form.validate_on_submit():
        try:
            lat = ops.parse_coordinate(form.lat.data, field_name="lat")
            lon = ops.parse_coordinate(form.lon.data, field_name="lon")
            if (lat is None) != (lon is None):
                raise ValidationError(
                    _l("A point needs both a latitude and a longitude."),
                    field="lon" if lon is None else "lat",
                )
            if lat is not None and not -90 <= lat <= 90:
                raise ValidationError(
                    _l("Latitude %(lat)s is outside -90..90.", lat=lat), field="lat"
                )
            if lon is not None and not -180 <= lon <= 180:
                raise ValidationError(
                    _l("Longitude %(lon)s is outside -180..180.", lon=lon), field="lon"
                )
            chosen_place = _resolve_place(form)
            others = [
                (link.place, link.role)
                for link in story.place_links
                if link.role != PlaceRole.happened
            ]
            places = ([(chosen_place, PlaceRole.happened.value)] if chosen_place else []) + others
            ops.save_changes(current_user, story, places=places, lat=lat, lon=lon)
        except ValidationError as error:
            refused(form, error, "place_name" if error.field == "place" else None)
        else:
            return _saved_and_next(story, "where")
    return _render_step(
        "where",
        story,
        _status(form),
        form=form,
        gps=suggestions,
        gps_used=gps_used,
        map_center=_map_center(story, place),
        known_places=known,
    )


def _map_center(story: Story, place: Place | None) -> tuple[float, float] | None:
    if story.lat is not None and story.lon is not None:
        return story.lat, story.lon
    if place is not None and place.has_point:
        return place.lat, place.lon
    return None


@bp.get("/contribute/places")
@login_required
def places():
    """Known places matching what is typed, for the type-ahead of the "where" step."""
    query = (request.args.get("q") or "")[:100]
    return jsonify({"places": ops.place_suggestions(current_user, query)})


# --------------------------------------------------------------------- step 4: when


def _when(story: Story):
    form = WhenForm(data={"period": story.period_text or _period_years(story)})
    if form.validate_on_submit():
        try:
            period = parse_period_text(form.period.data or "")
            ops.save_changes(current_user, story, period=period)
        except ValidationError as error:
            refused(form, error, "period")
        else:
            return _saved_and_next(story, "when")
    return _render_step("when", story, _status(form), form=form)


def _period_years(story: Story) -> str:
    if story.period_start is None:
        return ""
    if story.period_end in (None, story.period_start):
        return str(story.period_start)
    return f"{story.period_start}-{story.period_end}"


# --------------------------------------------------------------------- step 5: who


def _who(story: Story):
    person = story.narrators[0] if story.narrators else None
    own_name = current_user.display_name
    if person is None:
        choice = "other" if _is_mediator() else "me"
    else:
        choice = "me" if person.display_name == own_name else "other"
    form = WhoForm(
        data={
            "narrator": choice,
            "narrator_name": person.display_name if person else "",
            "pseudonym": person.is_pseudonym if person else False,
            "birth_decade": str(person.birth_decade) if person and person.birth_decade else "",
            "neighbourhood": person.neighbourhood if person and person.neighbourhood else "",
        }
    )
    if form.validate_on_submit():
        name = " ".join((form.narrator_name.data or "").split())
        if form.narrator.data == "me" and not name:
            name = own_name
        if not name:
            add_error(form, "narrator_name", _l("Give the narrator's name, or a pseudonym."))
        else:
            try:
                narrator = story_ops.NarratorInput(
                    name=name,
                    pseudonym=bool(form.pseudonym.data),
                    birth_decade=int(form.birth_decade.data) if form.birth_decade.data else None,
                    neighbourhood=(form.neighbourhood.data or "").strip() or None,
                )
                ops.save_changes(current_user, story, narrators=[narrator])
            except ValidationError as error:
                refused(form, error, "narrator_name")
            else:
                return _saved_and_next(story, "who")
    return _render_step("who", story, _status(form), form=form, own_name=own_name)


# --------------------------------------------------------------------- step 6: consent


def _consent_form(story: Story) -> ConsentForm:
    consent = story.consent
    data = {
        "visibility": story.visibility if consent is not None else Visibility.public.value,
        # Before any consent, the protective default (the street); the resident may choose
        # "exact" themselves.
        "precision": story.precision if consent is not None else Precision.street.value,
        "licence": story.licence,
    }
    if consent is not None:
        data.update(
            online_publication=consent.online_publication,
            research_use=consent.research_use,
            exhibition_use=consent.exhibition_use,
            narrator_is_minor=consent.narrator_is_minor,
            guardian_name=consent.guardian_name or "",
            given_by=consent.given_by,
            method=consent.method if consent.method != "online" or _is_mediator() else None,
        )
    elif story.narrators:
        data["given_by"] = story.narrators[0].display_name
    form = ConsentForm(data=data)
    form.method.choices = [
        *choices([("online", _l("The narrator answered these questions here, on this form"))]),
        *CONSENT_METHOD_CHOICES,
    ]
    return form


def _consent_from(form: ConsentForm) -> story_ops.ConsentInput:
    if _is_mediator():
        method = form.method.data or ""
        given_by = (form.given_by.data or "").strip()
    else:
        method, given_by = "online", current_user.display_name
    return story_ops.ConsentInput(
        given_by=given_by,
        method=method,
        online_publication=bool(form.online_publication.data),
        research_use=bool(form.research_use.data),
        exhibition_use=bool(form.exhibition_use.data),
        licence=form.licence.data,
        precision=form.precision.data,
        narrator_is_minor=bool(form.narrator_is_minor.data),
        guardian_name=(form.guardian_name.data or "").strip() or None,
    )


def _check_mediator_consent(consent: story_ops.ConsentInput) -> None:
    if not _is_mediator():
        return
    if consent.method not in {"online", "signed_form", "oral_recorded"}:
        raise ValidationError(_l("Say how the narrator gave consent."), field="method")
    if not consent.given_by:
        raise ValidationError(_l("Give the name of the person who gave consent."), field="given_by")


_CONSENT_FIELD = {
    "consent": "guardian_name",
    "precision": "precision",
    "licence": "licence",
    "visibility": "visibility",
}


def _consent(story: Story):
    form = _consent_form(story)
    if form.validate_on_submit():
        consent = _consent_from(form)
        try:
            _check_mediator_consent(consent)
            ops.save_changes(  # the story's rule: the consent covers the visibility chosen
                current_user,
                story,
                consent=consent,
                visibility=form.visibility.data,
                licence=consent.licence,
                precision=consent.precision,
            )
        except ValidationError as error:
            refused(form, error, _CONSENT_FIELD.get(error.field, error.field))
            return _render_step("consent", story, 400, form=form)
        if not form.send.data:
            flash(
                _("Your draft is saved. You can send it to the moderators when it is ready."),
                "success",
            )
            return redirect(url_for(".my_stories"))
        try:
            ops.submit_contribution(current_user, story)
        except ValidationError as error:
            keep_changes()  # the answers are kept; only the sending waits
            missing = _missing_step(error.field)
            form.form_errors.append(error.message)
            return _render_step("consent", story, 400, form=form, missing_step=missing)
        flash(
            _(
                "Thank you! Your memory is with the moderators. You will see here when it is published."
            ),
            "success",
        )
        return redirect(url_for(".my_stories"))
    return _render_step("consent", story, _status(form), form=form)


def _missing_step(field: str | None) -> str | None:
    return {"body": "what", "narrator": "who", "consent": "consent"}.get(field or "")


_STEP_VIEWS = {
    "what": _what,
    "media": _media,
    "where": _where,
    "when": _when,
    "who": _who,
    "consent": _consent,
}


# --------------------------------------------------------------------- my memories


@bp.get("/my-stories")
@login_required
def my_stories():
    stories = db.session.scalars(
        select(Story)
        .where(Story.contributor_id == current_user.id)
        .order_by(Story.updated_at.desc(), Story.id.desc())
    ).all()
    return render_template(
        "contributions/my_stories.html",
        stories=stories,
        status_labels=STATUS_LABELS,
        editable=ops.EDITABLE,
    )


@bp.route("/my-stories/<int:story_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(story_id: int):
    """Ask before withdrawing (a page, so it works without JavaScript), then hide at once."""
    story = ops.own_story(current_user, story_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        story_ops.withdraw_story(current_user, story)
        flash(
            _(
                "The memory is withdrawn: nobody can see it any more, and the administrators "
                "have been asked to erase it."
            ),
            "success",
        )
        return redirect(url_for(".my_stories"))
    return render_template("contributions/withdraw.html", story=story, form=form)


# --------------------------------------------------------------------- workshop upload


@bp.route("/contribute/workshop", methods=["GET", "POST"])
@login_required
def workshop():
    """A mediator uploads a workshop's recordings and photos: one draft per file."""
    ops.check_mediator(current_user)
    form = WorkshopForm(data={"language": str(get_locale() or "fr"),
                              "workshop": parse_id(request.args.get("workshop", ""))})
    form.language.choices = language_choices()
    form.workshop.choices = _workshop_choices()
    results: list[ops.WorkshopResult] = []
    if form.validate_on_submit():
        files = [f for f in (form.files.data or []) if f and f.filename]
        upload = None
        try:
            upload = _workshop_upload(form)
        except ValidationError as error:
            refused(form, error)
        if not files:
            add_error(form, "files", _l("Choose at least one file."))
        elif upload is not None:
            results = _take_workshop_files(upload, files)
            created = sum(1 for r in results if r.story_id)
            if created:
                flash(_drafts_created(created), "success")
            if all(r.story_id for r in results):
                return redirect(url_for(".my_stories"))
    status = 400 if form.errors or any(r.error for r in results) else 200
    return render_template("contributions/workshop.html", form=form, results=results), status


def _drafts_created(count: int) -> str:
    return ngettext(
        "%(num)d draft memory was created.", "%(num)d draft memories were created.", count
    )


def _workshop_choices() -> list:
    from memoire.network.models import Workshop

    rows = db.session.scalars(select(Workshop).order_by(Workshop.starts_on.desc(), Workshop.id.desc()))
    return [("", _("None: name the workshop below"))] + [
        (w.id, f"{w.title} ({w.starts_on.isoformat()})") for w in rows
    ]


def _workshop_upload(form: WorkshopForm) -> ops.WorkshopUpload:
    from memoire.network.operations import find_workshop

    record = None
    if form.workshop.data is not None:
        try:
            record = find_workshop(form.workshop.data)
        except NotFound:
            raise ValidationError(_l("Choose a workshop from the list."), field="workshop") from None
    title = " ".join((form.title.data or "").split()) or (record.title if record else "")
    if not title:
        raise ValidationError(
            _l("Name the workshop: each memory's title starts with it."), field="title"
        )
    place = None
    if (form.place_name.data or "").strip():
        try:
            place = find_or_create_place(current_user, name=form.place_name.data)
        except ValidationError as error:
            raise ValidationError(error.message, field="place_name") from None
    period = parse_period_text(form.period.data or "")
    consent = story_ops.ConsentInput(
        given_by=form.given_by.data.strip(),
        method=form.method.data,
        online_publication=bool(form.online_publication.data),
        research_use=bool(form.research_use.data),
        exhibition_use=bool(form.exhibition_use.data),
    )
    upload = ops.WorkshopUpload(
        title=title,
        consent=consent,
        narrator=form.narrator.data or "",
        place=place if place is not None or record is None else record.place,
        period=period,
        language=form.language.data,
        workshop=record,
    )
    db.session.commit()  # a new place is kept even if a file fails
    return upload


def _take_workshop_files(upload: ops.WorkshopUpload, files) -> list[ops.WorkshopResult]:
    """One transaction per file: a broken file is reported and the others are kept."""
    results = []
    for storage in files:
        result = ops.WorkshopResult(filename=storage.filename)
        try:
            story = ops.workshop_draft(current_user, upload, storage.filename, storage.stream)
            db.session.commit()
            result.story_id = story.id
        except MemoireError as error:
            db.session.rollback()
            result.error = str(error.message)
        results.append(result)
    return results
