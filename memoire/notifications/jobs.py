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
from memoire.notifications.operations import JOB_KIND


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
            f"« {payload.get('reason') or ''} »",
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
