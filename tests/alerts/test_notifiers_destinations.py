"""Destination policy: private, loopback, link-local and reserved targets are refused.

No traffic goes anywhere but 127.0.0.1: literal addresses are judged without connecting, DNS
answers come from an injected resolver, and the loopback listener proves nothing connected.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic import SecretStr
from tests.alerts.test_notifiers_support import NOW, TOKEN, make

from sentinel.alerts.notifiers.base import DeliveryStatus, check_destination
from sentinel.alerts.notifiers.config import (
    DingtalkChannel,
    FeishuChannel,
    SmsChannel,
    WebhookChannel,
    WecomChannel,
)
from sentinel.alerts.notifiers.dingtalk import DingtalkNotifier
from sentinel.alerts.notifiers.feishu import FeishuNotifier
from sentinel.alerts.notifiers.sms import SmsNotifier
from sentinel.alerts.notifiers.webhook import WebhookNotifier
from sentinel.alerts.notifiers.wecom import WecomNotifier


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A real loopback listener; a refused send must leave its accept queue empty."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        sock.settimeout(0.2)
        yield sock


def nothing_connected(sock: socket.socket) -> bool:
    try:
        conn, _ = sock.accept()
    except TimeoutError:
        return True
    conn.close()
    return False


@pytest.mark.parametrize("kind", ["wecom", "dingtalk", "feishu", "sms", "webhook"])
def test_loopback_refused_without_allow_private(listener: socket.socket, kind: str) -> None:
    url = SecretStr(f"http://127.0.0.1:{listener.getsockname()[1]}/x?key={TOKEN}")
    secret = SecretStr("signing-secret")
    factories: dict[str, Callable[[], Any]] = {
        "wecom": lambda: WecomNotifier(kind, WecomChannel(type="wecom", url=url)),
        "dingtalk": lambda: DingtalkNotifier(kind, DingtalkChannel(type="dingtalk", url=url, secret=secret)),
        "feishu": lambda: FeishuNotifier(kind, FeishuChannel(type="feishu", url=url, secret=secret)),
        "sms": lambda: SmsNotifier(kind, SmsChannel(type="sms", url=url, phones={"张三": "13800000000"})),
        "webhook": lambda: WebhookNotifier(kind, WebhookChannel(type="webhook", url=url, secret=secret)),
    }
    result = factories[kind]().send(make(), NOW)
    assert result.status is DeliveryStatus.failed
    assert "allow_private" in result.error and TOKEN not in result.error
    assert nothing_connected(listener)  # refused before any connection was made


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://172.16.5.4/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.0.1/hook",
        "http://0.0.0.0/hook",
        "http://[::1]/hook",
        "http://[fd00::1]/hook",
        "http://[fe80::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://240.0.0.1/hook",
        "http://224.0.0.1/hook",
        "http://localhost/hook",
    ],
)
def test_private_reserved_and_link_local_refused(url: str) -> None:
    assert check_destination(url, allow_private=False) is not None
    assert check_destination(url, allow_private=True) is None


def test_dns_answer_decides_and_bad_schemes_refused() -> None:
    answers = {
        "sms.example.com": ["10.0.0.7"],
        "mixed.example.com": ["203.0.113.9", "8.8.8.8"],  # one TEST-NET answer taints the name
        "ok.example.com": ["8.8.8.8", "2001:4860:4860::8888"],
    }

    def resolver(host: str, port: int) -> list[str]:
        return answers[host]

    assert check_destination("https://sms.example.com/x", False, resolver) is not None
    assert check_destination("https://mixed.example.com/x", False, resolver) is not None
    assert check_destination("https://ok.example.com/x", False, resolver) is None
    assert check_destination("http://8.8.8.8/x", False) is None  # literal: judged, not contacted

    def broken(host: str, port: int) -> list[str]:
        raise socket.gaierror("no such host")

    assert check_destination("https://nx.example.com/x", False, broken) is not None
    assert check_destination("file:///etc/passwd", True) is not None
    assert check_destination("gopher://ok.example.com/", True) is not None


class _Receiver:
    """A real HTTP receiver on 127.0.0.1 that records the Host header of every request."""

    def __init__(self) -> None:
        import http.server
        import threading

        hosts = self.hosts = []  # type: list[str]

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                hosts.append(str(self.headers.get("Host")))
                body = b'{"ok": true}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    server = _Receiver()
    yield server
    server.close()


def test_dns_rebinding_between_check_and_connect_is_refused(receiver: _Receiver) -> None:
    """Public when checked, loopback when connecting: the answer connected to is the one judged.
    (`localhost` really resolves to 127.0.0.1, so a client that resolved again would reach the receiver.)"""
    answers = iter([["8.8.8.8"], ["127.0.0.1"], ["127.0.0.1"]])

    def rebinding(host: str, port: int) -> list[str]:
        return next(answers)

    url = SecretStr(f"http://localhost:{receiver.port}/hook")
    notifier = WebhookNotifier("hook", WebhookChannel(type="webhook", url=url, secret=SecretStr("s")), resolver=rebinding)
    result = notifier.send(make(), NOW)
    assert result.status is DeliveryStatus.failed
    assert "内网" in result.error
    assert receiver.hosts == []


def test_the_connection_goes_to_the_address_that_was_checked(receiver: _Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    """A name the system cannot resolve is reached at the checked address (loopback counted as
    public for this test only), with its own name in the Host header."""
    import sentinel.alerts.notifiers.base as base

    monkeypatch.setattr(base, "_is_public", lambda address: address == "127.0.0.1")
    url = SecretStr(f"http://alerts.sentinel.invalid:{receiver.port}/hook")
    notifier = WebhookNotifier("hook", WebhookChannel(type="webhook", url=url, secret=SecretStr("s")),
                               resolver=lambda host, port: ["127.0.0.1"])
    result = notifier.send(make(), NOW)
    assert result.status is DeliveryStatus.delivered, result.error
    assert receiver.hosts == [f"alerts.sentinel.invalid:{receiver.port}"]


def test_each_checked_address_is_tried_in_turn(receiver: _Receiver, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing listens on 127.0.0.2: the send goes on to the next address the name resolved to."""
    import sentinel.alerts.notifiers.base as base

    monkeypatch.setattr(base, "_is_public", lambda address: address.startswith("127."))
    url = SecretStr(f"http://alerts.sentinel.invalid:{receiver.port}/hook")
    notifier = WebhookNotifier("hook", WebhookChannel(type="webhook", url=url, secret=SecretStr("s")),
                               resolver=lambda host, port: ["127.0.0.2", "127.0.0.1"])
    assert notifier.send(make(), NOW).status is DeliveryStatus.delivered
    assert len(receiver.hosts) == 1


