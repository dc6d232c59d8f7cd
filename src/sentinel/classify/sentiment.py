"""Lexicon sentiment for posts: explainable, fast, and the baseline the trained model must beat.

Counts negative and positive cue words (with a simple negation flip: 不满意 is negative even
though 满意 is positive) and maps the balance to [-1, 1].
"""

from __future__ import annotations

import re

from sentinel.domain.codes import Sentiment

_NEGATIVE = ["愤怒", "气愤", "生气", "无语", "垃圾", "恶心", "坑人", "骗子", "诈骗", "黑心", "投诉", "举报", "曝光", "维权", "讨薪", "欠薪", "拖欠", "不管", "不作为", "推诿", "敷衍", "踢皮球", "态度差", "太差", "很差", "差劲", "失望", "绝望", "心寒", "寒心", "痛心", "悲痛", "哀悼", "默哀", "遇难", "死亡", "身亡", "丧生", "受伤", "重伤", "被困", "失联", "爆炸", "起火", "火灾", "坍塌", "倒塌", "泄漏", "中毒", "污染", "恶臭", "黑臭", "死鱼", "暴力", "殴打", "打人", "强拆", "霸王", "乱收费", "乱罚款", "腐败", "贪污", "挪用", "烂尾", "跑路", "暴雷", "爆雷", "难受", "害怕", "恐慌", "担心", "焦虑", "崩溃", "可怜", "惨", "太惨", "欺负", "欺人太甚", "凭什么", "为什么没人管", "没人管", "求助", "救命", "求扩散", "扩散", "😡", "😭", "😤", "🙏", "💔"]
_POSITIVE = ["点赞", "赞", "感谢", "谢谢", "满意", "好评", "给力", "暖心", "贴心", "高效", "及时", "负责", "辛苦了", "致敬", "为你们点赞", "好样的", "方便", "便民", "实惠", "解决了", "已解决", "落实", "顺利", "成功", "获救", "脱险", "平安", "恢复", "开心", "高兴", "喜欢", "期待", "支持", "👍", "❤", "😊", "🎉"]
_NEGATORS = "不没未无别非"
_PATTERN = re.compile("|".join(sorted(map(re.escape, {*_NEGATIVE, *_POSITIVE}), key=len, reverse=True)))
_NEG = frozenset(_NEGATIVE)


def score_sentiment(text: str) -> tuple[Sentiment, float, list[str]]:
    """(label, score in [-1, 1], cue words found)."""
    balance = 0.0
    cues: list[str] = []
    for match in _PATTERN.finditer(text):
        word = match.group(0)
        polarity = -1.0 if word in _NEG else 1.0
        if match.start() > 0 and text[match.start() - 1] in _NEGATORS:
            polarity = -polarity
        balance += polarity
        cues.append(word)
    score = max(-1.0, min(1.0, balance / 3.0))
    if score <= -0.3:
        return Sentiment.negative, score, cues
    if score >= 0.3:
        return Sentiment.positive, score, cues
    return Sentiment.neutral, score, cues
