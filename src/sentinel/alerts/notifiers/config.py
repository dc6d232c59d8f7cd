"""Typed models for alerts/channels.yaml (see alerts/channels.example.yaml for every field).

Secrets (robot URLs carry their token, signing secrets, SMTP passwords, gateway auth headers)
are `SecretStr`: their repr is '**********' and they are only unwrapped at the moment of
sending. A string value written exactly as `${NAME}` is read from the environment, so the YAML
file itself can be committed without credentials.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from sentinel.yamlconf import load_yaml_model

_ENV_REF = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$")


class _Channel(BaseModel):
    # hide_input_in_errors: a typo next to a secret must not echo the secret in the error.
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    description: str = ""
    enabled: bool = True
    timeout_s: float = Field(default=10.0, gt=0, le=120)


class _HttpChannel(_Channel):
    # Refuse private/loopback/link-local/reserved destinations unless explicitly allowed
    # (e.g. an SMS gateway inside the 政务外网).
    allow_private: bool = False


class WecomChannel(_HttpChannel):
    """企业微信群机器人: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"""

    type: Literal["wecom"]
    url: SecretStr


class DingtalkChannel(_HttpChannel):
    """钉钉自定义机器人: https://oapi.dingtalk.com/robot/send?access_token=…; `secret` turns on 加签."""

    type: Literal["dingtalk"]
    url: SecretStr
    secret: SecretStr | None = None
    at_mobiles: tuple[str, ...] = ()
    at_all: bool = False


class FeishuChannel(_HttpChannel):
    """飞书自定义机器人: https://open.feishu.cn/open-apis/bot/v2/hook/…; `secret` turns on 签名校验."""

    type: Literal["feishu"]
    url: SecretStr
    secret: SecretStr | None = None
    msg_type: Literal["interactive", "text"] = "interactive"


class EmailChannel(_Channel):
    """SMTP submission with STARTTLS and login. Mail relays usually live on the internal
    network, so no private-address policy applies here."""

    type: Literal["email"]
    host: str
    port: int = Field(default=587, gt=0, lt=65536)
    starttls: bool = True
    username: str | None = None
    password: SecretStr | None = None
    sender: str
    ca_file: Path | None = None  # trust a private CA (e.g. an internal mail server's)
    addresses: dict[str, str] = Field(default_factory=dict)  # recipient name → email address

    @model_validator(mode="after")
    def _no_plaintext_login(self) -> EmailChannel:
        if self.username and not self.starttls:
            raise ValueError("email: login without STARTTLS would send the password in clear text")
        if self.username and self.password is None:
            raise ValueError("email: username given without password")
        return self


class SmsChannel(_HttpChannel):
    """A generic HTTP SMS gateway: `body_template` is any JSON; every string in it has
    {phone} and {text} replaced (JSON-escaped, so message text cannot break the structure)."""

    type: Literal["sms"]
    url: SecretStr
    method: Literal["POST", "PUT"] = "POST"
    body_template: dict[str, Any] = Field(default_factory=lambda: {"phone": "{phone}", "text": "{text}"})
    auth_header: str = "Authorization"
    auth_value: SecretStr | None = None
    phones: dict[str, str] = Field(default_factory=dict)  # recipient name → mobile number
    max_segments: int = Field(default=3, ge=1, le=3)
    # Gateways that answer HTTP 200 with an error code: e.g. ok_field "Code", ok_value "OK".
    ok_field: str | None = None
    ok_value: str | int | bool | None = None


class WebhookChannel(_HttpChannel):
    """Generic JSON POST signed with X-Sentinel-Signature: sha256=<hex HMAC of the raw body>."""

    type: Literal["webhook"]
    url: SecretStr
    secret: SecretStr


class ConsoleChannel(_Channel):
    """The console inbox (always available; stored by the runtime's store)."""

    type: Literal["console"]


ChannelConfig = Annotated[
    WecomChannel
    | DingtalkChannel
    | FeishuChannel
    | EmailChannel
    | SmsChannel
    | WebhookChannel
    | ConsoleChannel,
    Field(discriminator="type"),
]


class RetryConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    max_attempts: int = Field(default=5, ge=1, le=20)
    base_delay_s: float = Field(default=1.0, gt=0)
    max_delay_s: float = Field(default=60.0, gt=0)  # cap on one computed backoff sleep
    # Retrying stops at the notification's due time, or this long after the first attempt
    # when the due time has passed or is unknown; then the next channel is tried.
    max_total_s: float = Field(default=300.0, gt=0)


class ChannelsConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True)

    version: int = 1
    default_chain: tuple[str, ...] = ()  # for recipients without their own channels
    broadcast: tuple[str, ...] = ()  # receive every notification (e.g. the console inbox)
    retry: RetryConfig = RetryConfig()
    channels: dict[str, ChannelConfig] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _names_exist(self) -> ChannelsConfig:
        unknown = [n for n in (*self.default_chain, *self.broadcast) if n not in self.channels]
        if unknown:
            raise ValueError(f"unknown channel names in default_chain/broadcast: {unknown}")
        return self


def expand_env(value: Any, environ: Mapping[str, str]) -> Any:
    """Replace strings written exactly as ${NAME} by the environment value (recursively)."""
    if isinstance(value, str):
        match = _ENV_REF.match(value)
        if match is None:
            return value
        name = match.group(1)
        if name not in environ:
            raise ValueError(f"environment variable {name} is referenced in channels.yaml but not set")
        return environ[name]
    if isinstance(value, dict):
        return {k: expand_env(v, environ) for k, v in value.items()}
    if isinstance(value, list):
        return [expand_env(v, environ) for v in value]
    return value


def parse_channels(data: Any, environ: Mapping[str, str] | None = None) -> ChannelsConfig:
    env = os.environ if environ is None else environ
    return ChannelsConfig.model_validate(expand_env(data or {}, env))


def load_channels(path: Path, environ: Mapping[str, str] | None = None) -> ChannelsConfig:
    """Errors name the file and line, as for the other operator files (a ConfigError)."""
    env = os.environ if environ is None else environ
    return load_yaml_model(path, ChannelsConfig, prepare=lambda data: expand_env(data, env))
