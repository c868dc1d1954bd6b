"""Outgoing mail: composed from per-locale templates, sent by a job through SMTP or the outbox."""

from __future__ import annotations

import logging
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib

from app.i18n import use_locale
from app.settings import Settings
from app.templating import render_text
from app.timefmt import now

logger = logging.getLogger(__name__)


class Mailer(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


class OutboxMailer:
    """Development and tests: each message becomes an .eml file in var/outbox/."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:12]}.eml"
        (self.folder / name).write_bytes(bytes(message))
        logger.info("mail written to the outbox: %s", name)


class SmtpMailer:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.hostname = parts.hostname or "localhost"
        self.use_tls = parts.scheme == "smtps"
        self.port = parts.port or (465 if self.use_tls else 587)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None

    async def send(self, message: EmailMessage) -> None:
        await aiosmtplib.send(
            message, hostname=self.hostname, port=self.port, username=self.username,
            password=self.password, use_tls=self.use_tls,
            start_tls=None if self.use_tls else True if self.username else None,
        )


def build_mailer(settings: Settings) -> Mailer:
    if settings.smtp_url is not None:
        return SmtpMailer(str(settings.smtp_url))
    return OutboxMailer(settings.outbox_dir)


def compose(
    *, settings: Settings, to: str, template: str, locale: str, context: dict[str, object]
) -> EmailMessage:
    """Render templates/<template>.subject.txt and .txt in the recipient's language: app's
    mails are `mail/<name>`, a package's `<domain>/<package>/mail/<name>`."""
    with use_locale(locale):
        subject = " ".join(render_text(f"{template}.subject.txt", context).split())
        body = render_text(f"{template}.txt", context)
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    message["Content-Language"] = locale  # after set_content, which drops Content-* headers
    return message


async def send_mail(ctx: dict[str, Any], *, to: str, template: str, locale: str,
                    context: dict[str, object]) -> None:
    """From a job: compose in the recipient's language and send through the job's mailer."""
    settings: Settings = ctx["settings"]
    mailer: Mailer = ctx["mailer"]
    message = compose(settings=settings, to=to, template=template, locale=locale,
                      context={"base_url": settings.base_url, **context})
    await mailer.send(message)
