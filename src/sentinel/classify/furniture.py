"""Page furniture a crawler leaves in a post: what the classifier must not read as the post's own words.

A WeChat article ends in 往期推荐 (past headlines: 餐馆燃气爆炸致25人死亡…), a news page in 相关阅读 or
延伸阅读; apps add 点击上方蓝字关注我们, 【字号 大 中 小】, 分享到, 原声 - 某某, 抖音号. A toll in a list of other
headlines is not this post's toll, and a safety tip with such a list is still a tip.

`blank_furniture` replaces that furniture with spaces, keeping every other character where it was, so
the evidence spans the classifier reports still point into the stored text. Only whole lines are
blanked, and only lines that are nothing but furniture: a sentence that mentions 阅读原文 is kept.
"""

from __future__ import annotations

import re

# A header of a list of other items, alone on its line: the lines after it are that list (and the credits and
# disclaimers after it), up to a line that reads like the page's own body again (_body_line).
_LIST_HEADER_RE = re.compile(
    r"^[\s▶►▷●•·■□◆◇★☆#【\[（(>》|｜-]*"
    r"(?:往期(?:推荐|回顾|精选|精彩)|相关(?:阅读|閱讀|新闻|新聞|推荐|報導|报道|链接)|相關(?:閱讀|新聞|推薦|報導)"
    r"|推荐阅读|推薦閱讀|延伸(?:阅读|閱讀)|热门推荐|熱門推薦|热点推荐|猜你喜欢|猜你喜歡|更多(?:精彩|阅读|新闻)|精彩推荐|精彩回顾"
    r"|热文推荐|今日推荐|编辑推荐|大家都在看|你可能还想看|看点推荐)"
    r"[\s】\]）)》|｜:：\-—…>▼↓👇]*$"
)
# One line of app or page chrome (the whole line, after optional bullets and spaces).
_FIELD = r"[^\n，,。！？!?；;]"  # a field's value: no clause punctuation
_CHROME_LINE_RE = re.compile(
    r"^[\s▶►▷●•·■□◆◇★☆👉👆🔗]*(?:"
    r"点击(?:上方|下方|蓝字|上面)[^\n]{0,12}关注[^\n]{0,20}|點擊(?:上方|藍字)[^\n]{0,20}"
    r"|(?:点击)?阅读原文[^\n]{0,20}|閱讀原文|展开全文|收起全文d?|查看原文|网页链接|網頁鏈接"
    r"|(?:图片|圖片|配图)来源(?:于)?(?:网络|網絡|网上)[^\n]{0,20}|侵删|侵刪|如有侵权[^\n]{0,30}"
    r"|免责声明[:：][^\n]{0,120}|投稿(?:邮箱|郵箱|请发)[^\n]{0,60}|商务合作[^\n]{0,60}"
    r"|分享到[:：]?[^\n]{0,40}|【字号[^\n]{0,20}】[^\n]{0,40}|【打印】[^\n]{0,30}|【关闭】|【打印本页】[^\n]{0,20}"
    r"|原声\s*[-－—][^\n]{0,40}|抖音号[:：][^\n]{0,40}|合拍\s*@[^\n]{0,40}"
    # a line of handles only (a handle holds no clause punctuation: not @鹤鸣消防，城东化工厂爆炸了！)
    r"|@[^\s@，,。！？!?：:；;]{1,20}(?:\s+@[^\s@，,。！？!?：:；;]{1,20})*"
    # A field's value is a name, a date or a place, never a clause: 编辑：突发！城东化工厂爆炸，已致3人死亡 /
    # 来源：网友爆料，今天下午… / 图：爆炸现场，已致3人死亡 carry the post's own news and are kept.
    rf"|L[^\s]{{1,20}}的微博视频|(?:发布|發佈|发表|發表)(?:时间|時間|日期)[:：]{_FIELD}{{0,80}}"
    rf"|(?:来源|來源|作者|责任编辑|責任編輯|编辑|編輯|校对|校對|审核|审校|文字|文|图|监制|统筹)[:：]{_FIELD}{{0,60}}"
    rf"|(?:索引号|发布机构|发文日期|主题分类|成文日期|发文字号|有效性)[:：]{_FIELD}{{0,80}}"
    # 2026-05-19 10:40 來源：某新聞網: a dateline of the page, not of the event
    r"|(?:19|20)[0-9]{2}[-/.][0-9]{1,2}[-/.][0-9]{1,2}(?:\s+[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?\s*(?:(?:来源|來源)[:：][^\n]{0,40})?"
    r")\s*$"
)


# After a list header, a line that opens a report is the page's own body again (a crawled sidebar or a
# 推荐阅读 block above the article: 相关新闻⏎11月23日凌晨3时许，…发生火灾，造成4人死亡。): not a bulleted item, and
# a full sentence, longer than a headline, or a lede (据…通报, 今天下午, 11月23日凌晨).
_ITEM_RE = re.compile(r"^\s*(?:[▶►▷●•·■□◆◇★☆>》|｜\-—→👉🔗]|[0-9]{1,2}[.、．)）])")
_LEDE_RE = re.compile(
    r"据[^\n]{0,12}?(?:通报|消息|报道|介绍)|记者|今天|今日|今晨|今早|昨天|昨日|昨晚|昨夜|刚刚|刚才"
    r"|[0-9]{1,2}月[0-9]{1,2}日(?:[0-9]{1,2}时|凌晨|早上|上午|中午|下午|傍晚|晚|夜)"
)
_HEADLINE_MAX = 40


def _body_line(line: str) -> bool:
    s = line.strip()
    if not s or _ITEM_RE.match(line):
        return False
    return len(s) > _HEADLINE_MAX or s.endswith("。") or _LEDE_RE.search(s) is not None


def blank_furniture(text: str) -> str:
    """`text` with its furniture lines turned to spaces (same length, same line breaks)."""
    if "\n" not in text:
        return text  # one line: a post, not a page
    out: list[str] = []
    in_list = False
    for index, line in enumerate(text.split("\n")):
        if index > 0 and _LIST_HEADER_RE.match(line):
            in_list = True
        elif in_list and _body_line(line):
            in_list = False
        out.append(" " * len(line) if in_list or _CHROME_LINE_RE.match(line) else line)
    return "\n".join(out)


def model_text(blanked: str) -> str:
    """What the model reads: the blanked lines dropped, not kept as runs of spaces (which the model never saw in
    training and which shift its scores: a 消防宣传 page whose 【字号】 line was blanked read as a fire)."""
    return re.sub(r"^[ ]+\n|\n[ ]+(?=\n|$)", "", blanked)  # a blanked first line too
