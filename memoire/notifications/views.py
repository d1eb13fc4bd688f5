"""The account's choice about e-mails on its own stories: a plain form, works without JavaScript."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField

from memoire.extensions import db
from memoire.notifications import operations

bp = Blueprint("notifications", __name__, url_prefix="/account")


class NewsForm(FlaskForm):
    story_news = BooleanField(
        _l("E-mail me when one of my memories is published, sent back to me or withdrawn, "
           "and when a correction I proposed is decided"),
    )
    submit = SubmitField(_l("Save"))


@bp.route("/news", methods=["GET", "POST"])
@login_required
def settings():
    # On POST the box's absence means "no": never fall back to the stored value.
    form = NewsForm() if request.method == "POST" else NewsForm(data={"story_news": current_user.story_news})
    if form.validate_on_submit():
        operations.set_story_news(current_user, form.story_news.data)
        db.session.commit()
        flash(_("Your choice is saved."), "success")
        return redirect(url_for(".settings"))
    return render_template("notifications/settings.html", form=form), 400 if form.errors else 200
