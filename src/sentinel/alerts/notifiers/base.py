"""The notifier contract, delivery results, and HTTP plumbing shared by the HTTP channels.

`HttpNotifier` is the common body of the robot, SMS and webhook channels (construction,
redaction, one JSON request, close); `RobotNotifier` adds the robots' send-and-check-reply.

Lifecycle: a notifier is built once from its channel config, `send` is called any number of
times (from one thread at a time), and `close` releases its connection pool. `send` never
raises for delivery problems: every outcome is a `DeliveryResult` value, so the dispatcher can
retry, fall back and record failures in one place.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import socket
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any, ClassVar, Generic, Protocol, TypeVar
from urllib.parse import parse_qsl, unquote, urlsplit

import httpcore
import httpx
from pydantic import BaseModel, ConfigDict, SecretStr

from sentinel.domain.alerting import Notification, Recipient
from sentinel.domain.timeutil import Clock, SystemClock

log = logging.getLogger("sentinel.alerts.notifiers")

# `target()` value for channels that post to one shared place (a group robot, the console):
# every recipient routed there is covered by a single message.
GROUP_TARGET = "*"


class DeliveryStatus(StrEnum):
    delivered = "delivered"
    retryable = "retryable"  # 429, 5xx, network error or timeout: worth another attempt
    failed = "failed"  # permanent: 4xx, rejected by the API, refused destination, bad config


class DeliveryResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    channel: str
    status: DeliveryStatus
    http_status: int | None = None
    error: str = ""  # always redacted: no URL tokens, keys or passwords
    attempts: int = 1
    retry_after_s: float | None = None  # from a 429's Retry-After header

    @property
    def ok(self) -> bool:
        return self.status is DeliveryStatus.delivered


class Notifier(Protocol):
    """One configured channel (a robot, a mailbox relay, an SMS gateway, the console)."""

    name: str

    def target(self, recipient: Recipient) -> str | None:
        """Where this channel would reach `recipient`: GROUP_TARGET for shared places, an
        address for personal channels, None when it cannot reach them (no address known)."""
        ...

    def send(self, notification: Notification, now: datetime) -> DeliveryResult:
        """Deliver once (no retries here). `now` is the time used for 'time left' texts."""
        ...

    def close(self) -> None: ...


def delivered(channel: str, http_status: int | None = None) -> DeliveryResult:
    return DeliveryResult(channel=channel, status=DeliveryStatus.delivered, http_status=http_status)


def failed(channel: str, error: str, http_status: int | None = None) -> DeliveryResult:
    return DeliveryResult(channel=channel, status=DeliveryStatus.failed, error=error, http_status=http_status)


def retryable(
    channel: str, error: str, http_status: int | None = None, retry_after_s: float | None = None
) -> DeliveryResult:
    return DeliveryResult(
        channel=channel,
        status=DeliveryStatus.retryable,
        error=error,
        http_status=http_status,
        retry_after_s=retry_after_s,
    )


# ---------------------------------------------------------------- secrets


def url_secrets(url: str) -> list[str]:
    """The parts of a robot/webhook URL that act as credentials: the whole URL, every query
    value (access_token, key) and long path segments (飞书 puts its hook token in the path)."""
    parts = urlsplit(url)
    found = [url]
    if parts.password:  # http://user:password@gateway/…: as written and as decoded
        found += [parts.password, unquote(parts.password)]
    found += [value for _, value in parse_qsl(parts.query) if len(value) >= 6]
    found += [seg for seg in parts.path.split("/") if len(seg) >= 16]
    return found


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every secret (longest first, so a URL goes before its token) with ***."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


class _UrlRedactingFilter(logging.Filter):
    """httpx logs every request URL at INFO; robot URLs carry their token in the path or query,
    and a gateway URL may carry user:password@, so only scheme and host survive in those records."""

    _URL = re.compile(r"(https?://)(?:[^/\s\"'?#@]*@)?([^/\s\"'?#]+)[^\s\"']*")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self._URL.sub(r"\1\2/…", message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def _install_log_redaction() -> None:
    logger = logging.getLogger("httpx")
    if not any(isinstance(f, _UrlRedactingFilter) for f in logger.filters):
        logger.addFilter(_UrlRedactingFilter())


_install_log_redaction()


# ---------------------------------------------------------------- destination policy

Resolver = Callable[[str, int], Sequence[str]]


def _resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


# IPv6 prefixes whose last 32 bits are the IPv4 address really reached: ::ffff:a.b.c.d (mapped),
# ::ffff:0:a.b.c.d (translated), ::a.b.c.d (IPv4-compatible), 64:ff9b::a.b.c.d (NAT64).
_CARRIES_IPV4 = tuple(
    ipaddress.IPv6Network(net) for net in ("::ffff:0:0/96", "::ffff:0:0:0/96", "::/96", "64:ff9b::/96")
)
# RFC 8215 local-use NAT64: translates into this network's own IPv4 space, wherever the IPv4 sits.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _LOCAL_NAT64:
            return False
        if any(ip in net for net in _CARRIES_IPV4):
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)  # judge ::127.0.0.1 as 127.0.0.1
        else:
            # 6to4 (2002::/16) and Teredo (2001::/32) tunnel to the IPv4 addresses they embed.
            tunnelled = [ip.sixtofour, *(ip.teredo or ())]
            if any(v4 is not None and not _is_public_ip(v4) for v4 in tunnelled):
                return False
    return _is_public_ip(ip)


def _is_public_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    # is_global is False for private, loopback, link-local, CGNAT and unspecified; reserved
    # ranges (::/8 …) need their own check on some Python versions.
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


UNRESOLVED = "目标主机暂时无法解析"  # a resolver outage passes: retried like a network error


def check_destination(url: str, allow_private: bool, resolver: Resolver = _resolve) -> str | None:
    """Why `url` must not be called, or None when it may. Alert texts and robot tokens must not
    be sent to internal services (SSRF), so private/loopback/link-local/reserved targets need
    an explicit `allow_private: true` in the channel config."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "目标地址无效，仅支持 http/https (invalid target URL)"
    if allow_private:
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = resolver(parts.hostname, port)
    except (OSError, ValueError) as exc:
        return f"{UNRESOLVED} (cannot resolve host: {type(exc).__name__})"
    if not addresses:
        return f"{UNRESOLVED} (host has no addresses)"
    for address in addresses:
        if not _is_public(address):
            return (
                "目标地址属于内网、回环、链路本地或保留地址段，已拒绝；如确需使用请在渠道配置中设置 "
                f"allow_private: true (private/reserved address {address} refused)"
            )
    return None


