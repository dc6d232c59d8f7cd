"""Retry, fallback and the failure list, with real notifiers against a real HTTP receiver.

Sleeping is injected: it records the delay and advances a fake clock, so retry timing is
checked exactly without the tests waiting.
"""

from __future__ import annotations

import random
import re
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from tests.alerts.test_notifiers_support import (
    NOW,
    Receiver,
    Reply,
    receiver_fixture,  # noqa: F401 - the `receiver` fixture
)
from tests.alerts.test_notifiers_support import make as sample_notification

from sentinel.alerts.notifiers import InMemoryConsoleSink, build_dispatcher, load_channels, parse_channels
from sentinel.alerts.notifiers.base import DeliveryStatus, Notifier
from sentinel.alerts.notifiers.config import RetryConfig, SmsChannel, WebhookChannel, WecomChannel
from sentinel.alerts.notifiers.console import ConsoleNotifier
from sentinel.alerts.notifiers.dispatch import Dispatcher, InMemoryFailureLog
from sentinel.alerts.notifiers.sms import SmsNotifier
from sentinel.alerts.notifiers.webhook import WebhookNotifier
from sentinel.alerts.notifiers.wecom import WecomNotifier
from sentinel.domain.alerting import EventKind, Notification, Recipient
from sentinel.domain.timeutil import FakeClock

pytestmark = pytest.mark.integration


class Sleeper:
    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)
        self.clock.advance(timedelta(seconds=seconds))


def make(**changes: Any) -> Notification:
    """The shared sample, sent to 张三 through his chain: 企业微信 robot, then the console."""
    person = Recipient(name="张三", channels=("wecom", "console"))
    return sample_notification(**{"recipients": (person,), **changes})


@dataclass
class Rig:
    dispatcher: Dispatcher
    failures: InMemoryFailureLog
    sleeper: Sleeper
    clock: FakeClock
    console: InMemoryConsoleSink


def rig(receiver: Receiver, *, timeout_s: float = 5.0, **retry: Any) -> Rig:
    clock = FakeClock(NOW)
    sleeper = Sleeper(clock)
    console = InMemoryConsoleSink()
    failures = InMemoryFailureLog()
    notifiers: dict[str, Notifier] = {
        "wecom": WecomNotifier(
            "wecom",
            WecomChannel(
                type="wecom",
                url=SecretStr(receiver.url("/wecom?key=k")),
                allow_private=True,
                timeout_s=timeout_s,
            ),
        ),
        "sms": SmsNotifier(
            "sms",
            SmsChannel(
                type="sms",
                url=SecretStr(receiver.url("/sms")),
                phones={"张三": "13800000000"},
                allow_private=True,
            ),
        ),
        "console": ConsoleNotifier("console", console),
    }
    dispatcher = Dispatcher(
        notifiers,
        retry=RetryConfig(
            **{"max_attempts": 5, "base_delay_s": 2, "max_delay_s": 30, "max_total_s": 600, **retry}
        ),
        failures=failures,
        clock=clock,
        sleep=sleeper,
        rng=random.Random(7),
    )
    return Rig(dispatcher, failures, sleeper, clock, console)


def test_202_delivers_first_time(receiver: Receiver) -> None:
    r = rig(receiver)
    hook = WebhookNotifier(
        "hook",
        WebhookChannel(
            type="webhook", url=SecretStr(receiver.url("/h")), secret=SecretStr("s"), allow_private=True
        ),
    )
    r.dispatcher.notifiers["hook"] = hook
    receiver.default = Reply(status=202, body={"queued": True})
    report = r.dispatcher.dispatch(make(recipients=(Recipient(name="张三", channels=("hook",)),)))
    assert report.all_delivered and report.outcomes[0].channel == "hook"
    assert report.outcomes[0].tried[0].attempts == 1
    assert r.sleeper.delays == [] and r.failures.items() == ()


def test_400_is_recorded_not_retried_and_falls_back(receiver: Receiver) -> None:
    r = rig(receiver)
    receiver.script = [Reply(status=400, body={"errcode": 40008, "errmsg": "invalid message type"})]
    report = r.dispatcher.dispatch(make())
    assert len(receiver.seen) == 1 and r.sleeper.delays == []
    [failure] = r.failures.items()
    assert failure.channel == "wecom" and failure.http_status == 400 and failure.permanent
    assert failure.attempts == 1 and failure.recipient == "张三"
    assert report.outcomes[0].channel == "console"  # fell back to the next channel
    assert [n.dedup_key for n in r.console.items()] == ["inc-1:release:2"]


