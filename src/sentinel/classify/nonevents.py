"""Tell when a post that talks about an incident is not a current emergency in our jurisdiction.

Kinds: a refuted rumour, a drill, history (anniversaries, a past year's disaster retold, a court
ruling on a closed case, 火灾一年后), a hypothetical (如果…), aggregate statistics (全年…同比下降,
每年因…, a monthly 疫情概况), the plot of a novel, film or game (小说《渡口》), or an incident abroad.

Most checks look at the *anchor* sentences: those holding a casualty figure or an incident
word. A real report that mentions a drill, a rumour or a past disaster in passing keeps its
anchor elsewhere and stays an event; "网传死亡10人不实，实际死亡3人" still has a counted figure
outside the refuted claim, so it is an event too.

The refuted-claim spans (网传…不实) live here and figures uses them, so numbers inside a refuted
claim are never counted.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict

from sentinel.classify.numbers import fold

if TYPE_CHECKING:  # figures imports this module for find_refuted_spans
    from sentinel.classify.figures import Figures

__all__ = [
    "GENERIC_INCIDENT_RE",
    "NonEvent",
    "NonEventKind",
    "SpanSet",
    "detect_non_event",
    "find_refuted_spans",
    "happening_now",
    "negated_incident_word",
]

_SHANGHAI = ZoneInfo("Asia/Shanghai")


class NonEventKind(StrEnum):
    rumour_refuted = "rumour_refuted"
    drill = "drill"
    history = "history"
    hypothetical = "hypothetical"
    statistics = "statistics"
    fiction = "fiction"
    outside_jurisdiction = "outside_jurisdiction"
    advert = "advert"


NON_EVENT_NAMES_ZH: dict[NonEventKind, str] = {
    NonEventKind.rumour_refuted: "辟谣/不实信息",
    NonEventKind.drill: "应急演练",
    NonEventKind.history: "历史回顾",
    NonEventKind.hypothetical: "假设情形",
    NonEventKind.statistics: "统计数据",
    NonEventKind.fiction: "文艺作品",
    NonEventKind.outside_jurisdiction: "境外事件",
    NonEventKind.advert: "商业广告",
}


class NonEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: NonEventKind
    start: int
    end: int
    text: str

    @property
    def zh(self) -> str:
        return NON_EVENT_NAMES_ZH[self.kind]


# --- refuted claims: also used by figures, so that numbers in 网传…不实 are never counted ---

# 经核实，当地未发生此类事件 / 经查，该厂未发生爆炸: a verified denial refutes like 不实 does (not
# 未发生次生事故, which says the real accident had no second one).
DENIED = (r"(?:经(?:核实|核查|查|调查|了解|确认)|核实)[^。!?;]{0,14}?(?:没有?|未|并未)(?:发生|出现)(?:过)?"
          r"(?:此类|该|该起|上述|类似|相关|这起|这一|此|任何)?(?:交通|安全|生产安全)?"
          r"(?:事件|事故|情况|险情|案件|爆炸|火灾|车祸)")
# 网传“6.0级地震”截图系伪造: a doctored picture refutes like 不实 does (not 伪造公章, a crime).
_FAKED = (r"(?:截图|图片|照片|视频|画面)(?:(?:系|为|是|属)?伪造|是假的)|伪造的(?:截图|图片|照片|视频)|p图|ps图"  # folded: lower case
          r"|合成(?:的)?(?:图片|视频|截图)|恶意剪辑"
          # 经警方核实为某影视剧拍摄现场 (not 起火的是电影拍摄用的摄影棚, a real set)
          r"|(?:核实|核查|查明|确认|证实|实为|实系|其实是|原来是)[^,.;:!?。，；：！？]{0,8}?(?:系|为|是)某?"
          r"(?:影视剧|电视剧|电影|短剧)(?:拍摄|片段|画面|剧照)"
          # 那个视频是好几年前那次发大水时拍的: old footage passed round as news
          r"|(?:视频|图片|照片|画面)(?:其实|实际上)?(?:是|系)(?:好)?(?:几|多|两|三|十几)年前[^,.;:!?。，；：！？]{0,12}?拍的")
_CLAIM_RE = re.compile(
    r"网传|网上流传|网络流传|网络传言|流传|传言|传闻|谣传|网曝|网帖|有网友称|网友称|自媒体称"
    r"|有消息称|有人称|爆料称|网上说|听说|网上都在说|网上传|(?:网上|群里|朋友圈)有人(?:在)?传|疯传|热传|(?:视频|消息|帖子|图片|截图)(?:一直|都)?在(?:网上|群里)?传|群组(?:里)?(?:都)?在传|群(?:里|入面)?(?:转发|转紧)|群里(?:都在)?(?:传|转的(?!是))|朋友圈(?:里)?(?:都在)?(?:传|转的(?!是))"
    # 有网民发布视频称… / 网友发帖说…: a claim by someone online, refuted later in the post
    r"|(?:网民|网友|博主)[^,.;:!?。，；：！？“”\"]{0,10}?(?:称|说|发布|发帖|散布|散播)"
    # 有人乱传… is a claim; 别乱传了，死了3个人 warns, and the poster's own account follows (唔好亂傳啦！話… still quotes)
    r"|有人(?:话|讲)"  # 有人話…係謠言 (Cantonese 话 = 说)
    r"|(?<!别)(?<!不要)(?<!唔好)(?<!勿)(?<!莫)(?<!是)(?<!纯属)(?:乱传|瞎传)|(?:乱传|瞎传)[啦了吧呀！!，,\s]{0,3}(?:说|话|讲|称)"
)
# “全市要停水”是瞎传的: idle talk, said of a claim.
# (not 哪是瞎传的 / 谁说是瞎传的: asked back, the poster holds the report true)
_IDLE_TALK = r"(?<!哪)(?<!谁说)(?<!怎么)(?<!咋)(?<!岂)(?:是|都是|纯属)(?:瞎传|乱传|瞎说|胡说|瞎编|乱编)的?"
_IDLE_TALK_RE = re.compile(_IDLE_TALK)
# 矿上透水 死了4个人 矿主还说是瞎传的: idle talk refutes what its speaker was told of, after the last 说 of its
# clause; the poster's own account before the speaker is not the claim. Unless that account is itself hearsay:
# 群里说县城要停电三天 供电所的朋友说纯属瞎说 refutes it all.
_SAID_RE = re.compile(r"说|称|讲")
_HEARSAY_RE = re.compile(r"听说|据说|群里|网上|网传|有人说|朋友圈|传言|传闻|都在传|说是")
_REFUTE_RE = re.compile(
    # 群里传的视频是今天的，不是旧视频 / 这不是谣言: a denial of the refutation
    r"(?<!不是)(?<!并非)(?<!并不是)(?<!不)(?<!唔系)(?<!以为是)(?<!以为)(?:"  # 唔系谣言 (Cantonese 不是); 本来以为是谣言
    r"不属实|不实|纯属谣言|系谣言|是谣言|为谣言|属谣言|虚假信息|虚假消息|与事实(?:严重|明显|完全)?不符|系误传"
    r"|(?:说法|消息|传言|传闻|帖子)(?:都|纯属|根本)?是假的|" + _IDLE_TALK +
    r"|并非事实|失实|子虚乌有|谣言|不存在|辟谣|无事实依据|没有事实依据|查无此事|不符合事实"
    # 假的假的 我就住坝底下 / 疾控刚出通报 就是普通流感: a witness's or an office's plain denial
    # 刚问了在县医院的同学，说是假的 (not 谁说是假的, which holds the report true)
    r"|假的假的|(?<!谁)(?<!哪)(?<!怎么)说是假的|(?:就|只|不过)是普通(?:流感|感冒|发烧|肺炎|呼吸道感染)|假消息|冇呢回事|没有这回事|没这回事"
    r"|旧视频|旧片|旧图|旧闻|移花接木|张冠李戴|纯属捏造|系捏造|纯属虚构|实际情况为|实际情况是"

    r"|(?:外国|外地|外省|境外|国外)的?(?:视频|片段|画面|图片)|旧片段|(?:没有?|未发生)任何事故"
    # 经核查…近期未发生食物中毒事件 / 网传死亡学生系外县一名因病去世的学生 (the rest of the sentence is elsewhere's)
    # (not 肇事司机系外地人，事故造成3人死亡 / 遇难的3人均系外地游客 / 爆炸造成4人死亡，未发生次生事故)
    r"|(?:核查|核实|调查|查明|经查)[:：]?[^,.;:!?。，；：！？]{0,12}?(?<![是否])未发生[^,.;:!?。，；：！？]{0,8}?(?:事件|事故)"
    r"|(?:网传|网上|传言|传闻|所传|视频中)[^,.;:!?。，；：！？]{0,12}?系(?:外地|外省|外县|外市|外区|境外|国外)[^,.;:!?。，；：！？]*"
    r"|" + _FAKED + "|" + DENIED + ")"
    r"(?!了?吗|[?？])"  # “化工园区爆炸”的消息是谣言吗？ asks, it does not refute
)
# After a claim only: 网传…经核查，该视频系2019年外省某地事故画面…未发生爆炸事故. Alone, these confirm a real
# report's limits (爆炸造成4人死亡，未发生有毒气体泄漏事件 / 遇难的3人均系外地游客), refuting nothing.
_CLAIM_REFUTE_RE = re.compile(
    r"(?<![是否])未发生[^,.;:!?。，；：！？]{0,8}?(?:事件|事故|踩踏|爆炸|火灾|坍塌|垮塌|中毒)"
    r"|系[^,.;:!?。，；：！？]{0,8}?(?:外地|外省|外县|外市|外区|境外|国外)[^,.;:!?。，；：！？]*")
# 商场回应说不实，但我就在现场，烟很大 / 有人说是旧视频，我刚路过确认了: the poster disputes the refutation.
_DISPUTED_RE = re.compile(r"(?:但|可|可是|然而|明明)[^。!?\n]{0,12}?(?:我(?!们)|亲眼|现场|确实)|我(?:刚|就)?(?:在现场|路过|亲眼)")
_VERIFIED_RE = re.compile(r"经(?:初步|现场|实地)?(?:核实|核查|调查|查明|了解|确认)|经查|现已查明|据调查|事故共造成|共造成"
                          r"|(?:核查|核实|调查)[^。!?;\n]{0,4}?情况如下"  # 县教育局联合县市场监管局核查，情况如下：…
                          # 据杉浦市人民政府新闻办公室通报…截至目前已确认11人死亡，网传数字不实: the official account
                          # — at a sentence's start only (or after a quoted claim's ”，): not 网传据内部通报死了30人,
                          # 网传“据医院发布…”, 有网友称据知情人通报… / 网传已确认30人死亡, which are the claim itself
                          r"|(?:^|(?<=[。!?;\n])|(?<=”[，,]))\s*据(?!说|传|称|悉)[^。!?;\n“”\"]{2,24}?(?:通报|发布)"
                          r"|(?:^|(?<=[。!?;\n，,]))[^。!?;\n“”\"传称说]{0,12}?已确认(?=[0-9一二两三四五六七八九十百几])")
_FORWARD_RE = re.compile(r"造谣|编造|捏造|散布谣言|谣称|虚构")
_CLAIM_WINDOW = 120
_NOBODY_HURT_RE = re.compile(r"无人员伤亡|未造成人员伤亡|无人员死亡|没有人员伤亡|无人伤亡|未造成伤亡|根本没人死|没有人死亡")
# 厂里说没有人受伤，这说法是假的: what is called false is a denial of harm; the post says harm was done.
_HARM_DENIED_RE = re.compile(rf"{_NOBODY_HURT_RE.pattern}|没有?人(?:受伤|伤亡|死亡|出事)|没有?伤亡|没(?:出)?事")
_RUMOUR_WORD_RE = re.compile(r"辟谣|谣言|造谣|不实|捏造|虚假")
# 辟谣：网传… / 网传“…”系谣言 针对网络流传的“…”说法: an earlier refutation covers the next claim.
_HEADLINE_REFUTES_RE = re.compile(r"辟谣|谣言")
# 【谣言】“京哈高速80车相撞，死亡30余人”。经核实…: a refuting headline, then the quoted claim.
_REFUTE_HEADER_RE = re.compile(r"\s*[【#\[][^】#\]]{0,6}(?:辟谣|谣言)[^】#\]]{0,6}[】#\]]")
_QUOTED_BEFORE_RE = re.compile(
    # 关于“某小学学生集体食物中毒”的说法不属实
    r"“[^”]{1,120}”(?:(?:的|等|之类的)(?:说法|消息|传言|传闻|信息|视频|帖子|言论)?|[-—]{1,2}[^“”\"。!?;\n]{0,12})?$"
    r"|\"[^\"]{1,120}\"(?:的|等|之类的)?$"
)
_QUOTE_RE = re.compile(r"“[^”]{1,120}”|\"[^\"]{1,120}\"|「[^」]{1,120}」")
# 比传的少很多 / 最后查明是… / 是AI做的: the claim quoted earlier was looked into and found overstated or false
_LOOKED_INTO_RE = re.compile(r"比传(?:的|言|闻)?少|没有?传的那么|(?:最后|最终|后来)?查明(?:是|系)|(?<!不)(?<!唔)(?<!并非)(?:是|系|係)?ai(?:做|生成|合成|制作)的?")
# …but not where the claim is then confirmed (属实) or a harm is what was found (查明是…导致，2人死亡), nor official data
# shown in an AI-made picture (数据来自…)
_LOOKED_INTO_HARM_RE = re.compile(r"导致|致人|死亡|身亡|遇难|受伤|伤者|中毒|起火|火灾|落水|瞒报|被困|失联|抢救")
_NOT_LOOKED_INTO_RE = re.compile(r"(?<!不)属实|确有此事|数据(?:都|均)?来自|是真的|[係系]真嘅|唔[係系]ai|不是ai|并非ai")


_CLAUSE_BREAK_RE = re.compile(r"[,.;:!?。;:!?\n，；：！？()（）\[\]【】\"“”]")
_SENTENCE_END_RE = re.compile(r"[。!?;\n]")
_REACH = 200  # how far a refuted claim may stretch to its clause/sentence boundary


def _sentence_end(work: str, pos: int) -> int:
    m = _SENTENCE_END_RE.search(work, pos, pos + _REACH)
    return m.start() if m is not None else min(len(work), pos + _REACH)


# 关于网传“大湾河被化工厂偷排染红”的情况说明: a notice about a claim, which the rest of it answers.
# 请不信谣、不传谣: an exhortation, which refutes only a notice's titled claim, and not one the notice confirms
# (关于网传“…车祸”的情况说明：网传情况属实…造成1人死亡…请不信谣、不传谣).
_EXHORT_RE = re.compile(r"不信谣|不传谣")
_CONFIRMED_RE = re.compile(r"(?<!不)属实|确有此事|确有其事")
# 经县生态环境局核查: the body that verified, named between 经 and the verb.
_VERIFIED_BY_RE = re.compile(r"经[^。!?;\n，,“”]{1,12}?(?:核实|核查|调查|查明)")
_ABOUT_CLAIM_RE = re.compile(r"\s*(?:关于|对于|针对)(?P<claim>网传|网上流传|网络流传|网民反映|网友反映)(?P<quote>“[^”\n]{1,80}”)"
                             r"(?:一事)?的?(?:情况说明|说明|回应|情况通报|通报|核查情况)")

def _claim_retold(work: str, about: re.Match[str]) -> bool:
    """The body tells the title's claim as a claim (网络流传称…, 有网民发布…, sharing four characters with the title's
    quote in its sentence) and refutes it; a refutation of some other claim does not refute the title's."""
    quote = about.group("quote")[1:-1]
    for m in _CLAIM_RE.finditer(work, about.end()):
        told = work[m.start() : _sentence_end(work, m.end())]
        if (any(quote[i : i + 4] in told for i in range(max(1, len(quote) - 3)))
                and (_REFUTE_RE.search(work, m.end()) or _CLAIM_REFUTE_RE.search(work, m.end())) is not None):
            return True
    return False


_ABOUT_QUOTE_RE = re.compile(r"\s*(?:关于|对于|针对)(?P<quote>“[^”\n]{1,80}”)(?:一事)?的?(?:情况说明|说明|回应|情况通报|核查情况)")


def find_refuted_spans(text: str, *, folded: bool = False) -> list[tuple[int, int]]:
    """Spans holding a claim that the post itself refutes: 网传…不实, 造谣称…, …的消息不实."""
    return list(_refuted_spans(text if folded else fold(text)))


