"""The worker's side of story news: write the e-mail in the contributor's language and send it."""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from memoire.accounts.mail import send_mail
from memoire.accounts.models import User
from memoire.config import public_base_url
from memoire.extensions import db
from memoire.jobs.operations import handler
from memoire.notifications.operations import CORRECTION_JOB_KIND, JOB_KIND


def _link(base_url: str, endpoint: str, **values) -> str:
    with current_app.test_request_context("/", base_url=base_url):
        return base_url.rstrip("/") + url_for(endpoint, **values)


def compose(user: User, payload: dict) -> tuple[str, str]:
    """Subject and body, in the interface language of the contributor's account."""
    base_url = payload.get("base_url") or public_base_url()
    title, event = payload["title"], payload["event"]
    hello = _("Hello %(name)s,", name=user.display_name)
    settings = _link(base_url, "notifications.settings")
    stop = _("You get these e-mails because you shared this memory. To stop them: %(url)s", url=settings)
    if event == "published":
        subject = _("Your memory “%(title)s” is published", title=title)
        lines = [
            hello,
            _("Good news: the moderators have published your memory “%(title)s”. Everyone can now read it here:", title=title),
            _link(base_url, "stories.show", story_id=payload["story_id"]),
            _("Thank you for sharing it."),
        ]
    elif event == "sent_back":
        subject = _("Your memory “%(title)s” is sent back to you", title=title)
        lines = [
            hello,
            _("The moderators have sent your memory “%(title)s” back to you, with this message:", title=title),
            f"«\u00a0{payload.get('reason') or ''}\u00a0»",
            _("You can change it and send it again from your memories:"),
            _link(base_url, "contributions.my_stories"),
        ]
    else:
        subject = _("Your memory “%(title)s” is withdrawn", title=title)
        lines = [
            hello,
            _("Your memory “%(title)s” is withdrawn: nobody can see it any more, and the administrators will erase it.", title=title),
        ]
    return subject, "\n\n".join([*lines, "—", stop])


@handler(JOB_KIND)
def send_story_news(payload: dict) -> None:
    user = db.session.get(User, payload["user_id"])
    # The person may have said no, or left, since the change was made.
    if user is None or not user.story_news or not user.is_active_account:
        return
    locale = user.locale or current_app.config["MEMOIRE_DEFAULT_LOCALE"]
    with force_locale(locale):
        subject, body = compose(user, payload)
    send_mail(user.email, subject, body)


def compose_correction(user: User, proposal, payload: dict) -> tuple[str, str]:
    """Subject and body about a decided correction, in the resident's language.

    The story is named, linked and the moderator's reason quoted only while the resident may
    see the story: it may have become private or been withdrawn since the proposal. The
    passage itself is never quoted (a withheld range may cover it by now).
    """
    from memoire.stories.visibility import may_view

    base_url = payload.get("base_url") or public_base_url()
    story = proposal.transcript.story if proposal is not None and proposal.transcript else None
    visible = story is not None and may_view(user, story)
    accepted = payload["event"] == "accepted"
    settings = _link(base_url, "notifications.settings")
    stop = _("You get these e-mails because you proposed this correction. To stop them: %(url)s", url=settings)
    lines = [_("Hello %(name)s,", name=user.display_name)]
    if visible and accepted:
        subject = _("Your correction of “%(title)s” is accepted", title=story.title)
        lines.append(_("Thank you: the moderators have accepted the correction you proposed to the transcript of “%(title)s”. It now reads as you suggested:", title=story.title))
    elif visible:
        subject = _("Your correction of “%(title)s” is not accepted", title=story.title)
        lines.append(_("The moderators have not accepted the correction you proposed to the transcript of “%(title)s”.", title=story.title))
        if (proposal.reason or "").strip():
            lines += [_("Their message:"), f"«\u00a0{proposal.reason.strip()}\u00a0»"]
        lines.append(_("You can read the transcript here:"))
    elif accepted:
        subject = _("Your proposed correction is accepted")
        lines.append(_("Thank you: the moderators have accepted a correction you proposed to a transcript."))
    else:
        subject = _("Your proposed correction is not accepted")
        lines.append(_("The moderators have not accepted a correction you proposed to a transcript."))
    if visible:
        lines.append(_link(base_url, "stories.show", story_id=story.id))
    return subject, "\n\n".join([*lines, "—", stop])


@handler(CORRECTION_JOB_KIND)
def send_correction_news(payload: dict) -> None:
    from memoire.transcripts.models import TranscriptProposal

    user = db.session.get(User, payload["user_id"])
    if user is None or not user.story_news or not user.is_active_account:
        return
    proposal = db.session.get(TranscriptProposal, payload["proposal_id"])
    locale = user.locale or current_app.config["MEMOIRE_DEFAULT_LOCALE"]
    with force_locale(locale):
        subject, body = compose_correction(user, proposal, payload)
    send_mail(user.email, subject, body)