def test_429_honours_retry_after(receiver: Receiver) -> None:
    r = rig(receiver)
    receiver.script = [
        Reply(status=429, headers={"Retry-After": "7"}),
        Reply(status=429, headers={"Retry-After": "3"}),
    ]
    report = r.dispatcher.dispatch(make())
    assert report.outcomes[0].channel == "wecom"
    assert r.sleeper.delays == [7.0, 3.0]
    assert report.outcomes[0].tried[0].attempts == 3
    assert len(receiver.seen) == 3 and r.failures.items() == ()


def test_429_with_http_date_retry_after(receiver: Receiver) -> None:
    r = rig(receiver)
    when = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    receiver.script = [Reply(status=429, headers={"Retry-After": when})]
    assert r.dispatcher.dispatch(make()).all_delivered
    assert 25 <= r.sleeper.delays[0] <= 31


def test_500_retried_with_backoff_then_succeeds(receiver: Receiver) -> None:
    r = rig(receiver)
    receiver.script = [Reply(status=500), Reply(status=502), Reply(status=503)]
    report = r.dispatcher.dispatch(make())
    assert report.outcomes[0].channel == "wecom" and report.outcomes[0].tried[0].attempts == 4
    # Exponential with equal jitter: step 2, 4, 8 s → each delay in [step/2, step].
    for delay, step in zip(r.sleeper.delays, (2, 4, 8), strict=True):
        assert step / 2 <= delay <= step
    assert r.failures.items() == ()


def test_timeout_is_retried(receiver: Receiver) -> None:
    r = rig(receiver, timeout_s=0.3)
    receiver.script = [Reply(delay_s=1.0)]
    report = r.dispatcher.dispatch(make())
    assert report.outcomes[0].channel == "wecom"
    assert report.outcomes[0].tried[0].attempts == 2 and len(r.sleeper.delays) == 1


def test_exhausted_retries_recorded_then_next_channel(receiver: Receiver) -> None:
    r = rig(receiver, max_attempts=3)
    receiver.default = Reply(status=503)
    report = r.dispatcher.dispatch(make())
    assert len(receiver.seen) == 3 and len(r.sleeper.delays) == 2
    [failure] = r.failures.items()
    assert failure.status is DeliveryStatus.retryable and not failure.permanent
    assert failure.attempts == 3 and "已重试3次" in failure.error
    assert report.outcomes[0].channel == "console"


def test_deadline_stops_retrying_before_the_due_time(receiver: Receiver) -> None:
    r = rig(receiver)
    receiver.script = [Reply(status=429, headers={"Retry-After": "60"})]
    reminder = make(kind=EventKind.reminder, due=NOW + timedelta(seconds=20))
    report = r.dispatcher.dispatch(reminder)
    assert r.sleeper.delays == []  # waiting 60 s would pass the due time: fall back now
    assert "重试截止时间已到" in r.failures.items()[0].error
    assert report.outcomes[0].channel == "console"


def test_fallback_to_sms_and_everything_failing_is_visible(receiver: Receiver) -> None:
    r = rig(receiver)
    receiver.script = [Reply(status=403, body={"errcode": 93000})]
    receiver.default = Reply(body={"code": 0})
    person = Recipient(name="张三", channels=("wecom", "sms"))
    report = r.dispatcher.dispatch(make(recipients=(person,)))
    assert report.outcomes[0].channel == "sms"
    assert [seen.target for seen in receiver.seen] == ["/wecom?key=k", "/sms"]

    receiver.default = Reply(status=404)
    nobody = Recipient(name="李四", channels=("wecom", "sms", "pager"))
    report = r.dispatcher.dispatch(make(dedup_key="k2", recipients=(nobody,)))
    assert not report.all_delivered
    entries = [f for f in r.failures.items() if f.dedup_key == "k2"]
    assert [f.channel for f in entries] == ["wecom", ""]  # sms: no phone for 李四; pager unknown
    assert "所有渠道均未送达" in entries[-1].error
    assert "pager" in entries[-1].error and "no address" in entries[-1].error


def test_group_robot_gets_one_message_for_many_recipients(receiver: Receiver) -> None:
    r = rig(receiver)
    people = tuple(Recipient(name=n, role="值班员", channels=("wecom",)) for n in ("张三", "李四", "王五"))
    report = r.dispatcher.dispatch(make(recipients=people))
    assert report.all_delivered and len(receiver.seen) == 1
    content = receiver.seen[0].json()["markdown"]["content"]
    assert "张三（值班员）、李四（值班员）、王五（值班员）" in content


