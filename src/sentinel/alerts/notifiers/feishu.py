"""飞书自定义机器人 (Feishu/Lark custom bot): a card (default) or plain text, optional signature.

With 签名校验 on, the JSON body carries `timestamp` (seconds, as a string) and `sign` =
base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b"")). Feishu rejects a timestamp more
than an hour off, so it comes from the real wall clock. The whole request body must stay
under 20 KB, so the content budget is the largest one whose serialised body fits.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime

from sentinel.alerts.notifiers.base import RobotNotifier, reveal
from sentinel.alerts.notifiers.config import FeishuChannel
from sentinel.alerts.notifiers.render import (
    FEISHU_MAX_BYTES,
    card_template,
    message_parts,
    render_markdown,
    render_text,
)
from sentinel.domain.alerting import Notification

# 11232: frequency limited (100 messages a minute, 5 a second per bot).
FEISHU_RATE_LIMIT_CODES = frozenset({11232})


def feishu_sign(timestamp_s: int, secret: str) -> str:
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


class FeishuNotifier(RobotNotifier[FeishuChannel]):
    # Feishu replies have carried either code/msg or StatusCode/StatusMessage; accept both.
    code_keys = ("code", "StatusCode")
    message_keys = ("msg", "StatusMessage")
    rate_limit_codes = FEISHU_RATE_LIMIT_CODES

    @property
    def _secret(self) -> str | None:
        return reveal(self._config.secret)

    def credentials(self) -> list[str]:
        return [self._secret] if self._secret else []

    def _message(self, notification: Notification, now: datetime, budget: int) -> dict[str, object]:
        if self._config.msg_type == "text":
            return {"msg_type": "text", "content": {"text": render_text(notification, now, budget)}}
        parts = message_parts(notification, now)
        # The card header repeats the headline, so the markdown body skips its own heading.
        markdown = render_markdown(notification, now, budget).split("\n\n", 1)[-1]
        elements: list[dict[str, object]] = [{"tag": "div", "text": {"tag": "lark_md", "content": markdown}}]
        if parts.link:
            button = {"tag": "button", "text": {"tag": "plain_text", "content": "查看详情"}}
            elements.append({"tag": "action", "actions": [{**button, "url": parts.link, "type": "primary"}]})
        card = {
            "config": {"wide_screen_mode": True},
            "header": {
                "title": {"tag": "plain_text", "content": parts.title},
                "template": card_template(notification),
            },
            "elements": elements,
        }
        return {"msg_type": "interactive", "card": card}

    def payload(self, notification: Notification, now: datetime) -> bytes:
        signing: dict[str, object] = {}
        if self._secret:
            timestamp_s = int(self._clock.now().timestamp())
            signing = {"timestamp": str(timestamp_s), "sign": feishu_sign(timestamp_s, self._secret)}

        def encode(budget: int) -> bytes:
            message = {**signing, **self._message(notification, now, budget)}
            return json.dumps(message, ensure_ascii=False).encode("utf-8")

        # JSON escapes (\n, \", \\) can double the content, so the content budget that fits is
        # searched for: the largest one whose serialised body stays within the limit.
        encoded = encode(FEISHU_MAX_BYTES)
        if len(encoded) <= FEISHU_MAX_BYTES:
            return encoded
        low, high = 0, FEISHU_MAX_BYTES  # encode(low) is the fallback; encode(high) is too big
        best = encode(low)
        while high - low > 1:
            middle = (low + high) // 2
            candidate = encode(middle)
            if len(candidate) <= FEISHU_MAX_BYTES:
                low, best = middle, candidate
            else:
                high = middle
        return best  # even budget 0 too big (absurd headers): Feishu's refusal is then recorded

    def __repr__(self) -> str:
        return f"FeishuNotifier(name={self.name!r}, signed={self._secret is not None})"
