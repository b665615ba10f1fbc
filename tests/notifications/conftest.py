from collections.abc import Iterator

import pytest
from flask import Flask

from tests.support.smtp import SmtpServer, point_mail_at


@pytest.fixture
def smtp(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1 that the outbox delivers to."""
    server = SmtpServer()
    server.start()
    point_mail_at(app, monkeypatch, server.port)
    yield server
    server.stop()
