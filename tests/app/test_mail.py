"""Outgoing mail: composed per locale; sent over real SMTP, or written to the outbox."""

from __future__ import annotations

import asyncio
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from app.mail import OutboxMailer, SmtpMailer, compose
from app.settings import Settings
from tests.servers import free_port


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def verification(settings: Settings, locale: str) -> Any:
    user = {"display_name": "Amani"}
    return compose(settings=settings, to="amani@example.org", template="mail/verify_email",
                   locale=locale, context={"user": user, "link": "/verify-email?token=t",
                                           "base_url": settings.base_url})


async def test_mail_goes_out_over_smtp(settings: Settings) -> None:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        await SmtpMailer(f"smtp://127.0.0.1:{port}").send(verification(settings, "es"))
        await asyncio.sleep(0)
    finally:
        controller.stop()
    [received] = inbox.messages
    assert received["To"] == "amani@example.org"
    assert "correo" in received["Subject"].lower()
    body = received.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert "http://testserver/verify-email?token=t" in body.decode()


async def test_outbox_mailer_writes_eml_files(tmp_path: Path, settings: Settings) -> None:
    await OutboxMailer(tmp_path).send(verification(settings, "en"))
    [path] = list(tmp_path.glob("*.eml"))
    written = message_from_bytes(path.read_bytes())
    assert written["Subject"] == "Confirm your email address for Harambee"
    assert written["Content-Language"] == "en"


def test_smtp_url_is_parsed_with_credentials() -> None:
    mailer = SmtpMailer("smtps://grants%40example.org:p%40ss@mail.example.org")
    assert (mailer.hostname, mailer.port, mailer.use_tls) == ("mail.example.org", 465, True)
    assert (mailer.username, mailer.password) == ("grants@example.org", "p@ss")
