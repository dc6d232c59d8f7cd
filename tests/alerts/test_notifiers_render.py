"""Message rendering: wording, escaping and every channel's size limit."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import SecretStr
from tests.alerts.test_notifiers_support import LINK, NOW, make

from sentinel.alerts.notifiers.config import DingtalkChannel, FeishuChannel, WecomChannel
from sentinel.alerts.notifiers.dingtalk import DingtalkNotifier
from sentinel.alerts.notifiers.feishu import FeishuNotifier
from sentinel.alerts.notifiers.render import (
    DINGTALK_MAX_BYTES,
    EMAIL_SUBJECT_MAX_CHARS,
    FEISHU_MAX_BYTES,
    WECOM_MAX_BYTES,
    compose_title,
    render_email,
    render_markdown,
    render_sms,
    render_text,
    sms_segments,
    truncate_bytes,
    truncate_chars,
)
from sentinel.alerts.notifiers.wecom import WecomNotifier
from sentinel.domain.alerting import EventKind

HUGE = "化工园区爆炸现场浓烟滚滚" * 4_200  # 50,400 characters, ~151 KB


def test_title_grade_window_and_overdue() -> None:
    n = make()
    assert compose_title(n, NOW) == "【重大·超时】新港区化工园区爆炸 权威信息发布已超时"
    text = render_text(n, NOW, 10_000)
    assert "事件分级：重大(Ⅱ级)" in text
    assert "权威信息发布，截止 2026-03-01 14:00（已超时1小时10分）" in text
    assert "责任单位：新港区委宣传部" in text
    assert text.endswith(f"详情：{LINK}")


def test_time_left_uses_injected_now() -> None:
    n = make(kind=EventKind.reminder, due=NOW + timedelta(hours=3, minutes=5))
    assert compose_title(n, NOW) == "【重大·提醒】新港区化工园区爆炸 权威信息发布即将到期"
    assert "（剩余3小时05分）" in render_text(n, NOW, 10_000)
    later = NOW + timedelta(hours=4)
    assert "（已超时55分钟）" in render_text(n, later, 10_000)


def test_engine_title_is_kept_and_late_delivery_is_said() -> None:
    n = make(title_zh="【重大·升级】新港区化工园区爆炸", late=True, at=NOW - timedelta(minutes=30))
    text = render_text(n, NOW, 10_000)
    assert text.startswith("【重大·升级】新港区化工园区爆炸\n")
    assert "补发说明：因系统延迟补发，原定 03-01 14:40 发出" in text


def test_markdown_cannot_be_smuggled_in_by_post_text() -> None:
    n = make(incident_title="[点此核实](http://evil.example/x) @所有人 <font>", body_zh="**加粗** ![img](x)")
    md = render_markdown(n, NOW, DINGTALK_MAX_BYTES)
    assert "](http://evil" not in md
    assert "［点此核实］（http://evil.example/x）" in md
    assert "@所有人" not in md and "**加粗**" not in md and "<font>" not in md
    assert f"[查看详情]({LINK})" in md  # our own link stays a link


def test_only_http_links_are_shown() -> None:
    n = make(link="javascript:alert(1)")
    assert "javascript" not in render_markdown(n, NOW, DINGTALK_MAX_BYTES)
    assert "javascript" not in render_email(n, NOW)[2]


@settings(max_examples=300)
@given(text=st.text(min_size=0, max_size=400), limit=st.integers(0, 600))
def test_truncate_bytes_never_splits_a_character(text: str, limit: int) -> None:
    out = truncate_bytes(text, limit)
    assert len(out.encode("utf-8")) <= max(limit, 0)
    if len(text.encode("utf-8")) <= limit:
        assert out == text
    elif out:
        assert out.endswith("…") and text.startswith(out[:-1])


def test_truncate_mixed_width_at_every_byte_boundary() -> None:
    text = "a中😀b文" * 10
    for limit in range(0, len(text.encode()) + 2):
        out = truncate_bytes(text, limit)
        assert len(out.encode()) <= limit
        out.encode("utf-8").decode("utf-8")  # strict decode: no partial characters
    assert truncate_chars("一二三四五", 3) == "一二…"


def test_fifty_thousand_characters_fit_dingtalk_and_wecom() -> None:
    n = make(incident_title=HUGE, body_zh=HUGE)
    md = render_markdown(n, NOW, DINGTALK_MAX_BYTES)
    assert len(md.encode()) <= DINGTALK_MAX_BYTES
    assert md.rstrip().endswith(f"[查看详情]({LINK})")  # the link survives the cut
    assert "…" in md

    ding = DingtalkNotifier(
        "d",
        DingtalkChannel(
            type="dingtalk", url=SecretStr("https://oapi.dingtalk.com/robot/send?access_token=t")
        ),
    )
    payload: Any = ding.payload(n, NOW)
    assert len(payload["markdown"]["text"].encode()) <= DINGTALK_MAX_BYTES
    assert len(payload["markdown"]["title"].encode()) <= 200

    wecom = WecomNotifier(
        "w", WecomChannel(type="wecom", url=SecretStr("https://qyapi.weixin.qq.com/x?key=k"))
    )
    content: Any = wecom.payload(n, NOW)["markdown"]
    assert len(content["content"].encode()) <= WECOM_MAX_BYTES
    assert LINK in content["content"]


def test_fifty_thousand_characters_fit_feishu_body() -> None:
    n = make(incident_title=HUGE, body_zh="第一行\n" + HUGE + '\n"引号"\\')
    for msg_type in ("interactive", "text"):
        cfg = FeishuChannel(
            type="feishu",
            url=SecretStr("https://open.feishu.cn/open-apis/bot/v2/hook/x"),
            secret=SecretStr("s"),
            msg_type=msg_type,
        )
        body = FeishuNotifier("f", cfg).payload(n, NOW)
        assert len(body) <= FEISHU_MAX_BYTES
        assert json.loads(body)["msg_type"] == msg_type


def test_sms_and_email_subject_limits() -> None:
    n = make(incident_title=HUGE, owner_unit=HUGE, body_zh=HUGE)
    sms = render_sms(n, NOW)
    assert len(sms) <= 201 and sms_segments(sms) <= 3
    assert "截止" in sms
    assert len(render_sms(n, NOW, max_segments=1)) <= 70
    short = render_sms(make(), NOW)
    assert (
        short
        == "【重大·超时】新港区化工园区爆炸 权威信息发布已超时，截止03-01 14:00（已超时1小时10分），责任单位：新港区委宣传部。"
    )
    subject, text, page = render_email(n, NOW)
    assert len(subject) <= EMAIL_SUBJECT_MAX_CHARS and "\n" not in subject
    assert "<h2>" in page and "&lt;" not in subject
    assert len(text) > 50_000  # email body itself is not cut


def test_naive_due_is_read_as_shanghai_not_a_crash() -> None:
    naive = datetime(2026, 3, 1, 14, 0)  # noqa: DTZ001 - a naive value from a careless producer
    assert "（已超时1小时10分）" in render_text(make(due=naive), NOW, 10_000)
