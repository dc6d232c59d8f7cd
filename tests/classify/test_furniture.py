"""Page furniture is blanked before classifying: a related-reading list's tolls are not the post's."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from sentinel.classify.ensemble import RuleClassifier
from sentinel.classify.furniture import blank_furniture, model_text
from sentinel.classify.grading import grade_text
from sentinel.classify.taxonomy import load_taxonomy
from sentinel.domain.codes import Grade, TopicCode
from sentinel.domain.post import PostIn
from sentinel.domain.timeutil import FakeClock
from sentinel.ingest.normalize import Normaliser

TIP_WITH_LIST = (
    "点击上方蓝字关注我们\n闻到燃气味怎么办？记住这“四要四不要”\n要立即关闭燃气总阀，打开门窗通风。\n"
    "往期推荐\n▶ 血的教训！某地餐馆燃气爆炸致25人死亡事故调查报告发布\n▶ 燃气安全进社区\n图片来源网络，侵删"
)


def test_a_related_list_and_app_chrome_are_blanked_in_place() -> None:
    out = blank_furniture(TIP_WITH_LIST)
    assert len(out) == len(TIP_WITH_LIST) and out.count("\n") == TIP_WITH_LIST.count("\n")
    assert "25人死亡" not in out and "点击上方蓝字" not in out and "侵删" not in out
    kept = "闻到燃气味怎么办？记住这“四要四不要”"
    assert out.index(kept) == TIP_WITH_LIST.index(kept)  # spans found in the blanked text point into the stored one


@pytest.mark.parametrize("line", [
    "发布时间：2026-03-28 09:12 来源：某新闻网", "發佈時間：2026-03-28 09:12 來源：台灣某新聞網",
    "2026-05-19 10:40 來源：香港某報網", "【字号 大 中 小】【打印】", "责任编辑：杜薇", "原声 - 澜川消防",
    "抖音号：lc_sijilaozhou", "@澜川消防 @澜川发布", "索引号：HM-ZRZY-2026-018", "阅读原文", "分享到：Facebook LINE",
])
def test_chrome_lines(line: str) -> None:
    assert blank_furniture(f"正文第一行\n{line}\n正文最后一行").split("\n") == ["正文第一行", " " * len(line), "正文最后一行"]


@pytest.mark.parametrize("text", [
    "三楼起火了，往期推荐的那篇文章说过要小心",  # one line: a post, not a page
    "今天凌晨化工厂爆炸，3人死亡\n点击上方蓝字看现场视频后续：又有2人送医",  # a sentence, not chrome
    "相关阅读\n只有一行的帖子",  # a header on the first line is the post's own words
    "编辑：突发！城东化工厂发生爆炸，已致3人死亡、6人受伤",  # a field whose value is a sentence is the news
    "来源：网友爆料，今天下午3点城东加油站突然起火",
])
def test_post_words_are_kept(text: str) -> None:
    assert blank_furniture(text) == text


def test_the_toll_in_a_list_grades_nothing_and_the_post_above_it_still_does() -> None:
    assert grade_text(blank_furniture(TIP_WITH_LIST), [TopicCode.work_safety]).grade is Grade.none
    report = "突发！临沅区一处自建房倒塌\n经全力搜救，5名被埋人员全部救出，其中三人经抢救无效死亡。\n来源：临沅发布\n往期推荐\n▶ 下河村改造公布"
    assert grade_text(blank_furniture(report), [TopicCode.work_safety]).grade is Grade.relatively_serious


def test_the_rule_classifier_reads_the_blanked_text() -> None:
    repo = Path(__file__).resolve().parents[2]
    classifier = RuleClassifier(load_taxonomy(repo / "classify" / "taxonomy.yaml"), repo / "classify" / "grading.yaml")
    post = Normaliser(FakeClock(datetime(2026, 11, 24, tzinfo=UTC))).normalise(
        PostIn(id="p1", source="wechat", text=TIP_WITH_LIST))
    (result,) = classifier.classify_batch([post])
    assert result.grade is Grade.none


def test_an_article_body_after_a_sidebar_header_is_kept() -> None:
    """鹤鸣县通报一起事故⏎相关新闻⏎11月23日凌晨…造成4人死亡: a line that reads like a lede ends the list."""
    text = "鹤鸣县通报一起事故\n相关新闻\n11月23日凌晨3时许，鹤鸣县城东一居民楼发生火灾，造成4人死亡、2人受伤，火灾原因正在调查中。"
    assert "造成4人死亡" in blank_furniture(text)
    assert grade_text(blank_furniture(text), [TopicCode.work_safety]).grade is Grade.relatively_serious


def test_the_model_reads_the_page_without_its_blanked_lines() -> None:
    assert model_text(blank_furniture(TIP_WITH_LIST)) == "闻到燃气味怎么办？记住这“四要四不要”\n要立即关闭燃气总阀，打开门窗通风。"