def test_built_from_yaml_with_env_secrets(receiver: Receiver) -> None:
    data = {
        "default_chain": ["duty_wecom", "inbox"],
        "broadcast": ["inbox"],
        "retry": {"max_attempts": 2, "base_delay_s": 1},
        "channels": {
            "inbox": {"type": "console"},
            "duty_wecom": {"type": "wecom", "url": "${WECOM_URL}", "allow_private": True},
            "off": {"type": "wecom", "url": "https://example.com/x", "enabled": False},
        },
    }
    config = parse_channels(data, {"WECOM_URL": receiver.url("/wecom?key=from-env")})
    assert "from-env" not in repr(config)
    sink = InMemoryConsoleSink()
    clock = FakeClock(NOW)
    dispatcher = build_dispatcher(config, sink, clock=clock, sleep=Sleeper(clock))
    assert set(dispatcher.notifiers) == {"inbox", "duty_wecom"}
    report = dispatcher.dispatch(make(recipients=()))
    assert report.all_delivered and report.broadcast[0].ok
    assert receiver.seen[0].target == "/wecom?key=from-env" and len(sink.items()) == 1
    dispatcher.close()
    with pytest.raises(ValueError, match="MISSING"):
        parse_channels({"channels": {"w": {"type": "wecom", "url": "${MISSING}"}}}, {})
    with pytest.raises(ValueError, match="unknown channel"):
        parse_channels({"default_chain": ["nope"], "channels": {}}, {})


def test_example_channels_yaml_documents_every_channel_type() -> None:
    path = Path(__file__).resolve().parents[2] / "alerts" / "channels.example.yaml"
    names = set(re.findall(r"\$\{([A-Z_]+)\}", path.read_text(encoding="utf-8")))
    config = load_channels(path, {name: f"https://example.com/{name.lower()}" for name in names})
    kinds = {channel.type for channel in config.channels.values()}
    assert kinds == {"wecom", "dingtalk", "feishu", "email", "sms", "webhook", "console"}
    assert "https://example.com" not in repr(config)


def test_a_failed_broadcast_counts_and_a_retry_sends_only_what_is_missing(receiver: Receiver) -> None:
    r = rig(receiver, max_attempts=1)
    r.dispatcher.notifiers["leaders"] = WecomNotifier(
        "leaders", WecomChannel(type="wecom", url=SecretStr(receiver.url("/leaders?key=l")), allow_private=True)
    )
    r.dispatcher.broadcast = ("leaders",)
    receiver.script = [Reply(status=503)]  # the leaders' robot, posted first, is down
    first = r.dispatcher.dispatch(make())
    assert first.outcomes[0].channel == "wecom" and not first.broadcast[0].ok
    assert not first.all_delivered and first.retryable and "广播 leaders" in first.undelivered()
    [failure] = r.failures.items()
    assert (failure.recipient, failure.channel, failure.permanent) == ("*", "leaders", False)

    again = r.dispatcher.dispatch(make())  # the outbox retrying: the robot that delivered is skipped
    assert again.all_delivered
    assert [seen.path for seen in receiver.seen] == ["/leaders", "/wecom", "/leaders"]


def test_an_unreachable_recipient_is_a_permanent_failure_and_is_not_retried(receiver: Receiver) -> None:
    r = rig(receiver)
    people = (Recipient(name="张三", channels=("wecom",)), Recipient(name="王五", channels=("sms",)))  # no phone
    report = r.dispatcher.dispatch(make(recipients=people))
    assert not report.all_delivered and not report.retryable
    assert "王五" in report.undelivered() and "无联系方式" in report.undelivered()
    [failure] = r.failures.items()
    assert failure.recipient == "王五" and failure.permanent
    assert not r.dispatcher.dispatch(make(recipients=people)).retryable
    assert len(receiver.seen) == 1  # the group robot was posted to once


def test_a_recipient_missed_only_for_now_is_retryable(receiver: Receiver) -> None:
    r = rig(receiver, max_attempts=1)
    receiver.default = Reply(status=502)
    report = r.dispatcher.dispatch(make(recipients=(Recipient(name="张三", channels=("wecom",)),)))
    assert not report.all_delivered and report.retryable
    assert [f.permanent for f in r.failures.items()] == [False, False]  # the channel, then the recipient
