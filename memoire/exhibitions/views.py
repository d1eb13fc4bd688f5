"""Exhibition pages for visitors (list, scrolling page, kiosk, preview) and the curators' editor.

Views parse the request, call operations and commit; every form works without
JavaScript (exhibition-editor.js only adds drag and drop).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from memoire.accounts.access import role_required
from memoire.accounts.models import Role
from memoire.core.errors import MemoireError, NotFound, ValidationError
from memoire.exhibitions import operations as ops
from memoire.exhibitions.forms import AddItemForm, ExhibitionForm, ItemForm, choices, format_time
from memoire.exhibitions.models import Exhibition, ExhibitionItem
from memoire.exhibitions.presenters import SiteLinks, exhibition_document
from memoire.extensions import db
from memoire.media.models import DerivativeRole
from memoire.stories.presenters import derivative_url
from memoire.transcripts.operations import segment_text

bp = Blueprint("exhibitions", __name__, url_prefix="/exhibitions")

#: How many stories the editor's search lists.
SEARCH_LIMIT = 20


#: Curators and administrators only: others are sent to log in, or refused (403).
curator_required = role_required(Role.curator)


# --------------------------------------------------------------------------- visitors


@bp.get("")
def index():
    """The published exhibitions, newest first."""
    exhibitions = ops.published_exhibitions()
    links = SiteLinks()
    cards = []
    for exhibition in exhibitions:
        document = exhibition_document(exhibition, links)
        cards.append({"document": document, "count": len(document["items"])})
    return render_template(
        "exhibitions/index.html", cards=cards, may_curate=ops.may_curate(current_user)
    )


def _render_page(exhibition: Exhibition, *, preview: bool = False) -> str:
    """The scrolling page, or with `?kiosk=1` the kiosk, of what the rule lets through now."""
    kiosk = request.args.get("kiosk") in {"1", "true", "yes"}
    document = exhibition_document(exhibition, SiteLinks())
    return render_template(
        "exhibitions/show.html",
        doc=document,
        exhibition=exhibition,
        kiosk=kiosk,
        preview=preview,
        may_curate=ops.may_curate(current_user),
    )


@bp.get("/<slug>")
def show(slug: str):
    """The scrolling page (`?kiosk=1`: full screen, larger type, auto-advance)."""
    if ops.may_curate(current_user):
        exhibition = ops.get_exhibition(slug)  # curators see their drafts, marked as such
    else:
        exhibition = ops.get_published_exhibition(slug)
    return _render_page(exhibition)


@bp.get("/<slug>/preview/<token>")
def preview(slug: str, token: str):
    """A draft shown to whoever holds a signed link, until the link expires."""
    exhibition = ops.exhibition_for_preview(token)
    if exhibition.slug != slug:
        raise NotFound(_("This preview link is not valid."))
    if exhibition.status == ops.PUBLISHED:
        return redirect(url_for("exhibitions.show", slug=slug, **request.args))
    response = _render_page(exhibition, preview=True)
    return response, 200, {"X-Robots-Tag": "noindex", "Cache-Control": "private, no-store"}


# --------------------------------------------------------------------------- curators


def _curated(slug: str) -> Exhibition:
    return ops.get_exhibition(slug)


def _item(exhibition: Exhibition, item_id: int) -> ExhibitionItem:
    item = db.session.get(ExhibitionItem, item_id)
    if item is None or item.exhibition_id != exhibition.id:
        abort(404)
    return item


def _fail(error: MemoireError) -> None:
    db.session.rollback()
    flash(str(error.message), "error")


def _editor_url(exhibition: Exhibition, anchor: str | None = None) -> str:
    return url_for("exhibitions.edit", slug=exhibition.slug, _anchor=anchor)


@bp.get("/manage")
@curator_required
def manage():
    """Every exhibition, drafts included, for curators."""
    return render_template("exhibitions/manage.html", exhibitions=ops.all_exhibitions())


def _cover_choices(exhibition: Exhibition | None) -> list:
    pairs = [(0, _("The first item's photo"))]
    seen = set()
    for n, item in enumerate(exhibition.items if exhibition else [], start=1):
        for k, photo in enumerate(ops.photos_of(item.story), start=1):
            if photo.id in seen:
                continue
            seen.add(photo.id)
            label = photo.caption or _("photo %(n)s", n=k)
            pairs.append((photo.id, f"{n}. {item.story.title} — {label}"))
    return choices(pairs)


def _exhibition_input(form: ExhibitionForm) -> ops.ExhibitionInput:
    return ops.ExhibitionInput(
        title=form.title.data or "",
        slug=form.slug.data or "",
        introduction=form.introduction.data or "",
        languages=list(form.languages.data or []),
        cover_media_id=form.cover.data or None,
    )


@bp.route("/new", methods=["GET", "POST"])
@curator_required
def new():
    """Create an exhibition: title, short name, introduction, languages."""
    form = ExhibitionForm()
    form.cover.choices = _cover_choices(None)
    if form.validate_on_submit():
        try:
            exhibition = ops.create_exhibition(current_user, _exhibition_input(form))
            db.session.commit()
        except ValidationError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            flash(_("Exhibition created. Now add stories to it."), "success")
            return redirect(_editor_url(exhibition))
    return render_template("exhibitions/edit.html", form=form, exhibition=None)


def _form_error(form, error: ValidationError) -> None:
    target = getattr(form, error.field or "", None)
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, str(error.message)]
    else:
        flash(str(error.message), "error")


def _item_row(number: int, item: ExhibitionItem, hidden_reason) -> dict:
    """What the editor shows for one item; a hidden item shows no content of its story."""
    row = {"number": number, "item": item, "hidden": hidden_reason}
    if hidden_reason is not None:
        return row
    story = item.story
    form = ItemForm(
        prefix=f"item-{item.id}",
        formdata=None,
        data={
            "caption": item.caption,
            "photo": item.photo_media_id or 0,
            "start": format_time(item.excerpt_start),
            "end": format_time(item.excerpt_end),
        },
    )
    photos = ops.photos_of(story)
    form.photo.choices = choices(
        [(0, _("The story's first photo") if photos else _("No photo"))]
        + [
            (photo.id, f"{k}. {photo.caption or _('photo %(n)s', n=k)}")
            for k, photo in enumerate(photos, 1)
        ]
    )
    recording = ops.recording_of(story)
    transcript = next(
        (t for t in story.transcripts if recording and t.media_id == recording.id), None
    )
    row.update(
        form=form,
        story=story,
        photos=[
            {
                "id": p.id,
                "thumbnail": derivative_url(p, DerivativeRole.thumbnail),
                "alt": p.alt_text or p.caption,
            }
            for p in photos
        ],
        recording=recording,
        stream_ready=bool(recording and recording.derivative(DerivativeRole.stream)),
        segments=[
            {
                "start": s.start,
                "time": format_time(s.start),
                "speaker": s.speaker,
                "text": segment_text(s),
            }
            for s in (transcript.segments if transcript else [])
            if s.start is not None
        ],
        excerpt_lines=len(ops.excerpt_segments(item)),
    )
    return row


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@curator_required
def edit(slug: str):
    """The editor: the exhibition's fields, its items (caption, photo, excerpt, order), the search."""
    exhibition = _curated(slug)
    form = (
        ExhibitionForm(
            obj=None,
            data={
                "title": exhibition.title,
                "slug": exhibition.slug,
                "introduction": exhibition.introduction,
                "languages": exhibition.languages or ["fr"],
                "cover": exhibition.cover_media_id or 0,
            },
        )
        if request.method == "GET"
        else ExhibitionForm()
    )
    form.cover.choices = _cover_choices(exhibition)
    if request.method == "POST" and form.validate_on_submit():
        try:
            ops.update_exhibition(current_user, exhibition, _exhibition_input(form))
            db.session.commit()
        except ValidationError as error:
            db.session.rollback()
            exhibition = _curated(slug)
            _form_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(_editor_url(exhibition))
    hidden = {item.id: reason for _n, item, reason in ops.hidden_items(exhibition)}
    rows = [
        _item_row(n, item, hidden.get(item.id)) for n, item in enumerate(exhibition.items, start=1)
    ]
    query = request.args.get("q", "")
    results = ops.exhibitable_stories(query, SEARCH_LIMIT) if "q" in request.args else []
    preview_url = request.args.get("preview")
    return render_template(
        "exhibitions/edit.html",
        form=form,
        exhibition=exhibition,
        rows=rows,
        hidden=ops.hidden_items(exhibition),
        add_form=AddItemForm(formdata=None),
        query=query,
        results=results,
        searched="q" in request.args,
        preview_url=preview_url,
        preview_days=max(1, ops.preview_max_age() // 86400),
    )


@bp.post("/<slug>/items")
@curator_required
def add_item(slug: str):
    """Add a story by archive id or external id (the search results post the same form)."""
    exhibition = _curated(slug)
    form = AddItemForm()
    if not form.validate_on_submit():
        flash(_("Give the number or the external id of a story."), "error")
        return redirect(_editor_url(exhibition, "add"))
    try:
        item = ops.add_item(current_user, exhibition, form.story.data)
        db.session.commit()
    except MemoireError as error:
        _fail(error)
        return redirect(_editor_url(exhibition, "add"))
    flash(_("“%(title)s” was added.", title=item.story.title), "success")
    return redirect(_editor_url(exhibition, f"item-{item.id}"))


@bp.post("/<slug>/items/<int:item_id>")
@curator_required
def item_action(slug: str, item_id: int):
    """One form per item; its buttons say what to do: save, up, down or remove."""
    exhibition = _curated(slug)
    item = _item(exhibition, item_id)
    action = request.form.get("action", "save")
    anchor = f"item-{item.id}"
    try:
        if action == "up":
            ops.move_item(current_user, item, -1)
        elif action == "down":
            ops.move_item(current_user, item, +1)
        elif action == "remove":
            ops.remove_item(current_user, item)
            anchor = "items"
        else:
            _save_item(item)
        db.session.commit()
    except MemoireError as error:
        _fail(error)
    else:
        if action == "save":
            flash(_("Item saved."), "success")
    return redirect(_editor_url(exhibition, anchor))


def _save_item(item: ExhibitionItem) -> None:
    form = ItemForm(prefix=f"item-{item.id}")
    form.photo.choices = choices([(0, "")] + [(p.id, "") for p in ops.photos_of(item.story)])
    if not form.validate():
        messages = [f"{form[name].label.text}: {errors[0]}" for name, errors in form.errors.items()]
        raise ValidationError("; ".join(messages))
    excerpt = ops.Excerpt(
        start=form.start.seconds, end=form.end.seconds, photo_media_id=form.photo.data or None
    )
    ops.update_item(current_user, item, caption=form.caption.data or "", excerpt=excerpt)


def _wants_json() -> bool:
    return (
        request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"
    )


@bp.post("/<slug>/order")
@curator_required
def reorder(slug: str):
    """The order after drag and drop: `order` lists the item ids, comma-separated."""
    exhibition = _curated(slug)
    raw = ",".join(request.form.getlist("order"))
    try:
        ids = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        ids = []
    try:
        ops.reorder_items(current_user, exhibition, ids)
        db.session.commit()
    except MemoireError as error:
        db.session.rollback()
        if _wants_json():
            return jsonify({"error": str(error.message)}), 400
        flash(str(error.message), "error")
        return redirect(_editor_url(exhibition, "items"))
    if _wants_json():
        return jsonify({"order": [item.id for item in exhibition.items]})
    return redirect(_editor_url(exhibition, "items"))


@bp.post("/<slug>/status")
@curator_required
def set_status(slug: str):
    """Publish, or go back to draft."""
    exhibition = _curated(slug)
    wanted = request.form.get("status", "")
    try:
        ops.set_status(current_user, exhibition, wanted)
        db.session.commit()
    except MemoireError as error:
        _fail(error)
    else:
        if wanted == ops.PUBLISHED:
            flash(_("The exhibition is published."), "success")
        else:
            flash(_("The exhibition is back to draft: visitors no longer see it."), "success")
    return redirect(_editor_url(exhibition))


@bp.post("/<slug>/preview-link")
@curator_required
def preview_link(slug: str):
    """Make a signed, expiring link that shows the draft; the editor then displays it."""
    exhibition = _curated(slug)
    token = ops.preview_token(current_user, exhibition)
    db.session.commit()
    url = url_for("exhibitions.preview", slug=exhibition.slug, token=token, _external=True)
    return redirect(
        url_for("exhibitions.edit", slug=exhibition.slug, preview=url, _anchor="preview")
    )


@bp.post("/<slug>/delete")
@curator_required
def delete(slug: str):
    """Delete the exhibition; its stories are not touched."""
    exhibition = _curated(slug)
    ops.delete_exhibition(current_user, exhibition)
    db.session.commit()
    flash(_("The exhibition was deleted. The stories themselves are untouched."), "success")
    return redirect(url_for("exhibitions.manage"))


@bp.get("/<slug>/export.json")
@curator_required
def export_json(slug: str):
    """The exhibition in the import format, to edit offline and load back with `memoire exhibition import`."""
    from memoire.exhibitions.schemas import exhibition_to_document

    exhibition = _curated(slug)
    response = jsonify(exhibition_to_document(exhibition))
    response.headers["Content-Disposition"] = f'attachment; filename="{exhibition.slug}.json"'
    return response


@bp.post("/<slug>/bundle")
@curator_required
def bundle(slug: str):
    """Build the offline BagIt bundle now and hand it over (exhibitions are small: seconds)."""
    from memoire.exhibitions.bundle import build_bundle

    exhibition = _curated(slug)
    work = Path(tempfile.mkdtemp(prefix="bundle-"))
    try:
        target = work / f"{exhibition.slug}.zip"
        build_bundle(exhibition, target)
        # An open file outlives its folder (POSIX): the folder goes now, whatever the client does.
        data = open(target, "rb")  # noqa: SIM115 (closed by the response)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return send_file(
        data, mimetype="application/zip", as_attachment=True, download_name=f"{exhibition.slug}.zip"
    )
