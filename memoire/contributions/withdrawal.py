"""A narrator's way back when a mediator entered their story (issue 13 item 11).

The consent receipt carries a signed withdrawal link the narrator can open without an
account; or the narrator asks the mediator or a moderator, who withdraws it at once, the
audit saying how the request came. Both are `stories.operations.withdraw_story`, as
immediate as a contributor's own withdrawal.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice

from memoire.accounts.forms import add_error
from memoire.core.errors import NotFound, ValidationError
from memoire.extensions import db
from memoire.stories import operations as story_ops
from memoire.stories.models import Status, Story

bp = Blueprint("withdrawal", __name__)

CHANNEL_LABELS = {
    "in_person": _l("In person"),
    "phone": _l("By phone"),
    "letter": _l("By letter"),
    "email": _l("By e-mail"),
}


class ConfirmWithdrawalForm(FlaskForm):
    submit = SubmitField(_l("Yes, withdraw this memory"))


class WithdrawalRequestForm(FlaskForm):
    channel = RadioField(
        _l("How did the narrator ask?"),
        choices=[SelectChoice(key, CHANNEL_LABELS[key]) for key in story_ops.WITHDRAWAL_CHANNELS],
    )
    submit = SubmitField(_l("Withdraw it now"))


def _entered_story(story_id: int) -> Story:
    """A story the current user entered (a mediator's, for a narrator), or any for staff;
    the same NotFound otherwise, so ids reveal nothing."""
    story = db.session.get(Story, story_id)
    if (
        story is None
        or story.status == Status.withdrawn
        or not (current_user.is_staff or story.contributor_id == current_user.id)
    ):
        raise NotFound(_l("This story does not exist, or is not public."))
    return story


@bp.get("/my-stories/<int:story_id>/receipt")
@login_required
def receipt(story_id: int):
    """The consent receipt to print or e-mail to the narrator, with their withdrawal link."""
    story = _entered_story(story_id)
    if story.consent is None:
        raise NotFound(_l("No consent is recorded for this story yet."))
    link = url_for("withdrawal.by_link", token=story_ops.withdrawal_token(story), _external=True)
    subject = _("Your memory “%(title)s”: consent receipt", title=story.title)
    body = _(
        "You agreed to share your memory “%(title)s”. If you change your mind, open this "
        "link at any time: the memory is withdrawn at once.\n\n%(link)s",
        title=story.title,
        link=link,
    )
    mailto = f"mailto:?subject={quote(subject)}&body={quote(body)}"
    return render_template(
        "contributions/receipt.html", story=story, consent=story.consent, link=link, mailto=mailto
    )


@bp.route("/withdraw/<token>", methods=["GET", "POST"])
def by_link(token: str):
    """The narrator's signed link: ask once, then withdraw at once; no account needed."""
    story = story_ops.story_for_withdrawal(token)
    form = ConfirmWithdrawalForm()
    if story is None or story.status == Status.withdrawn:
        return render_template("contributions/withdraw_link.html", story=story, done=True)
    if form.validate_on_submit():
        story_ops.withdraw_by_link(token)
        db.session.commit()
        return render_template("contributions/withdraw_link.html", story=story, done=True)
    return render_template("contributions/withdraw_link.html", story=story, form=form, done=False)


@bp.route("/my-stories/<int:story_id>/withdraw-on-request", methods=["GET", "POST"])
@login_required
def on_request(story_id: int):
    """The narrator asked the mediator who entered it, or a moderator: withdraw it now."""
    story = _entered_story(story_id)
    form = WithdrawalRequestForm()
    status = 200
    if form.validate_on_submit():
        try:
            story_ops.withdraw_on_request(current_user, story, form.channel.data)
            db.session.commit()
        except ValidationError as error:
            db.session.rollback()
            add_error(form, error.field, error.message)
            status = 400
        else:
            return render_template("contributions/withdraw_link.html", story=story, done=True)
    elif form.is_submitted():
        status = 400
    return render_template("contributions/withdraw_request.html", story=story, form=form), status
