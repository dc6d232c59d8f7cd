"""Email over SMTP submission: STARTTLS (never downgraded), login, multipart text + HTML.

SMTP reply codes run the other way from HTTP's: 4xx is transient (retry), 5xx permanent.
"""

from __future__ import annotations

import smtplib
import ssl
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from sentinel.alerts.notifiers.base import (
    DeliveryResult,
    DeliveryStatus,
    delivered,
    failed,
    redact,
    retryable,
)
from sentinel.alerts.notifiers.config import EmailChannel
from sentinel.alerts.notifiers.render import render_email
from sentinel.domain.alerting import Notification, Recipient
from sentinel.domain.timeutil import Clock, SystemClock, to_shanghai


class EmailNotifier:
    def __init__(self, name: str, config: EmailChannel, *, wall_clock: Clock | None = None) -> None:
        self.name = name
        self._config = config
        self._clock = wall_clock or SystemClock()
        self._secrets = [config.password.get_secret_value()] if config.password else []

    def target(self, recipient: Recipient) -> str | None:
        return self._config.addresses.get(recipient.name) or recipient.email

    def build_message(self, notification: Notification, now: datetime, to: list[str]) -> EmailMessage:
        subject, text, page = render_email(notification, now)
        message = EmailMessage()
        message["Subject"] = subject
        message["From"] = self._config.sender
        message["To"] = ", ".join(to)
        message["Date"] = format_datetime(to_shanghai(self._clock.now()))
        message["Message-ID"] = make_msgid(
            domain=parseaddr(self._config.sender)[1].rpartition("@")[2] or None
        )
        # Lets a mailbox rule or a human spot a duplicate of an at-least-once delivery.
        message["X-Sentinel-Dedup-Key"] = notification.dedup_key
        message.set_content(text, charset="utf-8")
        message.add_alternative(page, subtype="html", charset="utf-8")
        return message

    def _context(self) -> ssl.SSLContext:
        cafile = str(self._config.ca_file) if self._config.ca_file else None
        return ssl.create_default_context(cafile=cafile)

    def send(self, notification: Notification, now: datetime) -> DeliveryResult:
        to = [a for r in notification.recipients if (a := self.target(r))]
        if not to:
            return failed(self.name, "收件人没有配置邮箱地址 (no email address for these recipients)")
        message = self.build_message(notification, now, to)
        cfg = self._config
        try:
            with smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_s) as smtp:
                smtp.ehlo()
                if cfg.starttls:
                    smtp.starttls(context=self._context())
                    smtp.ehlo()
                if cfg.username and cfg.password:
                    smtp.login(cfg.username, cfg.password.get_secret_value())
                refused = smtp.send_message(message)
        except smtplib.SMTPNotSupportedError as exc:
            return failed(self.name, self._clean(f"服务器不支持 STARTTLS 或认证 (not supported: {exc})"))
        except smtplib.SMTPAuthenticationError as exc:
            return failed(self.name, f"SMTP {exc.smtp_code} 认证失败 (authentication failed)")
        except smtplib.SMTPRecipientsRefused as exc:
            codes = ", ".join(f"{addr} {code}" for addr, (code, _) in sorted(exc.recipients.items()))
            text = self._clean(f"收件人被拒绝 (recipients refused: {codes})")
            # 450/451/452 (greylisting, mailbox busy, quota) go through on a later try.
            transient = any(400 <= code < 500 for code, _ in exc.recipients.values())
            return retryable(self.name, text) if transient else failed(self.name, text)
        except smtplib.SMTPResponseException as exc:
            text = self._clean(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}")
            return retryable(self.name, text) if 400 <= exc.smtp_code < 500 else failed(self.name, text)
        except ssl.SSLCertVerificationError as exc:
            # A certificate problem is configuration, not weather: retrying will not fix it.
            return failed(
                self.name, self._clean(f"TLS 证书校验失败 (certificate verify failed: {exc.verify_message})")
            )
        except (smtplib.SMTPException, OSError) as exc:
            return retryable(self.name, self._clean(f"SMTP 连接错误 ({type(exc).__name__}: {exc})"))
        if refused:
            # Delivered to the others; the refused addresses are a configuration problem.
            return DeliveryResult(
                channel=self.name,
                status=DeliveryStatus.delivered,
                error=self._clean(f"部分收件人被拒绝 (some recipients refused: {sorted(refused)})"),
            )
        return delivered(self.name)

    def _clean(self, text: str) -> str:
        return redact(text, self._secrets)

    def close(self) -> None:
        """Connections are per message (alert volume is low, and idle SMTP sessions time out)."""

    def __repr__(self) -> str:
        return f"EmailNotifier(name={self.name!r}, host={self._config.host!r})"
