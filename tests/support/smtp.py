"""A real SMTP server for the mail tests (aiosmtpd on 127.0.0.1, a free port), keeping every
message it accepts, and the settings that point the application's outbox at it."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

PUBLIC_URL = "https://thidua.chola.example.vn"
SENDER = "thidua-khenthuong@localhost"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    to: str
    subject: str
    body: str


@dataclass
class Collector:
    """An aiosmtpd handler keeping every message it accepts."""

    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(
                Received(
                    sender=envelope.mail_from,
                    recipients=list(envelope.rcpt_tos),
                    to=str(parsed["To"]),
                    subject=str(parsed["Subject"]),
                    body=parsed.get_content(),
                )
            )
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.handler = Collector()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[Received]:
        return list(self.handler.messages)


def point_mail_at(app: Flask, monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", None)
    monkeypatch.setitem(app.config, "MAIL_FROM", SENDER)
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC_URL)