def test_a_resolver_outage_is_retried_not_given_up() -> None:
    """DNS failing for a minute must not close every robot, SMS and webhook page as undeliverable."""
    def outage(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    url = SecretStr("https://hooks.example.com/hook")
    notifier = WebhookNotifier("hook", WebhookChannel(type="webhook", url=url, secret=SecretStr("s")), resolver=outage)
    result = notifier.send(make(), NOW)
    assert result.status is DeliveryStatus.retryable, result.error
    assert "无法解析" in result.error


@pytest.mark.parametrize(
    ("address", "public"),
    [
        # IPv6 forms that carry an IPv4 address are judged by that address.
        ("::ffff:127.0.0.1", False),  # IPv4-mapped
        ("::ffff:10.0.0.1", False),
        ("::ffff:8.8.8.8", True),
        ("::127.0.0.1", False),  # IPv4-compatible (deprecated)
        ("::10.0.0.1", False),
        ("::ffff:0:127.0.0.1", False),  # IPv4-translated (SIIT)
        ("::ffff:0:169.254.169.254", False),
        ("64:ff9b::127.0.0.1", False),  # NAT64 well-known prefix
        ("64:ff9b::a9fe:a9fe", False),  # … 169.254.169.254, the cloud metadata service
        ("64:ff9b::8.8.8.8", True),
        ("64:ff9b:1::a00:1", False),  # local-use NAT64: always inside
        ("64:ff9b:1:ffff::808:808", False),
        ("2002:7f00:1::1", False),  # 6to4 of 127.0.0.1
        ("2002:a00:1::1", False),  # 6to4 of 10.0.0.1
        ("2002:a9fe:a9fe::1", False),  # 6to4 of 169.254.169.254
        ("2002:808:808::1", True),  # 6to4 of 8.8.8.8
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo
        ("2001::1", False),
        ("2001:0:7f00:1::1", False),  # Teredo, server 127.0.0.1
        # Plain addresses.
        ("::", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fc00::1", False),
        ("1::", False),  # reserved (::/8)
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("100.64.0.1", False),
        ("169.254.169.254", False),
        ("198.18.0.1", False),
        ("8.8.8.8", True),
    ],
)
def test_ipv6_forms_embedding_ipv4_are_judged_by_the_ipv4(address: str, public: bool) -> None:
    """A name resolving to `address` is refused unless it is public (the resolver is injected)."""
    refused = check_destination("https://hook.example.com/x", False, lambda host, port: [address])
    assert (refused is None) is public