_REFUSED_AT_CONNECT = "sentinel: destination refused at connect time"


class _PublicOnlyBackend(httpcore.SyncBackend):
    """Connects only to public addresses, resolving the host itself at connect time.

    check_destination resolves the host before the request; without this, the HTTP client would
    resolve it again to connect, and a DNS answer that changes in between (rebinding: public when
    checked, 127.0.0.1 when connecting) would reach an internal service. Here the address that was
    judged is the address connected to. TLS still verifies the certificate against the host name."""

    def __init__(self, resolver: Resolver) -> None:
        super().__init__()
        self._resolver = resolver

    def connect_tcp(
        self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = list(self._resolver(host, port))
        except (OSError, ValueError) as exc:
            raise httpcore.ConnectError(f"cannot resolve host: {type(exc).__name__}") from exc
        refused = [a for a in addresses if not _is_public(a)]
        if refused or not addresses:
            raise httpcore.ConnectError(f"{_REFUSED_AT_CONNECT}: {refused[0] if refused else 'no address'}")
        error: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in dict.fromkeys(addresses):  # each checked address in turn, as the OS would try them
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None  # noqa: S101 - addresses is not empty
        raise error


def _public_only_transport(resolver: Resolver) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(trust_env=False)
    # httpx takes no network backend, so its pool is replaced by one with the same defaults.
    transport._pool = httpcore.ConnectionPool(  # noqa: SLF001 - see above
        ssl_context=httpx.create_ssl_context(), max_connections=100, max_keepalive_connections=20,
        keepalive_expiry=5.0, network_backend=_PublicOnlyBackend(resolver),
    )
    return transport


# ---------------------------------------------------------------- HTTP


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # an HTTP-date is always GMT
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class HttpChannel:
    """Sync httpx client plus the status-code policy every HTTP channel shares:
    2xx → handed back for the channel's own body check; 429 and 5xx → retryable;
    other 4xx (and 3xx: redirects are never followed, a redirect could lead inside) → failed."""

    def __init__(
        self,
        name: str,
        *,
        timeout_s: float,
        allow_private: bool,
        secrets: Sequence[str],
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver = _resolve,
    ) -> None:
        self.name = name
        self._allow_private = allow_private
        self._secrets = list(secrets)
        self._resolver = resolver
        if transport is None and not allow_private:
            transport = _public_only_transport(resolver)
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout_s), transport=transport, follow_redirects=False
        )

    def redact(self, text: str) -> str:
        return redact(text, self._secrets)

    def request(
        self,
        url: str,
        content: bytes,
        headers: Mapping[str, str],
        *,
        method: str = "POST",
        wall_now: datetime,
    ) -> httpx.Response | DeliveryResult:
        refusal = check_destination(url, self._allow_private, self._resolver)
        if refusal is not None and refusal.startswith(UNRESOLVED):
            return retryable(self.name, refusal)
        if refusal is not None:
            return failed(self.name, refusal)
        try:
            response = self._client.request(method, url, content=content, headers=dict(headers))
        except httpx.TimeoutException as exc:
            return retryable(self.name, f"请求超时 (timeout: {type(exc).__name__})")
        except httpx.ConnectError as exc:
            if _REFUSED_AT_CONNECT in str(exc):
                return failed(self.name, "连接时目标地址解析为内网或保留地址，已拒绝 (private address at connect time)")
            return retryable(self.name, self.redact(f"网络错误 (network error: {type(exc).__name__}: {exc})"))
        except httpx.TransportError as exc:
            return retryable(self.name, self.redact(f"网络错误 (network error: {type(exc).__name__}: {exc})"))
        except httpx.HTTPError as exc:
            return failed(self.name, self.redact(f"请求失败 ({type(exc).__name__}: {exc})"))
        code = response.status_code
        if 200 <= code < 300:
            return response
        snippet = self.redact(response.text[:300])
        if code == 429:
            wait = parse_retry_after(response.headers.get("Retry-After"), wall_now)
            return retryable(self.name, f"HTTP 429 限流: {snippet}", code, wait)
        if code >= 500:
            return retryable(self.name, f"HTTP {code} 服务端错误: {snippet}", code)
        return failed(self.name, f"HTTP {code}: {snippet}", code)

    def close(self) -> None:
        self._client.close()

    def __repr__(self) -> str:
        return f"HttpChannel(name={self.name!r})"


