"""Building an e-mail with the standard library: plain text, and HTML as an alternative."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from core.mail.settings import MailSettings


def build(settings: MailSettings, subject: str, text: str, html: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a robot
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message
