"""Notification channels (企业微信, 钉钉, 飞书, email, SMS, webhook, console) and their dispatcher.

Build everything from alerts/channels.yaml:

    config = load_channels(Path("alerts/channels.yaml"))
    dispatcher = build_dispatcher(config, console_sink)
    report = dispatcher.dispatch(notification)
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from sentinel.alerts.notifiers.base import DeliveryResult, DeliveryStatus, Notifier
from sentinel.alerts.notifiers.config import (
    ChannelConfig,
    ChannelsConfig,
    ConsoleChannel,
    DingtalkChannel,
    EmailChannel,
    FeishuChannel,
    SmsChannel,
    WebhookChannel,
    WecomChannel,
    load_channels,
    parse_channels,
)
from sentinel.alerts.notifiers.console import ConsoleNotifier, ConsoleSink, InMemoryConsoleSink
from sentinel.alerts.notifiers.dingtalk import DingtalkNotifier
from sentinel.alerts.notifiers.dispatch import (
    DeliveryFailure,
    DeliveryLedger,
    Dispatcher,
    DispatchReport,
    FailureLog,
    InMemoryFailureLog,
    InMemoryLedger,
)
from sentinel.alerts.notifiers.email import EmailNotifier
from sentinel.alerts.notifiers.feishu import FeishuNotifier
from sentinel.alerts.notifiers.sms import SmsNotifier
from sentinel.alerts.notifiers.webhook import WebhookNotifier
from sentinel.alerts.notifiers.wecom import WecomNotifier
from sentinel.domain.timeutil import Clock

__all__ = [
    "ChannelsConfig",
    "ConsoleSink",
    "DeliveryFailure",
    "DeliveryLedger",
    "DeliveryResult",
    "DeliveryStatus",
    "DispatchReport",
    "Dispatcher",
    "FailureLog",
    "InMemoryConsoleSink",
    "InMemoryFailureLog",
    "InMemoryLedger",
    "Notifier",
    "build_dispatcher",
    "build_notifier",
    "load_channels",
    "parse_channels",
]


def build_notifier(name: str, config: ChannelConfig, console_sink: ConsoleSink) -> Notifier:
    match config:
        case WecomChannel():
            return WecomNotifier(name, config)
        case DingtalkChannel():
            return DingtalkNotifier(name, config)
        case FeishuChannel():
            return FeishuNotifier(name, config)
        case EmailChannel():
            return EmailNotifier(name, config)
        case SmsChannel():
            return SmsNotifier(name, config)
        case WebhookChannel():
            return WebhookNotifier(name, config)
        case ConsoleChannel():
            return ConsoleNotifier(name, console_sink)


def build_dispatcher(
    config: ChannelsConfig,
    console_sink: ConsoleSink,
    *,
    failures: FailureLog | None = None,
    ledger: DeliveryLedger | None = None,
    clock: Clock | None = None,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> Dispatcher:
    """Disabled channels are left out; a chain naming one skips it and says so in the report."""
    notifiers = {
        name: build_notifier(name, channel, console_sink)
        for name, channel in config.channels.items()
        if channel.enabled
    }
    return Dispatcher(
        notifiers,
        default_chain=config.default_chain,
        broadcast=config.broadcast,
        retry=config.retry,
        failures=failures,
        ledger=ledger,
        clock=clock,
        sleep=sleep,
        rng=rng,
    )
