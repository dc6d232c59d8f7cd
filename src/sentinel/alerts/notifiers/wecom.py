"""企业微信群机器人 (WeCom group robot): markdown message to the robot's webhook URL."""

from __future__ import annotations

from datetime import datetime

from sentinel.alerts.notifiers.base import RobotNotifier
from sentinel.alerts.notifiers.config import WecomChannel
from sentinel.alerts.notifiers.render import WECOM_MAX_BYTES, render_markdown
from sentinel.domain.alerting import Notification

# 45009: API call frequency over the limit (a robot may post 20 messages a minute).
WECOM_RATE_LIMIT_CODES = frozenset({45009})


class WecomNotifier(RobotNotifier[WecomChannel]):
    rate_limit_codes = WECOM_RATE_LIMIT_CODES

    def payload(self, notification: Notification, now: datetime) -> dict[str, object]:
        content = render_markdown(notification, now, WECOM_MAX_BYTES)
        return {"msgtype": "markdown", "markdown": {"content": content}}
