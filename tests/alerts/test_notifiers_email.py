"""Email notifier against a real aiosmtpd server that requires STARTTLS and login.

The server certificate is self-signed and generated per test session with the `openssl` CLI
(the `cryptography` package named in the dev extras is not installed in this environment);
the notifier trusts it through its `ca_file` setting, so verification stays on.
"""

from __future__ import annotations

import email
import logging
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from pydantic import SecretStr
from tests.alerts.test_notifiers_support import NOW
from tests.alerts.test_notifiers_support import make as sample_notification
from tests.support import free_port

from sentinel.alerts.notifiers.base import DeliveryStatus
from sentinel.alerts.notifiers.config import EmailChannel
from sentinel.alerts.notifiers.email import EmailNotifier
from sentinel.domain.alerting import Notification, Recipient

pytestmark = pytest.mark.integration

USER = "sentinel@example.gov.cn"
PASSWORD = "smtp-pa55word-very-secret"


@dataclass
class Mailbox:
    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("openssl CLI is needed to make the test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key_path), "-out", str(cert_path), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert_path, key_path


@dataclass
class SmtpServer:
    mailbox: Mailbox
    port: int


def start(cert: tuple[Path, Path] | None, mailbox: Mailbox | None = None) -> tuple[Controller, SmtpServer]:
    mailbox = mailbox or Mailbox()
    kwargs: dict[str, Any] = {}
    if cert is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(cert[0]), str(cert[1]))
        kwargs = {"tls_context": context, "require_starttls": True}
    port = free_port()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_required=cert is not None,
        **kwargs,
    )
    controller.start()
    return controller, SmtpServer(mailbox, port)


@pytest.fixture
def smtp(cert: tuple[Path, Path]) -> Iterator[SmtpServer]:
    controller, server = start(cert)
    yield server
    controller.stop()


def channel(port: int, ca_file: Path | None, **changes: Any) -> EmailChannel:
    fields: dict[str, Any] = {
        "type": "email",
        "host": "127.0.0.1",
        "port": port,
        "username": USER,
        "password": SecretStr(PASSWORD),
        "sender": f"舆情值班系统 <{USER}>",
        "ca_file": ca_file,
        "addresses": {"张三": "zhangsan@example.gov.cn", "李四": "lisi@example.gov.cn"},
        "timeout_s": 5,
    }
    fields.update(changes)
    return EmailChannel(**fields)


def make(**changes: Any) -> Notification:
    """The shared sample for two addressees, with markup in the body for the HTML part."""
    defaults: dict[str, Any] = {
        "recipients": (Recipient(name="张三", role="值班员"), Recipient(name="李四")),
        "body_zh": "网民反映化工园区发生爆炸，现场有浓烟。<script>x</script>",
    }
    return sample_notification(**{**defaults, **changes})


def test_starttls_login_multipart_chinese(
    smtp: SmtpServer, cert: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    notifier = EmailNotifier("mail", channel(smtp.port, cert[0]))
    result = notifier.send(make(), NOW)
    assert result.status is DeliveryStatus.delivered, result.error

    [(mail_from, rcpt_tos, raw)] = smtp.mailbox.messages
    assert mail_from == USER
    assert rcpt_tos == ["zhangsan@example.gov.cn", "lisi@example.gov.cn"]
    message = email.message_from_bytes(raw, policy=default_policy)
    assert isinstance(message, EmailMessage)
    assert message["Subject"] == "【重大·超时】新港区化工园区爆炸 权威信息发布已超时"
    assert "=?utf-8?" in raw.decode("ascii", errors="replace").lower()  # RFC 2047 encoded on the wire
    assert message["X-Sentinel-Dedup-Key"] == "inc-1:release:2"
    assert message["Message-ID"].endswith("@example.gov.cn>")
    assert message["From"].addresses[0].display_name == "舆情值班系统"
    assert message.get_content_type() == "multipart/alternative"
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    assert text_part is not None and html_part is not None
    text, page = text_part.get_content(), html_part.get_content()
    assert "事件分级：重大(Ⅱ级)" in text and "已超时1小时10分" in text
    assert "<h2>【重大·超时】新港区化工园区爆炸 权威信息发布已超时</h2>" in page
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert "新港区委宣传部" in page

    # An address the rota gives reaches its person through the real server too.
    rota_person = make(recipients=(Recipient(name="陈静", role="office_head", email="chenjing@example.gov.cn"),))
    assert notifier.send(rota_person, NOW).status is DeliveryStatus.delivered
    assert smtp.mailbox.messages[-1][1] == ["chenjing@example.gov.cn"]

    # Secrets never reach logs (the test server's own "mail.log" records are not ours).
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("mail.log"))
    assert PASSWORD not in ours and PASSWORD not in repr(notifier) and PASSWORD not in repr(notifier._config)


def test_wrong_password_is_permanent(smtp: SmtpServer, cert: tuple[Path, Path]) -> None:
    result = EmailNotifier("mail", channel(smtp.port, cert[0], password=SecretStr("wrong-pass"))).send(
        make(), NOW
    )
    assert result.status is DeliveryStatus.failed and "535" in result.error
    assert "wrong-pass" not in result.error
    assert smtp.mailbox.messages == []


def test_untrusted_certificate_fails_closed(smtp: SmtpServer) -> None:
    result = EmailNotifier("mail", channel(smtp.port, None)).send(make(), NOW)
    assert result.status is DeliveryStatus.failed and "certificate" in result.error
    assert smtp.mailbox.messages == []


def test_server_without_starttls_is_not_downgraded() -> None:
    controller, server = start(None)
    try:
        result = EmailNotifier("mail", channel(server.port, None)).send(make(), NOW)
        assert result.status is DeliveryStatus.failed and "STARTTLS" in result.error
        assert server.mailbox.messages == []
    finally:
        controller.stop()


def test_no_address_and_server_down() -> None:
    notifier = EmailNotifier("mail", channel(free_port(), None))
    assert notifier.target(Recipient(name="王五")) is None
    assert notifier.send(make(recipients=(Recipient(name="王五"),)), NOW).status is DeliveryStatus.failed
    down = notifier.send(make(), NOW)  # nothing listens on that port: transient
    assert down.status is DeliveryStatus.retryable


def test_login_without_starttls_is_rejected_by_config() -> None:
    with pytest.raises(ValueError, match="clear text"):
        channel(25, None, starttls=False)


@dataclass
class RefusingMailbox(Mailbox):
    """Answers every RCPT TO with `reply`: 450 is greylisting (try later), 550 no such mailbox."""

    reply: str = "450 4.2.0 Greylisted, please try again later"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        return self.reply


@pytest.mark.parametrize(
    ("reply", "status"),
    [
        ("450 4.2.0 Greylisted, please try again later", DeliveryStatus.retryable),
        ("452 4.2.2 Mailbox full", DeliveryStatus.retryable),
        ("550 5.1.1 No such user", DeliveryStatus.failed),
    ],
)
def test_refused_recipients_temporary_codes_are_retried(
    cert: tuple[Path, Path], reply: str, status: DeliveryStatus
) -> None:
    controller, server = start(cert, RefusingMailbox(reply=reply))
    try:
        result = EmailNotifier("mail", channel(server.port, cert[0])).send(make(), NOW)
    finally:
        controller.stop()
    assert result.status is status and reply[:3] in result.error
    assert server.mailbox.messages == []
