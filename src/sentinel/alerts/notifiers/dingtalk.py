"""钉钉自定义机器人 (DingTalk custom robot): markdown message, optional 加签 (signed) mode.

Signed mode appends `timestamp` (ms) and `sign` to the URL, where sign is
urlencode(base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}"))). DingTalk rejects a
timestamp more than an hour off, so it comes from the real wall clock, never a virtual one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime
from urllib.parse import quote_plus

from sentinel.alerts.notifiers.base import RobotNotifier, reveal
from sentinel.alerts.notifiers.config import DingtalkChannel
from sentinel.alerts.notifiers.render import (
    DINGTALK_MAX_BYTES,
    compose_title,
    render_markdown,
    truncate_bytes,
)
from sentinel.domain.alerting import Notification

# 130101: "send too fast" (a robot may post 20 messages a minute).
DINGTALK_RATE_LIMIT_CODES = frozenset({130101})
# The `title` field only shows in the notification preview; keep it short.
TITLE_MAX_BYTES = 200


def dingtalk_sign(timestamp_ms: int, secret: str) -> str:
    """base64 HMAC-SHA256 keyed by the secret over "timestamp\\nsecret" (not yet URL-encoded)."""
    message = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


class DingtalkNotifier(RobotNotifier[DingtalkChannel]):
    rate_limit_codes = DINGTALK_RATE_LIMIT_CODES

    @property
    def _secret(self) -> str | None:
        return reveal(self._config.secret)

    def credentials(self) -> list[str]:
        return [self._secret] if self._secret else []

    def payload(self, notification: Notification, now: datetime) -> dict[str, object]:
        # The mobiles must also appear as @mobile in the text for DingTalk to highlight them.
        mentions = " ".join(f"@{m}" for m in self._config.at_mobiles)
        text = render_markdown(notification, now, DINGTALK_MAX_BYTES, suffix=mentions)
        title = notification.title_zh.strip() or compose_title(notification, now)
        return {
            "msgtype": "markdown",
            "markdown": {"title": truncate_bytes(" ".join(title.split()), TITLE_MAX_BYTES), "text": text},
            "at": {"atMobiles": list(self._config.at_mobiles), "isAtAll": self._config.at_all},
        }

    def endpoint(self) -> str:
        """加签 mode signs the URL afresh for every request (the timestamp must be current)."""
        if not self._secret:
            return self._url
        timestamp_ms = int(self._clock.now().timestamp() * 1000)
        sign = quote_plus(dingtalk_sign(timestamp_ms, self._secret))
        joiner = "&" if "?" in self._url else "?"
        return f"{self._url}{joiner}timestamp={timestamp_ms}&sign={sign}"

    def __repr__(self) -> str:
        return f"DingtalkNotifier(name={self.name!r}, signed={self._secret is not None})"
