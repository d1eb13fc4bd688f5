"""Sending e-mail: through SMTP when a server is configured, else as .eml files in MAIL_DIR.

The embedded profile has no mail server: messages are written to a folder an
administrator can open, and the password-reset link is also written to the log.
"""

from __future__ import annotations

import logging
import os
import smtplib
import uuid
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app, url_for
from flask_babel import gettext as _

from memoire.accounts.models import User
from memoire.accounts.operations import RESET_MAX_AGE, make_reset_token
from memoire.core.db import utcnow

log = logging.getLogger(__name__)


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message from the archive's sender address."""
    message = EmailMessage()
    message["From"] = current_app.config["MEMOIRE_MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(utcnow().astimezone())
    message["Message-ID"] = make_msgid(domain="memoire.local")
    message.set_content(body)
    return message


def send_mail(to: str, subject: str, body: str) -> Path | None:
    """Send a message; return the .eml file written when there is no SMTP server."""
    message = build_message(to, subject, body)
    config = current_app.config
    host = config.get("MEMOIRE_SMTP_HOST")
    if host:
        with smtplib.SMTP(
            str(host), int(config.get("MEMOIRE_SMTP_PORT") or 25), timeout=30
        ) as smtp:
            # Optional keys: a relay that wants TLS and a login names them in the config.
            if config.get("MEMOIRE_SMTP_STARTTLS"):
                smtp.starttls()
            if config.get("MEMOIRE_SMTP_USER"):
                smtp.login(
                    str(config["MEMOIRE_SMTP_USER"]), str(config.get("MEMOIRE_SMTP_PASSWORD") or "")
                )
            smtp.send_message(message)
        return None
    return _write_eml(message)


def _write_eml(message: EmailMessage) -> Path:
    """Write under a temporary name, then rename: a reader never sees half a message."""
    folder = Path(current_app.config["MEMOIRE_MAIL_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{utcnow():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
    partial = folder / f".{name}.part"
    partial.write_bytes(bytes(message))
    os.replace(partial, folder / name)
    return folder / name


def reset_link(user: User) -> str:
    token = make_reset_token(user)
    return url_for("accounts.reset_password", token=token, _external=True)


def send_password_reset(user: User) -> str:
    """E-mail a password-reset link to the account holder; return the link."""
    link = reset_link(user)
    hours = RESET_MAX_AGE // 3600
    body = "\n\n".join(
        [
            _("Hello %(name)s,", name=user.display_name),
            _(
                "Someone asked to reset the password of your account on Mémoire. "
                "If it was you, open this link to choose a new password:"
            ),
            link,
            _(
                "The link works for %(hours)s hours and only once. "
                "If you did not ask for it, you can ignore this message.",
                hours=hours,
            ),
        ]
    )
    written = send_mail(user.email, _("Reset your Mémoire password"), body)
    if written is not None:
        # Embedded profile only: there is no mail server, the administrator reads the log.
        log.warning("Password reset link for account %s (mail in %s): %s", user.id, written, link)
    return link
