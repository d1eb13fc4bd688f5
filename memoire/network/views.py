"""The network's pages: directory, neighbourhoods, organisations, workshops, method cards,
and the forms mediators use to record them. Every form works without JavaScript."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from memoire.accounts.forms import add_error
from memoire.contributions.forms import language_choices
from memoire.core.db import parse_id
from memoire.core.errors import MemoireError, NotFound
from memoire.core.storage import get_storage
from memoire.core.transaction import refused
from memoire.extensions import db, login_manager
from memoire.maps.models import SubjectiveMap
from memoire.network import labels, queries
from memoire.network import operations as ops
from memoire.network.forms import (
    ConsentScanForm,
    FacilitatorForm,
    MethodForm,
    OrganisationForm,
    RemoveConsentScanForm,
    WithdrawListingForm,
    WorkshopForm,
    set_choices,
)
from memoire.network.models import (
    Facilitator,
    Method,
    Organisation,
    Workshop,
    WorkshopMap,
)
from memoire.places.models import Place
from memoire.stories.models import Story
from memoire.stories.presenters import story_card
from memoire.stories.visibility import may_view

bp = Blueprint("network", __name__)


def manager_required(view):
    """Mediators and staff only: others are sent to log in, or refused (403)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not ops.may_manage(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _or_404(fn, *args):
    try:
        return fn(*args)
    except NotFound:
        abort(404)


@bp.app_template_filter("network_date")
def network_date(value) -> str:
    return format_date(value, "long") if value else ""


@bp.app_template_global()
def network_label(table: str, value) -> str:
    """`network_label('AUDIENCES', 'seniors')` in templates."""
    return labels.label(getattr(labels, table), value)


@bp.app_template_global()
def workshop_of_story(story_id: int) -> Workshop | None:
    """The workshop a story was collected at, for the story page and citations."""
    return ops.workshop_of_story(story_id)


@bp.app_template_global()
def workshop_of_map(map_id: int) -> Workshop | None:
    return ops.workshop_of_map(map_id)


@bp.app_template_global()
def may_manage_network() -> bool:
    return ops.may_manage(current_user)


# --------------------------------------------------------------------------- visitors


@bp.app_template_global()
def may_see_consent_scans(story) -> bool:
    return ops.may_see_consent_scans(current_user, story)


def _workshop_rows(workshops) -> list[dict]:
    counts = queries.public_story_counts([w.id for w in workshops])
    return [
        {"workshop": w, "stories": counts.get(w.id, 0),
         "place": w.place if queries.may_show_place(current_user, w.place) else None,
         "facilitators": queries.listed(w.facilitators)}
        for w in workshops
    ]


@bp.get("/directory")
def directory():
    """"À qui faire appel ?": organisations, listed facilitators and methods, filtered."""
    args = request.args
    filters = queries.DirectoryFilters(
        neighbourhood=parse_id(args.get("neighbourhood", "")),
        country=args.get("country") if args.get("country") in labels.COUNTRIES else None,
        theme=(args.get("theme") or "").strip()[:80] or None,
        audience=args.get("audience") if args.get("audience") in labels.AUDIENCES else None,
        question=args.get("question") if args.get("question") in labels.QUESTION_KINDS else None,
        language=(args.get("language") or "").strip()[:10] or None,
    )
    found = queries.directory(filters)
    return render_template(
        "network/directory.html", found=found, filters=filters, labels=labels,
        neighbourhood_options=[(p.id, p.name) for p, _n in queries.served_neighbourhoods(current_user)],
        theme_options=[(t.slug, t.label(str(get_locale()))) for t in queries.directory_themes()],
        language_options=[(c.value, c.label) for c in language_choices()],
    )


@bp.get("/neighbourhoods")
def neighbourhoods():
    return render_template("network/neighbourhoods.html", places=queries.served_neighbourhoods(current_user))


@bp.get("/neighbourhoods/<int:place_id>")
def neighbourhood(place_id: int):
    place = db.session.get(Place, place_id)
    if place is None or not queries.may_show_place(current_user, place):
        abort(404)
    data = queries.neighbourhood(place)
    return render_template(
        "network/neighbourhood.html", data=data, workshops=_workshop_rows(data.workshops),
        stories=[story_card(s, None) for s in data.stories],
    )


@bp.get("/organisations/<slug>")
def organisation(slug: str):
    org = _or_404(ops.find_organisation, slug)
    workshops = queries.workshops_of_organisation(org)
    return render_template(
        "network/organisation.html", org=org, workshops=_workshop_rows(workshops),
        stories=[story_card(s, None) for s in queries.public_stories(w.id for w in workshops)],
        maps=queries.published_maps([w.id for w in workshops]),
        people=queries.listed(org.facilitators),
        place=org.place if queries.may_show_place(current_user, org.place) else None,
        neighbourhoods=queries.visible_places(current_user, org.neighbourhoods),
    )


@bp.get("/workshops")
def workshops():
    rows = list(db.session.scalars(select(Workshop).order_by(Workshop.starts_on.desc(), Workshop.id)))
    return render_template("network/workshops.html", workshops=_workshop_rows(rows))


@bp.get("/workshops/<int:workshop_id>")
def workshop(workshop_id: int):
    item = _or_404(ops.find_workshop, workshop_id)
    return render_template(
        "network/workshop.html", workshop=item,
        place=item.place if queries.may_show_place(current_user, item.place) else None,
        facilitators=queries.listed(item.facilitators),
        unnamed=len([f for f in item.facilitators if not f.is_listed]),
        stories=[story_card(s, None) for s in queries.public_stories([item.id])],
        maps=queries.published_maps([item.id]),
        exhibitions=queries.published_exhibitions([item.id]),
    )


@bp.get("/methods")
def methods():
    rows = list(db.session.scalars(select(Method).order_by(Method.slug)))
    return render_template("network/methods.html", methods=sorted(rows, key=lambda m: m.name.lower()))


@bp.get("/methods/<slug>")
@bp.get("/methods/<slug>/versions/<int:number>", endpoint="method_version")
def method(slug: str, number: int | None = None):
    card = _or_404(ops.find_method, slug)
    version = card.current
    if number is not None:
        version = next((v for v in card.versions if v.number == number), None)
        if version is None:
            abort(404)
    workshops = queries.workshops_of_method(card)
    return render_template(
        "network/method.html", method=card, version=version, workshops=_workshop_rows(workshops),
        stories=[story_card(s, None) for s in queries.public_stories(w.id for w in workshops)],
        maps=queries.published_maps([w.id for w in workshops]),
    )


# --------------------------------------------------------------------------- mediators


def _place_choices() -> list[tuple]:
    places = db.session.scalars(
        select(Place).where(Place.type.in_(["commune", "quartier", "building", "landmark"])).order_by(Place.name)
    )
    pairs = [("", _("None"))]
    pairs += [(p.id, f"{p.name} ({p.parent.name})" if p.parent else p.name) for p in places]
    return pairs


def _quartier_choices() -> list[tuple]:
    places = db.session.scalars(
        select(Place).where(Place.type.in_(["commune", "quartier"])).order_by(Place.name)
    )
    return [(p.id, f"{p.name} ({p.parent.name})" if p.parent else p.name) for p in places]


def _save(form, action, *, success: str, target):
    """Run an operation from a form; commit, flash and redirect, or put its error on the form."""
    try:
        result = action()
        db.session.commit()
    except MemoireError as error:
        db.session.rollback()
        add_error(form, error.field, error.message)
        return None
    flash(success, "success")
    return redirect(target(result))


def _workshop_input(form: WorkshopForm) -> ops.WorkshopInput:
    return ops.WorkshopInput(
        title=form.title.data or "", starts_on=form.starts_on.data, ends_on=form.ends_on.data,
        place_id=form.place_id.data, audience=form.audience.data or None,
        participants=form.participants.data, description=form.description.data or "",
        languages=form.languages.data or [], organisation_ids=form.organisations.data or [],
        method_ids=form.methods.data or [], facilitator_ids=form.facilitators.data or [],
    )


def _workshop_form(workshop: Workshop | None) -> WorkshopForm:
    data = None
    if workshop is not None and request.method == "GET":
        data = {
            "title": workshop.title, "starts_on": workshop.starts_on, "ends_on": workshop.ends_on,
            "place_id": workshop.place_id, "audience": workshop.audience or "",
            "participants": workshop.participants, "description": workshop.description,
            "languages": workshop.languages, "organisations": [o.id for o in workshop.organisations],
            "methods": [m.id for m in workshop.methods],
            "facilitators": [f.id for f in workshop.facilitators],
            "maps": list(db.session.scalars(select(WorkshopMap.map_id).where(WorkshopMap.workshop_id == workshop.id))),
        }
    elif request.method == "GET":
        data = {"languages": ["fr"]}
    form = WorkshopForm(data=data)
    set_choices(
        form,
        place_id=_place_choices(),
        organisations=[(o.id, o.name) for o in db.session.scalars(select(Organisation).order_by(Organisation.name))],
        methods=[(m.id, m.name) for m in db.session.scalars(select(Method).order_by(Method.slug))],
        facilitators=[(f.id, f.display_name) for f in db.session.scalars(select(Facilitator).order_by(Facilitator.display_name))],
        maps=[(m.id, m.title) for m in db.session.scalars(select(SubjectiveMap).order_by(SubjectiveMap.title))],
    )
    return form


def _save_workshop(form: WorkshopForm, workshop: Workshop | None) -> Workshop:
    data = _workshop_input(form)
    if workshop is None:
        workshop = ops.create_workshop(current_user, data)
    else:
        ops.update_workshop(current_user, workshop, data)
    wanted = set(form.maps.data or [])
    for link in db.session.scalars(select(WorkshopMap).where(WorkshopMap.workshop_id == workshop.id)):
        if link.map_id not in wanted:
            db.session.delete(link)
    for map_id in wanted:
        layer = db.session.get(SubjectiveMap, map_id)
        if layer is not None:
            ops.attach_map(current_user, workshop, layer)
    return workshop


@bp.route("/workshops/new", methods=["GET", "POST"])
@manager_required
def new_workshop():
    form = _workshop_form(None)
    if form.validate_on_submit():
        done = _save(form, lambda: _save_workshop(form, None), success=_("The workshop was saved."),
                     target=lambda w: url_for(".workshop", workshop_id=w.id))
        if done is not None:
            return done
    status = 400 if form.errors or form.form_errors else 200
    return render_template("network/workshop_form.html", form=form, workshop=None), status


@bp.route("/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
@manager_required
def edit_workshop(workshop_id: int):
    item = _or_404(ops.find_workshop, workshop_id)
    form = _workshop_form(item)
    if form.validate_on_submit():
        done = _save(form, lambda: _save_workshop(form, item), success=_("The workshop was saved."),
                     target=lambda w: url_for(".workshop", workshop_id=w.id))
        if done is not None:
            return done
    status = 400 if form.errors or form.form_errors else 200
    return render_template("network/workshop_form.html", form=form, workshop=item), status


def _organisation_form(org: Organisation | None) -> OrganisationForm:
    data = None
    if request.method == "GET":
        data = {"languages": ["fr"], "country": "FR", "kind": "neighbourhood_house"}
        if org is not None:
            data = {name: getattr(org, name) for name in (
                "name", "slug", "kind", "country", "address", "place_id", "website",
                "contact_email", "contact_phone", "description", "languages")}
            data["neighbourhoods"] = [p.id for p in org.neighbourhoods]
    form = OrganisationForm(data=data)
    set_choices(form, place_id=_place_choices(), neighbourhoods=_quartier_choices())
    return form


def _organisation_input(form: OrganisationForm) -> ops.OrganisationInput:
    return ops.OrganisationInput(
        name=form.name.data or "", slug=form.slug.data or "", kind=form.kind.data,
        country=form.country.data, address=form.address.data or "", place_id=form.place_id.data,
        website=form.website.data or "", contact_email=form.contact_email.data or "",
        contact_phone=form.contact_phone.data or "", description=form.description.data or "",
        languages=form.languages.data or [], neighbourhood_ids=form.neighbourhoods.data or [],
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@manager_required
def new_organisation():
    form = _organisation_form(None)
    if form.validate_on_submit():
        done = _save(form, lambda: ops.create_organisation(current_user, _organisation_input(form)),
                     success=_("The organisation was saved."),
                     target=lambda o: url_for(".organisation", slug=o.slug))
        if done is not None:
            return done
    status = 400 if form.errors or form.form_errors else 200
    return render_template("network/organisation_form.html", form=form, org=None), status


@bp.route("/organisations/<slug>/edit", methods=["GET", "POST"])
@manager_required
def edit_organisation(slug: str):
    org = _or_404(ops.find_organisation, slug)
    form = _organisation_form(org)
    if form.validate_on_submit():
        done = _save(form, lambda: ops.update_organisation(current_user, org, _organisation_input(form)),
                     success=_("The organisation was saved."),
                     target=lambda o: url_for(".organisation", slug=o.slug))
        if done is not None:
            return done
    status = 400 if form.errors or form.form_errors else 200
    return render_template("network/organisation_form.html", form=form, org=org), status


@bp.get("/facilitators")
@manager_required
def facilitators():
    rows = list(db.session.scalars(select(Facilitator).order_by(Facilitator.display_name)))
    return render_template("network/facilitators.html", facilitators=rows)


def _facilitator_form(person: Facilitator | None) -> FacilitatorForm:
    data = None
    if request.method == "GET":
        data = {"languages": ["fr"], "kind": "staff"}
        if person is not None:
            data = {name: getattr(person, name) for name in (
                "display_name", "is_pseudonym", "kind", "organisation_id", "bio", "contact", "languages")}
            data["listed"] = person.is_listed
    form = FacilitatorForm(data=data)
    orgs = [("", _("None"))] + [
        (o.id, o.name) for o in db.session.scalars(select(Organisation).order_by(Organisation.name))
    ]
    set_choices(form, organisation_id=orgs)
    return form


def _save_facilitator(form: FacilitatorForm, person: Facilitator | None) -> Facilitator:
    data = ops.FacilitatorInput(
        display_name=form.display_name.data or "", kind=form.kind.data,
        is_pseudonym=bool(form.is_pseudonym.data), organisation_id=form.organisation_id.data,
        bio=form.bio.data or "", contact=form.contact.data or "", languages=form.languages.data or [],
        person_id=person.person_id if person else None, user_id=person.user_id if person else None,
    )
    if person is None:
        return ops.create_facilitator(current_user, data, listed=bool(form.listed.data))
    ops.update_facilitator(current_user, person, data)
    if form.listed.data and not person.is_listed:
        ops.record_listing_consent(current_user, person)
    elif not form.listed.data and person.is_listed:
        ops.withdraw_listing(current_user, person)
    return person


@bp.route("/facilitators/new", methods=["GET", "POST"])
@manager_required
def new_facilitator():
    form = _facilitator_form(None)
    if form.validate_on_submit():
        done = _save(form, lambda: _save_facilitator(form, None), success=_("The facilitator was saved."),
                     target=lambda f: url_for(".facilitators"))
        if done is not None:
            return done
    status = 400 if form.errors or form.form_errors else 200
    return render_template("network/facilitator_form.html", form=form, person=None), status


@bp.route("/facilitators/<int:facilitator_id>/edit", methods=["GET", "POST"])
@manager_required
def edit_facilitator(facilitator_id: int):
    person = _or_404(ops.find_facilitator, facilitator_id)
    form = _facilitator_form(person)
    if form.validate_on_submit():
        done = _save(form, lambda: _save_facilitator(form, person), success=_("The facilitator was saved."),
                     target=lambda f: url_for(".facilitators"))
        if done is not None:
            return done
    status = 400 if form.errors or form.form_errors else 200
    return render_template("network/facilitator_form.html", form=form, person=person), status


@bp.route("/facilitators/<int:facilitator_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw_listing(facilitator_id: int):
    """A facilitator with an account (or staff) stops their public listing."""
    person = _or_404(ops.find_facilitator, facilitator_id)
    if not ops.may_withdraw_listing(current_user, person):
        abort(404)
    form = WithdrawListingForm()
    if form.validate_on_submit():
        ops.withdraw_listing(current_user, person)
        db.session.commit()
        flash(_("You are no longer named in public."), "success")
        return redirect(url_for(".directory"))
    return render_template("network/withdraw_listing.html", form=form, person=person)


def _method_form(card: Method | None) -> MethodForm:
    data = None
    if request.method == "GET":
        data = {"languages": ["fr"], "licence": "CC-BY-SA-4.0"}
        if card is not None:
            data = dict(vars(ops.method_input_from(card.current, card.slug)))
    form = MethodForm(data=data)
    set_choices(form)
    return form


def _method_input(form: MethodForm) -> ops.MethodInput:
    return ops.MethodInput(
        name=form.name.data or "", slug=form.slug.data or "", purpose=form.purpose.data or "",
        question_kinds=form.question_kinds.data or [], steps=form.steps.data or "",
        materials=form.materials.data or "", duration=form.duration.data or "",
        group_size=form.group_size.data or "", audiences=form.audiences.data or [],
        tips=form.tips.data or "", languages=form.languages.data or [], licence=form.licence.data,
    )


@bp.route("/methods/new", methods=["GET", "POST"])
@manager_required
def new_method():
    form = _method_form(None)
    if form.validate_on_submit():
        done = _save(form, lambda: ops.create_method(current_user, _method_input(form)),
                     success=_("The method card was saved."),
                     target=lambda m: url_for(".method", slug=m.slug))
        if done is not None:
            return done
    status = 400 if form.errors or form.form_errors else 200
    return render_template("network/method_form.html", form=form, method=None), status


@bp.route("/methods/<slug>/edit", methods=["GET", "POST"])
@manager_required
def edit_method(slug: str):
    card = _or_404(ops.find_method, slug)
    form = _method_form(card)
    if form.validate_on_submit():
        done = _save(form, lambda: ops.revise_method(current_user, card, _method_input(form),
                                                     form.note.data or ""),
                     success=_("The method card was saved."),
                     target=lambda v: url_for(".method", slug=card.slug))
        if done is not None:
            return done
    status = 400 if form.errors or form.form_errors else 200
    return render_template("network/method_form.html", form=form, method=card), status




# --------------------------------------------------------------------------- consent forms
# Private files: every refusal is the same 404 as "no such thing" (no existence oracle),
# and nothing here is cached anywhere but in the browser of who may see it.


def _story_for_scans(story_id: int) -> Story:
    story = db.session.get(Story, story_id)
    if story is None or not may_view(current_user, story) or not ops.may_see_consent_scans(current_user, story):
        abort(404)
    return story


@bp.route("/stories/<int:story_id>/consent-forms", methods=["GET", "POST"])
@login_required
def consent_scans(story_id: int):
    story = _story_for_scans(story_id)
    may_attach = ops.may_attach_consent_scan(current_user, story)
    form = ConsentScanForm()
    status = 200
    if request.method == "POST":
        if not may_attach:
            abort(403)
        if form.validate_on_submit():
            try:
                ops.attach_consent_scan(current_user, story, form.scan.data.stream, label=form.label.data or "")
                db.session.commit()
            except MemoireError as error:
                refused(form, error)
            else:
                flash(_("The consent form was attached. Only staff and the responsible mediator can open it."),
                      "success")
                return redirect(url_for(".consent_scans", story_id=story.id))
        status = 400
    response = render_template(
        "network/consent_scans.html", story=story, scans=ops.consent_scans_of(story.id), form=form,
        may_attach=may_attach, remove_form=RemoveConsentScanForm(),
    )
    return response, status, {"Cache-Control": "private, no-store"}


@bp.get("/consent-forms/<int:scan_id>")
@login_required
def consent_scan_file(scan_id: int):
    scan = _or_404(ops.find_consent_scan, current_user, scan_id)
    storage = get_storage()
    if not storage.exists(scan.storage_key):
        abort(404)
    # No ETag and no conditional answer: a validator would be the file's fingerprint, and a
    # shared cache must never keep a copy.
    response = send_file(
        storage.path(scan.storage_key), mimetype=scan.mime, as_attachment=True, etag=False,
        conditional=False, download_name=f"consent-form-{scan.story_id}-{scan.id}.{ops.CONSENT_SCAN_TYPES[scan.mime]}",
        max_age=None, last_modified=None,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers.pop("Last-Modified", None)
    return response


@bp.post("/consent-forms/<int:scan_id>/remove")
@login_required
def remove_consent_scan(scan_id: int):
    scan = _or_404(ops.find_consent_scan, current_user, scan_id)
    story_id = scan.story_id
    if RemoveConsentScanForm().validate_on_submit():
        try:
            ops.remove_consent_scan(current_user, scan)
            db.session.commit()
            flash(_("The consent form was removed."), "success")
        except MemoireError as error:
            refused()
            flash(str(error.message), "error")
    return redirect(url_for(".consent_scans", story_id=story_id))