def json_field(response: httpx.Response, *names: str) -> object:
    """The first of `names` present in a JSON object body, or None (bad JSON counts as absent)."""
    try:
        data = response.json()
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    for name in names:
        if name in data:
            return data[name]
    return None


def check_api_reply(
    channel: str,
    response: httpx.Response,
    *,
    code_keys: Sequence[str],
    message_keys: Sequence[str],
    rate_limit_codes: frozenset[int],
    redactor: Callable[[str], str],
) -> DeliveryResult:
    """Robot APIs answer HTTP 200 with an error code in the body; only code 0 is a delivery.
    Their documented rate-limit codes are the body-level twin of HTTP 429, so they retry."""
    code = json_field(response, *code_keys)
    message = json_field(response, *message_keys)
    if code == 0:
        return delivered(channel, response.status_code)
    detail = redactor(f"{code_keys[0]}={code} {message or response.text[:200]}")
    if isinstance(code, int) and code in rate_limit_codes:
        return retryable(channel, f"接口限流 (rate limited): {detail}", response.status_code)
    if code is None:
        return failed(channel, f"无法识别的应答 (unexpected reply): {detail}", response.status_code)
    return failed(channel, f"接口返回错误 (API error): {detail}", response.status_code)


# ---------------------------------------------------------------- HTTP channels