@lru_cache(maxsize=64)  # figures, grading and the non-event check each ask of the same folded post
def _refuted_spans(work: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    covered = 0
    for m in _CLAIM_RE.finditer(work):
        if m.start() < covered:
            continue
        window = min(len(work), m.end() + _CLAIM_WINDOW)
        found = [x for x in (_REFUTE_RE.search(work, m.end(), window), _CLAIM_REFUTE_RE.search(work, m.end(), window)) if x]
        r = min(found, key=lambda x: x.start()) if found else None
        if r is not None:
            # 关于网传“…致上百人死亡”的说明：经核实，事故共造成11人死亡，网传…不实: the claim ends
            # where the verified account begins; its figures are the real toll.
            verified = _VERIFIED_RE.search(work, m.end(), r.start())
            end = verified.start() if verified is not None else r.end()
        elif _HEADLINE_REFUTES_RE.search(work, max(0, m.start() - 60), m.start()) is not None:
            end = _sentence_end(work, m.end())  # 辟谣：网传… — the headline refutes it
        elif ((about := _ABOUT_CLAIM_RE.match(work)) is not None and about.start("claim") <= m.start() < about.end()
                and (_REFUTE_RE.search(work, about.end()) or _EXHORT_RE.search(work, about.end())) is not None
                and _CONFIRMED_RE.search(work, about.end()) is None):
            # 关于网传“…偷排…”的情况说明：近日有村民…称上游化工厂偷排。经县生态环境局核查…请不信谣: the claim,
            # as the title quotes it and the notice retells it, up to where the verified account begins
            verified = _VERIFIED_RE.search(work, about.end()) or _VERIFIED_BY_RE.search(work, about.end())
            refute = _REFUTE_RE.search(work, about.end()) or _EXHORT_RE.search(work, about.end())
            end = min(verified.start() if verified is not None else len(work), refute.start() if refute else len(work))
        else:
            continue
        # “开发区化工厂爆炸了，听说死了40多个”——…辟谣: a claim word inside a quotation claims the whole quotation
        opened = work.rfind("“", 0, m.start())
        start = opened if opened > work.rfind("”", 0, m.start()) else m.start()
        spans.append((start, end))
        covered = end
    claims = SpanSet(spans)
    breaks = [m.end() for m in _CLAUSE_BREAK_RE.finditer(work)]
    for r in _REFUTE_RE.finditer(work):
        if r.start() not in claims:  # ……的消息不实: the claim is the clause before the marker
            i = bisect.bisect_right(breaks, r.start()) - 1
            start = breaks[i] if i >= 0 else 0
            quoted = _QUOTED_BEFORE_RE.search(work, max(0, r.start() - _CLAIM_WINDOW), r.start())
            if quoted is not None:  # 发布“食堂集体中毒，50余名学生住院”的不实信息
                start = quoted.start()
            elif _IDLE_TALK_RE.fullmatch(r.group()) is not None:
                said = list(_SAID_RE.finditer(work, start, r.start()))
                if said and _HEARSAY_RE.search(work, start, said[-1].start()) is None:
                    start = said[-1].end()
                    if not work[start : r.start()].strip():
                        continue  # 矿主还说是瞎传的: a denial the poster reports, of nothing the post claims
            spans.append((max(start, r.start() - _REACH), r.end()))
    for r in _LOOKED_INTO_RE.finditer(work) if _NOT_LOOKED_INTO_RE.search(work) is None else ():
        if r.group().endswith(("是", "系")) and _LOOKED_INTO_HARM_RE.search(work, r.end(), _sentence_end(work, r.end())):
            continue  # 警方最终查明是燃气热水器安装不当导致: the cause of a real harm
        # 朋友圈说“整个村被埋、二十多人没出来”…比传的少很多 / 有人说“燃气爆炸了”…最后查明是轮胎爆了: the quoted claim,
        # or the hearsay's own clause (群里都在传矿上死了二十多个，刚看了县里通报，5人遇难，比传的少很多)
        quotes = list(_QUOTE_RE.finditer(work, max(0, r.start() - 2 * _CLAIM_WINDOW), r.start()))
        hearsay = list(_CLAIM_RE.finditer(work, max(0, r.start() - 2 * _CLAIM_WINDOW), r.start()))
        if quotes:
            spans.append(quotes[-1].span())
        elif hearsay:
            claim = hearsay[-1]
            stop = _CLAUSE_BREAK_RE.search(work, claim.end(), r.start())
            spans.append((claim.start(), stop.start() if stop is not None else r.start()))
    for f in _FORWARD_RE.finditer(work):
        spans.append((f.start(), _sentence_end(work, f.end())))  # 造谣称“某地爆炸”
    # 关于“万达广场某酒吧发生命案3人死亡”的情况说明：…网传内容系谣言: the title quotes the claim it refutes
    if ((about := _ABOUT_QUOTE_RE.match(work)) is not None and _CONFIRMED_RE.search(work) is None
            and _claim_retold(work, about)):
        spans.append(about.span("quote"))
    header = _REFUTE_HEADER_RE.match(work)
    if header is not None and (q := _QUOTE_RE.search(work, header.end(), header.end() + _CLAIM_WINDOW)):
        spans.append((q.start(), q.end()))
    if _NOBODY_HURT_RE.search(work) and _RUMOUR_WORD_RE.search(work):
        # 关于网传“某化工厂爆炸死亡20人”的情况说明 … 无人员伤亡 … 不造谣、不信谣: the post denies every toll
        # it quotes from a claim, however far from the claim the denial stands.
        for claim in _CLAIM_RE.finditer(work):
            if (q := _QUOTE_RE.search(work, claim.end(), claim.end() + 20)) is not None:
                spans.append((q.start(), q.end()))
    return tuple(sorted(spans + _requoted(work, spans)))


# …told as a claim: 有网民发布“…”的消息 (not 区消防救援大队通报：“…无人员伤亡。”, the verified account)
_CLAIM_INTRO_RE = re.compile(r"(?:发布|散布|传播|编造|捏造|转发|网传|声称|宣称|传言|流传|谣传)[^“”。!?\n]{0,4}$")
_CLAIM_NOUN_RE = re.compile(r"(?:的|等)(?:消息|说法|信息|视频|谣言|言论|帖子|传言|不实信息)")
_REQUOTE_LIMIT = 20  # quotes compared; a post with more is an article, not a refutation notice


def _requoted(work: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """网传“柘湾街道自来水检出霍乱弧菌”不实⏎近日，有网民发布“柘湾街道自来水检出霍乱弧菌，千万别喝”的消息: the refuted
    claim quoted again elsewhere (sharing six characters with a refuted quote) is refuted there too, unless the
    post confirms a claim (属实)."""
    if not spans or _CONFIRMED_RE.search(work) is not None:
        return []
    quotes = list(itertools.islice(_QUOTE_RE.finditer(work), _REQUOTE_LIMIT))
    claims = SpanSet(spans)
    refuted = [q.group()[1:-1] for q in quotes if q.start() + 1 in claims]
    return [q.span() for q in quotes
            if q.start() + 1 not in claims
            and (_CLAIM_INTRO_RE.search(work, max(0, q.start() - 12), q.start()) is not None
                 or _CLAIM_NOUN_RE.match(work, q.end()) is not None)
            and any(r[i : i + 6] in q.group() for r in refuted for i in range(len(r) - 5))]


# 垃圾中转站夏天以来恶臭熏人…多次反映未解决 / 养殖场粪水直接排进水沟，这两个月气味很大: a nuisance that has gone on
# for weeks, complained of, is the environment bureau's daily work, not a 突发环境事件 (outside writers: none 9 to 2
# where nothing acute is told); a fish kill, a bloom, people taken ill or a water supply cut is one.
_GONE_ON_RE = re.compile(r"长期|每天|天天|每晚|每到|一直|多次反映|反复|好几次|几个月|两个月|三个月|半年|一年多|以来|经常|常年|总是|老是")
# (not 长期违规储存…昨日储罐外泄 / 常年排放废气，凌晨…鸡鸭大批倒毙 / 一直超负荷运行，昨晚调节池溃口: it turned acute)
_ACUTE_HARM_RE = re.compile(r"死鱼|死魚|翻白|死光|死了|倒毙|死亡|水华|蓝藻|藻类|暴发|爆发|突发|中毒|送医|就医|住院|停水|停止供水|取水"
                            r"|泄漏|泄露|外泄|外溢|溢出|溃|涌入|事故|爆|起火|着火|今早|今天|今日|昨天|昨日|昨晚|近日|刚才")


def chronic_nuisance(work: str) -> bool:
    """Whether a (folded) post complains of a pollution that has gone on, with nothing acute in it."""
    return _GONE_ON_RE.search(work) is not None and _ACUTE_HARM_RE.search(work) is None


def refuted_claims(work: str) -> SpanSet:
    """The claims a (folded) post refutes, for grading to skip their incident words; none where the poster disputes
    the refutation (商场回应说不实，但我就在现场) or the claim denied is itself a denial of harm (“爆炸没有人伤亡”是假的)."""
    if _DISPUTED_RE.search(work) is not None:
        return SpanSet([])
    return SpanSet([(s, e) for s, e in find_refuted_spans(work, folded=True)
                    if _HARM_DENIED_RE.search(work, s, e) is None])


class SpanSet:
    """Merged spans with O(log n) membership, so adversarial posts stay linear-ish."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for s, e in sorted(spans):
            if self.ends and s <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], e)
            else:
                self.starts.append(s)
                self.ends.append(e)

    def __contains__(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


# Used when the caller (grading) does not pass its own per-type incident words.
GENERIC_INCIDENT_RE = re.compile(
    r"爆炸|起火|着火|火灾|大火|失火|坍塌|倒塌|垮塌|泄漏|事故|地震|洪水|洪涝|山洪|泥石流|滑坡|台风|暴雨"
    r"|中毒|疫情|命案|冲突|车祸|相撞|侧翻|溺水|踩踏|透水|塌方"
)
_SENTENCE_RE = re.compile(r"[^。!?;\n]*[。!?;\n]?")
_RUMOUR_RE = re.compile(
    r"(?:辟谣|造谣|谣言|不信谣|不传谣|不实信息|不实消息|不属实|不实|虚假信息|与事实(?:严重|明显|完全)?不符|无事实依据|没有事实依据|查无此事"
    r"|(?:说法|消息|传言|传闻|帖子)(?:都|纯属|根本)?是假的|" + _IDLE_TALK +
    r"|旧视频|旧片|旧图|移花接木|张冠李戴|捏造|纯属虚构|(?:外国|外地|外省|境外|国外)的?(?:视频|片段|画面|图片)|旧片段|" + _FAKED
    + r"|假的假的|(?:就|只|不过)是普通(?:流感|感冒|发烧|肺炎|呼吸道感染)|假消息|冇呢回事|没有这回事|没这回事"
    # 经核实…未发现…病例，也不存在封锁医院的情况: only where a claim is refuted (the caller needs its span), and
    # only of a state of affairs (not 爆炸后不存在有毒气体扩散风险, a reassurance about a real blast)
    + r"|(?<!是否)不存在(?=此事|此类|该|上述|这种|这一|这样|[^，。；,;]{0,12}?的?(?:情况|问题|现象|说法))"
    + "|" + DENIED + r")(?!了?吗|[?？])"
)
_DRILL_RE = re.compile(r"演练|演习|推演|模拟(?:发生|事故|场景|突发|演练|平台|体验)|假想|技能比武|技能竞赛")
# “三楼起火了！快用湿毛巾捂住口鼻！”别慌，这是今天上午…搞的消防应急演练: the post itself says it was a drill.
_DRILL_REVEAL_RE = re.compile(
    r"(?:(?:这|那)(?:只|就|其实|不过|只不过)?|(?:原来|才说|说)(?:只)?)是[^。!?;\n,，]{0,24}?(?:演练|演习)"
    r"(?=$|[^\u4e00-\u9fff]|而已|罢了|啦|哦|呀|嘛|吧|的[,，。!！\s]|[,，。!！]|，不是)"  # ends its clause (not 演练后 / 演练的后果)
)
# 物业说是演练，谁信啊 / 厂里说是演练，骗人的，明明就是氨气泄漏: a drill claimed, and disbelieved.
_DRILL_DOUBTED_RE = re.compile(r"谁信|不信|骗|明明|其实是真|可是|可我|但是|结果|真有|哪是")
# 这是演练吗？ / 演练么: asked, not said (not 演练怎么这么逼真, 演练什么时候)
_ASKED_RE = re.compile(r"[^。!?;\n]{0,3}?(?:吗|(?<![怎什这那多要])么)")
# 这是真着火了，不是演练 / 这是真实火情而非演练: a drill denied
# (nor 这是继上周消防演练后第二次拉响警报: a real alarm after a drill)
_NOT_DRILL_RE = re.compile(r"(?:不是|并非|而非|不像|没搞|不搞)[^。!?;\n,，]{0,3}$|继[^。!?;\n,，]{0,6}$")
# A real accident that happens during a drill is an accident.
_DURING_DRILL_RE = re.compile(
    r"(?:演练|演习|训练|比武|竞赛)(?:中|时|期间|过程中)[^。!?;\n]{0,12}(?:发生|出现|意外|受伤|死亡|身亡)"
)
# An exam question (【安全工程师考试真题】…该事故等级为（ ）) describes a made-up accident; a threshold
# explainer (造成10人以上30人以下死亡…为重大事故) quotes the law's figures, not an occurrence's.
_EXAM_RE = re.compile(r"真题|选择题|判断题|单选题|多选题|每日一练|每日一题|答案[:：]|答案是[A-Da-d]"
                      r"|[(（]\s*[)）][^!?]{0,40}?[Aa]\s*[.．、:：)）]|[(（]\s*[)）]\s*[Aa](?=一般|较大|重大|特别重大)")
# …该事故等级为？A.一般 B.较大 C.重大 D.特别重大 / ①Ⅰ级 ②Ⅱ级 ③Ⅲ级: a question's options. Options alone
# are also a poll's or a liability list's, so they count only where nothing is told as happening now.
_OPTIONS_RE = re.compile(
    r"(?<![A-Za-z])[Aa]\s*[.．、:：)）][^。!?\n]{1,16}?[Bb]\s*[.．、:：)）][^。!?\n]{1,16}?[Cc]\s*[.．、:：)）]"
    r"|①[^。!?\n]{1,16}?②[^。!?\n]{1,16}?③")
# 有道题：某企业发生爆炸…请判断事故等级: a question, where it asks the grade (a witness says 这题还没写完, 最后一道题,
# 运送高考试题的押运车 of a real morning).
_QUESTION_RE = re.compile(r"(?:有|这|一)道题|这题|考题|试题|请判断")
_HOMEWORK_RE = re.compile(r"(?:(?:作业|练习册?|习题|试卷|课本|考试|考卷)[^。!?\n]{0,8}?(?:有|这|一)道题\s*[:：“\"]"
                          r"|(?:求(?:大佬|大神|学霸)?解题|求(?:大佬|大神|学霸)帮忙(?:解|算|看)|应用题)[:：]?)"
                          r"(?=[^\n]{0,120}?(?:已知|求解|求[^。!?\n]{0,4}(?:受力|速度|面积|多少|几)|计算|答案|选项|多少|几(?:分钟|小时|千米|米)))")
_GRADE_ASKED_RE = re.compile(r"等级|级别|哪一?级|属于(?:哪|什么)|选[A-Da-d]")
# 一图读懂《省自然灾害救助应急预案》: a plan explained quotes its thresholds, not an occurrence.
_EXPLAINED_DOC_RE = re.compile(r"(?:一图读懂|图解|解读|读懂)《[^》\n]{0,30}(?:预案|办法|条例|规定|标准|方案|意见|通知|指南)》"
                               r"|情景构建|灾害情景|最坏情景|情景推演")  # 地震灾害情景构建研究: a scenario, for planning
# 还以为哪里爆炸了…原来是对面酒店放礼炮 / 宿管阿姨还以为着火了 结果就一锅黑炭: the feared incident was not one
# (not 以为是放鞭炮，结果是爆炸: there the incident comes after).
# (nor 以为着火了没当回事，结果整栋楼都烧起来了 / 以为地震了，原来是化工厂爆炸了: the reveal must say what it was
# instead, and name no incident; see _false_alarm. A bare 虚惊一场 is not enough: 燃气公司来了，说是表后阀门松了，
# 已经关阀处理…虚惊一场 closes a real gas scare, a follow-up that belongs with it.)
_FALSE_ALARM_RE = re.compile(
    r"以为[^。!?;\n,，]{0,16}?(?:爆炸|着火|起火|失火|地震|塌了|出事|打起来)[^。!?;\n]{0,16}?(?:原来|(?:结果|其实)(?=是|就|只|不过))"
    r"(?!真|是真的|真的)"
    # 冒烟爆炸是剧组在拍戏 / 根本不是！！是厂里例行的火炬放空: what it really was, said outright
    # (not 起火，系剧组拍摄时烟火引燃布景 / 爆炸是剧组拍戏用的炸药提前引爆: a real fire or blast on a set)
    r"|(?:爆炸|着火|起火|失火|冒烟|火光)[^。!?;\n]{0,6}?(?:是|系)(?:剧组|电影|电视剧|影视)[^。!?;\n]{0,6}?拍(?:戏|摄|电影|电视剧)"
    r"(?!时|中|期间|过程|用|使用|现场|引)"
    # (not 根本不是！是烟花厂仓库出事了: the fireworks' factory, not fireworks)
    r"|(?:根本|其实|并)不是[!！。，,\s]{0,4}(?:是|而是)[^。!?;\n]{0,10}?"
    r"(?:例行|正常的|放空|烟花(?![厂店仓铺]|爆竹厂|批发)|礼炮(?!厂)|拍戏|拍电影|演练|烧秸秆)")
# 消防员现场做了个实验：从冒烟到整车烧起来不到30秒 — a demonstration (not 实验室起火, not 做实验时爆炸), unless harm
# follows it: 老师做了个实验，酒精灯突然爆燃，3名学生烧伤 / 做燃烧实验，酒精洒出引燃实验台 is a lab accident.
_DEMO_RE = re.compile(r"(?:做了?(?:个|一个|一次|场)|燃烧|对比|模拟)实验(?!室|中|时|过程|后)")
_DEMO_HARM_RE = re.compile(r"意外|不慎|操作不当|引燃|炸了|炸裂|炸伤|烧伤|灼伤|受伤|送医|就医")
_REVEAL_END_RE = re.compile(r"[。!?;\n,，]")
# 已造成3人死亡 / 已有7人遇难 / 仍有15名矿工被困 / 截至目前: a toll being reported now.
# (not a plan's threshold, 已造成10人以上死亡的, nor 已有12个乡镇完成修订)
_TOLL_NOW_RE = re.compile(r"已(?:经)?(?:造成|致)(?![^,，。；;]{0,6}?以上)|截至目前"
                          r"|[已仍]有[0-9一二三四五六七八九十两几多]+[^,，。；;]{0,6}?(?:死亡|遇难|失联|失踪|被困|受伤)")


def _false_alarm(work: str, incident_spans: Sequence[tuple[int, int]]) -> re.Match[str] | None:
    """以为哪里爆炸了，原来是对面酒店放礼炮: a false alarm, where what it really was (to the clause's end) names no
    incident (not 以为地震了，原来是楼下那个化工厂爆炸了)."""
    for m in _FALSE_ALARM_RE.finditer(work):
        end = _REVEAL_END_RE.search(work, m.end())
        stop = end.start() if end is not None else len(work)
        if not any(m.end() <= s < stop for s, _ in incident_spans):
            return m
    return None


_DEFINITION_RE = re.compile(r"\d+(?:人|万元|亿元)?以上\d+(?:人|万元|亿元)?以下"
                            r"|的[,，]?为(?:特别重大|重大|较大|一般)(?:生产安全|突发环境|食品安全)?事[故件]")
_HYPOTHETICAL_RE = re.compile(r"如果|假如|假若|假设|倘若|(?<![0-9零一二两三四五六七八九十百千多余几])万一|要是|若是|一旦|如若|设想|若发生|(?<![如假倘])若(?!干)")
# 风险预警：明日发生滑坡的风险较高 / 可能发生区域性洪涝 / 教你如何在火灾中逃生: a forecast or a lesson
# names an incident that has not happened. It holds only before the incident word, where no casualty is
# counted and nothing is said to be going on now (化工厂突发大火，可能引发爆炸 is a fire).
# 台风已减弱为热带低压 对我市无明显影响: the hazard passed this jurisdiction by.
_NO_IMPACT_RE = re.compile(r"对(?:我|本)[市县区省州镇乡](?:无|没有|未造成)(?:明显|较大|大的|太大)?影响")
# …对我市无明显影响，但城东镇昨夜突降暴雨…一座便桥被冲毁: harm here after all (not 但仍请市民注意防范)
_BUT_HARM_RE = re.compile(r"(?:但|不过|然而|可是)(?:(?!可能|防范|注意|警惕|谨防|预防)[^。!?;\n])*?"
                          r"(?:被淹|冲毁|冲垮|倒塌|垮塌|坍塌|开裂|受损|损毁|进水|被困|受伤|死亡|遇难|失联|滑坡|塌方|内涝|停电|中断)")
_TITLE_BREAK_RE = re.compile(r"[，,。！!？?；;\s]")  # a title is one run of text
# 鹤鸣县2026年度地质灾害防治方案 / 夏季安全生产专项整治方案: a year's or a campaign's plan, as its title.
_PLAN_TITLE_RE = re.compile(r"(?:年度?|专项|季度?)[^。!?;\n]{0,16}?(?<!启动)(?:防治|整治|工作|实施|应急|防控|排查)"
                            r"(?:方案|预案|计划|要点)》?(?=\s|$)")
_FORECAST_RE = re.compile(
    r"风险(?:较高|较大|很高|偏高|等级|提示|预警)|(?:可能|或将)(?:发生|出现|引发|诱发)"
    r"|如何[^。！？!?\n]{0,8}(?:逃生|自救|应对|避险)|逃生技巧|自救知识"
)
# 冬季燃气安全，这几点一定要记住！…每年冬季都是燃气爆炸事故的高发期 / 地震来了怎么办？记住“伏地、遮挡、手抓牢”:
# safety advice names the incident it guards against. It holds where no casualty is counted, nothing is under way
# and the post neither tells the incident as happening nor shows its scene.
_TIPS_RE = re.compile(
    r"安全提示|安全提醒|温馨提示|小贴士|科普|告家长书|提醒大家|千万别|千万不要|转给家里|预防要点|防范要点|致家长的一封信|给家长的一封信|倡议书|(?:这|以下)(?:几|[0-9一二三四五六七八九十])点|(?:一定|务必)要?记住|记住[:“\"]|切记|注意事项|防范指南|避险指南"
    r"|提醒(?:各位|广大)(?:家长|市民|群众|朋友|居民)|转给(?:家里|家人|爸妈|父母)"
    r"|提醒(?:[一二三四五六七八九十几]件事|几点|以下几点)"  # 消防员提醒五件事：一、…
    # 【健康提醒】/【青溪疾控提醒】秋冬季是诺如病毒感染高发期…: a health office's seasonal advice
    # (not 【交通提醒】…货车侧翻 / #停水提醒#: a service notice of something happening)
    r"|健康提醒|健康提示|问答[】:：]|(?:卫健|应急|教育|气象|农业农村)(?:局|委)提醒[:：]|[【#](?![^】#\n]{0,6}(?:交通|路况|出行|停水|停电|停气|供水|用水|航班|高速))[^】#\n]{0,8}提醒[】#]"
)
# 【台风橙色预警】/ 气象台发布暴雨红色预警信号 opening a post: a warning forecasts the incident. It holds
# where no casualty is counted and no harm is reported done (红色预警下午就发了…已造成3人死亡 is news;
# 发布暴雨橙色预警，凌晨村后山发生泥石流 is news).
_HAZARD = (r"(?:暴雨|台风|暴雪|寒潮|大风|高温|干旱|雷电|雷暴|冰雹|大雾|霜冻|道路结冰|森林火险|火险|地质灾害|山洪"
           r"|沙尘暴|强对流|低温|雨雪冰冻|海浪|风暴潮|洪水|重污染天气|强降雨|持续强降雨)")
_WARNING_RE = re.compile(
    rf"(?:发布|启动|升级|维持|继续)[^。!?\n]{{0,10}}?{_HAZARD}[^。!?\n]{{0,6}}?(?:[红橙黄蓝]色|气象风险|风险)预警"
    rf"|^[【#][^】#\n]{{0,8}}?{_HAZARD}[^】#\n]{{0,6}}?(?:预警|预报)(?:信号)?[】#]|^[【#]天气预报[】#]"
    rf"|^(?:[^。!?\n]{{0,8}}?气象台\s*)?{_HAZARD}[^。!?\n]{{0,4}}?[红橙黄蓝]色预警"  # 寒潮蓝色预警升级为橙色！ / 青崖县气象台 暴雨蓝色预警
    rf"|{_HAZARD}[^。!?\n]{{0,12}}?预计[^。!?\n]{{0,24}}?(?:登陆|影响我|抵达|过境)"  # 台风“海棠”预计明天傍晚登陆
    # 今年第11号台风加强为强台风级！/ 气象台话今晚台风会喺我哋附近登陆
    rf"|(?:将有|将出现)[^。!?\n]{{0,6}}?{_HAZARD}"  # 今晚20时至明晨8时，我市将有雷暴大风和短时强降雨
    rf"|{_HAZARD}[^。!?\n]{{0,6}}?(?:加强为|增强为|升级为)|{_HAZARD}[^。!?\n]{{0,12}}?(?:将于|将在|会在|会于|或将)[^。!?\n]{{0,16}}?(?:登陆|影响我|抵达|过境)"
)
_HARM_DONE_RE = re.compile(
    r"已(?:经)?(?:造成|致|导致|出现|发生|紧急)|发生|被困|失联|遇难|死亡|身亡|受伤|冲毁|冲垮|冲走|倒塌|坍塌|塌方|塌了"
    r"|滑坡|泥石流|山洪|决口|决堤|被埋|被淹|淹了|内涝|积水|进水|爆炸|起火|着火|溺水|溺亡|搜救|搜寻"
    # 台风加强为超强台风，我们这边已经刮倒了好多树，停电一个多小时了 / 已有12艘渔船失去联系 / 群众正在紧急转移
    r"|停电|断电|刮倒|吹倒|刮断|吹断|刮落|吹落|砸[坏中伤扁]|掀翻|被掀|打翻|连根拔起|失去联系|正在(?:紧急)?(?:转移|撤离|疏散)"
)
# 低洼地带可能被淹 / 可能引发城市内涝和山洪 / 山洪、泥石流、滑坡等地质灾害气象风险较高: harm foreseen in its
# own clause, not done.
_FORESEEN_BEFORE_RE = re.compile(r"可能|或将|将|易|容易|预计|防范|注意|谨防|严防|预防")
_FORESEEN_AFTER_RE = re.compile(r"风险|隐患|预警|防范|防御")


_TYPHOON_RE = re.compile(r"台风|热带风暴|风球")
_TYPHOON_AHEAD_RE = re.compile(r"(?:预计|将于|或将|可能|有望|即将)[^。!?\n]{0,24}?(?:登陆|擦过|影响我|正面袭击)"
                               r"|(?:明天|明日|今晚|今夜|后天)[^。!?\n]{0,12}?(?:登陆|擦过)")  # 于明天上午到中午在我市沿海登陆
_LANDED_RE = re.compile(r"已(?:经)?(?:在[^。，,]{0,12})?登陆|登陆后|过境|过后|肆虐|造成|受灾|倒伏|倒塌|倒在|刮倒|吹倒|掀|被淹|淹了"
                        r"|停电|断电|受伤|死亡|遇难|被困|损失|损毁|砸|积水|翻沉|沉没|失联|搜救|落水"
                        # 台风今天14时在文昌沿海登陆 (a landfall told with its day: not 预计将于18日夜间…登陆)
                        r"|(?:今天|今日|今晨|今早|昨天|昨日|昨晚|昨夜)[^。，,预计将可]{0,16}登陆")


def _harm_reported(work: str) -> bool:
    """Whether a harm word stands in a clause that does not foresee it (not 可能被淹, 山洪…风险较高)."""
    for m in _HARM_DONE_RE.finditer(work):
        before = max((b.end() for b in _CLAUSE_BREAK_RE.finditer(work, max(0, m.start() - 40), m.start())),
                      default=max(0, m.start() - 40))
        after = _CLAUSE_BREAK_RE.search(work, m.end(), m.end() + 40)
        if (_FORESEEN_BEFORE_RE.search(work, before, m.start()) is None
                and _FORESEEN_AFTER_RE.search(work, m.end(), after.start() if after else m.end() + 40) is None):
            return True
    return False


# Words that place an incident now. A non-event check (a forecast, honours, last year's flood, a dream,
# a hypothetical) gives way where the post also says something is happening; each check reads the
# shared fragments below with the extra words its own mistakes called for.
_DAYS = r"今天|今日|今晨|今早|今晚|今夜|昨天|昨日|昨晚|昨夜"
_JUST_NOW = r"刚刚|刚才"
_BREAKING = r"突发|正在|仍在|已[经致造]"  # 已致 / 已造成: a toll is being reported
_UNFOLDING = r"紧急|撤离|被困|失联|[起着]火了|浓烟|火势|暴涨"
_THIS_TIME = r"这次|此次|本次"
# Only days, not 目前 / 截至 / 今年, which a summary itself uses (截至目前，今年全县共发生…).
_TODAY_RE = re.compile(rf"{_DAYS}|前天|{_JUST_NOW}")
# A forecast, honours or a lesson in the same post do not make it a non-event.
_UNDERWAY_RE = re.compile(
    rf"{_DAYS}|凌晨|{_JUST_NOW}|{_BREAKING}|目前|{_UNFOLDING}|转移|险情|就起火|又(?!到)|被淹|冲毁|冲垮|蔓延|明火"  # (not 又到吃菌季)
)
# 梦到了吗？昨晚…发生地震，已造成12人死亡: a dream word beside a toll being reported.
_REPORTED_RE = re.compile(rf"{_BREAKING}|紧急|目前|截至")
_HARM_AFTER_DAY = r"发生|出现|起火|着火|烧|爆|塌|垮|倒|死|伤|困|淹|漏|震|翻|撞|坠|砸|埋|冲|真"
# 如果…就好了，结果今天真的塌了: a hypothetical followed by what did happen.
# 万一起火…结果真着了 (not a work order's 办理结果: the office's reply, not the feared thing happening)
# (已经 only where something then happens: not 我阿妈已经去村委会问了)
_REPORTED_AFTER_RE = re.compile(
    # (a day word only with harm after it: not 如果咱们县发生七级地震…今天就带大家盘一盘)
    # (昨天傍晚，围墙倒塌…: after a time of day the harm may follow in the next clause)
    rf"(?:{_TODAY_RE.pattern})(?=[^,.;:!?。，；：！？]{{0,10}}?(?:{_HARM_AFTER_DAY})"
    rf"|(?:早上|上午|中午|下午|傍晚|晚上|夜里|深夜)[,，][^.;!?。；！？\n]{{0,12}}?(?:{_HARM_AFTER_DAY}))"
    r"|突发|正在|仍在|已[致造]|已经(?=[^,.;:!?。，；：！？]{0,4}(?:发生|出现|起火|着火|着了|冒烟|冒火|烧|爆|塌|垮|倒|断|裂|死|伤|被困|淹|进水|漏))|(?<!办理)(?<!处理)(?<!处置)(?<!调查)(?<!核查)(?<!检测)(?<!回复)结果(?![:：])")
# Last year's incident retold, unless it happens again or what it left is failing now: 去年那场洪水冲垮的
# 堤坝今天凌晨决口 (and 去年台风中受损的广告牌今天被风刮落，砸死一名路人: harm after 今天, _harmed_today).
_AGAIN_RE = re.compile(rf"又|再次|再一次|再度|{_THIS_TIME}|重演")
# (not 这次: 《X》评测：这次新增了…关卡; nor 今天我又去了那片空地, the poster's visit on an anniversary)
_ONCE_MORE_RE = re.compile(r"又(?!去了|去那|来到|回到|回去|想起|梦到|梦见|路过)|再次|再一次|再度|重演")
_PLOT_TALK_RE = re.compile(r"剧情|主角|男主|女主|主人公|结局|导演|编剧|配角|反派|演员|决赛圈|吃鸡|队友|副本|关卡|游戏(?![厅城室场馆机])")
# 那个冬夜，化工厂的爆炸声把整个镇子都震醒了: heard back then, in a memory.
_BACK_THEN_RE = re.compile(r"那个[冬夏春秋]?[夜天晚]|那天|那年|那晚|那一夜|那一天|当年|当晚|那夜")
_ONGOING_RE = re.compile(rf"凌晨|{_JUST_NOW}|{_BREAKING}|{_UNFOLDING}|失踪|被埋|遇难(?!者)|冲走|决口|发生")
# A later sentence dated now is about this incident, not background (每年汛期都淹，这次已有12人遇难).
_THIS_TIME_RE = re.compile(rf"{_TODAY_RE.pattern}|{_THIS_TIME}|又有|又造成|又致")
# 对面楼着火了 / 刚刚高速上连环追尾 / 学校门口发生车祸 / 有人持刀砍人: an incident word told as happening,
# in its own clause (not 去年那场洪水把…冲垮了, 从起火到爆燃只要几十秒, 一次车祸可能让一个家庭…).
# (not 发现有人落水，应大声呼救: what to do if one sees it)
_TOLD_BEFORE_RE = re.compile(rf"{_JUST_NOW}|正在|突发|发生|(?<!发现)(?<!看到)(?<!遇到)(?<!遇见)(?<!如遇)有人")
_TOLD_AFTER_RE = re.compile(r"[^,.;:!?。，；：！？\s]{0,3}?了")
_CLAUSE_MARKS = frozenset(",.;:!?。，；：！？\n")
# A scene someone is looking at, anywhere in the post (a witness seldom puts it in the incident word's
# clause: 楼下餐馆着火，浓烟滚滚，大家赶紧下楼). Seen: responders on their way or there, a call to 119,
# smoke or a bang as heard and seen now. A tip never says 消防车来了 or 烟很大, whatever advice the
# witness adds (提醒大家绕行, 我们该怎么办).
_RESPONDERS = (r"消防车|救护车|警车|消防员|消防|民警|警察|交警|特警|救援队|救援人员|医护人员"
               r"|(?<![0-9a-z])(?:119|120|110)(?![0-9a-z])")  # not 110kv
_SEEN_RE = re.compile(
    rf"(?:{_RESPONDERS})[^。！？!?\n]{{0,6}}?(?:来了|到了|已到|赶到|赶来|到场|在场|抵达|还没到|没到|进不去|嚟了|在度)"  # fold: 嚟咗 嚟了, 喺度 在度
    rf"|(?:{_RESPONDERS}).{{0,2}}(?:正在|在救|在扑)"
    r"|(?<!拨)打了?(?:119|120|110)|(?:已经?|赶紧|马上)?拨打了(?:119|120|110)|(?:已经?)拨打(?:119|120|110)|在打(?:119|120|110)|已经?报警|报了警|报警了"
    r"|浓烟滚滚|火光冲天|烟很大|烟都|爆炸声|巨响|声很大|在震|一片狼藉|还没扑灭|烧到现在|警戒线"
)
# Weaker signs, which a tip, an ad or a review may also hold: bare smoke or flames, a passer-by, the
# small hours before the word in its clause (今天凌晨的泥石流, 半夜垮塌). They count only in a post that
# gives no advice and asks no what-if.
_GLIMPSED_RE = re.compile(r"浓烟|黑烟|火光|火苗|路过(?:看到|看见|发现|时)|在现场|亲眼(?:看到|看见|目睹)|快看|听说是")
_TOLD_WHEN_RE = re.compile(r"凌晨|半夜|深夜")
# 教你如何逃生 / 遇到火灾应该做什么 / 如果今晚发生地震 / 暴雨预警: advice, a what-if or a forecast.
_ADVICE_RE = re.compile(r"如何|技巧|科普|教你|小知识|千万别|千万不要|遇到|逃生|做什么|预警|预报|如果|万一|假如|一旦")
_WHOLE_AREA = r"(?:全省|全市|全国|全县|全区|全州|全盟|我省|我市|我县|我区|我州|本省|本市|本县|本区|本州)"
# 全县前10个月道路交通事故实现“双下降” (not 爆炸前三个月, three months before it)
_PERIOD_RE = re.compile(r"(?:今年|年内|全[省市县区镇乡国])前[0-9一二三四五六七八九十]{1,2}个月|双下降|双降")
_STATS_RE = re.compile(
    r"全年(?!级|无休)|今年以来|年初以来|上半年|下半年|前三季度|[一二三四1-4]季度|同比|环比|累计发生|共发生"
    rf"|{_PERIOD_RE.pattern}"
    r"|较去年|较上年|起数|[0-9一二三四五六七八九十]{1,2}[-—至到][0-9一二三四五六七八九十]{1,2}月"
    # 我国每年因交通事故死亡约6万人 / 近三年 / 全省去年共报告… / 10月全省法定传染病疫情概况
    r"|每年因|每年死于|(?:我国|全国|全球|世界上|全世界)每年|年均|平均每年|近[0-9一二三四五六七八九十两]{1,2}年"
    rf"|去年(?:全年|{_WHOLE_AREA}|共)|疫情概况"
    # 全省今年自然灾害直接经济损失一百多亿: a year's total so far, like 去年全省
    rf"|(?:{_WHOLE_AREA}(?:今年|去年)|今年{_WHOLE_AREA})(?!首|第)"
    rf"|(?<![0-9])(?:[0-9]{{1,2}}|[一二三四五六七八九十]{{1,3}})月份?{_WHOLE_AREA}"
    # ICU一年成功救治危重病人300多例 / 收治重症患者40余名，治愈率达95%: a ward's record, not a toll
    r"|(?<![0-9一二三四五六七八九十两几])一年(?:以来|中|里|间|共|累计|成功)|治愈率|好转率|成功率"
    # 本季度新识别监测对象…因灾9户: a quarter's tally (not 这已是本季度第三起)
    r"|本季度(?:以来|共|累计|新增|新识别)|上季度(?:共|累计)"
    # 本周全市报告1024例法定传染病，较上周下降8%: a period's surveillance count
    r"|较(?:上周|前一周|上一周|上月|上个月)(?:上升|下降|增加|减少|增长)"
    r"|(?:本周|上周|本月|上月|第[0-9一二三四五六七八九十]{1,2}周)[^。!?;\n]{0,12}?报告"
    # 最新监测数据显示，上周全市哨点医院流感样病例占…: surveillance figures over a period or a rate, not an outbreak
    # (nor 监测数据显示，城东河段氨氮超标20倍 / 流感哨点医院今天接诊了23名发热学生: a reading or a hospital of today)
    r"|监测数据显示[^。!?;\n]{0,12}?(?:上周|本周|上月|本月|今年|全年|近一周|近期|第[0-9]+周|占比|比例|百分点|优良|平均)"
    r"|(?:全[省市县区]|各|[0-9]+家)哨点医院|哨点医院[^。!?;\n]{0,12}?(?:占比|比例|百分比)"
)
# 11月23日 / 23日 / 凌晨 / 时许 / 今朝: a day that dates an incident; a month and day only within _RECENT_DAYS of today
# (not 截至10月31日, a tally's cut-off, nor 今年4月8日, an incident long closed).
_DAY_RE = re.compile(r"(?<!截至)(?<!截止)(?<![至到0-9月])(?:(?P<month>[0-9]{1,2})月)?(?P<day>[0-9]{1,2})日(?!常|益|子)"
                     r"|凌晨|时许|今朝")
_RECENT_DAYS = 31


def _today(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(_SHANGHAI)


def _recent_day(work: str, start: int, end: int, today: datetime) -> bool:
    """Whether work[start:end] dates something now: a month and day within _RECENT_DAYS of today where it gives one,
    else a bare day or an hour (23日晚, 凌晨)."""
    dated = [m for m in _DAY_RE.finditer(work, start, end) if m.group("month")]
    for m in dated:
        month, day = int(m.group("month")), int(m.group("day"))
        year = today.year if (month, day) <= (today.month, today.day) else today.year - 1
        try:
            if (today.date() - date(year, month, day)).days <= _RECENT_DAYS:
                return True
        except ValueError:
            continue
    return not dated and _DAY_RE.search(work, start, end) is not None


# 溺水是…意外死亡的“第一杀手”: a leading cause of death, where every incident word is in such a sentence.
_KILLER_RE = re.compile(r"第一杀手|头号杀手")
# 尘肺 / 矽肺 / 职业病: an occupational disease (not where a blast, a leak or a poisoning happened just now)
_CHRONIC_RE = re.compile(r"尘肺|矽肺|硅肺|石棉肺|职业病")
_ACUTE_RE = re.compile(r"爆炸|爆燃|透水|坍塌|垮塌|塌方|瓦斯|突出|泄漏|泄露|中毒|窒息|起火|火灾|被困|被埋|埋了|冒顶|车祸|中暑|热射病"
                       r"|遇难|身亡|当场|事故|突发|今天|今日|昨天|昨晚|凌晨|刚刚|上周|前天")
# 推荐一本小说《渡口》：一艘超载的渡船翻在江里 / 《峰爆》这部电影: a plot, not an incident.
_WORK = r"(?:小说|电影|电视剧|影片|片子|网剧|短剧|新剧(?![院场])|剧本|话剧|舞台剧|动画片|动漫|漫画|游戏|手游|网游|页游)"
_FICTION_RE = re.compile(
    rf"{_WORK}[^。!?;\n《]{{0,6}}《[^》\n]{{1,30}}》|《[^》\n]{{1,30}}》(?:这部|这本|那部|一部)?{_WORK}"
    # 《急诊室的故事》第20集 / 那是电影预告片 / 梦到大地震: an episode, a trailer, a dream
    rf"|《[^》\n]{{1,30}}》第[0-9一二三四五六七八九十百]{{1,4}}[集季章回]|连载第[0-9一二三四五六七八九十百]{{1,4}}[集章回]|预告片|(?:那|这)(?:只|就)?是{_WORK}"
    # 电影里油罐区连环爆炸那场戏 / 《模拟城市》的地震灾难关卡
    rf"|{_WORK}里|《[^》\n]{{1,30}}》[^。!?;\n《]{{0,10}}?(?:关卡|副本|剧情|情节|结局)|玩[^。!?;\n《]{{0,3}}《"
    # 电影讲的是一场特大矿难 / 这游戏新出的地震副本
    # (only before the incident word: 网吧突发大火，不少人还在玩游戏打副本 is an incident)
    rf"|(?P<plot>{_WORK}(?:讲的是|讲述|说的是|演的是|的剧情|的情节)|{_WORK}[^,，。!?;\n《]{{0,8}}?(?:关卡|副本))"
    # 求书！记得是一本都市小说，主角是化工厂的安全员
    rf"|{_WORK}[^。!?;\n《]{{0,6}}?(?:主角|男主|女主|主人公)|求书(?![面记])|找书名|求书名"
)
# A show reviewed or watched, a game played: 昨晚看了《深井》…讲的是一个煤矿…, 观后感, 《灾难模拟器2》评测,
# 《大震》终于上映了, 昨晚那集电视剧的车祸戏, 读档重来. Weaker than the above: a post where something
# happens again or is seen happening now is news, whatever show it mentions (写观后感写到一半，楼下仓库起火，
# 消防车都来了).
_NEWS_TITLE = r"新闻|日报|晚报|早报|快报|时报|商报|都市报|焦点访谈|今日说法|东方时空|直播间"
_SHOW_RE = re.compile(
    rf"看(?:了|完了?)《[^》\n]{{1,30}}》[^。!?;\n《]{{0,20}}?(?:讲的是|讲述了?|说的是|演的是)|观后感|观影感受"
    # 刚看完《流浪地球2》，月球坠落那段太震撼了，…几十亿人死了
    rf"|看(?:了|完了?)《(?![^》\n]*(?:{_NEWS_TITLE}))[^》\n]{{1,30}}》(?![^。!?;\n]{{0,3}}出来)[^。!?;\n《]{{0,20}}?(?:(?:太|好|真|超|巨)(?:震撼|好看|感人|好哭|燃|刺激|吓人)|哭成狗|泪目|泪崩|哭惨了|哭死)"
    r"|《[^》\n]{1,30}》(?:评测|测评|试玩|影评|剧评)|《[^》\n]{1,30}》[^。!?;\n《]{0,6}?(?:上映|定档|票房)"
    rf"|(?:那|这|上|下)一?集(?:{_WORK}|里)|(?:这|那)部剧(?![院场组])(?![^。!?;\n]{{0,12}}(?:取景|拍摄|片场|剧组))|剧名|(?<!直播)(?<!直播间)弹幕|(?:车祸|爆炸|火灾|大火|地震|坍塌|打斗)(?:那场|的)?戏(?![剧曲台院楼班])"
    r"|读档|存档|通关"  # 城市模拟游戏…死了三百多个市民…气得我读档重来
    # 刚看完《地心危城》，…三十多个人被困，主角一个个把人拖出来，哭死我了，强推
    # (not 看了《都市快报》…昨晚文三路车祸的主角是个18岁的小伙子: a paper's report)
    rf"|看(?:了|完了?)《(?![^》\n]*(?:{_NEWS_TITLE}))[^》\n]{{1,30}}》[^。!?;\n]{{0,60}}?(?:主角|男主|女主|主人公|强推|剧透|安利|结局)"
    # 看完《天崩》…地震那段长镜头…特效不输好莱坞 (not 特效降糖胶囊, a remedy sold)
    r"|特效(?!药|降|治|疗|胶囊|神药)|长镜头|演技"
)
# 昨晚吃鸡被人一颗雷炸死三次 / 决赛圈队友全倒: a game played. Weaker than a show: the words also name a meal
# (吃鸡块, 吃鸡公煲), an evening (晚上分别), a backstreet clinic (开黑诊所) and a real race (赛车排位赛), and they
# count only where nothing is told as happening (网吧突发大火，不少人正在打排位赛).
_GAME_RE = re.compile(r"(?:玩|打)吃鸡|吃鸡(?=游戏|被|时|的时候)|决赛圈|(?<![晚早以])上分(?![别批])"
                      r"|开黑(?![车店诊作窑厂加摩])|(?<![车场])排位赛|队友全倒|新赛季|新地图|五杀|npc|求攻略")
# An advert sells against a hazard (意外险…火灾、燃气爆炸统统保, 地震/洪水必备应急包, 灭火器直降60元): it has a
# price offer and either a second offer or a call to buy. A buyer's complaint (直播间买的…12315投诉) is no advert,
# nor a return promised on money (年化收益, 月返2%): that is the finance desk's 非法集资 lead.
# Not a price: 气温直降12℃, 能见度低至50米, 限时3日内完成整改 (a deadline).
_NOT_MONEY = r"(?![0-9.]|\s*(?:℃|°|度|米|厘米|毫米|公里|%|％|个百分点|级|小时|分钟|天|日|个?工作日|周|个?月))"
_OFFER_RE = re.compile(
    r"原价\s*[0-9]|限[时時](?:特惠|优惠|優惠|福利|秒杀|抢购|折扣|\s*[0-9.]+" + _NOT_MONEY + r")"
    r"|[直立]降\s*[0-9.]+" + _NOT_MONEY + r"|到手价|券后"
    r"|(?:活动|秒杀|特惠|优惠|促销|团购)价|第二件半价|(?:拍下|下单)?立减\s*[0-9]+\s*元"
    r"|每天不到\s*[一1]\s*[块塊元]|一年(?:只要|仅需|只需|僅需|只需要|才)?\s*[0-9]+\s*元|[0-9]+\s*元\s*/\s*年"
    r"|[满滿][0-9]+[减減][0-9]+|买[一二两三1-3]送[一1]|低至\s*[0-9.]+" + _NOT_MONEY + r"|[0-9一二三四五六七八九]折起|包邮|领券|領券"
    # 一瓶仅需89元 / 现在下单还送逃生面罩 / 小黄车同款 / #好物推荐
    r"|(?:仅需|只需|仅售|特价|秒杀)\s*[0-9.]+\s*[元块塊]|下单(?:还|即|就|再)?送|(?:小黄车|橱窗)(?:同款|里有|有售)|好物(?:推荐|分享)"
)
_BUY_CALL_RE = re.compile(
    # 点击 to buy, not 点击视频看现场 / 详情点击链接 under a news item
    r"点击(?:下方|左下角|购买|下单|抢购|领取|投保|咨询|这里)|點擊|扫码|掃碼|👇|👉|下单|下單|抢购|搶購|投保|私信|加[vV微]"
    r"|(?<!详情点击)链接|連結|详询|詳詢|了解详情|直播间|直播間|小黄车|购物车|橱窗"
)
_NOT_ADVERT_RE = re.compile(
    r"投诉|投訴|被骗|被騙|骗了|退款|退钱|维权|維權|12315|到手一看|上当|虚假宣传|举报|舉報|曝光|(?<!详询)(?<!咨询)客服"
    r"|收益|利息|回报|返利|年化|保本|惠民保|居民医保|参保缴费"
    r"|助农|滞销|卖不出|帮.{0,3}卖"  # 帮我们村卖沃柑, 9.9元包邮: a village's unsold harvest, the rural desk's
    # 小黄车同款自热火锅，孩子吃了以后呕吐腹泻: a buyer's harm, quoting the offer
    r"|(?:吃了|喝了|用了|买了|充电)[^。!?;\n]{0,12}?(?:以后|之后|后|就|结果)[^。!?;\n]{0,12}?"
    r"(?:呕吐|腹泻|上吐下泻|中毒|起火|着火|爆炸|烧伤|受伤|过敏|送医|住院|输液)"
)


# 今天下午家具城起火 / 昨晚6号楼燃气爆炸 / 凌晨分拣中心起火: an incident dated in its own clause is news,
# whatever the post also sells (an advert names its hazards undated: 火灾、燃气爆炸统统保).
_AD_DATED_RE = re.compile(rf"{_DAYS}|今朝|前天|{_JUST_NOW}|凌晨|半夜|深夜|上午|中午|下午|傍晚|晚上|突然|突发"
                          r"|[0-9一二三四五六七八九十]{1,3}日(?!常|益|子)|时许")


# 结果仓库里的电瓶自燃起火 / 开门时人群拥挤发生踩踏，有老人被踩伤送医: an incident told in its own clause, as a
# story's turn or with people harmed after it (not 一旦发生火灾, a what-if, nor 发生火灾…都能赔, a policy's cover).
_AD_TOLD_RE = re.compile(r"结果|不料|没想到|谁知")
_AD_HARMED_RE = re.compile(r"受伤|[踩烧砸撞炸烫压摔]伤|送医|送往医院|住院|被困|死亡|身亡|遇难")
_AD_COVER_RE = re.compile(r"赔|保障|报销|保额")


def _told_in_advert(work: str, clause: int, s: int, e: int) -> bool:
    if _HYPOTHETICAL_RE.search(work, clause, e) is not None:
        return False
    if _AD_TOLD_RE.search(work, clause, s) is not None:
        return True
    end = _SENTENCE_END_RE.search(work, e)
    return ("发生" in work[clause:s] and _AD_COVER_RE.search(work) is None
            and _AD_HARMED_RE.search(work, e, end.start() if end else len(work)) is not None)


def _dated_incident(work: str, incident_spans: Sequence[tuple[int, int]]) -> bool:
    marks = _Marks(work)
    return any(not marks.quoted(s) and (_AD_DATED_RE.search(work, marks.clause_start(s), e) is not None
                                        or _told_in_advert(work, marks.clause_start(s), s, e))
               for s, e in incident_spans)


# 每年全国交通事故造成数万人死亡，现在投保…: a yearly national toll an insurance advert cites.
_YEARLY_RE = re.compile(r"每年|每一年|年均|一年(?:就)?有")


def _advert(work: str) -> re.Match[str] | None:
    offers = list(_OFFER_RE.finditer(work))
    if not offers or _NOT_ADVERT_RE.search(work) is not None:
        return None
    if len({m.group() for m in offers}) >= 2 or _BUY_CALL_RE.search(work) is not None:
        return offers[0]
    return None


# 梦见宿舍楼塌了: a dream — but not 梦到了吗？昨晚…发生地震，已造成12人死亡, a toll being reported.
_DREAM_RE = re.compile(r"梦到|梦见|梦里")
# 电影《X》拍摄现场起火: something real happened where a work is made or shown.
_REAL_SET_RE = re.compile(r"拍摄|片场|剧组|取景|影院|影城|放映|首映|演出现场|展会现场")
# 这部电影我哭了三次 讲的是…小煤矿塌方: a film talked about — not where the post names a shoot or a screening
# (这部电影首映当晚，XX影城突发火灾 / 那部片子的剧组在我们村拍戏，爆破出了意外 / 看这部电影看到一半，影厅后面着火了;
# but 这部电影在横店拍摄，讲的是一场矿难 is still the film).
# 刚看了《哪吒》哭成狗，结果出电影院就看见对面商场着火了: what happened after the show is no plot
_LEFT_THE_SHOW_RE = re.compile(r"结果|出(?:了)?(?:电影院|影院|影厅|剧场)|散场|回家|路上|看见|刚刚|突然")
_THIS_FILM_RE = re.compile(r"(?:这|那)部(?:电影|片子|影片|纪录片|动画)")
_FILM_SITE_RE = re.compile(r"(?:拍摄|拍戏|放映|首映|录制)(?:时|期间|过程中|当晚|现场)|(?:剧组|摄制组)在|影厅")
_N_YEARS = r"(?:[0-9]{1,4}|[一二两三四五六七八九十百几数多]{1,4})"
_HISTORY_RE = re.compile(
    r"周年(?!庆|店庆|大促|狂欢|特惠)|纪念|追思|(?<![周週])回顾|往事|忌日|当年|昔日|曾经发生|历史上|那一年|那年(?!头|轻|纪)|这段历史"
    # 七月那场山洪过去四个多月了: months since
    r"|(?:那场|那次)[^。!?;\n]{0,8}?过去(?:了)?[0-9一二三四五六七八九十两几]+个?多?(?:月|年)"
    # 五八年那场大水: a year of the last century said the way old people say it (not 七八年: 7 or 8 years)
    r"|(?<![0-9零〇一二三四五六七八九十])(?!五六|六七|七八|八九)[五六七八九][零〇一二三四五六七八九]年(?:那场|那次|那回|发大水|闹)"
    r"|去年的今天|(?:去年|前年)[^,.;:!?。，；：！？]{0,12}?(?:事故|火灾|大火|地震|爆炸|车祸|坠崖)发生后"
    rf"|{_N_YEARS}年前|{_N_YEARS}年过去"
    # 火灾一年后 / 汶川地震15年后的映秀: the incident is N years back.
    rf"|(?:事故|火灾|大火|地震|爆炸|灾害|倒塌|事件|疫情|洪水|泥石流|矿难|透水)[^,.;:!?。，；：！？]{{0,3}}?"
    rf"{_N_YEARS}周?年后"
)
# 【城市记忆】1954年夏… / 据县志记载 / 记得小时候村里发大水: a memory. Weaker than _HISTORY_RE: where the lead or a
# sentence naming the incident is dated now (我小时候走的那座桥，今天早上塌了 / 据县志记载，此次洪水…已有11人遇难),
# it is news.
# (童年 as one's own childhood: not 童年记忆牌辣条 or 童年幼儿园, names)
# (县志 as a source read, not 大批民国县志…全烧了, a thing burnt)
_MEMORY_RE = re.compile(r"【[^】\n]{0,6}(?:记忆|往事|旧事|老照片|回忆)】|小时候|儿时"
                        r"|(?:据|根据|翻开|翻阅|查阅|查了?|按)[^,.;:!?。，；：！？]{0,10}?(?:县志|史志)"
                        r"|(?:县志|史志)》?(?:中|上|里)?(?:有)?(?:记载|载|写|显示|说|提到|称)"
                        r"|(?:我的|我们的|我们那代人的?)童年|童年(?:时|的时候|时期|时代|回忆|往事)")
# 去年那起大巴侧翻事故的司机 / 去年“7·20”洪灾中房屋倒塌的群众搬进新房: last year's incident, where it
# comes before the post's first incident word and nothing happens again (not 去年那场大火后重建的市场又起火了).
# (那段 as a period: 那段与洪水搏斗的岁月, not 那段山路 / 那段江堤, a place)
_THAT_EVENT_RE = re.compile(r"那场|那次|那回|那起|那段(?=[^,.;:!?。，；：！？]{0,12}?(?:岁月|日子|时光|时期|时间|经历|往事|历史))"
                            r"|当年|当时")


def _dated_after_memory(work: str, memory: re.Match[str], spans: list[tuple[int, int]]) -> bool:
    """我小时候走的那座桥，今天早上塌了 / 据县志记载，此次洪水…: a day (or 此次) after the memory word, in the lead or a
    sentence naming the incident, dates the incident now — unless the memory's own clause is the past event
    (小时候那场大水冲垮了村里的桥，今天回去看…)."""
    clause_end = _COMMA_RE.search(work, memory.end())
    if _THAT_EVENT_RE.search(work, memory.start(), clause_end.start() if clause_end else len(work)):
        return False
    # (今天，我们寻访亲历者，听他们讲述那段与洪水搏斗的岁月: today's visit, the past flood)
    # (nor 这就是今天的“人民大堤”: today's name for it, not today; 今天的一场大火 / 今天的暴雨中 are today)
    return any(not _THAT_EVENT_RE.search(work, s, e)
               and any(not work.startswith(("的“", '的"'), t.end())
                       for t in _THIS_TIME_RE.finditer(work, max(s, memory.end()), e))
               for s, e in spans)


_LAST_YEAR_RE = re.compile(
    r"(?:去年|前年)[^,.;:!?。，；：！？]{0,6}?那(?:起|场|次|回)"
    r"|(?:去年|前年)[^,.;:!?。，；：！？]{0,8}?(?:洪灾|水灾|洪水|地震|台风|泥石流|山洪)中"
)
# 一审宣判 / 矿主判囚十二年 / 被判处有期徒刑: a court ruling looks back on a closed case.
_VERDICT_RE = re.compile(r"宣判|一审|二审|终审|判处|判决|判囚|获刑|开庭审理|公开审理|庭审")
# 事故善后工作基本完成 / 遇难者家属均已签订赔偿协议: the aftermath is settled, the incident long over.
_SETTLED_RE = re.compile(
    r"善后(?:处置)?工作(?:已经?|已|均已)?(?:基本|全部)?(?:完成|结束|完毕)|(?:已|均已)(?:全部)?签订(?:了)?赔偿协议"
    r"|赔偿(?:款|金)[^。!?;\n]{0,8}?发放到位"
    r"|(?:事故|火灾|爆炸|坍塌|事件|灾害)调查(?:评估)?报告》?(?:近日|日前|正式|今天|今日|昨天|昨日)?(?:公布|发布|出炉)(?!前)"  # 山洪灾害调查评估报告公布
    r"|(?:公布|发布)[^。!?;\n]{0,20}?(?:事故|事件|灾害)调查(?:评估)?报告(?!出来|中|后)"  # 市政府日前公布“7·19”客车侧翻事故调查报告
    r"|(?:公布|发布|批复)了?《[^》\n]{0,40}?调查(?:评估)?报告》"  # 县政府批复《…较大火灾事故调查报告》
    r"|灾后重建[^。!?;\n]{0,12}?(?:交付|交钥匙|竣工|落成|完工|入住|搬进)"  # 去年泥石流灾后重建的安置房今天交钥匙了
    # 关于“6·12”…食物中毒事件调查处理结果的通报 / 火灾事故责任追究情况 / 6名干部被问责: accountability comes after
    r"|(?P<result>(?:事故|事件|灾害|火灾)[^。!?;\n]{0,4}?(?:调查)?处理(?:结果|情况)(?![^。!?;\n]{0,4}?(?:尚未|还没|未|迟迟|将|正在|待|会|另行))"
    r"|责任追究情况|问责情况|失职失责问题)"
    # 督察反馈问题整改见成效: last year's finding, now put right (not 一直没有整改到位, a complaint)
    # 督察交办信访件办理情况的公示: complaints handled and reported back
    r"|(?P<fixed>整改见成效|已完成整改|整改已完成|(?<!没有)(?<!没)(?<!未)(?<!不)整改到位"
    r"|(?<!的)信访件[^。!?;\n没未]{0,16}?办理情况(?:的)?(?:公示|说明|通报)(?![^。]*(?:尚未|没有完成|仍在|仍有|仍时有|还在|一直)))"
    # 6名干部被问责 — of last year's flood; a fresh blast's official may be held to account the same day
    r"|(?P<accountable>(?:干部|公职人员|人员)[^。!?;\n]{0,4}?被问责|严肃问责|追责问责)"
)
# 省应急管理厅发布第三批生产安全事故典型案例 / 法院发布环境资源审判典型案例: a casebook of closed cases (not 这起事故将被
# 列为典型案例, said of a fresh one). 警示教育大会 on a fire 去年8月14日: a lesson drawn from an old incident.
_CASEBOOK_RE = re.compile(r"典型案例|案例汇编|以案(?:释法|说法|示警|促改|为鉴)")
_NOT_CASEBOOK_RE = re.compile(r"(?:作为|列为|列入|成为|纳入)[^。!?;\n,，]{0,8}$")
_LESSON_MEETING_RE = re.compile(r"警示教育(?:大会|会议|会|片|活动)")
_LONG_AGO_RE = re.compile(r"去年|前年|[0-9一二三两四五六七八九十]年前|(?<![0-9])(?P<year>(?:19|20)[0-9]{2})年")
# 11月22日凌晨…发生瓦斯爆炸 / 爆炸已致3人死亡: a date this year or a toll being reported makes accountability news
# of a fresh incident (the year is checked by _long_ago); so does last week (上周五…电梯坠落，物业说已经整改到位).
_FRESH_RE = re.compile(r"(?<![0-9])[0-9]{1,2}月[0-9]{1,2}日|已致|已造成|凌晨|时许|上周|本周|这周|前几天|前两天")


def _dated_recently(work: str, start: int, today: datetime) -> bool:
    """A month and day after `start` within _RECENT_DAYS of today (11月23日凌晨; not a bare 凌晨, which a casebook's
    story uses as much)."""
    return any(m.group("month") and _recent_day(work, m.start(), m.end(), today)
               for m in _DAY_RE.finditer(work, start))


def _long_ago(work: str, today: datetime) -> bool:
    """去年 / 3年前 / 2019年: a past year (not this year's 2026年11月22日)."""
    return any(m.group("year") is None or int(m.group("year")) < today.year for m in _LONG_AGO_RE.finditer(work))


# 表彰大会 / 追授…烈士称号: honours for those who fought a disaster come after it — unless the post says
# something is going on now (县里刚开完表彰大会，礼堂就起火了).
_HONOURS_RE = re.compile(r"表彰(?:大会|决定|通报)|追授|追记")
# 今天是“7·18”洪灾五周年 (anywhere in the post) / 2023年的今天: an anniversary. Like _SETTLED_RE it gives way
# where something happens once more or is seen happening (2016年的今天也是这样，今天小区又着火了).
# 电动车千万别推进家里充电！之前外地有一户人家…一家5口全部遇难: a cautionary tale from elsewhere, some time ago.
_TALE_RE = re.compile(r"(?:之前|以前|前几年|前些年|此前)(?:在)?(?:外地|外省|别的地方|其他地方)")
# 十年了。那个冬夜…: a post that opens by counting the years since.
_ANNIVERSARY_RE = re.compile(r"(?:今天|今日)是[^。!?;\n]{0,16}?周年(?!庆|店庆)|(?P<year>(?:19|20)[0-9]{2})年的今天"
                             r"|^(?:[一二三四五六七八九十两]{1,3}|[0-9]{1,2})(?:周)?年了[。!！，,…\s]+"
                             r"(?=[^。!?\n]{0,6}?(?:那个|那天|那年|当年|那一夜|那晚|那夜))")
# An incident dated to the day further back than this is retold, whatever 今天 the post says;
# a bare year (2015年建成的大桥今天坍塌) may date something else.
_RETOLD_AFTER_YEARS = 2
_FULL_DATE_RE = re.compile(r"(?:19|20)[0-9]{2}年[0-9一二三四五六七八九十]{1,2}月")
# 1961年以来最严重 names a record, not the year of the incident.
# (nor 今年92岁、1934年出生的老兵: a birth or enlistment year)
_YEAR_RE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})年(?!以来|来|以后|至今|出生|生人|生(?![产活])|入伍|参军|参加工作)")
_CURRENT_RE = re.compile(
    r"今天|今日|今晨|今早|今晚|今夜|昨天|昨日|昨晚|昨夜|前天|刚刚|近日|日前|今年(?![0-9一二三四五六七八九十]{1,3}岁)|本月|本周|目前|截至"
)
_FOREIGN_RE = re.compile(
    r"(?:当地时间|国外|境外|海外|外媒|【外电】|外电(?:报道|消息|称|援引)|【国际】|\[国际\]|国际(?:快讯|速递|新闻)|领事保护|在当地的中国公民|太平洋岛国|南太平洋"
    # regions of the world, not 非洲猪瘟, 南美白对虾, 中欧班列, 我省中东部, 南亚热带气候, 北欧风家具
    r"|欧洲|非洲(?!猪)|南美洲|南美(?!白)|北美洲?|拉美|中东(?!部)|东南亚|南亚(?!热带)|中欧(?!班列)|东欧|西欧|北欧(?!风)"
    r"|美国|日本|韩国|朝鲜|印度尼西亚|印尼|印度|菲律宾|越南|泰国|缅甸|老挝"
    r"|柬埔寨|马来西亚|新加坡|巴基斯坦|阿富汗|伊朗|伊拉克|叙利亚|土耳其|以色列|沙特|埃及|尼日利亚"
    r"|南非|肯尼亚|埃塞俄比亚|俄罗斯|乌克兰|英国|法国|德国|意大利|义大利|西班牙|葡萄牙|荷兰|比利时"
    r"|瑞士|瑞典|挪威|芬兰|丹麦|波兰|希腊|加拿大|墨西哥|巴西|阿根廷|智利|秘鲁|哥伦比亚|委内瑞拉"
    r"|澳大利亚|新西兰|尼泊尔|孟加拉|斯里兰卡|蒙古国|哈萨克斯坦|摩洛哥|利比亚|苏丹|海地|古巴"
    r"|巴黎|伦敦|纽约|东京|首尔|莫斯科|洛杉矶|芝加哥|柏林|罗马|曼谷|雅加达|马尼拉|新德里|孟买"
    r"|伊斯坦布尔|迪拜|悉尼|墨尔本|多伦多|温哥华|大阪|釜山|华盛顿|旧金山|休斯敦|马德里|开罗|德黑兰"
    r"|喀布尔|基辅|仰光|河内|金边|加德满都|达卡|卡拉奇|利雅得|圣保罗"
    # The rest of the world's countries and larger cities. Left out where the name is also a
    # Chinese word or place: 加纳 (增加纳税), 多哥 (许多哥们), 汤加, 黑山 (黑山县), 巴林 (巴林右旗),
    # 阿曼 (阿曼古丽), 冰岛 (冰岛茶), 加沙 (添加沙子), 万象 (万象更新), 米兰, 雅典, 夏威夷 (shop and
    # product names), 多哈, 利马 (顺利马上), 乍得, 马里, 汉堡.
    r"|奥地利|爱尔兰|卢森堡|马耳他|塞浦路斯|捷克|斯洛伐克|匈牙利|罗马尼亚|保加利亚|塞尔维亚"
    r"|克罗地亚|斯洛文尼亚|波黑|阿尔巴尼亚|北马其顿|马其顿|摩尔多瓦|白俄罗斯|立陶宛|拉脱维亚"
    r"|爱沙尼亚|格鲁吉亚|亚美尼亚|阿塞拜疆|摩纳哥|梵蒂冈|列支敦士登|安道尔|圣马力诺"
    r"|吉尔吉斯斯坦|塔吉克斯坦|乌兹别克斯坦|土库曼斯坦|不丹|马尔代夫|文莱|东帝汶"
    r"|约旦|黎巴嫩|科威特|卡塔尔|阿联酋|也门|巴勒斯坦"
    r"|阿尔及利亚|突尼斯|毛里塔尼亚|塞内加尔|冈比亚|几内亚|塞拉利昂|利比里亚|科特迪瓦|布基纳法索"
    r"|尼日尔|贝宁|喀麦隆|加蓬|刚果|中非共和国|南苏丹|厄立特里亚|吉布提|索马里|乌干达|卢旺达"
    r"|布隆迪|坦桑尼亚|赞比亚|马拉维|莫桑比克|津巴布韦|博茨瓦纳|纳米比亚|安哥拉|莱索托|马达加斯加"
    r"|毛里求斯|玻利维亚|厄瓜多尔|巴拉圭|乌拉圭|圭亚那|苏里南|巴拿马|哥斯达黎加|尼加拉瓜|洪都拉斯"
    r"|萨尔瓦多|危地马拉|多米尼加|牙买加|巴哈马|巴布亚新几内亚|斐济|萨摩亚"
    r"|布鲁塞尔|维也纳|布拉格|华沙|布达佩斯|里斯本|阿姆斯特丹|斯德哥尔摩|奥斯陆|赫尔辛基"
    r"|哥本哈根|都柏林|日内瓦|苏黎世|威尼斯|巴塞罗那|慕尼黑|法兰克福|圣彼得堡|吉隆坡|胡志明市"
    r"|伊斯兰堡|拉合尔|加尔各答|班加罗尔|科伦坡|阿布扎比|贝鲁特|大马士革|巴格达|安卡拉"
    r"|耶路撒冷|特拉维夫|内罗毕|拉各斯|约翰内斯堡|开普敦|亚的斯亚贝巴|喀土穆|布琼布拉|基加利|坎帕拉"
    r"|金沙萨|阿克拉|达喀尔|的黎波里|卡萨布兰卡|墨西哥城|哈瓦那|波哥大|布宜诺斯艾利斯"
    r"|里约热内卢|加拉加斯|渥太华|蒙特利尔|西雅图|波士顿|费城|迈阿密|拉斯维加斯|檀香山"
    r"|惠灵顿|堪培拉|布里斯班|横滨|名古屋|福冈|札幌|神户|仁川|平壤|乌兰巴托|阿拉木图|塔什干"
    # Hong Kong and Taiwan names the zh-cn fold leaves as they are (肯亞 → 肯亚, not 肯尼亚).
    # Not 澳洲 (澳洲龙虾) or 雪梨 (a pear), which name things here as often.
    r"|肯亚|俄国|休士顿|汉城|奥克兰|吉尔吉斯)"
    # 日本料理店, 美国籍游客, 罗马花园小区: a foreign word naming something here.
    r"(?!籍|料理|菜|餐|品牌|企业|公司|产|制造|进口|出口|合资|独资|杯|枫叶|务工|游客|客人|留学生|人|族|大使馆|领事馆|驻华|商|车"
    r"|花园|小区|城|广场|公寓|酒店|街|路|风情"
    r"|镇|乡(?![村下间]))"  # 柏林镇中心卫生院: a town here that shares a foreign city's name (not 俄罗斯乡村)
)
# A province where the victims come from is not where it happened: 泰国…来自台湾的旅行团 / 湖南籍游客.
_DOMESTIC_RE = re.compile(
    r"(?<!来自)(?:北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南"
    r"|广东|海南|四川|贵州|云南|陕西|甘肃|青海|内蒙古|广西|西藏|宁夏|新疆|香港|澳门|台湾)"
    r"(?!籍|的?(?:游客|旅客|旅行团|旅游团|团)|时间)"  # (北京时间 is a clock, not a place)
    r"|[我全][省市县区镇乡]|(?<![熊松])本[省市县区镇乡]|辖区|在华|在我国"  # 熊本县 / 松本市 are in Japan
)


def _sentences(work: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE_RE.finditer(work) if m.group().strip()]


def _sentence_of(sentences: list[tuple[int, int]], pos: int) -> int:
    lo, hi = 0, len(sentences) - 1
    while lo < hi:  # binary search: sentences are sorted and cover every non-blank position
        mid = (lo + hi + 1) // 2
        if sentences[mid][0] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return lo


# 未发生爆炸 / 没有出现泄漏: the negation sits right before the word (so 无锡 never negates).
# 未发生爆炸事故 / 未发生安全事故: the kind of accident may sit between the negation and 事故.
_NEGATED_RE = re.compile(
    # 经核实…并无学生食物中毒: a few words of who, then the denied word
    r"并(?:无|没有|未)[^,.;:!?。，；：！？的]{0,4}$|"
    # 昨晚未发生致人伤亡的交通事故 (not 发生一起没有造成人员伤亡的爆炸, a real blast)
    r"(?<!一起)(?:未|没有|没)发生(?:致人|人员|造成人员)伤亡的(?:交通|生产安全|安全)?$|"
    r"(?:不存在[\u4e00-\u9fff]{0,2}|(?:未|没有|没|无|不存在|并非|不是|不会)"  # 不存在水污染, but not 不是小事故
    # 未发现任何传染病 / 未监测到石门镇及周边发生地震, but not 未发现任何异味就突然爆炸了
    r"(?:(?:发现|监测到|检测到|检测出|检出|接到|收治|接诊)(?:任何[^,.;:!?。，；：！？的就才便却但了]{0,6}?"
    r"|[^,.;:!?。，；：！？的就才便却但了]{0,10}?(?:发生|出现|有)|(?:灾后|新的|新增|相关|其他))?)?)"  # 未发现灾后|传染病 (not 家长没发现孩子溺水)
    r"(?:发生|出现|造成|引发|导致|有)?(?:任何|该|该起|此类|上述|此|这起|类似)?"
    r"(?:(?:较大|重大|特大|特别重大)(?:及)?(?:以上)?)?"  # 全市道路运输未发生较大以上安全事故 / 未发生重大安全生产事故
    # 未发生任何火灾爆炸事故 / 未发生火灾、爆炸事故 / 未发生翻船事故: up to three kinds named before the word
    r"(?:(?:爆炸|火灾|坍塌|倒塌|垮塌|泄漏|安全生产|安全|生产安全|交通|燃气|次生|聚集性|群体性|翻船|沉船|踩踏|溺水|中毒)"
    r"[、和及与或]?){0,3}$"
)
# 全市无鼠疫疫情报告 / 未发现新冠病例: a disease named, then denied as 疫情 or 病例.
_NO_DISEASE_RE = re.compile(
    r"(?:(?:未|没有|没|无)(?:发现|报告|收治|接诊|出现|检出)(?:任何)?(?:新的|新增|新发)?[\u4e00-\u9fffa-z0-9]{0,10}"
    r"|(?:未|没有|没|无)(?:(?![想料到法几就出])[\u4e00-\u9fff]){0,4})"
    r"(?:病|疫|热|炎|流感|痘|疹|疾|乱|核|冠|毒|感染)$")  # (not 没想到流感病例这么多, 无法控制的流感病例)
_NO_OUTBREAK_RE = re.compile(r"无(?![法力人])[\u4e00-\u9fffa-z0-9]{1,6}$")  # 全县无诺如|疫情报告
# 未发现诺如病毒感染病例 / 未发现人感染H7N9禽流感病例: the disease itself denied, its cases or 疫情 just after
_NO_CASES_BEFORE_RE = re.compile(r"(?:未|没有|无)(?:发现|报告|收治|接诊|出现|检出)?(?:任何)?(?:新的|新增|新发)?(?:人感染)?[a-z0-9]{0,6}$")
_CASES_AFTER_RE = re.compile(r"[\u4e00-\u9fffa-z0-9]{0,6}?(?:病例|疫情|患者|感染者)")
# 该院接诊的均为普通呼吸道感染病例: the cases are the ordinary run, named to deny an outbreak.
_ORDINARY_RE = re.compile(r"(?:均|都|只|仅|皆)(?:为|是|系|属)(?:普通|常见|一般|季节性|散发|常规)[^,.;:!?。，；：！？]{0,10}$")
# 7月那场暴雨 / 上個月那場冰雹 / 上次冰雹天: a storm some weeks back, named in the complaint about its aftermath
# (not 昨晚那场暴雨 / 今天下午那场冰雹, today's; a count in the post still grades it).
_PAST_STORM_RE = re.compile(
    r"(?:(?:上个?月|上周|上星期|前阵子|前些天|前段时间|前些日子|去年|前年|(?<![0-9一二三四五六七八九十])[0-9一二三四五六七八九十]{1,2}月份?)"
    r"(?:[^,.;:!?。，；：！？\n]{0,8}?(?:那场|那次)|被)|上次"
    # 我阿嬷说以前村里发大水 (not 以前没见过; nor 十分钟以前 / 天亮以前 / 比以前, which date or compare the present)
    r"|(?:(?:^|(?<=[说讲得,，。\s]))(?:以前|从前)|小时候)[^,.;:!?。，；：！？\n没未从]{0,6}?"
    r"|(?:去年|前年)(?:的)?)$")  # 去年台风一来好几处都冒水  # (今年5月被洪水冲断，至今已三个多月)
_HARM_SIGNS_RE = re.compile(r"送医|送到医院|抢救|icu|受伤|伤者|死亡|身亡|住院|120|熏|塌了|倒了|被困|烧伤")
_ALREADY_RE = re.compile(r"但|已经|已(?:有|被|造成)")
_AGAIN_NOW_RE = re.compile(r"今天|今日|今早|今晨|今晚|昨天|昨晚|昨夜|刚刚|刚才|又|再次")
# 预防溺水 / 坚决遏制重特大事故 / 预计明天有暴雨: prevention or forecast a little before the word.
_PREVENT_RE = re.compile(
    r"预防|防止|防范|严防|谨防|防控|防治|防汛|避免|杜绝|遏制|排查|预计|预报|预警|防(?=溺水|火灾|踩踏)"
    # 担心引发火灾 / 担心发生滑坡: a hazard report (not 好害怕！对面楼着火了, a frightened witness)
    r"|(?:担心|害怕|生怕|以免|以防)(?:会|再次|再)?(?=引发|发生|出现|造成|导致)|容易引发|易引发"
    # 落雨骑车好易翻车 / 路面湿滑容易发生追尾: a risk, said as how easily it happens
    r"|(?:很|非常|特别|好|极)?(?:容易|好易)(?=翻车|出事|起火|着火|坍塌|倒塌|侧翻|追尾|溺水|塌方|滑坡|发生|出现|造成)"
    r"|(?:担心|害怕|生怕|(?<![可恐哪])怕)(?:哪天|万一|以后|将来|迟早)"  # 怕哪天滑坡 (not 太可怕以后山洪…)
    r"|(?:差点|差一点|险些)(?:就)?(?:出|发生|酿成|引发)?"  # 差点就出车祸了: a near miss
    # 下周…高海拔地方会有冻雨 / 夜间将出现暴雪: the weather to come (not 怎么会有人被困, asked of what happened)
    r"|(?<!怎么)(?<!怎)(?<!咋)(?<!为什么)(?<!哪)(?<!想到)(?<!谁知道)(?<!料到)(?:会|将)(?:有|出现)(?:一次|一场|一轮|一股|大范围|明显的?|持续|连续)?(?=冻雨|暴雪|强降雪|暴雨|强降雨|冰雹|大风|寒潮|台风|霜冻|道路结冰)"
)
# 刚刚 / 今天 / 啱啱 (Cantonese 刚刚, which fold leaves) after a risk word: one happened
_SINCE_RE = re.compile(rf"{_TODAY_RE.pattern}|啱啱|啱先|头先")
# 火灾隐患 / 暴雨预警 / 地震演练: the word names a risk, not an occurrence.
_NEGATION_AFTER_RE = re.compile(
    r"(?:[、和及与或][\u4e00-\u9fff]{1,4}){0,3}的?(?:气象)?(?:风险|隐患|(?:[红橙黄蓝]色)?预警|预报)"
    r"|防治|防范|防控|演练|宣传|知识|培训|高发|多发(?!伤)|易发|教训|天气(?:的)?(?:防范|防御)|报警(?:装置|器|仪)(?![^,.;:!?。，；：！？]{0,6}?(?:响|鸣|报警了|超标))|探测器|检测仪|预测(?!到|不准|错|失误|失灵|又|没)"  # 溺水高发期: a season; 并非地震预测 (not 这次地震预测到了吗)
    r"|监测|科普|(?<=地震)(?:局|台|站|波(?!及)|带(?![来走给]))|(?<=滑坡|崩塌|塌方)点|(?<=台风)季"  # 台风季又要到了  # 地震局, 地震波 (not 地震波及, 地震带来); 滑坡点, a monitored site
)


# 味觉爆炸 / 生意爆炸好 / 原地爆炸 / 会“爆炸”的蛋糕: 爆炸 as a figure of speech.
_FIGURATIVE_BLAST_RE = re.compile(
    r"(?:味觉|原地|生意|人气|流量|信息|知识|颜值|口感|心态|情绪|脑子|大脑|好吃到|辣到|香到|帅到|美到|爽到|火到)$"
)
_FIGURATIVE_BLAST_AFTER_RE = re.compile(r"了?(?:一样|似的|一般)|好吃|好看|好听|好玩")
_SLANG_WORDS = frozenset(("爆炸", "塌方", "翻车"))  # used as slang inside quotes
_LIKE_RE = re.compile(r"(?:像|宛如|犹如|如同|跟)$")
_COOKING_AFTER_RE = re.compile(r"收汁|烧开|煮开|煮沸|烧沸|爆炒|快炒|翻炒|蒸|炖|煮|焖|炒|转小火")
_KITCHEN_RE = re.compile(r"锅|炒|煮|炖|菜|汤|火候|收汁|焯水|油温|食材|出锅")
_MISTAKEN_RE = re.compile(r"(?:以为|还以为|误以为|当成|当是)[^,.;:!?。，；：！？]{0,2}$")
_VEHICLE_RE = re.compile(r"车|巴|货|驴|船|司机|驾驶|乘客|公路|国道|省道|高速|路|拖拉机|摩托|三轮")


# 噪声污染 / 光污染 / 油烟污染: a nuisance complained of, never a 突发环境事件.
_NUISANCE_BEFORE_RE = re.compile(r"(?:噪声|噪音|光|油烟)$")


def _figurative(work: str, start: int, end: int) -> bool:
    word = work[start:end]
    if word == "污染" and _NUISANCE_BEFORE_RE.search(work, max(0, start - 2), start) is not None:
        return True
    if word in _SLANG_WORDS and work[start - 1 : start] == "“" and work[end : end + 1] == "”":
        return True  # a lone quoted word: “爆炸”辣条, 仓库已经“塌方”了
    if word == "大火" and work[end : end + 1] in ("光", "候"):
        return True  # 产生较大火光 / 大火候 (a flame's size, a cooking heat): no fire (but 油锅起很大火 is one)
    if word == "大火" and (_COOKING_AFTER_RE.match(work, end)
                           or (work[start - 1 : start] in ("转", "开", "用", "改") and _KITCHEN_RE.search(work))):
        return True  # 出锅前大火收汁 / 转大火: a cooking heat
    if (word in ("着火", "起火", "爆炸", "翻车") and _MISTAKEN_RE.search(work, max(0, start - 4), start)
            and _OVERTURNED_RE.search(work, end, _sentence_end(work, end)) is None):
        return True  # 老公冲进来以为着火了: a fire only feared (not 一开始以为着火了没当回事，结果整栋楼都烧起来了)
    if word == "翻车" and _VEHICLE_RE.search(work.replace("翻车", "")) is None:
        return True  # 综艺直接大型翻车现场 / #厨房翻车: a flop, no vehicle in the post
    if word == "爆炸" and work.startswith("现场", end) and _LIKE_RE.search(work, max(0, start - 3), start):
        return True  # 家里像爆炸现场 (a cat's mess; not 好像爆炸了, a witness)
    if word == "爆炸" and _FIGURATIVE_BLAST_AFTER_RE.match(work, end) is not None:
        return True  # 现场跟爆炸了一样 / '爆炸好吃'
    return word == "爆炸" and _FIGURATIVE_BLAST_RE.search(work, max(0, start - 4), start) is not None


# 物业说管道不会泄漏 今天还是漏了 / 厂家说不会爆炸，结果炸了: the assurance failed.
_OVERTURNED_RE = re.compile(r"结果|还是|却|偏偏|没想到|谁知|哪知|竟然|居然|可是|但是|然而")
# 该不会泄漏了吧 / 难道不会爆炸吗: a guess, not a denial.
_GUESS_BEFORE_RE = re.compile(r"(?:该|难道|莫非|怕|别)$")
_GUESS_AFTER_RE = re.compile(r"了?[吧吗嘛]")


def _denial_overturned(work: str, neg: int, end: int) -> bool:
    return (_GUESS_BEFORE_RE.search(work, max(0, neg - 2), neg) is not None
            or _GUESS_AFTER_RE.match(work, end) is not None
            or _OVERTURNED_RE.search(work, end) is not None)


# What a typhoon did: trees down, roofs off, flooding, people trapped or hurt, losses (not a service suspended or a warning).
_STORM_HARM_RE = re.compile(r"倒(?!是|计时)|塌|砸|掀|吹走|吹飞|刮飞|刮跑|刮走|刮坏|吹坏|碎|(?<!不)断|歪|残骸|打烂|烂了|没了|废铁|血本无归|受损|损毁"
                            r"|损坏|毁|冲走|冲垮|卷走|沉|淹|进水|积水|倒灌|漫堤|溃|被困|受伤|伤亡|死亡|遇难|失联|失踪|下落不明"
                            r"|搜寻|受灾|灾情|灾民|损失|断电|停电|黑灯|抢修|救援|过后|过境")
_GATHERED_FOR_RE = re.compile(r"(?:在一起)?(?:打牌|赌博|打麻将|喝酒|吸毒|闲聊|聊天|跳舞|跳广场舞|遛狗|吃饭|唱歌)")
_PLANNED_CUT_RE = re.compile(r"施工|检修|维修|碰口|改造|接驳|迁改|清洗|计划停水|停水通知|停水公告")
_BURST_RE = re.compile(r"挖断|爆管|破裂|爆裂|断裂|突发|紧急|抢修")  # 施工队挖断了供水主管道: no plan
_POLLUTED_RE = re.compile(r"污染|泄漏|泄露|超标|异味|臭味|发黑|发臭|偷排|排污|油污|死鱼|中毒")


def negated_incident_word(work: str, start: int, end: int) -> bool:
    """Whether the incident word at work[start:end] is negated, prevented, forecast, a risk or a
    figure of speech."""
    if _figurative(work, start, end):
        return True
    neg = _NEGATED_RE.search(work, max(0, start - 24), start)  # 未发生任何生产安全|事故
    if neg is not None and not (neg.group().startswith("不会") and _denial_overturned(work, neg.start(), end)):
        return True
    if work[start:end] == "聚集" and _GATHERED_FOR_RE.match(work, end) is not None:
        return True  # 长期有人聚集打牌赌博: a gambling den reported, not a crowd incident
    if work[start:end] == "事故" and work.endswith("医疗", 0, start):
        return True  # 称亲人在手术中死亡系医疗事故: a malpractice claim, no 生产安全事故
    if (work[start:end] == "台风" and _STORM_HARM_RE.search(work) is None and _TYPHOON_AHEAD_RE.search(work) is None
            and "登陆" not in work):
        # 受台风影响，7月29日全市中小学停课一天: a typhoon that harmed nothing the post tells (one still to come is
        # the forecast check's, in detect_non_event)
        return True
    if (work[start:end] == "停水" and _PLANNED_CUT_RE.search(work) is not None and _POLLUTED_RE.search(work) is None
            and _BURST_RE.search(work) is None):
        return True  # 因供水主管道碰口施工…临时停水的通知: works planned, no pollution
    if _ORDINARY_RE.search(work, max(0, start - 16), start) is not None:  # 接诊的均为普通呼吸道感染|病例
        return True
    if work[start:end] in ("疫情", "病例") and _NO_DISEASE_RE.search(work, max(0, start - 16), start) is not None:
        return True  # 全市无鼠疫|疫情报告 / 未发现手足口病|病例
    if (work[start:end] == "疫情" and work.startswith("报告", end)
            and _NO_OUTBREAK_RE.search(work, max(0, start - 8), start) is not None):
        return True  # 全县无诺如|疫情|报告
    if (_NO_CASES_BEFORE_RE.search(work, max(0, start - 12), start) is not None
            and _CASES_AFTER_RE.match(work, end) is not None):
        return True  # 未发现|诺如|病毒感染病例 / 全县无|霍乱|疫情报告
    if (_PAST_STORM_RE.search(work, max(0, start - 16), start) is not None  # 上个月那场|冰雹
            and _AGAIN_NOW_RE.search(work, end, _sentence_end(work, end)) is None):  # (not 前年那次滑坡的地方今天塌了)
        return True
    # Searched up to the word's end: 防(?=溺水) looks ahead into the word itself. The marker must be in
    # the word's clause, and a bare 防 right before it: not 预防火灾！楼下仓库起火了.
    for prevented in _PREVENT_RE.finditer(work, max(0, start - 8), end):
        if (prevented.start() < start and _CLAUSE_BREAK_RE.search(work, prevented.end(), start) is None
                and (prevented.group() != "防" or prevented.end() == start)
                # 好易翻车，啱啱屯门公路有架货车翻咗: a risk, then one that happened just now
                and not (prevented.group().endswith(("容易", "好易")) and _SINCE_RE.search(work, end) is not None)
                # 男子差点在车祸中丧命，目前仍在ICU抢救: a near miss that still harmed
                and not (prevented.group().startswith(("差点", "差一点", "险些")) and _HARM_SIGNS_RE.search(work))
                # 今晚将有暴雪，但我们村已经被雪困了三天: the weather to come, and what it has done already
                and not (prevented.group().startswith(("会", "将")) and _ALREADY_RE.search(work, end, _sentence_end(work, end)))):
            return True
    return _NEGATION_AFTER_RE.match(work, end) is not None


def happening_now(work: str, words: Sequence[tuple[int, int]]) -> bool:
    """Whether a post tells one of its incident words (spans of `work`) as happening or shows its scene.

    Told: in the word's clause (着火了, 刚刚…追尾, 发生车祸, 有人持刀), outside a quotation (网传“…发生爆炸”
    系误读 quotes a claim). Seen, anywhere outside quotation marks: responders arriving, a call to 119,
    smoke or a bang as heard now (_SEEN_RE); and, in a post that gives no advice and asks no what-if,
    weaker signs (_GLIMPSED_RE, the small hours before the word)."""
    marks = _Marks(work)
    clauses = [(start, end, marks.clause_start(start)) for start, end in words if not marks.quoted(start)]
    if any(_TOLD_BEFORE_RE.search(work, clause, start) is not None or _TOLD_AFTER_RE.match(work, end) is not None
           for start, end, clause in clauses):
        return True
    if not clauses:
        return False
    if any(not marks.quoted(m.start()) for m in _SEEN_RE.finditer(work)):
        return True
    if _ADVICE_RE.search(work) is not None:
        return False
    if any(not marks.quoted(m.start()) for m in _GLIMPSED_RE.finditer(work)):
        return True
    return any(_TOLD_WHEN_RE.search(work, clause, start) is not None for start, _, clause in clauses)


class _Marks:
    """Where a text's quotation marks and clause breaks are, so each word is placed in O(log n): a
    200,000-character post with thousands of incident words stays linear."""

    _REACH = 60  # a clause is read at most this far back from its word

    def __init__(self, work: str) -> None:
        self.opens = [i for i, c in enumerate(work) if c == "“"]
        self.closes = [i for i, c in enumerate(work) if c == "”"]
        self.breaks = [i for i, c in enumerate(work) if c in _CLAUSE_MARKS]

    def quoted(self, pos: int) -> bool:
        return bisect.bisect_left(self.opens, pos) > bisect.bisect_left(self.closes, pos)

    def clause_start(self, pos: int) -> int:
        i = bisect.bisect_left(self.breaks, pos)
        return max(self.breaks[i - 1] + 1 if i else 0, pos - self._REACH)


# 这个说法是假的 / 这是谣言: the refutation opens its sentence pointing back at the one before.
_POINTS_BACK_RE = re.compile(r"\s*(?:这|那|此|该)[个种条]?(?:说法|消息|通报|话)?(?:纯属|根本|完全)?(?:是|系|为|就是)?\s*")


def _own_sentence_start(work: str, pos: int, reach: int) -> int:
    """Where the sentence holding `pos` starts, at most `reach` characters back (我个仔今日返学完全没事。学校…话系谣言:
    the child's 没事 is another sentence's, not a denial of harm called false) — or the sentence before, where the
    refutation points back at it (网传“化工厂爆炸没有人伤亡”。这个说法是假的)."""
    lo = max(0, pos - reach)
    start = max((work.rfind(c, lo, pos) + 1 for c in "。!?！？\n"), default=lo) or lo
    return lo if _POINTS_BACK_RE.fullmatch(work, start, pos) else start


def _hit(kind: NonEventKind, m: re.Match[str], text: str) -> NonEvent:
    return NonEvent(kind=kind, start=m.start(), end=m.end(), text=text[m.start() : m.end()])


def _search(pattern: re.Pattern[str], work: str, span: tuple[int, int]) -> re.Match[str] | None:
    return pattern.search(work, span[0], span[1])


def detect_non_event(
    text: str,
    figures: Figures,
    *,
    incident_spans: Sequence[tuple[int, int]] | None = None,
    now: datetime | None = None,
) -> NonEvent | None:
    """The first non-event reason that applies, or None for a (possible) current event."""
    lines = fold(text)
    if incident_spans is None:
        incident_spans = [(m.start(), m.end()) for m in GENERIC_INCIDENT_RE.finditer(lines)]
    work = _headline_joined(lines, figures, incident_spans)
    sentences = _sentences(work)
    if not sentences:
        return None
    spans = find_refuted_spans(work, folded=True)
    refuted = SpanSet(spans)
    # 今日未发生任何生产安全事故: a negated incident word confirms nothing.
    incident_spans = [(s, e) for s, e in incident_spans if not negated_incident_word(work, s, e)]
    anchors = sorted(
        {e.start for e in figures.evidence if not e.refuted}
        | {s for s, _ in incident_spans if s not in refuted}
    )

    def now_told() -> bool:
        """Something happens once more (又, 再次) or is seen happening (消防车来了, 已经报警); not the told
        rule's 发生 or 了, which a plot or a memory uses as much as a witness."""
        marks = _Marks(work)
        # 男主角又在最后一刻救了所有人: a plot's 又 is the story's, not the incident's once more.
        again = any(_PLOT_TALK_RE.search(work, marks.clause_start(m.start()), m.start()) is None
                    for m in _ONCE_MORE_RE.finditer(work))
        return again or any(not marks.quoted(m.start()) and _BACK_THEN_RE.search(work, max(0, m.start() - 12), m.start()) is None
                            for m in _SEEN_RE.finditer(work))

    first_anchor: dict[int, int] = {}  # sentence index -> first anchor position in it
    for a in anchors:
        first_anchor.setdefault(_sentence_of(sentences, a), a)
    anchor_sents = sorted(first_anchor)
    lead = sentences[0]
    # A title ends at the line's end: “山洪来了！”——某县防汛应急演练侧记 is one lead, not two sentences.
    title_end = lines.find("\n", lead[0])
    title_end = len(work) if title_end < 0 else title_end
    if (title_end > lead[1] and title_end - lead[0] <= _TITLE_MAX and work[lead[1] - 1] in "!?！？"
            and not _STATEMENT_END_RE.search(work, lead[1], title_end)):
        lead = (lead[0], title_end)
    first = sentences[anchor_sents[0]] if anchor_sents else lead
    focus = [lead] if first == lead else [lead, first]

    # An advert counts no one (a loss it cites is someone else's) and sees nothing happening now.
    if ((m := _advert(work)) is not None and not now_told() and not _dated_incident(work, incident_spans)
            and not any(e.value > 0 and not e.refuted and e.kind != "economic_loss"
                        and _YEARLY_RE.search(work, _Marks(work).clause_start(e.start), e.start) is None
                        for e in figures.evidence)):
        return _hit(NonEventKind.advert, m, text)

    # 网传“山体滑坡埋了50多人”不实…未造成人员伤亡: a refutation's "no casualties" confirms nothing.
    zeros = {e.start for e in figures.evidence if e.value == 0}
    confirmed = [a for a in anchors if a not in zeros]
    rumour = _RUMOUR_RE.search(work)
    if (rumour is not None and not confirmed and (spans or "辟谣" in work or "造谣" in work)
            and _DISPUTED_RE.search(work, rumour.end()) is None
            and _HARM_DENIED_RE.search(work, _own_sentence_start(work, rumour.start(), 16), rumour.start()) is None):
        return _hit(NonEventKind.rumour_refuted, rumour, text)

    if _DURING_DRILL_RE.search(work) is None:
        for span in focus:
            if ((m := _search(_DRILL_RE, work, span)) is not None and _ASKED_RE.match(work, m.end()) is None
                    and _NOT_DRILL_RE.search(work, max(0, m.start() - 8), m.start()) is None):
                return _hit(NonEventKind.drill, m, text)
        if ((m := _DRILL_REVEAL_RE.search(work)) is not None and _ASKED_RE.match(work, m.end()) is None
                and not (m.group().startswith(("说", "才说")) and _DRILL_DOUBTED_RE.search(work, m.end(), m.end() + 16))):
            return _hit(NonEventKind.drill, m, text)
        if ((m := _DEMO_RE.search(work)) is not None and _DEMO_HARM_RE.search(work, m.end()) is None
                and not any(e.value > 0 and not e.refuted for e in figures.evidence)):
            return _hit(NonEventKind.drill, m, text)

    if anchors and _all_what_if(work, sentences, anchor_sents, first_anchor):
        m = _search(_HYPOTHETICAL_RE, work, sentences[anchor_sents[0]])
        # 怕万一着火，刚刚五楼着火了: the feared thing is then reported as happening.
        if m is not None and _REPORTED_AFTER_RE.search(work, m.end()) is None:
            return _hit(NonEventKind.hypothetical, m, text)

    counted = [e for e in figures.evidence if e.value > 0 and not e.refuted]
    if (anchor_sents and not counted and (m := _search(_WARNING_RE, work, lead)) is not None
            and not _harm_reported(work)):
        return _hit(NonEventKind.hypothetical, m, text)
    # 预计将于18日夜间在我市沿海登陆…渔排上的养殖户都在抓紧转移: a typhoon still to come, prepared for (not one
    # that has landed and done harm; a count of those moved still grades it)
    if (anchor_sents and not counted and _TYPHOON_RE.search(work) is not None
            and (m := _TYPHOON_AHEAD_RE.search(work)) is not None and _LANDED_RE.search(work) is None):
        return _hit(NonEventKind.hypothetical, m, text)
    if anchor_sents and not counted and _UNDERWAY_RE.search(work) is None and all(
        (m := _search(_FORECAST_RE, work, sentences[i])) is not None and m.start() < first_anchor[i]
        for i in anchor_sents
    ):
        m = _search(_FORECAST_RE, work, sentences[anchor_sents[0]])
        if m is not None:
            return _hit(NonEventKind.hypothetical, m, text)

    if (m := _EXAM_RE.search(work)) is not None:
        return _hit(NonEventKind.hypothetical, m, text)
    if (m := _QUESTION_RE.search(work)) is not None and _GRADE_ASKED_RE.search(work) is not None:
        return _hit(NonEventKind.hypothetical, m, text)
    # 今天初三物理作业有一道题：“某工地塔吊…发生倾覆…求支点受力”: homework (not 食堂食物中毒…下午考试有道题不会)
    if ((m := _HOMEWORK_RE.search(work)) is not None and not counted and not now_told()
            and not happening_now(work, incident_spans)):
        return _hit(NonEventKind.hypothetical, m, text)
    # A plan explained at the post's opening (一图读懂《省自然灾害救助应急预案》); elsewhere, only where nothing is under way
    # (not 昨晚发生4.9级地震，已造成3人受伤…此前开展的地震灾害情景构建为此次处置提供了参考: news that cites a plan)
    # (nor 一图读懂《…启动防汛Ⅱ级应急响应的通知》⏎…目前已造成3人死亡: the plan is invoked for a toll being reported)
    if (m := _EXPLAINED_DOC_RE.search(work)) is not None and (
            (m.start() - lead[0] <= 6 and not (counted and _TOLL_NOW_RE.search(work)))
            or _UNDERWAY_RE.search(work) is None):
        return _hit(NonEventKind.hypothetical, m, text)
    if (not counted and (m := _search(_NO_IMPACT_RE, work, lead)) is not None
            and _BUT_HARM_RE.search(work, m.end()) is None):
        return _hit(NonEventKind.hypothetical, m, text)
    # (not 城东化工厂发生爆炸起火，县应急管理局已启动专项应急预案: a plan invoked for an incident the lead reports)
    if ((m := _PLAN_TITLE_RE.search(work, lead[0], lead[1])) is not None and _UNDERWAY_RE.search(work) is None
            and not (counted and _TOLL_NOW_RE.search(work))
            and not any(lead[0] <= a < m.start() and _TITLE_BREAK_RE.search(work, a, m.start()) for a in anchors)):
        return _hit(NonEventKind.hypothetical, m, text)
    if not counted and (m := _false_alarm(work, incident_spans)) is not None:
        return _hit(NonEventKind.hypothetical, m, text)
    if (m := _OPTIONS_RE.search(work)) is not None and not now_told() and _TODAY_RE.search(work) is None:
        return _hit(NonEventKind.hypothetical, m, text)
    if (anchor_sents and not counted and (m := _TIPS_RE.search(work)) is not None
            and _only_advice(work, m, anchors, [sentences[i] for i in anchor_sents], incident_spans)):
        return _hit(NonEventKind.hypothetical, m, text)
    definitions = [sentences[_sentence_of(sentences, d.start())] for d in _DEFINITION_RE.finditer(work)]
    if definitions and all(any(a0 <= a < a1 for a0, a1 in definitions) for a in confirmed):
        return _hit(NonEventKind.hypothetical, next(_DEFINITION_RE.finditer(work)), text)

    if ((m := _search(_STATS_RE, work, first)) is not None and not _fresh_after_summary(work, m, figures)
            # 全县前10个月…实现“双下降”，不料11月23日晚…发生一起…事故: the period's tally, then an incident dated now
            and not (_PERIOD_RE.fullmatch(m.group()) and _recent_day(work, m.end(), first[1], _today(now)))):
        return _hit(NonEventKind.statistics, m, text)
    killers = [_search(_KILLER_RE, work, sentences[i]) for i in anchor_sents]
    if killers and all(killers) and _UNDERWAY_RE.search(work) is None and (k := killers[0]) is not None:
        return _hit(NonEventKind.statistics, k, text)
    # 142个男劳力，37人确诊尘肺病，其中11人已经去世: a disease of years of work, counted over decades, no emergency
    if (m := _CHRONIC_RE.search(work)) is not None and _ACUTE_RE.search(work) is None:
        return _hit(NonEventKind.statistics, m, text)

    for span in focus:
        first_word = min((a for a in anchors if span[0] <= a < span[1]), default=span[1])
        m = _search(_FICTION_RE, work, span)
        if (m is not None and not _on_a_real_set(work, span, first_word)
                and not (m.lastgroup == "plot" and m.start() > first_word)):
            return _hit(NonEventKind.fiction, m, text)
        if (m := _search(_DREAM_RE, work, span)) is not None and _REPORTED_RE.search(work) is None:
            return _hit(NonEventKind.fiction, m, text)
        if ((m := _search(_SHOW_RE, work, span)) is not None and not now_told()
                and not any(_LEFT_THE_SHOW_RE.search(work, m.end(), s) for s, _ in incident_spans if s >= m.end())):
            return _hit(NonEventKind.fiction, m, text)
        if (m := _search(_THIS_FILM_RE, work, span)) is not None and not now_told() and _FILM_SITE_RE.search(work) is None:
            return _hit(NonEventKind.fiction, m, text)
        if (m := _search(_GAME_RE, work, span)) is not None and not now_told() and not happening_now(work, incident_spans):
            return _hit(NonEventKind.fiction, m, text)

    history = _history(work, text, focus, first, [sentences[i] for i in anchor_sents], anchors, now, now_told())
    if history is not None:
        return history

    # 南太平洋岛国发生7.2级地震 已致40余人死亡⏎据外媒报道，当地时间…: a headline kept apart from its lede
    # (it reports) has the lede say where.
    # (not where the headline places it here itself: 苏州一外资工厂爆炸⏎据外媒报道… / 宁波一外贸公司…⏎…对欧洲出口)
    if (lead[1] < len(work) and work[lead[1] - 1] == "\n" and len(sentences) > 1
            and _DATELINE_RE.match(work, lead[0]) is None):
        focus = [*focus, sentences[1]]
    for span in focus:
        if (m := _search(_FOREIGN_RE, work, span)) is not None:
            if not any(_search(_DOMESTIC_RE, work, s) for s in focus):
                return _hit(NonEventKind.outside_jurisdiction, m, text)
            break
    return None


_TITLE_MAX = 60  # a first line longer than this is a paragraph, not a title
# 苏州一外资工厂… / 昆明长水机场一航班…: a headline that opens with a named place (not 某地一…)
_DATELINE_RE = re.compile(r"\s*(?!某)[\u4e00-\u9fff]{2,8}?一[\u4e00-\u9fff]")
# A headline line ends without a full stop: its line break is no sentence end.
_HEADLINE_END_RE = re.compile(r"[。.!?;…]")


# 要是真来一次7级地震…？我估计至少得塌一半，死伤几千人都有可能: a guess that goes on with the what-if.
_GUESS_RE = re.compile(r"估计|可能|恐怕|怕是|说不定|只怕|搞不好|没准")


def _all_what_if(work: str, sentences: list[tuple[int, int]], anchor_sents: list[int],
                 first_anchor: dict[int, int]) -> bool:
    """Every sentence with an incident word asks a what-if before it, or guesses on from the what-if before."""
    asked = False
    for i in anchor_sents:
        m = _search(_HYPOTHETICAL_RE, work, sentences[i])
        if m is not None and m.start() < first_anchor[i]:
            asked = True
        elif not (asked and _search(_GUESS_RE, work, sentences[i]) is not None
                  and _REPORTED_AFTER_RE.search(work, sentences[i][0], sentences[i][1]) is None):
            return False
    return True


def _headline_joined(work: str, figures: Figures, incident_spans: Sequence[tuple[int, int]]) -> str:
    """“3分12秒！2300余名师生安全疏散⏎11日上午，市第七中学开展防震演练。” reads as one lead sentence, as it
    does with a space instead of the line break: the headline states the news, the lede's first sentence
    says what kind (a drill, a statistic, a year long past). The same length, so positions hold."""
    end = work.find("\n")
    if not (0 < end <= _TITLE_MAX and _HEADLINE_END_RE.match(work, end - 1) is None and work[end + 1 :].strip()):
        return work
    if _YEAR_LEDE_RE.match(work, end + 1) is None and _headline_reports(work, end, figures, incident_spans):
        return work
    return f"{work[:end]} {work[end + 1 :]}"


def _headline_reports(work: str, end: int, figures: Figures, incident_spans: Sequence[tuple[int, int]]) -> bool:
    """城南一化工厂爆炸致2人死亡⏎今年以来，全省… / 某煤矿透水 12名矿工被困⏎这是继电视剧…: a headline that itself
    reports an incident (a casualty, something under way, an incident word with no advice) is news, whatever
    background the lede opens with."""
    harmed = any(e.start < end and e.value > 0 and not e.refuted and e.kind not in _NOT_HARM for e in figures.evidence)
    named = any(s < end for s, _ in incident_spans) and _HEADLINE_ADVICE_RE.search(work, 0, end) is None
    return harmed or named or _UNDERWAY_RE.search(work, 0, end) is not None


_NONE_NOW_RE = re.compile(r"[^,.;:!?。，；：！？]{0,6}?(?:未|没有|没|无|暂无)")


def _underway_in_advice(work: str) -> bool:
    """Something under way, for advice to be news (not 目前全县未发现灾后传染病疫情, which says nothing is)."""
    return any(not (m.group() == "目前" and _NONE_NOW_RE.match(work, m.end())) for m in _UNDERWAY_RE.finditer(work))


def _only_advice(work: str, tip: re.Match[str], anchors: list[int], anchor_sents: list[tuple[int, int]],
                 incident_spans: Sequence[tuple[int, int]]) -> bool:
    """Safety advice names the incident it guards against. It is only advice where nothing is under way, told as
    happening or dated (a report that ends with 温馨提示 is a report: 城南化工厂起火，温馨提示：…), and either the
    tip opens the post before any one incident is placed (温馨提示：中山路一货车侧翻 is a report), or every
    sentence naming an incident speaks in general (每年冬季都是燃气爆炸事故的高发期)."""
    # 看到外地又有饭店燃气爆炸，提醒大家：闻到异味千万别开灯…: advice after an incident somewhere else
    # (not 隔壁县化工厂爆炸了！现在整个天都是红的 / 外地接连发生燃气爆炸，没想到今天中午我们楼下的饭店也炸了: one
    # dated now or seen is news)
    elsewhere = [_elsewhere(work, span) for span in anchor_sents]
    if (any(elsewhere) and _NOW_HERE_RE.search(work) is None and _SEEN_RE.search(work) is None
            and all(e or _search(_TIPS_RE, work, span) or _search(_GENERAL_RE, work, span)
                    for e, span in zip(elsewhere, anchor_sents, strict=True))):
        return True
    signed = _SIGNED_DATE_RE.search(work)  # 溪平县教育局⏎2024年7月1日: the letter's date, not an incident's
    if (_underway_in_advice(work) or happening_now(work, incident_spans) or _MEASURES_TAKEN_RE.search(work)
            or _DATED_RE.search(work, 0, signed.start() if signed else len(work))):
        return False
    opens = tip.start() < anchors[0] and _INSTANCE_RE.search(work) is None
    return opens or all(_search(_GENERAL_RE, work, span) for span in anchor_sents)


# Somewhere else, not here: 外地 (not 外地游客 / 外地来的货车, people from elsewhere here), 隔壁省, 别的地方.
# (not 一辆外地大货车在高速侧翻 / 一家外地老板开的烧烤店: something from elsewhere, here; 外地 names the place only
# after 看到 / 听说 / 在, or before 又 / 有 / 发生 / 一家…)
_ELSEWHERE_RE = re.compile(r"(?:看到|听说|新闻(?:说|里)?|在|去|到)外[地省]|外[地省](?=又|也|有|刚(?:刚|才)?(?:发生|出了|出过|有)|发生|最近|接连|近[日期]|前[几些]天|一[家户个名位座栋所处起])"
                           r"|隔壁[省市县]|别的地方|其他地方|其它地方")
_HERE_RE = re.compile(r"我们这|咱们这|咱这|我们村|我们小区|我们镇|本地|当地|附近")
_NOW_HERE_RE = re.compile(rf"{_TODAY_RE.pattern}|现在|此刻|目前|这会儿")


def _elsewhere(work: str, span: tuple[int, int]) -> bool:
    return (_search(_ELSEWHERE_RE, work, span) is not None and _search(_DOMESTIC_RE, work, span) is None
            and _search(_HERE_RE, work, span) is None)


_SIGNED_DATE_RE = re.compile(r"\n\s*(?:19|20)[0-9]{2}年[0-9]{1,2}月[0-9]{1,2}日\s*$")
_YEAR_LEDE_RE = re.compile(r"\s*(?:19|20)[0-9]{2}年")  # 关于…事故的通报⏎2024年8月2日…: the year dates the headline's incident
_BARE_DAY_RE = re.compile(r"(?<![年月0-9一二三四五六七八九十.])[0-9]{1,2}日(?!常|益|子)")
_NOT_HARM = frozenset({"evacuated", "rescued"})  # FigureKind values: figures imports this module
_HEADLINE_ADVICE_RE = re.compile(r"提醒|提示|高发|预警|预报|预防|防范|如何|怎么|注意|演练|演习")
# A day or an hour dates one incident: tips name incidents in general.
_DATED_RE = re.compile(r"[0-9一二三四五六七八九十]{1,3}日(?!常|益|子)|时许|近日|(?:今|昨|前)[天日晚早]|凌晨|半夜|深夜")
# 温馨提示：中山路一货车侧翻 / 【安全提示】我镇一农户家中燃气泄漏: one incident, somewhere.
_INSTANCE_RE = re.compile(r"一(?:辆|家|户|处|栋|幢|座|列|艘|名|位|所|电动车|货车|轿车|客车|民房|厂房|商铺|餐馆|饭店)|我(?:镇|区|县|市|村|乡|校|院|园)"
                          r"|我们[^，。]{0,2}(?:医院|学校|班|村|小区)|[路街](?:口|上|一)|路与"
                          r"|隔壁(?:村|镇|乡|小区|楼|单元)|邻村|有户人家")  # 又到菌子季…隔壁村有户人家吃了见手青
# 一辆电动车从起火到爆燃只要几十秒 / 每年冬季都是燃气爆炸事故的高发期: an incident told in general.
# 流感预防要点：XX中学…出现聚集性疫情，发热学生已居家隔离，班级停课: measures already taken report an outbreak.
_MEASURES_TAKEN_RE = re.compile(r"已(?:经)?(?:停课|介入|居家隔离|隔离|送医|住院|出现)|(?:班级|全班|多个班|年级|全校)停课")
# 我市手足口病进入流行季节 / 主要通过密切接触传播: a season's or a disease's way, not one outbreak.
_GENERAL_RE = re.compile(r"只要|每年|每到|高发|容易|往往|一旦|如果|万一|怎么办|如何|从[^,.;:!?。，；：！？]{1,6}到"
                         r"|流行季|高峰期|多发期|易发期|主要通过|易感")
_STATEMENT_END_RE = re.compile(r"[。;；]")
_COMMA_RE = re.compile(r"[,;:!?。;:!?\n，；：！？]")


# A roundup's other items and an article's background: 国际：土耳其地震死亡人数升至1200人 / 2014年，昆山
# 一企业曾发生粉尘爆炸，造成146人死亡 / 去年全国共发生…死亡…人. Their figures are not this incident's.
_ITEM_RE = re.compile(r"\s(?:[0-9]{1,2}[.、]|[①-⑳]|[•📌▲▶■◆])|【[^】\n]{1,10}】|[0-9]{1,3}楼[:：(（]|楼主[:：(（]")
_PAST_EVENT_RE = re.compile(r"曾于?(?:19|20)[0-9]{2}年|(?:19|20)[0-9]{2}年[^。!?;\n]{0,40}?(?:曾|那次|那场|发生过)")
_OPENING_YEAR_RE = re.compile(r"[\s▶•📌▲■◆0-9.、:]{0,6}((?:19|20)[0-9]{2})年")
# Markers that only a sentence after the lead may carry: 据统计，每年冬季全国… / 国际：世卫组织称，欧洲…
_ASIDE_RE = re.compile(r"每年|据统计|国际[:：]|欧洲|非洲|美洲|世卫组织")
_HASHTAG_RE = re.compile(r"#[^#\n]{1,30}#")
# Words of harm: the lead is the first sentence or item with one; a later one is background only where
# the marker stands before the harm or in its clause (not 十二个人失联，凶多吉少了 每年都有人…).
_HARM_RE = re.compile(r"死|遇难|罹难|受伤|伤亡|失联|失踪|被困|中毒|病例|损失|身亡|伤")


def background_spans(work: str) -> list[tuple[int, int]]:
    """Sentences and list items after the first that speak of another event: history, a statistic,
    an event abroad. Figures inside them are shown but not counted (figures.py); the first sentence or
    item that speaks of harm is the post-level check's to judge (detect_non_event). The year test reads
    the wall clock: figures.py has no 'now' of its own."""
    # A hashtag is a segment of its own: #北岭一家三口身亡# tags this post, whatever 每年 stands before it.
    cuts = sorted({0, len(work)} | {m.end() for m in _SENTENCE_END_RE.finditer(work)}
                  | {m.start() + (1 if m.group()[0].isspace() else 0) for m in _ITEM_RE.finditer(work)}
                  | {m.start() for m in _HASHTAG_RE.finditer(work)})
    spans = []
    lead_seen = False
    for start, end in zip(cuts, cuts[1:], strict=False):
        harm = _HARM_RE.search(work, start, end)
        if harm is None:
            continue
        if not lead_seen:
            lead_seen = True
            continue
        if _THIS_TIME_RE.search(work, start, end) is not None:
            continue  # 昨天又有3名学生溺亡: dated now, news
        clause_end = _COMMA_RE.search(work, harm.end(), end)
        span = (start, clause_end.start() if clause_end is not None else end)
        if (_search(_HISTORY_RE, work, span) or _search(_MEMORY_RE, work, span) or _search(_PAST_EVENT_RE, work, span)
                or _past_year(work, span)
                or _search(_STATS_RE, work, span) or _search(_ASIDE_RE, work, span)
                or (_search(_FOREIGN_RE, work, span) and not _search(_DOMESTIC_RE, work, span))):
            spans.append((start, end))
    return spans


def _past_year(work: str, span: tuple[int, int]) -> bool:
    """▶ 2020年城西某小区火灾致3人遇难: a past year opening the sentence dates its event (one later in
    it may date something else: 该楼建于2015年)."""
    m = _OPENING_YEAR_RE.match(work, span[0], span[1])
    return m is not None and int(m.group(1)) < datetime.now(UTC).year


_THAT_TIME_RE = re.compile(r"那次|那场|那起|那回|当时|当年")
_NOW_HARM_RE = re.compile(r"死|伤|遇难(?!者)|失联|失踪|被困|被埋|埋了|塌|冲毁|冲走|淹|起火|着火|爆炸|转移")


def _harmed_today(work: str) -> bool:
    """Whether some sentence says harm is done today (今天塌了更大一片，埋了两辆车), not only that
    something was done about last year's (今天搬进了新房, 今天被判了)."""
    for today in _TODAY_RE.finditer(work):
        end = _SENTENCE_END_RE.search(work, today.end())
        for harm in _NOW_HARM_RE.finditer(work, today.end(), end.start() if end else len(work)):
            clause = max((c.end() for c in _COMMA_RE.finditer(work, today.end(), harm.start())), default=today.end())
            if _THAT_TIME_RE.search(work, clause, harm.start()) is None:  # not 那次事故死了5个人
                return True
    return False


def _on_a_real_set(work: str, span: tuple[int, int], first_word: int) -> bool:
    """电影《X》拍摄现场起火 / 电影《长夜》发生爆炸事故，片场2名工作人员死亡: a set or cinema named before the
    incident word, or in a clause that counts harm; not 第18集那场大火的戏…剧组用心了."""
    for r in _REAL_SET_RE.finditer(work, span[0], span[1]):
        if r.start() < first_word:
            return True
        clause_end = _COMMA_RE.search(work, r.end(), span[1])
        if _HARM_RE.search(work, r.end(), clause_end.start() if clause_end else span[1]) is not None:
            return True
    return False


def _fresh_after_summary(work: str, summary: re.Match[str], figures: Figures) -> bool:
    """今年以来全县已发生两起溺水事故，昨天又有3名学生溺亡: after the year's total, a clause dated now
    (昨天, 今天, 刚刚) states a toll of its own, and that toll is news."""
    for e in figures.evidence:
        if e.refuted or e.value <= 0 or e.start < summary.end():
            continue
        clause_end = _COMMA_RE.search(work, summary.end(), e.start)
        # 省应急厅今日通报：XX县一烟花厂发生爆炸，造成4人死亡 is news; 今日公布数据，一季度共接报… is not
        if clause_end is not None and any(_ANNOUNCED_RE.match(work, t.end()) is None
                                          or _STATS_RE.search(work, t.end(), e.start) is None
                                          for t in _TODAY_RE.finditer(work, clause_end.end(), e.start)):
            return True
    return False


# 交警支队今日公布数据: the figures were published today, not the toll suffered today.
_ANNOUNCED_RE = re.compile(r"[^,.;:!?。，；：！？]{0,3}?(?:公布|发布|通报|召开|举行|介绍)")


def _dates_the_incident(work: str, pos: int, sentence: tuple[int, int], anchors: list[int]) -> bool:
    """A year before the sentence's first anchor, or in an anchor's own clause, dates the incident;
    one after it in another clause dates something else (该房屋于2023年经鉴定为危房)."""
    inside = [a for a in anchors if sentence[0] <= a < sentence[1]]
    if not inside or pos < inside[0]:
        return True
    start = max((m.end() for m in _COMMA_RE.finditer(work, sentence[0], pos)), default=sentence[0])
    end_m = _COMMA_RE.search(work, pos, sentence[1])
    end = end_m.start() if end_m is not None else sentence[1]
    return any(start <= a < end for a in inside)


def _history(
    work: str,
    text: str,
    focus: list[tuple[int, int]],
    first: tuple[int, int],
    anchor_sents: list[tuple[int, int]],
    anchors: list[int],
    now: datetime | None,
    again: bool,
) -> NonEvent | None:
    """History, a verdict, settled aftermath or an anniversary; `again`: something happens once more or is
    seen happening now, which the weaker signs (an anniversary, settled aftermath) give way to."""
    today = now if now is not None else datetime.now(_SHANGHAI)
    long_ago = _long_ago(work, today)
    if not again:
        for day in _ANNIVERSARY_RE.finditer(work):
            if day.group("year") is None or int(day.group("year")) < today.year:
                return _hit(NonEventKind.history, day, text)
        for span in focus:
            if (settled := _search(_SETTLED_RE, work, span) or _search(_TALE_RE, work, span)) is not None:
                # 19日晚幸福小区火灾致2死 火灾调查报告出炉: a report on this month's fire is news of it.
                late = "调查" in settled.group() and "报告" in settled.group() or settled.re is _SETTLED_RE and (
                    settled.group("result") or settled.group("accountable") or settled.group("fixed"))
                long_ago = _long_ago(work, today)
                # (a formal result notice dates the incident it closes: 今年6月12日…发生的食物中毒事件…处理结果)
                acted = settled.re is _SETTLED_RE and (settled.group("accountable") or settled.group("fixed"))
                if late and (_BARE_DAY_RE.search(work) or any(_ANNOUNCED_RE.match(work, t.end()) is None
                                                               for t in _TODAY_RE.finditer(work))
                             or (acted and _FRESH_RE.search(work) and not long_ago)
                             # 关于11月20日XX中学食物中毒事件处理结果的通报: a result notice within the month
                             or (settled.re is _SETTLED_RE and settled.group("result") and not long_ago
                                 and _recent_day(work, 0, len(work), today))):
                    continue  # (县纪委监委昨日通报: announced yesterday, not happened)
                if settled.re is _SETTLED_RE and settled.group("accountable") and not long_ago:
                    continue
                return _hit(NonEventKind.history, settled, text)
        # (not 以案为鉴！11月23日凌晨…起火，造成2人死亡 / 典型案例！今天下午…坠落身亡: the column's lesson is a fresh one)
        if ((m := _search(_CASEBOOK_RE, work, focus[0])) is not None
                and _NOT_CASEBOOK_RE.search(work, max(0, m.start() - 12), m.start()) is None
                and not (not long_ago and (_TODAY_RE.search(work, m.end()) is not None
                                           or _dated_recently(work, m.end(), today)
                                           or _TOLL_NOW_RE.search(work) is not None))):
            return _hit(NonEventKind.history, m, text)
        # (not 11月22日城东化工厂爆炸已致3人死亡，今天召开警示教育大会，这是继去年…: the meeting is on this one; the
        # meeting's own date, 11月10日，区安委办组织召开警示教育大会, is no sign of a fresh incident)
        if ((m := _search(_LESSON_MEETING_RE, work, focus[0])) is not None and long_ago
                and _TOLL_NOW_RE.search(work) is None):
            return _hit(NonEventKind.history, m, text)
    for span in focus:
        if (m := _search(_HISTORY_RE, work, span) or _search(_VERDICT_RE, work, span)) is not None:
            return _hit(NonEventKind.history, m, text)
        # (家乡马鞍岭又出事，这段下坡我小时候坐班车都怕: it happened again; the memory is the poster's fear)
        if ((m := _search(_MEMORY_RE, work, span)) is not None and not again
                and not _dated_after_memory(work, m, [*focus, *anchor_sents])):
            return _hit(NonEventKind.history, m, text)
        if (m := _search(_HONOURS_RE, work, span)) is not None and _UNDERWAY_RE.search(work) is None:
            return _hit(NonEventKind.history, m, text)
        if ((m := _search(_LAST_YEAR_RE, work, span)) is not None and _AGAIN_RE.search(work) is None
                and _ONGOING_RE.search(work) is None and not _harmed_today(work)
                and not any(span[0] <= a < m.start() for a in anchors)):
            return _hit(NonEventKind.history, m, text)
    y = _search(_YEAR_RE, work, first)
    if y is None or not _dates_the_incident(work, y.start(), first, anchors):
        return None
    year = int(y.group(1))
    # Last year's date is still news in early January (a 12月31日 fire reported on 1月1日).
    past = year < today.year - 1 or (year == today.year - 1 and today.month > 1)
    if not past:
        return None
    if year < today.year - _RETOLD_AFTER_YEARS and _FULL_DATE_RE.match(work, y.start()):
        return _hit(NonEventKind.history, y, text)  # 【今天，我们缅怀】1976年7月28日: an anniversary
    current = re.compile(f"{_CURRENT_RE.pattern}|{today.year}年")
    if any(_search(current, work, s) for s in anchor_sents):
        return None
    return _hit(NonEventKind.history, y, text)
