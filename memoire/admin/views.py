"""Administration: accounts and roles, and the withdrawn stories waiting to be erased.

Room is left for later pages (gazetteer, themes, index, backups): each adds a view
here and a line to the `SECTIONS` shown on the index page.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, or_, select

from memoire.accounts.access import role_required
from memoire.accounts.models import Role, User
from memoire.accounts.operations import change_role
from memoire.admin.forms import ROLE_LABELS, RoleForm, ThemeNamesForm
from memoire.core.errors import MemoireError
from memoire.core.transaction import refused
from memoire.extensions import db
from memoire.stories import operations as story_ops
from memoire.stories.models import Status, Story, Theme

bp = Blueprint("admin", __name__, url_prefix="/admin")

USERS_PER_PAGE = 50

#: The administration pages listed on the index: (endpoint, label, description).
SECTIONS = [
    (
        "admin.users",
        _l("Accounts and roles"),
        _l("Give people the role they need: mediator, moderator, researcher…"),
    ),
    (
        "moderation.queue",
        _l("Moderation"),
        _l("Memories waiting to be read before they are published."),
    ),
    (
        "admin.themes",
        _l("Themes"),
        _l("The name of each theme in French, Dutch and English."),
    ),
    (
        "jobs.index",
        _l("Background jobs"),
        _l("Audio streams, waveforms and bundles being prepared, and the jobs that failed."),
    ),
]


#: Administrators only: 403 for others, the login page for visitors.
admin_required = role_required(Role.admin)
#: Moderators and administrators, the staff who may name themes (`stories.operations.name_theme`).
staff_required = role_required(Role.moderator)


@bp.get("/")
@admin_required
def index():
    counts = dict(
        db.session.execute(select(Story.status, func.count()).group_by(Story.status)).all()
    )
    accounts = db.session.scalar(select(func.count()).select_from(User))
    withdrawn = db.session.scalars(
        select(Story).where(Story.status == Status.withdrawn.value).order_by(Story.withdrawn_at)
    ).all()
    # Pages of domains that are not installed are left out rather than linked and broken.
    sections = [section for section in SECTIONS if section[0] in current_app.view_functions]
    return render_template(
        "admin/index.html", sections=sections, counts=counts, accounts=accounts, withdrawn=withdrawn
    )


@bp.get("/users")
@admin_required
def users():
    query = select(User).order_by(User.email)
    wanted = (request.args.get("q") or "").strip()
    if wanted:
        pattern = f"%{wanted.lower()}%"
        query = query.where(
            or_(func.lower(User.email).like(pattern), func.lower(User.display_name).like(pattern))
        )
    page = max(1, request.args.get("page", 1, type=int))
    people = db.session.scalars(
        query.offset((page - 1) * USERS_PER_PAGE).limit(USERS_PER_PAGE + 1)
    ).all()
    rows = [
        (user, RoleForm(prefix=f"u{user.id}", formdata=None, data={"role": user.role}))
        for user in people[:USERS_PER_PAGE]
    ]
    return render_template(
        "admin/users.html",
        rows=rows,
        q=wanted,
        page=page,
        has_next=len(people) > USERS_PER_PAGE,
        role_labels=ROLE_LABELS,
    )


@bp.post("/users/<int:user_id>/role")
@admin_required
def set_role(user_id: int):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    form = RoleForm(prefix=f"u{user.id}")
    if not form.validate_on_submit():
        flash(_("Choose one of the roles in the list."), "error")
        return redirect(url_for(".users"))
    if user.id == current_user.id and form.role.data != Role.admin:
        # The last way back in would be the command line: do not lock oneself out here.
        flash(_("You cannot remove your own administrator role."), "error")
        return redirect(url_for(".users"))
    try:
        change_role(current_user, user, form.role.data)
        db.session.commit()
    except MemoireError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        flash(
            _("%(email)s is now: %(role)s.", email=user.email, role=ROLE_LABELS[user.role]),
            "success",
        )
    return redirect(url_for(".users", q=request.args.get("q") or None))


@bp.post("/stories/<int:story_id>/erase")
@admin_required
def erase_story(story_id: int):
    """Erase a story everywhere (rows, files, derivatives, index), leaving an audit line."""
    from memoire.privacy import operations as privacy
    from memoire.search import service

    story = db.session.get(Story, story_id)
    if story is None:
        abort(404)
    try:
        privacy.erase_story(current_user, story)
        db.session.commit()
    except MemoireError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(url_for(".index"))
    service.apply_pending_after_commit()
    privacy.scrub_after_erasure()
    flash(_("Story %(id)s is erased.", id=story_id), "success")
    return redirect(url_for(".index"))


@bp.get("/themes")
@staff_required
def themes():
    found = db.session.scalars(select(Theme).order_by(Theme.name)).all()
    return render_template("admin/themes.html", themes=found)


@bp.route("/themes/<int:theme_id>", methods=["GET", "POST"])
@staff_required
def theme(theme_id: int):
    """A theme's name per language: the form shows the stored names, and the fallback is said."""
    found = db.session.get(Theme, theme_id)
    if found is None:
        abort(404)
    languages = story_ops.theme_languages()
    stored = {languages[0]: found.name, **(found.names or {})}
    form = ThemeNamesForm() if request.method == "POST" else ThemeNamesForm(data=stored)
    fields = [form[code] for code in languages if code in form]
    if form.validate_on_submit():
        try:
            story_ops.name_theme(current_user, found, {f.name: f.data for f in fields})
        except MemoireError as error:
            refused(form, error)
        else:
            flash(_("The names of the theme are saved."), "success")
            return redirect(url_for(".themes"))
    status = 400 if form.errors else 200
    return render_template("admin/theme.html", theme=found, form=form, fields=fields), status