class HttpConfig(Protocol):
    """The fields every HTTP channel's config has (WecomChannel, SmsChannel, … in config.py)."""

    @property
    def url(self) -> SecretStr: ...

    @property
    def timeout_s(self) -> float: ...

    @property
    def allow_private(self) -> bool: ...


ConfigT = TypeVar("ConfigT", bound=HttpConfig)

JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}


def reveal(secret: SecretStr | None) -> str | None:
    """An optional secret's value, unwrapped only where it is about to be used."""
    return secret.get_secret_value() if secret else None


class HttpNotifier(ABC, Generic[ConfigT]):
    """What the robot, SMS and webhook channels share; each one adds its own `send`."""

    def __init__(
        self,
        name: str,
        config: ConfigT,
        *,
        transport: httpx.BaseTransport | None = None,
        wall_clock: Clock | None = None,
        resolver: Resolver = _resolve,
    ) -> None:
        self.name = name
        self._config = config
        self._url = config.url.get_secret_value()
        # Signing timestamps and Retry-After dates need the real time, never a virtual one.
        self._clock = wall_clock or SystemClock()
        self._http = HttpChannel(
            name,
            timeout_s=config.timeout_s,
            allow_private=config.allow_private,
            secrets=[*url_secrets(self._url), *self.credentials()],
            transport=transport,
            resolver=resolver,
        )

    def credentials(self) -> list[str]:
        """Secrets besides the URL's own that errors must never show (signing keys, auth).
        Called from __init__, so it may read only `self._config`."""
        return []

    def target(self, recipient: Recipient) -> str | None:
        return GROUP_TARGET  # one post reaches the whole group (overridden by SMS)

    @abstractmethod
    def send(self, notification: Notification, now: datetime) -> DeliveryResult: ...

    def post_json(
        self,
        url: str,
        body: Mapping[str, Any] | bytes,
        headers: Mapping[str, str] | None = None,
        *,
        method: str = "POST",
    ) -> httpx.Response | DeliveryResult:
        """Send a JSON document; `body` comes already encoded where the channel must sign or
        size-check the exact bytes sent. A 2xx response is handed back for the channel to judge."""
        if not isinstance(body, bytes):
            body = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return self._http.request(
            url, body, {**JSON_HEADERS, **(headers or {})}, method=method, wall_now=self._clock.now()
        )

    def close(self) -> None:
        self._http.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


class RobotNotifier(HttpNotifier[ConfigT]):
    """A group robot (企业微信, 钉钉, 飞书): one JSON post per notification, answered HTTP 200
    with the API's own result code in the body (see `check_api_reply`)."""

    code_keys: ClassVar[tuple[str, ...]] = ("errcode",)
    message_keys: ClassVar[tuple[str, ...]] = ("errmsg",)
    rate_limit_codes: ClassVar[frozenset[int]] = frozenset()

    @abstractmethod
    def payload(self, notification: Notification, now: datetime) -> Mapping[str, Any] | bytes:
        """The message document (or its encoded bytes) in the robot's own format."""

    def endpoint(self) -> str:
        """Where to post; a robot that signs its URL (钉钉) builds it per request."""
        return self._url

    def send(self, notification: Notification, now: datetime) -> DeliveryResult:
        body = self.payload(notification, now)
        reply = self.post_json(self.endpoint(), body)
        if isinstance(reply, DeliveryResult):
            return reply
        return check_api_reply(
            self.name,
            reply,
            code_keys=self.code_keys,
            message_keys=self.message_keys,
            rate_limit_codes=self.rate_limit_codes,
            redactor=self._http.redact,
        )
