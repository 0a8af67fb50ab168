"""Mail: the invitation link, sent in the user's language when a mail server is set up (``BACKBONE_SMTP_HOST``).

Without one, or when sending fails, nothing is lost: the staff always get the link in the
answer and hand it over themselves. A failure is logged, never shown as an error.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage

from api.config import Settings

log = logging.getLogger(__name__)
TIMEOUT = 10  # seconds for the mail server to answer

_INVITATION = {
    "en": (
        "Your Backbone account",
        (
            "Hello {name},\n\n"
            "You have been given an account on Backbone as {username} ({organisation}).\n"
            "Choose your password with this link (it works once, until {expires}):\n\n{url}\n\n"
            "If you did not expect this mail, you can ignore it.\n"
        ),
    ),
    "nl": (
        "Uw account voor Backbone",
        (
            "Beste {name},\n\n"
            "U hebt een account gekregen voor Backbone als {username} ({organisation}).\n"
            "Kies uw wachtwoord met deze link (die één keer werkt, tot {expires}):\n\n{url}\n\n"
            "Hebt u deze e-mail niet verwacht, dan kunt u hem negeren.\n"
        ),
    ),
    "de": (
        "Ihr Konto für Backbone",
        (
            "Guten Tag {name},\n\n"
            "Sie haben ein Konto für Backbone erhalten: {username} ({organisation}).\n"
            "Wählen Sie Ihr Passwort mit diesem Link (er gilt einmal, bis {expires}):\n\n{url}\n\n"
            "Falls Sie diese E-Mail nicht erwartet haben, können Sie sie ignorieren.\n"
        ),
    ),
}


def invitation_message(
    settings: Settings,
    *,
    to: str,
    name: str,
    username: str,
    organisation: str,
    url: str,
    expires_at: datetime,
    language: str,
) -> EmailMessage:
    subject, body = _INVITATION.get(language, _INVITATION["en"])
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.smtp_sender
    message["To"] = to
    expires = expires_at.strftime("%Y-%m-%d %H:%M UTC")
    message.set_content(
        body.format(name=name or username, username=username, organisation=organisation, url=url, expires=expires)
    )
    return message


def send(settings: Settings, message: EmailMessage) -> bool:
    """Send ``message`` through the configured server; False (and a log line) when none is set up or it fails."""
    if not settings.smtp_host:
        return False
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                smtp.login(settings.smtp_user, password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as failure:
        log.warning("Mail to %s not sent: %s", message["To"], failure)
        return False
    return True
