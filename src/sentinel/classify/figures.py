"""Extract casualty and loss figures (死亡3人, 3死5伤, 死亡人数升至31人, 无人员伤亡) from a post.

How a number finds its kind: every count (a number followed by 人/名/例/…) looks left for a
keyword joined to it by connective words only (死亡人数升至 31人), else right for the nearest
keyword in the same clause (3名工人当场 死亡). Each keyword is used once, left to right, so both
"死亡3人受伤5人" and "造成3人死亡5人受伤" come out right without punctuation.

Numbers inside a refuted claim (网传…不实, found by nonevents) are kept as evidence, marked
refuted, and never counted. Likewise numbers in a hypothetical or a near miss (如果发生地震，可能造成
上百人死亡 / 差点死了两个人), or in hearsay the post itself questions (听说死了二十多个…有没有人知道
真假？), are kept, marked hypothetical, and never counted.

Trapped is the number still trapped (DATA_CARD: the grade counts those still trapped or missing):
被困11人…3人获救…其余8人仍被困 is 8; 被困8人中5人获救、3人遇难 leaves none trapped (the 3 are deaths);
被困游客已全部安全转移 leaves none. Rescued counts are kept as figures (获救); they are never graded
by size, though grading.yaml lets one say an accident happened (general_if_any).

Colloquial tolls: 死了151个人, 淹死了两个孩子, 十一条人命, 没了两条命 (条命 only after a loss verb:
捡回一条命 is a survivor), 大火夺33命, 遗体29具, 十二个女工没逃出来; 十八个没回来 / 一个都没上来
count as missing (unaccounted for); 一个有气的都没有, 一个都没救过来 and 就再也没下来 after a count of people
are their deaths. Hyperbole (吓死了, 笑死, 累死, 热死了) is not a death keyword. 死伤/伤亡
20余人 lumps deaths with injuries; it is counted, conservatively, as injured only (never as deaths,
which drive the grades). 走了三个人 and 十一个家庭散了 are left alone: 走了 means "left" as often as
"died", and a broken family is not a count of the dead.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from sentinel.classify.nonevents import _VERIFIED_RE, SpanSet, background_spans, find_refuted_spans
from sentinel.classify.numbers import (
    TRAILING_RE,
    ParsedNumber,
    Qualifier,
    find_numbers,
    fold,
    trailing_qualifier,
)

__all__ = ["KIND_NAMES_ZH", "Evidence", "FigureKind", "Figures", "extract_figures"]


class FigureKind(StrEnum):
    deaths = "deaths"
    missing = "missing"  # 失联 失踪 下落不明
    trapped = "trapped"  # 被困 被埋: often rescued alive, so kept apart from missing
    rescued = "rescued"  # 获救 救出 生还: taken off the trapped; never graded by size
    seriously_injured = "seriously_injured"
    injured = "injured"
    sickened = "sickened"  # 中毒, 出现…症状, 就医 (food/disease context)
    economic_loss = "economic_loss"  # yuan
    evacuated = "evacuated"
    affected = "affected"


KIND_NAMES_ZH: dict[FigureKind, str] = {
    FigureKind.deaths: "死亡",
    FigureKind.missing: "失踪/失联",
    FigureKind.trapped: "被困",
    FigureKind.rescued: "获救",
    FigureKind.seriously_injured: "重伤",
    FigureKind.injured: "受伤",
    FigureKind.sickened: "中毒/发病",
    FigureKind.economic_loss: "直接经济损失",
    FigureKind.evacuated: "转移疏散",
    FigureKind.affected: "受灾",
}


class Evidence(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: FigureKind
    value: int
    start: int
    end: int
    text: str
    qualifier: Qualifier = Qualifier.exact
    low: int | None = None
    is_update: bool = False  # 升至 / 增至: a later total
    is_correction: bool = False  # 核减为 / 修正为: replaces earlier figures even when lower
    refuted: bool = False  # inside 网传…不实: shown, never counted
    hypothetical: bool = False  # inside 如果… / 差点…: shown, never counted
    background: bool = False  # in a sentence about another event (history, a statistic, abroad): shown, never counted
    combined: bool = False  # 死伤/伤亡 20人: dead and injured together, kept as injured
    selected: bool = False  # the evidence whose value the Figures field took

    @property
    def counted(self) -> bool:
        return not (self.refuted or self.hypothetical or self.background)

    @property
    def grading_value(self) -> float:
        if self.qualifier in (Qualifier.nearly, Qualifier.less_than):
            return max(self.value - 1, 0)
        return self.value


class Figures(BaseModel):
    model_config = ConfigDict(frozen=True)

    deaths: int | None = None
    missing: int | None = None
    trapped: int | None = None
    rescued: int | None = None
    seriously_injured: int | None = None
    injured: int | None = None
    sickened: int | None = None
    economic_loss: int | None = None  # yuan
    evacuated: int | None = None
    affected: int | None = None
    evidence: tuple[Evidence, ...] = ()
    updated: tuple[FigureKind, ...] = ()  # kinds whose value comes from an update/correction

    def get(self, kind: FigureKind) -> int | None:
        value: int | None = getattr(self, kind.value)
        return value

    def chosen(self, kind: FigureKind) -> Evidence | None:
        """The evidence the field's value came from (its qualifier matters for grading)."""
        return next((e for e in self.evidence if e.selected and e.kind is kind), None)


# --- patterns (all on folded text: Simplified, half-width punctuation) -------------------

# 吓死了 笑死了 累死了 热死了 气死了 快死了 没死了: 死了 after these is not a death.
_HYPERBOLE = "吓笑累热冷气困忙烦美帅萌尬丑愁急闷疼痛痒渴馋晒撑想爱恨懒穷香甜辣酸苦咸烫挤吵慢贵闲乐爽憋傻蠢怕醉坑懵晕快要会没不别点"

# 一个都没救过来: not a single one saved; at least one died, whoever the post counted before.
_NONE_SAVED = r"一(?:个|人|名)(?:都|也)没(?:能|有)?(?:救过来|抢救过来|救回来|抢救回来|活下来|挺过来|逃出来|跑出来)"
# 机上132人无一生还; said on social media: 捞上来二十几个，一个有气的都没有 / 没有一个活下来.
_NONE_SURVIVED = (r"(?:无一|无人|没有一个人?|无一人)(?:生还|幸存)"
                  r"|一个(?:有气的|活的|活口)都没(?:有|剩)?|(?:没有|没)一个活(?:下来|着出来|过来)"
                  rf"|{_NONE_SAVED}")
# 11个农民工兄弟早上坐电梯上工，就再也没下来: never came back / woke up, said of the people counted
# before, is their death (再也没回来过, of someone who moved away, is not: the clause must end there).
_NEVER_AGAIN = r"再(?:也)?没(?:能|有)?(?:醒来|醒过来|下来|上来|回来|回家|出来)(?=$|[啊呀呢吧哇了]|[^\u4e00-\u9fff0-9a-z])"
# 3名矿工未能生还 / 2人已无生命体征: dead, said without a word for death.
_DID_NOT_SURVIVE = r"(?:未能|没能|没有)生还|(?<!有)(?:已|均已|均)?无生命体征|没有生命体征"
# 三个师傅从上面掉下来，送到医院都没救回来: not saved, said of people counted in the clause before.
# 送到县医院…家里的老爷爷没挺过来: pulling through, failed, is the same (where care was given, _in_care).
_NOT_SAVED = (r"(?:都|也|还是|最终|最后|终究)?(?:没|未)(?:能|有)?(?:(?:抢救|救)(?:过来|回来)|[挺熬撑]过(?:来|去))"
              r"(?=$|[啊呀呢吧哇了]|[^\u4e00-\u9fff0-9a-z])")
_NOT_SAVED_RE = re.compile(_NOT_SAVED)
# The clause of 没救回来 names no one else (…，送到医院都没救回来), so the count before is who was lost; not
# 我们3个人忙了一晚上，数据还是没救回来, nor 5名医生连续抢救8小时，患者还是没救回来 (the count is the rescuers).
_NOT_SAVED_CLAUSE_RE = re.compile(
    r"(?:送(?:到|往|去)?[^,;，；]{0,8}?(?:医院|卫生院|诊所)(?:后|时)?|送医后?|经过?|最终|最后|还是|都|也|全|均|终究"
    r"|可惜|但是?|却|结果|抢救|急救)*"
)
_RESCUERS_RE = re.compile(r"[^,.;，。；]{0,6}?(?:抢救|救治|修|忙|治疗|施救)")
# 孩子送到医院没救过来: with no count of people before it, not saved is a death only where care was given,
# and to a person (not 手机泡了水没救回来, 猫咪送宠物医院没抢救过来).
_CARE_RE = re.compile(r"(?<!宠物)(?<!动物)(?<!手机)(?<!电脑)医院|送医|送院|抢救|急救|120|icu|卫生院|诊所|救护车")
# (nor 送兽医站抢救的两百多头猪没挺过来: livestock)
_NOT_A_PERSON_RE = re.compile(r"猫|狗|宠物|仓鼠|硬盘|数据|手机|电脑|主板|文件|账号|花|树|鱼|鸟|猪|牛|羊|鸡|鸭|鹅|兔|牲畜|家禽|兽医")
_NOT_BODIES = r"(?![^,.;:!?。，；：！？、]{0,6}?(?:名|具|位|个)(?:遇难者|遇难人员|罹难者|遗体|尸体|遗骸|死者))"
_COUNT_AHEAD = r"[0-9一二两三四五六七八九十几仨俩]"
_SPOKEN_DEATH = (r"(?:抢救|救)唔返(?:走咗|死咗)?|当场(?:就)?(?:没了|走了|不行了)(?![0-9一二两三四五六七八九十几]{1,3}个)|没气了"  # (当场走了三个: 走了N个)
                 # 120到场时老人已经没了呼吸: dead when help came
                 r"|(?<=已经)没(?:了|有)(?:呼吸|心跳|生命体征)"
                 # 救护车来了但人已经没了: dead when help came (_spoken_said_of_death)
                 r"|(?<=人已经)没了(?=$|[^\u4e00-\u9fff])"
                 # 送到市里确诊…截肢都没保住，人还是没了 / 送到镇卫生院人已经走了: dead after care (_spoken_said_of_death)
                 r"|(?<=人还是)没了(?=$|[^\u4e00-\u9fff])|(?<=人已经)走了(?=$|[^\u4e00-\u9fff])"
                 # 送到医院已经不行了 / 120到的时候已经不行了: dead on arrival
                 r"|(?<=医院)(?:时|的时候|后)?(?:人)?已经不行了|(?<=的时候)(?:人)?已经不行了"
                 r"|(?<![转回侧翻背扭别调掉俯探弯欠挺闪让])过身(?=咗|了|嘞|啦|喇)"
                 # ICU里抢救了三天，今天早上走了: a day after care that failed (_spoken_said_of_death)
                 r"|(?:昨天|今天|前天|今早|昨晚|前晚|当晚|当天|早上|凌晨|半夜|夜里|第二天|次日|没几天|没两天)"
                 r"(?:早上|上午|中午|下午|凌晨|晚上|夜里|半夜)?(?:[0-9一二三四五六七八九十两]{1,2}点(?:多|半|钟)?)?(?:人)?(?:还是|就|也|已经)?走了")
_SPOKEN_DEATH_RE = re.compile(_SPOKEN_DEATH)
# 追尾 / 坍塌 / 出事: an accident in the post, for 走了 to be a death.
# (not 炸鸡店 / 塌房了 (an idol's fall) / 撞衫 / 砍价)
_ACCIDENT_RE = re.compile(r"事故|出事|车祸|追尾|相撞|撞(?![衫脸见色单])|翻车|侧翻|(?<![手相随耳司])(?:[车机船]|大巴|中巴)[^，。,]{0,4}翻了(?!个?面|个?身|个?白眼|半天|一遍|一下|翻|几)|坍塌|倒塌|垮塌|塌(?!房)|爆炸"
                          r"|(?<![油煎])炸(?![鸡串酱糕毛薯货街锅油裂])|起火|着火|火灾|失火|溺水|淹(?!没)|透水"
                          r"|矿难|冒顶|触电|坠落|坠楼|踩踏|中毒|砍(?!价|一刀)|捅|冲出护栏|冲出路面|坠崖|翻下|翻到坡下|翻到沟里"
                          r"|(?:化?粪|沼气|污水|窨)[池井]|窒息")  # 下去掏粪池…没了三个: a confined space
# 员工走了三个 / 客人走了俩 / 交警来了仨 走了俩: people who left, not the dead.
_LEFT_SUBJECT_RE = re.compile(
    r"(?:员工|客人|宾客|亲戚|老师|学生|同学|同事|交警|警察|民警|医生|护士|保安|粉丝|股东|合伙人|租户)"
    r"(?:又|都|也|就|先|已经|已|陆续|一下子|一下)?$|来了[^。!?！？\n]{0,10}$"
    r"|(?:出院|转院|下班|离职|辞职|散场)[^。!?！？\n]{0,6}$"  # 伤员今天陆续出院 走了三个
    r"|(?:奖金|工资)[^。!?！？\n]{0,4}(?:扣|罚)[^。!?！？\n]{0,8}$")  # 老板说这个月奖金全扣，当场走了三个人
# …都不敢干了 / 现在人手不够 / 都嫌工资低: why they left.
_LEFT_WHY_RE = re.compile(r"剩下的|不敢干|不干了|不想干|辞职|离职|辞工|人手|招人|招工|工资|跳槽|嫌|搬|回老家|转学|另谋|改签|回去|返程|退团|提前")
_ATE_RE = re.compile(r"上吐下泻|腹泻|呕吐|拉肚子|闹肚子|吃坏|食堂|吃了|晚饭|午饭|早餐|酒席|婚宴|中毒")
_NOT_LOST_PEOPLE_RE = re.compile(rf"{_NOT_A_PERSON_RE.pattern}|客户|订单|单子|粉丝|手指|指头|牙|灯|保险杠|轮胎|钱|工作|直播|服务器")
# 打排位 s了仨: a game's kills and deaths.
_GAME_RE = re.compile(r"这局|一波|投了|排位|王者|吃鸡|游戏|开黑|队友|人头|副本|团战|上分|段位|boss|五杀|打野|英雄联盟|原神|lol")
# 里头埋了五六个人 needs a collapse (not 祖坟那里埋了仨老人 / 烈士陵园埋了三百多名战士, a burial)
_BURIED_BY_RE = re.compile(r"塌|垮|坍|滑坡|泥石流|冒顶|透水|地震|废墟|山体|雪崩|矿难|土方|沟槽|基坑|井下|矿井")
_GRAVE_RE = re.compile(r"坟|墓|陵|葬|出殡|骨灰|烈士|病死|老死|寿终")
_KEYWORDS: tuple[tuple[FigureKind, str], ...] = (
    # 损失 alone only ever takes an amount of money (see _left_ok): 损失四五百万, 损失超2亿元.
    (FigureKind.economic_loss, r"(?:直接)?经济损失|财产损失|损失"),
    (FigureKind.seriously_injured, r"(?:重症|危重|重)伤(?:员|者)|重伤|危重|伤势严重|伤情严重|伤势较重|重症|病危"),
    # 5例因基础疾病叠加感染死亡 / 死亡病例已有5例: the death, not the case word, takes the count.
    # 机上132人无一生还: nobody survived, so the count is the dead (not 132 rescued).
    (FigureKind.deaths, rf"{_NONE_SURVIVED}|{_NEVER_AGAIN}|{_DID_NOT_SURVIVE}|{_NOT_SAVED}|(?:感染|中毒|窒息|中暑)(?:死亡|身亡)|死亡病例"
                        r"|(?:遇难|罹难|死难)者|死亡(?!证明|医学证明|率)|遇难|罹难|身亡|丧生|殒命|不治|遇害|溺亡|坠亡|丧命|死者|亡故"
                        r"|去世|离世|过世|逝世|病逝|身故|猝死|牺牲|杀害|杀了"
                        # 当场就没了 / 当场就不行了 / 人…没气了 / 過身咗 (Cantonese): a death said without a word for it
                        rf"|{_SPOKEN_DEATH}"
                        r"|(?<=无效)(?:走了|没了)"  # 4个孩子抢救无效走了
                        # 遗体29具 / 找到4名学生遗体; not 遗体捐献 (a donor count).
                        r"|(?<!捐献)(?<!捐赠)(?:遗体|尸体|遗骸)(?!捐)"
                        r"|[烧砸撞淹压炸电砍捅杀刺勒冻饿摔轧碾熏呛踩毒]死(?!亡)"  # 爆炸死亡人数: 死亡 is the word
                        # 死了151个人, 3个人死了; not the hyperbole of 吓死了 / 笑死了 / 热死了.
                        rf"|(?<![{_HYPERBOLE}])死(?:了|掉了?)"
                        # 走了四个 / 一共走了三个人 / s了仨 (死了 spelt to slip a filter): only with a count right
                        # after it, and 走了 only beside an accident (not 店里走了三个人, staff who quit)
                        rf"|(?<![a-z])s了(?={_COUNT_AHEAD})|(?<![拿带搬撤开赶拉送接抬救运抢偷卷冲刮吹叫领牵拖扛背跑溜飞逃放院班职])走了(?={_COUNT_AHEAD}[^,.;:!?。，；：！？\s]{{0,3}}?(?:[0-9一二三四五六七八九十]{{1,2}}岁的?)?"
                        r"(?:老人|孩子|小孩|工人|村民|乡亲|兄弟|学生|娃)?(?:$|[^\u4e00-\u9fff]))"
                        # 听说没了仨 / 没了三十多个 都是附近的工人: 没了 with a count of people right after it, beside an
                        # accident (guarded as 走了 is; not 工资没了三个月)
                        r"|没了(?=[0-9一二两三四五六七八九十几仨俩]{1,3}(?:多|余|来)?(?:个人|个|人|名|位)?"
                        r"(?:老人|孩子|小孩|工人|村民|乡亲|兄弟|学生|娃)?(?:$|[^\u4e00-\u9fff]))"
                        r"|夺(?:去|走)(?=[^,.;:!?。，；：！？]{0,12}(?:生命|性命))"),
    # 还有10人没找到 / 8个人没联系上; not 没找到工作.
    # 找到最后1名失联人员遗体: found dead, already in the toll, no longer missing.
    # 还有1个人在找 / 还有2人在搜寻: still sought after a count of people
    (FigureKind.missing, r"(?<=[人个名位])在(?:找|寻找|搜寻)(?=$|[^\u4e00-\u9fff]|中)|(?:被(?:洪水|大水|急流|水流|洪流|山洪|河水|江水|海浪|巨浪|水)?)?冲走|被?卷(?:进|入)(?:洪水|河里|江里|水里|激流|漩涡)|(?:失联|失踪)(?!(?:人员|者|矿工|群众)?的?(?:遗体|尸体|遗骸))|下落不明|没联系上|联系不上|失去联系"
                         r"|(?:没|未)能?找(?:到|着|见)(?:人)?(?![\u4e00-\u9fff])|(?:没|未)能?找到(?=的)"
                         # 少说有四十来口人找不到 / 搵唔到人 (not 找不到工作)
                         r"|(?:找不到|搵唔到)(?:人)?(?=$|[^\u4e00-\u9fff]|了)|(?:没|未)见(?:着|到)人"),
    # 5人仍在搜救中: still trapped (see _STILL_RE).
    # 还有9个人埋在下面: still under the rubble.
    # 里面还埋着二三十个人 / 埋住了十几个人: buried, the count after the verb (not 埋了, a burial).
    (FigureKind.trapped, rf"被困(?!难)|被埋|被掩埋|埋着|埋住了?|(?<![掩活])埋了(?={_COUNT_AHEAD})|(?<=[还仍都])压着|被压(?:着|住)了?(?=$|[^\u4e00-\u9fff0-9]|在|于|动不了|出不来)|受困|困着|(?:仍|还)在(?:搜救|搜寻)|正在(?:全力)?(?:搜救|搜寻)(?=中)"  # not 衣被困难
                         r"|[埋压]在(?:下面|底下|里面|里头|废墟|瓦砾|土里|泥里)"
                         # 自建房塌了 听说压了四个人在里面: the count after the verb, beside a collapse (as 埋了)
                         rf"|(?<![欺施])压了(?={_COUNT_AHEAD}[^,.;:!?。，；：！？\s]{{0,3}}?人(?!的))"  # (not 压了三十几个人的工资)
                         # 小煤窑塌了，埋了四个人: buried by the collapse (a bare 埋了 is a burial)
                         r"|(?:塌|垮|塌方|滑坡|泥石流)了?[,，]?(?:下面|里面|底下)?(?:还)?埋了"),
    # 搜救出9名遇难者 / 救出2具遗体: what was brought out is the dead, not people rescued.
    (FigureKind.rescued, rf"(?:获救(?![助济])|被救出|救出|被救上来|救上来|生还|脱险|脱困|(?:安全|成功)升井){_NOT_BODIES}"),
    # 死伤/伤亡 20余人 lumps the dead with the injured: the only safe reading is "injured".
    # 持刀将两名商贩砍伤 / 撞伤3名行人: a verb of harm with 伤 (not 烧伤科, 烫伤膏).
    (FigureKind.injured, r"受伤|轻伤|伤者|负伤|伤员|擦伤|轻微伤|死伤|伤亡|[烧砸撞砍捅刺咬烫炸打扎划踩轧碾灼]伤(?![科膏药口病])"),
    # 23名跑者因中暑被送往医院 / 14个中暑晕倒的; 累计接诊相关患者126人 (接诊/收治 only with a symptom told: _keywords)
    (FigureKind.sickened, r"血铅超标|中毒|中暑|热射病|(?<=开始)吐(?:了)?(?=$|[^\u4e00-\u9fff])|(?:接诊|收治)(?=(?:相关)?(?:患者|病人|病例))|症状|不适|(?<!得)(?<!得很)(?<!里)(?<!里很)(?<!心里都)不舒服|腹泻|拉肚子|上吐下泻|呕吐|发病|感染|病例|确诊|就医|送医|送院|就诊"
                          r"|入院|住院|发热|发烧|头晕|胸闷"  # not 恶心, disgust as often as nausea
                          r"|挂水|打点滴|打吊针"  # 有23个人去园区医院挂水了 (after 上吐下泻)
                          # 已经有106个老人去医院了 (after 上吐下泻, like 挂水); 查出9个肺结核
                          r"|(?<=[个名人])(?:去|送|进|到)了?(?:[镇县市区乡校][\u4e00-\u9fff]{0,2}?)?(?:医院|卫生院|校医院)(?![^,.;:!?。，；：！？]{0,4}(?:值班|上班|帮厨|食堂|看望|探望|体检|打针|接种|检查|复查))"
                          r"|(?<=个)(?:肺结核|结核|水痘|甲流|诺如|手足口|猩红热|腮腺炎)(?=(?:病例|患者)?(?:了|$|[,.;:!?。，；：！？\s…]))"
                          # 麻疹病例…累计报告7例: the cases reported (not 报告3例死亡, the deaths)
                          # (nor 检测报告120例均为阴性 / CT报告3000例: reports of tests)
                          r"|(?<!ct)(?<!检测)(?<!检验)(?<!检查)报告(?=(?:达|为|了)?[0-9一二两三四五六七八九十百千余多]{1,8}例(?!死亡|重症|危重))"
                          # 肺结核…总共6例了: a tally of cases where the post is about a disease
                          # (not 死亡病例已有5例: the keyword before names them)
                          r"|(?<!病例)(?<!死亡)(?<!重症)(?<!危重)(?:总共|一共|共计|累计|已有|共有)"
                          # (not 筛查共计1500例，结果均为阴性 / 累计30例康复返园)
                          r"(?=[0-9一二两三四五六七八九十百千余多]{1,8}例(?!死亡|重症|危重)"
                          r"(?![^。;\n]{0,20}?(?:阴性|康复|正常|未发现|未见异常|无新增|接种)))"),
    (FigureKind.evacuated, r"(?:紧急)?(?:转移安置|转移|疏散|撤离|安置|撤了|撤出)(?:受灾)?"),
    (FigureKind.affected, r"受灾"),
)  # fmt: skip
_KEYWORD_RE = re.compile("|".join(f"(?P<k{i}>{p})" for i, (_, p) in enumerate(_KEYWORDS)))
# These words mean "sickened" only where the post is about food or disease; 送医 after a
# crash is an injury, already counted by 受伤.
# 病例 names a case of illness wherever it stands.
# 失踪的7个人里…6具遗体，还有1个人在找: the remainder of a toll still sought
_SOUGHT_CONTEXT_RE = re.compile(r"遇难|遗体|尸体|失踪|失联|落水|打捞|冲走|被埋|翻船|沉船|下落不明")
_REMAINDER_BEFORE_RE = re.compile(r"(?:还有|仍有|尚有|剩下|剩余|其余)[^,.;:!?。，；：！？]{0,6}$")
_SEASONAL_WORDS = frozenset(("中暑", "热射病", "接诊", "收治"))
_PERIOD_BEFORE_RE = re.compile(r"本周|上周|本月|上月|今年|今夏|入夏以来|入伏以来|近一周|近期|近日来|每年|全年|同期")
# …and heatstroke told as a season's or a past year's (这几天…收治中暑患者61例 / 去年夏天我们厂有5个工人中暑)
_HEAT_PERIOD_RE = re.compile(rf"{_PERIOD_BEFORE_RE.pattern}|这几天|近几天|连日来|截至|累计|去年|前年|往年|每到夏天|夏天以来")
_NEEDS_CONTEXT = frozenset(("不舒服", "发病", "感染", "确诊", "就医", "送医", "送院", "就诊", "入院", "住院", "发热", "发烧", "报告",
                            "头晕", "胸闷", "挂水", "打点滴", "打吊针", "总共", "一共", "共计", "累计", "已有", "共有", "接诊", "收治", "吐", "吐了"))
_CONTEXT_RE = re.compile(
    r"食物|食品|食源性|饭|餐|食堂|进食|外卖|饮用|饮水|中毒|症状|腹泻|呕吐|疫情|病毒|传染|流感|诺如"
    r"|肺炎|新冠|霍乱|鼠疫|结核|手足口|水痘|麻疹|病例|疫苗|疾控|疾病|胶囊|保健品|药品|吃了[^,.;:!?。，；：！？]{0,6}药"
    r"|甲流|乙流|猩红热|腮腺炎|红眼病|登革热|支原体|禽流感|狂犬|闹肚子|拉肚子|吃坏|酒席|婚宴"
)
# 3名环卫工人…死亡 / 6名初中生在…中丧生 / 一名72岁患者…死亡: who they were sits between the
# count and the keyword; it belongs to the count, so the clause gap to the keyword stays short.
_PERSON_WORDS = (
    "工人|工|矿工|民工|学生|中学生|小学生|初中生|高中生|大学生|生|师生|儿童|孩子|小孩|婴儿|幼儿"
    "|村民|居民|群众|游客|乘客|旅客|司机|老人|大人|成人|成年人|女性|男性|男子|女子|妇女|员工|职工|人员"
    "|队员|战士|兄弟|姐妹|同胞|工友|师傅|伙计|娃娃|娃|后生"
    "|消防员|指战员|患者|病人|食客|顾客|家属|女孩|男孩|同事|同学|宾客|客人|住户|市民|路人|行人|渔民|船员|教师|老师|护士|医生|农民"
    "|老太太|老太|老大爷|大爷|大妈|老汉|阿姨|长者|老年人|邻居|街坊|乡亲|业主|租客|店主|保安|骑手|外卖员|快递员"
)
_PERSON_RE = re.compile(
    r"(?:[0-9]{1,3}(?:周)?岁(?:的)?)?"
    rf"[^0-9,.;:!?。，；：！？、\s和与及]{{0,4}}?(?:{_PERSON_WORDS})"
)
# What may follow 个 straight away when 个 counts people: a keyword, or 没/再也 of a loss.
_AFTER_GE = (
    "遇难|死亡|身亡|罹难|丧生|死了|死掉|受伤|重伤|轻伤|失联|失踪|下落不明|被困|中毒|感染|确诊|获救|一个都没|没|未|再也"
    "|拉肚子|上吐下泻|呕吐(?![袋物桶盆])|腹泻|中暑|开始(?:上吐下泻|呕吐|吐|拉肚子|腹泻)"  # 我们三个都开始吐
    "|(?:已经|已)?(?:找到|发现|打捞出?|捞出|捞上来)(?:了)?(?:遗体|尸体|遗骸)"  # 7个已经找到遗体
    # 一个被水冲走 / 一个被冲走的孩子; not 一个被水冲走的冰箱
    rf"|被(?:水|洪水|大水|河水|山洪|急流)?冲走(?!的(?!人|{_PERSON_WORDS}|[,.;:!?。，；：！？\s]|$))"
)
# 一个拉肚子的都没有 / 一个受伤的也没有: none of them.
_NONE_OF_RE = r"(?![^,.;:!?。，；：！？]{0,6}?的(?:都|也)没有?(?:[,.;:!?。，；：！？\s]|$))"
_MW_RE = re.compile(
    r"个人|人次|人|名|位|例|口人|口|具|号人"  # 三十多号人: a crowd counted the spoken way; 三口人全没了
    r"|个(?:孩子|小孩|儿童|学生|小学生|中学生|工人|村民|老人|乘客|游客|矿工|男孩|女孩|小伙子?|年轻人|男子|女子"
    r"|兄弟|姐妹|同胞|工友|娃娃|娃)"
    r"|个(?=$|[,.;:!?。，；：！？\n…\u2600-\u27bf\U0001f300-\U0001faff]|\s+(?:还有|另外|另|其中|都|全|目前|现在|已经|已|送|受伤|重伤|失联|失踪|被困|盖着|盖上|[0-9一二两三四五六七八九十几]|$))"  # 死了两个。 / 死了十一个…… / 死了11个 还有好几个送医 / 没了五个 二十几个受伤
    # 找到1个已经不行了: found dead (_lost)
    r"|个(?=(?:都|也)?已经不行了)"
    # 查出9个肺结核 / 又确诊了3个水痘: cases named by their disease (a sickened keyword follows)
    r"|个(?=(?:肺结核|结核|水痘|甲流|诺如|手足口|猩红热|腮腺炎)(?:病例|患者)?(?:了|$|[,.;:!?。，；：！？\s…]))"
    # 还有7个在下面 / 还有11个在下头: still down below (_lost decides, beside a mine or a slide)
    r"|个(?=(?:还|仍|都)?(?:在|困在|埋在)(?:下面|底下|下头|井下|井底|里面|里头|废墟))"
    # 二十八个遇难 / 六十多个重伤 / 十八个没回来: the keyword or the loss follows 个 at once.
    # (not 5只小鸭子…三个已经死了 / 应急灯就剩三个…三个已经没了: 已经 after a bare 个 counts things as often)
    rf"|个(?=(?:都|全|也|还|仍|就|至今|仍然|依然|当场|到现在(?:也|都|还)?)?(?:{_AFTER_GE})){_NONE_OF_RE}"  # 一个当场死了
    # 十二个女工 / 一个独居老人: a person word after 个; not 3个乡镇群众 (places, not people)
    rf"|个(?=[^0-9,.;:!?。，；：！？、\s和与及村乡镇县市区省户家校园厂企班组]{{0,2}}?(?:{_PERSON_WORDS}))"
    # 一百多个吃席的人 / 二十几个喝了井水的人: a short description, then 的人
    r"|个(?!多?(?:月|小时|钟头|星期|礼拜|晚上))(?=[^0-9,.;:!?。，；：！？、\s村乡镇县市区省户家校园厂企班组]{1,5}?的人(?![参工造]))"
    # 县医院说收治了13个氯气中毒的: the keyword and 的 end the clause
    # (not 还有3个村失联的 / 2个工程队失联的: places and teams)
    r"|个(?=[^0-9,.;:!?。，；：！？、\s村乡镇县市区省户家校园厂企班组队]{0,3}?(?:中毒|受伤|烧伤|重伤|轻伤|遇难|失联|被困)的(?=$|[,.;:!?。，；：！？\s]))"
    # 疏散2.3万居民: a group noun right after the number counts people
    r"|(?=居民|村民|群众|师生|游客|乘客|旅客|灾民)"
)
_SPOKEN_COUNTS = frozenset(("仨", "俩"))
# 死了仨 / 他俩都受伤了 / 俩重伤 / 仨孩子 / 娘仨: 仨/俩 count people at a clause's end, before a keyword or a person
# word, or after a pronoun or kin word (not 俩月 / 俩小时 / 仨月工资 / 俩钱 / 埋了俩狗 / 咱俩的事).
_SPOKEN_AFTER_RE = re.compile(
    rf"$|[^\u4e00-\u9fff0-9]|(?:都|全|也|还|均|一起|当场)?(?:{_AFTER_GE})|(?:{_PERSON_WORDS})")
_SPOKEN_OWNER_RE = re.compile(r"[他她咱我你们哥姐弟妹娘爷儿女兄]$")
# 老奶奶没救过来 / 年轻人没挺过来: a person named right before 没救过来, for care told after it
_CARED_PERSON_RE = re.compile(
    rf"(?:{_PERSON_WORDS}|年轻人|小伙|姑娘|伤者|伤员|奶奶|爷爷|姥姥|姥爷|外婆|外公|爸|妈|父亲|母亲|儿子|女儿|丈夫|妻子"
    r"|老婆|老公|哥|姐|弟|妹|叔|婶|舅|姨|伯|那人|这人|男的|女的)[^,.;:!?。，；：！？\s]{0,4}$")
# 十一条人命 / 没了两条命: lives lost, a death count with no keyword. 条命 alone needs a loss
# verb before it (捡回一条命, 猫有九条命 are not deaths); 条人命 needs no rescue verb before it.
_LIVES_RE = re.compile(r"条(?:人命|生命|性命|命)")
# 莫为一口鲜，丢了一条命 / 千万别为了省事丢了性命: a warning's proverb, not a loss.
# (not 莫名其妙丢了一条命 / 特别惨，丢了两条人命 / 不小心丢了一条命; and only a loss said as such: 别看了，三条人命啊
# and 大家别围观了，十一条人命 are the dead)
_WARNED_RE = re.compile(r"(?:(?<!约)莫(?!名|非)|(?<![特区告分离类识性级辨鉴差派])别|不要|勿|切莫|千万别|免得|以免|(?<![不没])小心)"
                        r"[^。!?;\n]{0,10}$")
# 自建房坍塌…5条命啊！: lives cried over beside an accident (not 猫有九条命啊)
_LIVES_CRIED_RE = re.compile(r"(?:啊|呀|哪|呐)?[!！]|啊|呐")
_SAVED_RE = re.compile(r"(?:救|保|捡|拣|留|饶|挽回|抢回|夺回|换回|珍惜|珍爱|每)[^,.;:!?。，；：！？]{0,3}$")
_LOST_RE = re.compile(
    r"(?:没|丢|送|搭|赔|葬送|夺|害|出|闹出|背负|背|少|失去|断送|吞噬|带走|丧失|逝去|消逝)[了上掉去走]{0,2}$"
)
_COMPACT = {"死": FigureKind.deaths, "亡": FigureKind.deaths, "伤": FigureKind.injured}
# 4个人就这么没了 / 三个人就这样没了。: 没了 closing the clause right after a count of people is a
# death (not 3个人没了工作, not 钱没了: an object or another subject breaks the pattern).
_NO_LONGER_RE = re.compile(r"(?:都|也)?已经不行了")
# 吃完饭…上吐下泻…106个老人去医院了: the sickness told, not only a meal (not 晚饭吃完，老公一个人去医院值夜班了)
_NOT_SICK_VISIT_RE = re.compile(r"看望|探望|体检|办住院|陪|值班|上班|排了?(?:一上午|半天)?队")
_SICK_TOLD_RE = re.compile(r"上吐下泻|腹泻|呕吐|吐了|拉肚子|肚子疼|肚痛|肚屙|中毒|不舒服|发烧|发热|头晕")
# 矿下头冒水了…仨后生到这会儿还没上来 / 游泳的仨娃到现在还没上来 (not 矿井里今天加班，仨兄弟到这会儿还没上来)
_NOT_BACK_YET_RE = re.compile(r"透水|冒水|冒顶|塌|事故|出事|被困|被埋|埋了|滑坡|泥石流|山洪|洪水|发大水|冲走|落水|溺水|淹|游泳|下水|掉进|掉下")
_DISASTER_RE = re.compile(r"泥石流|山洪|洪水|发大水|滑坡|塌方|地震|台风|冲走|被埋|雪崩")
# 已经有4个人走了 / 三个人都走了: 走了 closing the clause after a count, beside an accident or a poisoning
# (not 店里走了三个人 or 3个人走了，剩下的继续干: _lost's callers check the clause ends here).
_GONE_FOR_GOOD_RE = re.compile(r"(?:都|全|全都|已经|就|就这么|就这样){0,2}走了(?=$|[啊呀呢吧哇…😭]|[,.;:!?。，；：！？\s])"
                               r"(?![^。！？!?\n]{0,10}(?:剩|其他人|继续|上班|下班|干活|回来|回家|店里|人手|散了|留|下车|步行|去坐|打车|坐车|离开|出院))")
# …and a loss told in the post: someone not saved, a poisoning, grief (not 追尾事故不严重，三个人都走了，留我等保险)
_LOSS_TOLD_RE = re.compile(r"没救|抢救|中毒|遇难|身亡|死亡|遗体|没气|不行了|冲走|被埋|节哀|白事|葬|🕯|蜡烛|哭|心痛|难受")
# 山洪…我们村没了两个老人😭 (not 台风天，棋牌室里就没了两个老人，凑不齐一桌麻将): a disaster's dead are grieved
_GRIEF_RE = re.compile(_LOSS_TOLD_RE.pattern + r"|😭|泪|走好|安息|没找到")
# 两百多个孩子中毒，还走了一个七岁的娃: a poisoning's dead
_POISONING_RE = re.compile(r"中毒|上吐下泻|毒蘑菇|野生菌|菌子|疫情")
_GONE_RE = re.compile(
    r"(?:就这么|就这样|一下子|一夜之间|全都|全部|当场|瞬间|都|全|就|已经|已|确认|确定|证实){0,2}没(?:得)?了"  # 三个人都没得了 (西南官话)  # 当场就没了 / 已经没了
    r"(?=$|[啊呀呢吧哇]|[^\u4e00-\u9fff0-9a-z])"
)
# 十八个没回来 / 三十几个兄弟一个都没上来 / 十二个女工没逃出来 / 十四个兄弟没能回家: people who did
# not come back. 没逃出来 / 没救过来 is a death; 没回来 / 没上来 leaves them unaccounted for, which the
# scales count with the dead (missing). Only where it closes the clause: 3个人没回来上班 is not.
_NOT_BACK_RE = re.compile(
    # 仨后生到这会儿还没上来: not back yet (_lost asks for an accident, a flood or a swim in the post)
    r"(?:[,，]?(?:一个|一人|一名))?(?P<yet>(?:到(?:这会儿|这会|现在|目前)|至今)?(?:还|仍)(?=没|未))?(?:都|也|全|全都|就|就再也|再也)?"
    r"(?:(?:没(?:能|有)?|未能|未)(?:(?P<dead>逃出来|跑出来|逃出|救出来|救上来|救回来|救过来|抢救过来|抢救回来|挺过来|挺过去|醒过来|醒来)"
    r"|回来|上来|回家|出来|撤出来|出到嚟|出嚟)|再也回不(?:了家|来))"  # 出到嚟: Cantonese 出来
    r"(?=$|[啊呀呢吧哇了]|[^\u4e00-\u9fff0-9a-z])"
)
# 抬出来四具。 / 挖出四具遗体: 具 counts bodies where nothing but a body word or the clause's end follows
# (not 两具棺材, 具有), after a verb of recovery.
_BODIES_RE = re.compile(r"(?=$|[^\u4e00-\u9fff0-9a-z]|遗体|尸体|遗骸|尸首|[男女]尸)")
# 抬出来四具 / 又挖出两具: bodies recovered (not 火化了三百多具, a crematorium's month).
_RECOVERED_RE = re.compile(r"(?:抬|拉|挖|捞|搜|找|发现|运|背|刨)(?:出|到|上|回)?(?:来|了)?(?:了)?$")
_NO_ONE_RE = re.compile(r"(?:无|没有|没|未有)$")
_DESCRIBED_PEOPLE_RE = re.compile(r"[^0-9,.;:!?。，；：！？、\s村乡镇县市区省户家校园厂企班组]{1,5}?的人(?![参工造])")
# 抬出来三个 盖着布 都没了: those carried out, covered or said gone just after (not 8个失踪的人找到5个了，都没了:
# found, of the missing already counted)
_CARRIED_OUT_DEAD_RE = re.compile(r"[^。！？!?\n]{0,8}?(?:(?:都没了|全没了|都走了)(?![\u4e00-\u9fff])|盖着白?布|盖上了?白?布|都没得?气了|都死了)")
# 救出4个兄弟，还有7个在下面 / 还有11个在下头: still down below, in a mine or under a slide (_lost)
_STILL_DOWN_RE = re.compile(r"(?:还|仍|都)?(?:在|困在|埋在)(?:下面|底下|下头|井下|井底|里面|里头|废墟(?:里|下)?)"
                            r"(?=$|[,.;:!?。，；：！？\s…\u2600-\u27bf\U0001f300-\U0001faff]|没(?:出来|上来)|出不来|等(?:着)?救)")  # (not 还有3个在里面睡觉)
_BURIED_CONTEXT_RE = re.compile(r"透水|矿难|冒顶|煤矿|矿井|井下|井口|塌方|坍塌|垮塌|塌了|滑坡|泥石流|被埋|埋了|埋在|废墟|被困")
# 找到1个已经不行了 / 挖出来2个已经不行了 (not 跑完步有4个已经不行了, nor 备用的3个已经不行了: pumps)
_DUG_FOR_RE = re.compile(r"被埋|埋了|埋在|埋着|挖掘机|在挖|刨|救援|出不来|没出来")
_SAFE_AFTER_RE = re.compile(r"没事|撤离|撤出|没砸到|没人受伤|没受伤|无人受伤|放行|等交警|打牌|吃饭|😂|🤣|哈哈")
_FOUND_BEFORE_RE = re.compile(r"(?:找到|挖出来?|抬出来?|拉出来?|刨出来?|捞出来?|救出来?)了?$")
_NONE_SAVED_RE = re.compile(_NONE_SAVED)
# 大火夺33命: a headline's toll, 命 right after the count.
_HEADLINE_TOLL_RE = re.compile(r"(?:夺|夺去|夺走|致)$")
# 9死1失联: the compact form of a missing count.
_COMPACT_MISSING = ("失联", "失踪")
# 四五百万的损失 / 一个亿的火灾: an amount in 万/亿 (元 optional) before 的损失 is the loss itself.
_LOSS_AFTER_RE = re.compile(r"(?:元|人民币)?的(?:直接)?(?:经济|财产)?(?:损失|火灾|大火)")
# 两个多亿的货全烧了 / 价值3000万元的棉花被烧毁 / 烧掉了上亿元的货: goods destroyed, said by their
# value; direct economic loss is what was destroyed. Goods merely owned (存了两个亿的货) are not.
_DESTROYED = r"(?:烧|冲毁|冲走|冲垮|损毁|毁于|毁掉|毁了|报废|化为灰烬|付之一炬|全没了|都没了)"
_DESTROYED_AFTER_RE = re.compile(
    rf"(?:元|人民币)?的[\u4e00-\u9fff]{{1,6}}?(?:全|全部|都|均|基本|几乎)?(?:被|让|给)?(?:大火|洪水|火|水)?{_DESTROYED}"
)
_DESTROYED_BEFORE_RE = re.compile(rf"{_DESTROYED}(?:掉|毁|光|没)?(?:了)?(?:价值|总价值|总值)?(?:约|近|超过|超|逾|达)?$")
_YUAN_RE = re.compile(r"(?:元|人民币)?")
_FOREIGN_CURRENCY_RE = re.compile(r"(?:加|美|欧|日|港|澳|新|韩|泰|台)(?:元|币)|新台币|美金|英镑|卢布|法郎|卢比|比索|里拉")
_CLAUSE_BREAK = frozenset(',.;:!?。;:!?\n，；：！？()（）[]【】"“”')
_MAX_GAP = 12
# 312名中小学生在饮用同一批次学生奶后出现腹痛、呕吐等不适症状: what they ate sits between the count
# and the symptom; "…后出现" marks the onset, so the gap may be longer.
# 130余名村民出现流泪、咳嗽、胸痛等氨气中毒症状: 出现 alone marks the onset too.
# 共有46人先后到乡卫生院和县人民医院就诊: going for care one after another marks it too.
_ONSET_RE = re.compile(r"(?:后)?(?:陆续|相继|先后|均|都|集体)?出现|(?:陆续|相继|先后)(?:到|去|前往|被送(?:往|到)?)")
_MAX_ONSET_GAP = 24
# Words allowed between a keyword and the count after it: 死亡人数已上升至 / 受伤群众 / 遇难者增至.
# 损失就上千万了 / 損失都起碼七八百萬: before an amount in 万/亿 after 损失 these words add nothing (before a
# count of people 就 is "then": 有人受伤就3个小伙子冲上去).
# 损失初步估了1200万左右: an estimate's words too.
_MONEY_GAP_RE = re.compile(r"(?:就|都|也|起码|至少|少说|差不多|大概|估计|初步|估算|估了|将近|接近|超过|快|有|得){1,3}")
_LEFT_GAP_RE = re.compile(
    r"(?:的)?(?:相关)?(?:人数|人员|者|群众|人口|居民|村民|工人|矿工|船员|工友|学生|师生|旅客|乘客|游客|患者|病人|病例"
    r"|职工|员工|教职工|儿童|幼儿|老人|食客|宾客|市民|人|总数|数)?"  # 累计就诊职工一百二十六名
    # 被困矿工还有12人 / 失联人员尚有3人
    r"(?:(?:加起来|算下来)就?|已经|已|共|总共|累计|共计|合计|总计|目前|现|则|仍|还|尚|也){0,2}(?:经(?:核实|核查|核定|复核|调查|统计))?"
    r"(?:上升|攀升|增加|增长|上调|核减|下调|减少|修正|更正|调整|确认|核实|核定|维持|保持|更新|由|从)?"
    r"(?:升|增|降|减|涨)?(?:得)?(?:达到|至|到|为|达|了|有)?(?:了|达)?:?"
)
# Evacuation and loss phrases put more words in between: 疏散周边居民1.2万人, 经济损失初步估算达….
# 疏散周边12个村庄及县城东部群众5.6万人: a count of places on the way is not a figure.
_PLACES = (r"(?:[0-9]{1,3}|[一二两三四五六七八九十几]{1,3})个(?:村庄|村组|村|乡镇|镇|乡|社区|小区|街道)"
           r"|[0-9]{1,3}(?:\.[0-9])?(?:公里|千米|米)")  # 周边3公里范围内群众: a distance, not a count
_LOOSE_GAP_RE = re.compile(rf"(?:[^0-9,.;:!?。、\s]|{_PLACES}|(?<=[\u4e00-\u9fff])、(?=[\u4e00-\u9fff])){{0,18}}")  # 转移沿海低洼地带、危旧房屋人员12.6万人
_LOOSE_KINDS = frozenset((FigureKind.evacuated, FigureKind.affected, FigureKind.economic_loss))
_MAX_LOOSE_GAP = 18
_TALLY_AFTER_RE = re.compile(r"(?:(?!演练|演习)[^0-9,.;:!?。，；：！？、\s]){0,10}[,，](?:共计|总计|合计|累计|共)(?:约|达|有)?")
_UPDATE_RE = re.compile(r"上升|攀升|增加|增长|上调|升至|增至|升到|增到|涨到|涨至|由|从")
_CORRECTION_RE = re.compile(r"核减|下调|修正|更正|调整|核实为|核定|确认为|(?:减|降)(?:少|低)?(?:至|到|为)")
# 其余8人仍被困 / 仍有3人下落不明 / 5人仍在搜救中: those still out now, replacing the first total.
_STILL_RE = re.compile(r"仍|还|尚|依然|依旧|至今|其余|剩下|剩余")
_STILL_KINDS = frozenset((FigureKind.trapped, FigureKind.missing))
_REMAINDER_RE = re.compile(r"其余|剩下|剩余|搜救|搜寻|仍有|尚有")
# 营救被困群众47人 / 搜救出被困人员70余人 / 200名游客一度被困: trapped, and already out.
_OUT_BEFORE_RE = re.compile(r"(?:营救|救出|解救|转移|疏散|撤离|一度|曾经|曾)(?:出|了)?$")
# 被困游客已全部安全转移 / 8人均被救出 / 全部安全撤离: every trapped person got out.
_ALL_OUT_RE = re.compile(
    r"(?:全部|均已|均被|均|全都|都已|都被|都|已全部|全员|悉数)(?:已|被|安全|成功|顺利|平安){0,2}"
    # 都用冲锋舟接出来了: a boat or a rope between
    r"(?:(?P<rescue>获救|救出|脱险|脱困|升井|生还|救上来|上岸|落地|(?:用[\u4e00-\u9fff]{1,4})?[接救拉弄抬背]了?出来)|转移|撤离|疏散)"
)
# 失联的5名驴友已于今晨全部找到，身体状况良好: every missing person found alive. Found alone is not
# enough (失联的30名扑火人员已全部找到 was followed by 均已遇难): it must say they are safe.
_ALL_FOUND_RE = re.compile(
    r"(?:全部|均已|均|全都|都已|都|已全部|悉数)(?:被)?"
    r"(?:(?:安全|平安)(?:找到|寻回|获救|救出|脱险|返回|下山)|联系上"
    r"|(?:顺利)?(?:找到|寻回)(?=[^。;!?]{0,12}(?:身体状况良好|身体无碍|均无生命危险|均安全|均平安|无人受伤|生命体征平稳)))"
)
# 周边群众均已转移: a crowd moved out of harm's way is not the trapped getting out.
# (其余人员已全部疏散 / 其他学生都已安全疏散 / 该楼及相邻两栋楼均已疏散: the rest, not the trapped)
_CROWD_RE = re.compile(r"群众|居民|村民|住户|人口|师生|其余|其他|其它|剩下|剩余|该楼|楼内|相邻|周边|地面")
_TRAPPED_BEFORE_RE = re.compile(r"(?:被困|受困|被围困)(?:的)?(?:[0-9一二三四五六七八九十两]{1,3}名)?$")  # 被困的4名住户
# 后被救出 / 消防员将其救出 / 已成功脱困 / 最后是消防来才把人弄出来: them, freed; with no count of its own.
_FREED_RE = re.compile(
    r"(?:后|随后|之后|最终|已|均已|很快|及时)?(?:被[\u4e00-\u9fff]{0,4}?|将其|将他们|将她们|将他|将她|把他们|把他|把她"
    r"|[把将](?:里面的|被困的?)?人(?:都|全)?)"
    r"(?:安全|成功|顺利|平安)?(?:救出|解救出来|救了出来|救下|营救出来|救出来|[弄拉抬抱拽]了?出来)"
    r"|(?:已|均已|随后|后)(?:安全|成功|顺利)?脱困"
)
# 遗体都已抬出来了 / 把人拉出来时已经没了呼吸: what was carried out were the dead, not the trapped freed.
_DEAD_OUT_RE = re.compile(r"遗体|尸体|遗骸|遇难|罹难|没了?呼吸|没气|没有?了?生命体征|无生命体征|身亡|死亡|不幸")
_TRYING_RE = re.compile(r"想办法|设法|试图|尝试|正在|正|准备|尽快|努力|争取|要|怎么|如何|能不能|还没")
_CLAUSE_REACH = 40
# 120余人沿江搜寻|失踪人员: the search verb takes the keyword as its object, right before it (not 3名参加搜救的村民
# 被冲走 / 5名排查险情的村干部被泥石流冲走 / 4名参与救援的矿工被困: rescuers who became victims).
_STILL_HAVE_RE = re.compile(r"[仍还尚另]有$")
_SEEKERS_RE = re.compile(r"(?:搜寻|搜救|寻找|打捞|营救|救援|参与|参加|投入|出动|赶赴|排查)[^,.;:!?。，；：！？]{0,2}$")
# 物业说派的3个维修工到现在都没见到人: an appointment not kept, not the missing.
_APPOINTED_RE = re.compile(r"派|约|说好|预约|上门|来修|维修|快递|外卖|安排")
# 在各水库值守的300余名干部群众已撤出: those on duty stood down, not the evacuated.
_ON_DUTY_RE = re.compile(r"值守|值班|巡查|巡堤|驻守|执勤|救援|抢险|搜救|增援|工作组|民兵|消防|官兵|队员|工作人员")
# 还压着30多名工人三个月的工资: the count owns what is held back (not 还压着十来个人).
_OWNER_RE = re.compile(r"[^,.;:!?。，；：！？\s]{0,8}?的")
# 一名工人受伤，经抢救无效死亡: a death with no count of its own is one death, at least.
_SUBJECT_REACH = 20
# …but another person named between the count and the death is the one who died.
_ANOTHER_SUBJECT_RE = re.compile(r"该(?:名)?(?:男子|女子|男|女|人|嫌疑人|司机|工人|老人|学生)|其中一(?:人|名)")
# 载有23人的客车坠入江中，车上人员无一生还 / 车上14人，全部遇难: a toll that names no count of its own
# takes the count of people in the clause before.
_ALL_OF_THEM_RE = re.compile(
    rf"{_NONE_SURVIVED}|{_NEVER_AGAIN}|(?:全部|全员|均已|均|都已|都)(?=遇难|罹难|死亡|身亡|丧生|未能生还|没能生还|没有生还|无生命体征)"
)
_ALL_DEAD = r"(?:全部|全员|均已|均|都已|都)(?:不幸)?(?:遇难|罹难|死亡|身亡|丧生|未能生还|没能生还|没有生还|无生命体征)"
_FOUND_DEAD_RE = re.compile(rf"[^0-9。!?;\n，,]{{0,12}}[，,]?[^0-9。!?;\n，,]{{0,6}}?{_ALL_DEAD}")
# 3名初中生结伴到河边野泳，不幸溺水身亡: 不幸 likewise introduces the death of the people counted before.
_TREATMENT_FAILED_RE = re.compile(
    r"(?:(?:抢救|救治|医治|治疗)无效|(?:送医|送院|转院|就医)途中|(?<!所)不幸"
    r"|(?<![到得])当场(?:就)?(?:触电|溺水|窒息)?(?=$))[^,.;:!?。，；：！？]{0,8}$"  # 司炉工陈某当场身亡 (not 疼到当场去世: _ON_THE_SPOT)
)
def _clause_start(work: str, pos: int) -> int:
    return max(work.rfind(c, 0, pos) for c in "，,。！？!?；;\n") + 1


def _sentence_start(work: str, pos: int) -> int:
    return max(work.rfind(c, 0, pos) for c in "。！？!?；;\n") + 1


_ON_THE_SPOT = frozenset(("身亡", "死亡", "遇难", "殒命"))
# 我当场死亡 / 我直接当场去世 (said of oneself), 并未当场死亡, 可能当场死亡, 险些…: no death; 我家狗狗…当场死亡: a pet
_NOT_ON_THE_SPOT_RE = re.compile(r"(?:我|直接|简直|并未|并没有|没有|未)$|(?:可能|会|险些|差点)[^，,]{0,4}$")
_PET_RE = re.compile(r"狗|猫|宠物|仓鼠|兔子|鹦鹉")
# 由3人升至5人: the second count continues the first one's kind.
_CHAIN_RE = re.compile(
    r"(?:人|名|例)?(?:上升|攀升|增加|上调|核减|下调|修正|更正|调整)?(?:升|增|降|涨)?(?:至|到|为)"
)
_COMBINED = frozenset(("死伤", "伤亡"))
# 两名医生、一名病人死亡 / 27名指战员和3名扑火人员失联: coordinated counts share the keyword.
_COORD_RE = re.compile(rf"(?:{_PERSON_RE.pattern})?(?:、|和|及|与|以及|还有)")
_NEGATION_END = ("未", "没有", "没", "无", "未曾", "不曾")
_ZERO_RE = re.compile(
    r"(?:无|未|没有|没)(?:造成|发生|出现|有|发现|导致)?(?:任何|一)?(?:人员|人)?"
    r"(?:(?:重症|危重症?|重伤)(?:和|及|或|、))?"  # 无重症和死亡病例
    r"(?P<k>伤亡|死伤|死亡|遇难|罹难|死人|受伤|失联|失踪|中毒)"
    r"|零(?P<z>伤亡|死亡)"
)
_ZERO_KINDS: dict[str, tuple[FigureKind, ...]] = {
    **dict.fromkeys(("伤亡", "死伤"), (FigureKind.deaths, FigureKind.seriously_injured, FigureKind.injured)),
    **dict.fromkeys(("死亡", "遇难", "罹难", "死人"), (FigureKind.deaths,)),
    **dict.fromkeys(("失联", "失踪"), (FigureKind.missing,)),
    "受伤": (FigureKind.injured,),
    "中毒": (FigureKind.sickened,),
}

# 如果发生地震，可能造成上百人死亡: a condition covers its own clause and the clauses after it
# (same sentence) that state a consequence. A near miss (差点 / 险些 / 否则) covers its clause.
_HYPOTHETICAL_RE = re.compile(
    r"如果|假如|假若|假设|假使|倘若|倘使|如若|若是|(?<![主重需只想])要(?:不)?是|(?<![0-9零一二两三四五六七八九十百千多余几])万一|一旦|若发生|(?<![如假倘])若(?!干|是)"
    # 预计需转移危险区域群众约80万人: a plan's figure, not people moved
    r"|预计(?:需|将|要|还将)?(?=转移|疏散|撤离|安置)"
    r"|(?P<near>差点儿?|差一点|险些|险遭|否则|不然)"
)
# 差一点点就刹不住🙏 刚听交警说十个人没了: a near miss ends at a space or an emoji too, where a post
# written on a phone ends its sentence.
_NEAR_END_RE = re.compile(r"[\s\u2600-\u27bf\U0001f300-\U0001faff]")
_CONSEQUENCE_RE = re.compile(r"可能|会|将|就|则|恐|或|能|要|势必|必然|也许|后果|足以|难免")
_CLAUSE_END_RE = re.compile(r"[,;:!?。，；：！？\n]|(?<![0-9])\.|\.(?![0-9])")  # not the point of 7.0级 (but 砸中了.3名工人受伤)
_SENTENCE_END = frozenset(".;!?。；！？\n")


# 听说城北新村塌楼了，死了二十多个人…有没有人知道真假？: hearsay the post itself questions is not a
# toll it supports (DATA_CARD: the grade is what the post supports); its numbers are not counted.
_HEARSAY_RE = re.compile(
    r"听说|据说|听[^,.;:!?。，；：！？\s]{0,5}?说|有人说|群里说|群里都在传|群里在传|疯传|都在传|传言|传闻"
)
_DOUBT_RE = re.compile(
    r"真假|是不是真的|真的假的|是真的吗|有没有人知道|有人知道吗|有没有知道|有知道[^,.;:!?。，；：！？]{0,6}吗"
    r"|有没有知情|求证"
    # 听村里人说压死了5个人 … 回复：经县应急局核实，造成2人死亡: the check's figure replaces the hearsay
    r"|经[^,.;:!?。，；：！？]{0,14}?(?:核实|核查)"
)
_DOUBT_REACH = 80


def _questioned_hearsay(work: str) -> list[tuple[int, int]]:
    spans = []
    for m in _HEARSAY_RE.finditer(work):
        doubt = _DOUBT_RE.search(work, m.end(), m.end() + _DOUBT_REACH)
        if doubt is not None:
            spans.append((m.start(), doubt.end()))
    return spans


def _hypothetical_spans(work: str) -> SpanSet:
    ends = [m.start() for m in _CLAUSE_END_RE.finditer(work)] + [len(work)]
    spans: list[tuple[int, int]] = []
    covered = 0
    for m in _HYPOTHETICAL_RE.finditer(work):
        if m.start() < covered:
            continue  # inside the scope of an earlier condition: keeps this linear
        i = bisect.bisect_left(ends, m.end())
        end = ends[i]
        if m["near"] is not None:
            # 差点😱一家四口都被撞死 / 差点 两个娃都掉进河里: a space or an emoji right after 差点 ends nothing;
            # it ends a near miss that has told what nearly happened (差一点点就刹不住🙏).
            told = m.end()
            while told < end and (_NEAR_END_RE.match(work, told) or work[told] in "就点儿"):
                told += 1
            if (gap := _NEAR_END_RE.search(work, told, end)) is not None and gap.start() - told >= 2:
                end = gap.start()
        while m["near"] is None and end < len(work) and work[end] not in _SENTENCE_END:
            nxt = ends[i + 1]
            if _CONSEQUENCE_RE.search(work, end + 1, nxt) is None:
                break
            i, end = i + 1, nxt
        spans.append((m.start(), end))
        covered = end
    return SpanSet(spans + _questioned_hearsay(work))


@dataclass(slots=True)
class _Keyword:
    start: int
    end: int
    kind: FigureKind
    used: bool = False


@dataclass(slots=True)
class _Mention:
    num: ParsedNumber
    end: int  # after the measure word / 元 / trailing qualifier
    shape: str  # "count", "money", "compact", "bare"
    compact_kind: FigureKind | None = None


def _keywords(work: str, zero_spans: SpanSet) -> list[_Keyword]:
    context = _CONTEXT_RE.search(work) is not None
    out: list[_Keyword] = []
    for m in _KEYWORD_RE.finditer(work):
        kind = _KEYWORDS[int((m.lastgroup or "k0")[1:])][0]
        if kind is FigureKind.sickened and m.group() in _NEEDS_CONTEXT and not context:
            continue
        if m.group().startswith("在") and kind is FigureKind.missing and (
                _SOUGHT_CONTEXT_RE.search(work) is None or _REMAINDER_BEFORE_RE.search(work, max(0, m.start() - 12), m.start()) is None):
            continue  # 吃饭的地儿还没定，我们4个人在找 / 来了二十多个人在找: not the remainder of a toll
        if m.group() in _SEASONAL_WORDS and (_HEAT_PERIOD_RE if m.group() in ("中暑", "热射病") else _PERIOD_BEFORE_RE).search(
                work, _sentence_start(work, m.start()), m.start()):
            continue  # 本周共收治中暑患者61例: a period's tally of a season's illness, no incident
        if m.group() in ("接诊", "收治") and _SICK_TOLD_RE.search(work) is None:
            continue  # 医院全年接诊患者3万人: a hospital's statistics, no one taken ill
        if m.group() in ("挂水", "打点滴", "打吊针") and _ATE_RE.search(work) is None:
            continue  # 这次流感全家5口人都去挂水了: an illness, not a poisoning
        if m.group().endswith("医院") and (_ATE_RE.search(work) is None or _SICK_TOLD_RE.search(work) is None
                                         or _NOT_SICK_VISIT_RE.search(work, m.end(), _sentence_end_at(work, m.end()))):
            continue  # 晚饭吃完，老公一个人去医院值夜班了: a meal and a hospital, no one sick
        if m.group() in ("走了", "没了") and not work.endswith(("无效", "人已经", "人还是"), 0, m.start()) and (  # 抢救无效走了 is a death
            (_ACCIDENT_RE.search(work) is None and _POISONING_RE.search(work) is None
             and not (_DISASTER_RE.search(work) and _GRIEF_RE.search(work)))
            or _LEFT_SUBJECT_RE.search(work, max(0, m.start() - 16), m.start()) is not None
            or _LEFT_WHY_RE.search(work, m.end(), m.end() + 16) is not None
        ):
            continue  # 店里走了三个人 / 员工走了三个 / 走了三个，现在人手不够: people who left
        if m.group() == "没了" and (_GAME_RE.search(work) is not None or _NOT_LOST_PEOPLE_RE.search(
                work, max(0, m.start() - 12), m.start()) is not None):
            continue  # 大客户也没了三个 / 一波没了仨 / 手指头没了俩 / 养的猫没了俩: things, games, body parts, pets
        if (spoken := _SPOKEN_DEATH_RE.match(work, m.start())) is not None and not _spoken_said_of_death(work, spoken):
            continue  # 宿舍4个人看完当场就不行了，笑到打滚
        if m.group() == "s了" and _GAME_RE.search(work) is not None:
            continue  # 打排位 s了仨
        if m.group() in ("埋了", "压了") and (_BURIED_BY_RE.search(work) is None or _GRAVE_RE.search(work) is not None):
            continue  # 祖坟那里埋了仨老人: a burial
        if m.start() in zero_spans:
            continue  # the 死亡 of 未造成人员死亡
        if kind is FigureKind.trapped and _OUT_BEFORE_RE.search(work, max(0, m.start() - 4), m.start()):
            kind = FigureKind.rescued
        out.append(_Keyword(m.start(), m.end(), kind))
    return out


# 一对小夫妻都没了 / 夫妻俩双双遇难 / 两口子都没跑出来: a couple is a count of two with no numeral of its own
# (老两口 and 夫妻二人 carry theirs).
_COUPLE_RE = re.compile(r"一对(?:小|老|年轻|中年)?夫(?:妻|妇)|夫妻俩|两口子")


def _couples(work: str) -> list[_Mention]:
    out = []
    for m in _COUPLE_RE.finditer(work):
        num = ParsedNumber(2.0, start=m.start(), end=m.end(), text=m.group())
        lost = _lost(work, m.end(), m.start())
        out.append(_Mention(num, lost[1], "compact", lost[0]) if lost else _Mention(num, m.end(), "count"))
    return out


def _mentions(work: str) -> list[_Mention]:
    found = _numbered_mentions(work)
    couples = _couples(work)
    if not couples:
        return found
    # the 一 of 一对 and the 两口 of 两口子 are the couple's
    found = [m for m in found if not any(m.num.start < c.num.end and c.num.start < m.num.end for c in couples)]
    return sorted(found + couples, key=lambda m: m.num.start)


def _numbered_mentions(work: str) -> list[_Mention]:
    out: list[_Mention] = []
    consumed = 0  # the 一个 of 三十几个兄弟一个都没上来 belongs to the toll before it
    for num in find_numbers(work, folded=True):
        if num.start < consumed:
            continue
        if num.value == 1 and _NO_ONE_RE.search(work, max(0, num.start - 2), num.start):
            continue  # 无一人冻死 / 没有一人死亡: nobody, not one
        if num.value == 1 and _NONE_SAVED_RE.match(work, num.start):
            continue  # 六个工人…一个都没救过来: not a single one saved (a deaths keyword), not a count of one
        end = num.end
        nxt = work[end : end + 1]
        if _in_wan(work, num) or nxt == "元":
            loss = _LOSS_AFTER_RE.match(work, end) or _destroyed(work, num)
            if loss is not None:
                out.append(_Mention(num, loss.end(), "compact", FigureKind.economic_loss))
                continue
        if nxt == "元" or work.startswith("人民币", end):
            out.append(_Mention(num, end + (1 if nxt == "元" else 3), "money"))
            continue
        compact = _compact(work, num)
        if compact is not None:
            out.append(_Mention(num, compact[1], "compact", compact[0]))
            continue
        lives = _LIVES_RE.match(work, end)
        if lives is not None:
            before = work[max(0, num.start - 6) : num.start]
            warned = (_LOST_RE.search(before) is not None  # 莫为一口鲜，丢了一条命
                      and _WARNED_RE.search(work, max(0, num.start - 12), num.start) is not None)
            cried = (_LIVES_CRIED_RE.match(work, lives.end()) is not None and _SAVED_RE.search(before) is None
                     and _GAME_RE.search(work) is None
                     and (_ACCIDENT_RE.search(work) is not None or _DISASTER_RE.search(work) is not None))
            if not warned and ((lives.group() == "条人命" and _SAVED_RE.search(before) is None) or _LOST_RE.search(before)
                               or cried):
                out.append(_Mention(num, lives.end(), "compact", FigureKind.deaths))
            else:
                out.append(_Mention(num, end, "bare"))
            continue
        mw = _MW_RE.match(work, end + 1 if work.startswith(" ", end) else end)  # 30 人
        if mw is None and work[num.start : num.end] in _SPOKEN_COUNTS and (
            _SPOKEN_AFTER_RE.match(work, end) is not None
            or (_SPOKEN_OWNER_RE.search(work, max(0, num.start - 1), num.start) is not None
                and not work.startswith("的", end))
        ):
            # 仨后生到这会儿还没上来: the person word, then what became of them
            person = _PERSON_RE.match(work, end)
            lost = _lost(work, person.end() if person is not None and _KEYWORD_RE.search(person.group()) is None else end,
                         num.start)
            if lost is not None:
                out.append(_Mention(num, lost[1], "compact", lost[0]))
                consumed = lost[1]
                continue
            out.append(_Mention(num, end, "count"))  # 死了仨: 仨 is 三个, its measure word included
            continue
        if mw is None:
            out.append(_Mention(num, end, "bare"))
            continue
        if mw.group() == "个" and _things_counted(work, num.start, mw.end()):
            out.append(_Mention(num, num.end, "bare"))
            continue
        end = mw.end()
        tr = TRAILING_RE.match(work, end)
        if tr is not None:
            num = num.with_qualifier(trailing_qualifier(tr.group()), tr.end(), "")
            end = tr.end()
        person = _PERSON_RE.match(work, end)
        if (
            person is not None
            and mw.group() in ("名", "位", "个")
            and _KEYWORD_RE.search(work[end : person.end()]) is None  # 8名被困矿工: 被困 is the keyword
        ):
            end = person.end()
        elif (mw.group() == "个" and (described := _DESCRIBED_PEOPLE_RE.match(work, end)) is not None
              and _KEYWORD_RE.search(described.group()) is None):  # (not 8个失踪的人: 失踪 is the keyword)
            end = described.end()  # 三个等末班车的人当场就没了: the people, then what became of them
        recovered = _RECOVERED_RE.search(work, max(0, num.start - 5), num.start)
        if mw.group() == "具" and recovered is not None and _BODIES_RE.match(work, end):
            out.append(_Mention(num, end, "compact", FigureKind.deaths))  # 抬出来四具: bodies, the dead
            continue
        if (mw.group() == "个" and recovered is not None and recovered.group()[0] in "抬拉挖捞背刨运"
                and (dead := _CARRIED_OUT_DEAD_RE.match(work, end)) is not None):
            out.append(_Mention(num, dead.end(), "compact", FigureKind.deaths))  # 消防抬出来三个 盖着布 都没了
            continue
        lost = _lost(work, end, num.start)
        if lost is not None:
            out.append(_Mention(num, lost[1], "compact", lost[0]))
            consumed = lost[1]
            continue
        out.append(_Mention(num, end, "count"))
    return out


# 阳台上的多肉死了三个😭 / 养的小乌龟淹死了两个😭: a bare 个 closing the clause counts what its clause names
# (not 养鸡场 / 鱼塘 / 花园: places)
_THINGS_RE = re.compile(rf"(?:{_NOT_A_PERSON_RE.pattern}|多肉|绿萝|盆栽|绿植|植物|龟|鼠|蚕|虫)(?![场塘园店厂市林馆铺庄村棚圈舍笼池])")


def _things_counted(work: str, start: int, end: int) -> bool:
    if end < len(work) and "\u4e00" <= work[end] <= "\u9fff":
        return False  # 个 before a person word or a keyword: people
    clause = max(work.rfind(c, max(0, start - 12), start) for c in _CLAUSE_BREAK | {" "})
    return _THINGS_RE.search(work, max(clause + 1, start - 12), start) is not None


def _destroyed(work: str, num: ParsedNumber) -> re.Match[str] | None:
    """The value of goods said destroyed, after the amount (…的货全烧了) or before it (烧掉了…的货)."""
    after = _DESTROYED_AFTER_RE.match(work, num.end)
    if after is not None or not _DESTROYED_BEFORE_RE.search(work, max(0, num.start - 10), num.start):
        return after
    return _YUAN_RE.match(work, num.end)


def _compact(work: str, num: ParsedNumber) -> tuple[FigureKind, int] | None:
    """3死5伤, 9死1失联, 夺33命: a kind written right after the number (kind, end)."""
    end = num.end
    nxt = work[end : end + 1]
    if nxt in _COMPACT and not work.startswith("伤亡", end) and not _after_code(work, num):
        return _COMPACT[nxt], end + 1
    if work.startswith(_COMPACT_MISSING, end) and not _after_code(work, num):
        return FigureKind.missing, end + 2
    if nxt == "命" and _HEADLINE_TOLL_RE.search(work, max(0, num.start - 2), num.start):
        return FigureKind.deaths, end + 1
    return None


def _lost(work: str, end: int, start: int) -> tuple[FigureKind, int] | None:
    """4个人就这么没了 (dead), 十八个没回来 (missing) right after a count of people: (kind, end)."""
    gone = _GONE_RE.match(work, end)
    if gone is not None:
        return FigureKind.deaths, gone.end()
    gone_now = _NO_LONGER_RE.match(work, end)
    if (gone_now is not None and _BURIED_CONTEXT_RE.search(work) is not None
            and _FOUND_BEFORE_RE.search(work, max(0, start - 6), start) is not None):
        return FigureKind.deaths, gone_now.end()  # 救出来3个，找到1个已经不行了，还有9个在里面
    down = _STILL_DOWN_RE.match(work, end)
    if (down is not None and _BURIED_CONTEXT_RE.search(work)
            and (_STILL_RE.search(work, max(0, start - 3), start) or down.group().startswith(("还", "仍"))
                 or (down.group().startswith("都") and _DUG_FOR_RE.search(work) is not None))
            and _SAFE_AFTER_RE.search(work, down.end(), _sentence_end_at(work, down.end())) is None):
        # 还有7个在下面 / 一家三口都在里面 (被埋, 挖掘机进不来) — not 我们五个都在里面，没人受伤 / 还有3个在下面😂 等交警放行
        return FigureKind.trapped, down.end()  # 还有7个在下面: still trapped
    walked = _GONE_FOR_GOOD_RE.match(work, end)
    if (walked is not None and _LEFT_SUBJECT_RE.search(work, max(0, start - 16), start) is None
            and (_ACCIDENT_RE.search(work) is not None or _HARM_CAUSE_RE.search(work) is not None
                 or _DISASTER_RE.search(work) is not None)
            and _LOSS_TOLD_RE.search(work) is not None):
        return FigureKind.deaths, walked.end()  # 甲醇中毒，已经有4个人走了 / 没救出来，三个人都走了
    back = _NOT_BACK_RE.match(work, end)
    if back is not None and (back["yet"] is None or _NOT_BACK_YET_RE.search(work)):
        return (FigureKind.deaths if back["dead"] else FigureKind.missing), back.end()
    return None


def _after_code(work: str, num: ParsedNumber) -> bool:
    """The 9 of H7N9死亡 / COVID-19死亡 is part of a name, not a 3死5伤 count."""
    return num.start > 0 and ("a" <= work[num.start - 1] <= "z" or work[num.start - 1] == "-")


def _in_wan(work: str, num: ParsedNumber) -> bool:
    """An amount written in 万 / 亿 (四五百万, 一个亿): money where a loss is being talked about."""
    return num.end > num.start and work[num.end - 1] in "万亿"


def _left_ok(work: str, kw: _Keyword, mention: _Mention) -> bool:
    # A colon right before the count labels it (死亡：30人). A space still parts them: in
    # "一氧化碳中毒 4名工人死亡" the 4 are the dead, not the poisoned.
    gap = work[kw.end : mention.num.start]
    if kw.kind in _LOOSE_KINDS and mention.shape == "count" and _TALLY_AFTER_RE.fullmatch(gap):
        return True  # 群众疏散转移，共计5200余人: the tally of those moved, after a comma
    limit = _MAX_LOOSE_GAP if kw.kind in _LOOSE_KINDS else _MAX_GAP
    if len(gap) > limit or " " in gap or any(c in _CLAUSE_BREAK for c in gap.removesuffix(":")):
        return False
    if kw.kind is FigureKind.economic_loss and mention.shape == "bare" and _in_wan(work, mention.num):
        # 损失四五百万 / 经济损失超过2亿: no 元, but an amount in 万/亿 after 损失 is money — in
        # yuan, unless another currency follows (损失2000多万加元: the thresholds are in 元).
        if _FOREIGN_CURRENCY_RE.match(work, mention.num.end):
            return False
        return len(gap) <= 4 and (_LEFT_GAP_RE.fullmatch(gap) is not None or _MONEY_GAP_RE.fullmatch(gap) is not None)
    if (mention.shape == "money") != (kw.kind is FigureKind.economic_loss):
        return False
    if mention.shape == "bare":
        # 死亡人数升至31: a bare number needs a connective, and must not be a date, a rate or a count of
        # animals or things (毒死了十几只 cats, 淹死了三百多头 sheep).
        after = work[mention.end : mention.end + 1]
        if not gap or (after and after in "年月日号天周时点分秒%岁度米吨里次倍起辆间栋户台个条只头匹尾羽群窝箱斤亩株棵件盆盘颗粒枝朵"):
            return False
        return _LEFT_GAP_RE.fullmatch(gap) is not None
    if work.endswith("压着", 0, kw.end) and _OWNER_RE.match(work, mention.end):
        return False
    if _LEFT_GAP_RE.fullmatch(gap):
        return True
    return kw.kind in _LOOSE_KINDS and _LOOSE_GAP_RE.fullmatch(gap) is not None


_THEIR_THING_RE = re.compile(r"的(?:行李|东西|钱包|手机|包|证件|身份证|车|电动车|货|快递|箱子|狗|猫|宠物)")


def _right_ok(work: str, mention: _Mention, kw: _Keyword, next_start: int) -> bool:
    if mention.shape != "count" or kw.kind is FigureKind.economic_loss:
        return False
    gap = work[mention.end : kw.start]
    onset = kw.kind is FigureKind.sickened and _ONSET_RE.search(gap) is not None
    if len(gap) > (_MAX_ONSET_GAP if onset else _MAX_GAP) or next_start < kw.start:
        return False  # another number sits between: 3人受伤2人死亡
    breaks = _CLAUSE_BREAK - {"、"} if kw.kind is FigureKind.sickened else _CLAUSE_BREAK | {"、"}
    if any(c in breaks for c in gap):
        return False
    if _SEEKERS_RE.search(gap) is not None:
        return False  # 救援队等120余人沿江搜寻失踪人员: those searching, not the missing
    if kw.kind is FigureKind.missing and _THEIR_THING_RE.search(gap) is not None:
        return False  # 我们团3个人的行李到现在还没找着: their things, not them
    before = work[max(0, mention.num.start - 12) : mention.num.start]
    before = before[max(before.rfind(c) for c in _CLAUSE_BREAK) + 1 :]  # the count's own clause
    if work.startswith(("找不到", "搵唔到"), kw.start) and before.endswith("连"):
        return False  # 村里连10个年轻人都找不到了: too few to hire, not missing
    if work.startswith(("没见", "未见"), kw.start) and _APPOINTED_RE.search(before + gap):
        return False
    if work.startswith(("撤了", "撤出"), kw.start) and _ON_DUTY_RE.search(before + gap):
        return False
    if ("在搜" in work[kw.start : kw.end] and _ON_DUTY_RE.search(before + work[mention.num.end : kw.start])
            and _STILL_HAVE_RE.search(before) is None):  # 仍有5名工作人员还在搜寻中: still sought
        return False  # 公安、消防、救援队近200人还在搜寻 / 200余名救援人员正在搜寻中: the searchers, not those sought
    return not gap.endswith(_NEGATION_END)  # 3人未受伤


def _to_evidence(
    text: str,
    work: str,
    m: _Mention,
    kind: FigureKind,
    gap: str,
    refuted: SpanSet,
    hypo: SpanSet,
    kw: _Keyword | None,
) -> Evidence:
    num = m.num
    return Evidence(
        kind=kind,
        value=round(num.value),
        low=round(num.low) if num.low is not None else None,
        qualifier=num.qualifier,
        start=num.start,
        end=m.end,
        text=text[num.start : m.end],
        is_update=_UPDATE_RE.search(gap) is not None,
        is_correction=_CORRECTION_RE.search(gap) is not None or _still(work, m, kw) or _corrected_before(work, m, kw),
        refuted=num.start in refuted,
        hypothetical=num.start in hypo or (kw is not None and kw.start in hypo),
        combined=kw is not None and work[kw.start : kw.end] in _COMBINED,
    )


# 现核定事故遇难人数为9人 / 经DNA比对更正遇难人数为9人: the correction word comes before the keyword.
# Only the figure's own kind may stand between (事故 / 此次): not 其中已核定身份的遇难者9人, a subset, nor
# 核定为企业员工的遇难者8人 or 更正此前报道中1名遇难者的姓名, which correct something else.
# 因重复登记，实际就诊学生为89人: the actual count replaces the one first reported.
_CORRECTED_BEFORE_RE = re.compile(r"(?:核定|核减|更正|修正|重新核实|最终确认|最终核定|实际(?:造成|导致)?)(?:后)?(?:的)?"
                                  r"(?:此次|本次|该起|这起)?(?:事故|事件|灾害|全部|总)?(?:的)?$")
_SUBSET_RE = re.compile(r"其中|当中|中有")
_RECOUNT_CONFIRMED_RE = re.compile(r"确认(?:出现|发生)?[^,.;:!?。，；：！？]{0,8}$")
_EARLIER_FIGURE_RE = re.compile(r"此前(?:通报|公布|报道|发布)|最初(?:通报|公布|报道)|原(?:通报|报)|先前(?:通报|公布)")
# 【更正说明】…“事故造成3人死亡”表述有误。经复核…事故实际造成2人死亡: the whole notice corrects.
_CORRECTION_NOTICE_RE = re.compile(r"更正说明|特此更正|据此更正|现更正|更正如下|予以更正|表述有误|数据有误|数字有误|核实有误")
_QUOTED_RE = re.compile(r"“[^”\n]{1,80}”")
_SAID_WRONG_RE = re.compile(r"(?:的?(?:说法|表述|数据|数字|内容))?[，,]?(?:经(?:核实|核查|复核))?(?:有误|错误|不准确|不实)"
                            r"|[，,]?(?:现|应)?(?:更正为|应为|改为)|中的")  # 此前通报“失联5人”中的2人已取得联系
# 因重复登记，实际就诊学生为89人 / 网传10人，实际3人: 实际 corrects only after a recount or a claim.
_RECHECKED_RE = re.compile(r"核实|核对|核查|重复|此前|最初|原报|网传|误报|有误")
# …另有5人在随后的火灾中遇难: more of the same kind, added to the corrected count (not 另有7人受伤)
_ADDED_RE = re.compile(r"(?:另有|另外|此外|还有)[^,.;:!?。，；：！？]{0,14}?(?:遇难|死亡|身亡|罹难|丧生)")


def _corrected_before(work: str, m: _Mention, kw: _Keyword | None) -> bool:
    """A correction word in the clause just before the keyword (or the count, when it comes first)."""
    lo = min(m.num.start, kw.start) if kw is not None else m.num.start
    cue = _CORRECTED_BEFORE_RE.search(work, max(0, lo - 12), lo)
    if cue is not None and cue.group().startswith("实际") and (
            (_RECHECKED_RE.search(work, max(0, lo - 40), lo) is None and _CORRECTION_NOTICE_RE.search(work) is None)
            or _ADDED_RE.search(work, lo, _sentence_end_at(work, lo)) is not None):
        return False  # 146人出现症状，实际住院19人 / 实际造成2人死亡，另有5人…遇难: a part of them, not a correction
    if cue is None and (confirmed := _RECOUNT_CONFIRMED_RE.search(work, max(0, lo - 12), lo)) is not None:
        # 此前通报的126人中含陪同就诊的学生，经逐一核对，确认出现呕吐症状的学生为97人: a recount of a figure given before
        return (_RECHECKED_RE.search(work, max(0, confirmed.start() - 24), confirmed.start()) is not None
                and _EARLIER_FIGURE_RE.search(work, 0, confirmed.start()) is not None)
    return cue is not None and _SUBSET_RE.search(work, max(0, lo - 12), lo) is None


def _still(work: str, m: _Mention, kw: _Keyword | None) -> bool:
    """A trapped / missing count said to be still out (仍/还/其余 next to it)."""
    if kw is None and m.compact_kind in _STILL_KINDS:  # 还有9人在下面: a compact count, still out
        return _STILL_RE.search(work, max(0, m.num.start - 4), m.end) is not None
    if kw is None or kw.kind not in _STILL_KINDS:
        return False
    lo, hi = min(m.num.start, kw.start), max(m.end, kw.end)
    return _STILL_RE.search(work, max(0, lo - 4), hi) is not None


def _implicit_deaths(
    text: str, work: str, keywords: list[_Keyword], loose: list[_Mention], refuted: SpanSet, hypo: SpanSet
) -> list[Evidence]:
    """经抢救无效死亡 with no count of its own: the people counted in the clause before
    (5名老人昏迷不醒，经送医抢救无效死亡), else one death at least. 无一生还 / 全部遇难 with no count
    of its own: the people counted in the clause before, else nothing (who they were is unknown);
    一个都没救过来 likewise, else one death at least (someone was not saved)."""
    out: list[Evidence] = []
    ends = [m.end for m in loose]
    for kw in keywords:
        if kw.kind is not FigureKind.deaths or kw.used:
            continue
        failed = (_TREATMENT_FAILED_RE.search(work, max(0, kw.start - 14), kw.start) or _NOT_SAVED_RE.match(work, kw.start)
                  or _spoken_death(work, kw))
        if (failed is not None and failed.re is _TREATMENT_FAILED_RE and failed.group().startswith("当场")
                and (work[kw.start : kw.end] not in _ON_THE_SPOT
                     or _NOT_ON_THE_SPOT_RE.search(work, max(0, failed.start() - 8), failed.start()) is not None
                     or _PET_RE.search(work, _sentence_start(work, failed.start()), failed.start()) is not None
                     or "科普" in work)):
            continue  # 疼到我当场去世 / 我家狗狗…当场死亡 / 并未当场死亡 / 可能当场死亡: no one's death here
        every = None if failed is not None else _ALL_OF_THEM_RE.search(work, max(0, kw.start - 3), kw.end)
        cue = failed or every
        if cue is None:
            continue
        subject = _subject_before(work, loose, ends, cue.start())
        if subject is not None and _ANOTHER_SUBJECT_RE.search(work, subject.end, cue.start()) is not None:
            subject = None  # 十余名村民将其围住殴打，该男子经送医抢救无效死亡: the one they beat died, not the ten
        not_saved = failed is not None and failed.re is _NOT_SAVED_RE
        if not_saved and subject is not None and not _lost_the_counted(work, subject, cue.start()):
            subject = None
        if subject is None and every is not None and _NONE_SAVED_RE.match(work, kw.start) is None:
            continue
        if not_saved and subject is None and not _in_care(work, kw):
            continue
        start = subject.num.start if subject is not None else cue.start()
        out.append(
            Evidence(
                kind=FigureKind.deaths,
                value=round(subject.num.value) if subject is not None else 1,
                qualifier=subject.num.qualifier if subject is not None else Qualifier.at_least,
                start=start,
                end=kw.end,
                text=text[start : kw.end],
                refuted=start in refuted,
                hypothetical=start in hypo,
            )
        )
    return out


# An injury or accident near a spoken death: not 生意当场就没了 / 笑得当场就不行了 / 跑完三千米人都没气了.
_HARM_NEAR_RE = re.compile(_ACCIDENT_RE.pattern + r"|刮[了倒到]|剐|蹭|碰[了倒到]|卷[进入]|绞[进入]|压在|压住|被压|被埋|埋在|掉[进下入]|摔|跌[落下入倒]|砸"
                           r"|送医|医院|抢救|急救|救护车|120|倒地|血泊"
                           r"|心梗|心脏病|脑溢血|中风|晕倒|昏倒|倒下|昏迷|捞上来|捞起|救上来|河里|水里|井里")
# 篮球也没气了 / 车胎没气了 / 追尾后车队当场就不行了: a thing, in the clause before.
_THING_SUBJECT_RE = re.compile(r"球|胎|气垫|泳圈|充气|车队|发动机|机器|设备|信号|网络|生意|买卖|钱|工资|账号|电池")
_PERSON_IN_CLAUSE_RE = re.compile(rf"{_PERSON_WORDS}|人|司机|师傅|老汉|老人|大姐|大哥|孩|娃|伯|叔|婆|爷")
# Care given to the dying, before 昨天走了 (not 送医 / 输液: the discharged walk out too).
_DYING_CARE_RE = re.compile(r"抢救|icu|重症监护|病危|插管|上吐下泻|昏迷|不省人事|呼吸机")
# …and what harmed them, for the death to be an incident's (not 奶奶在ICU抢救了两天，昨天还是走了: a family's grief).
# (not 感染 alone: 外公肺部感染住进ICU…今天早上走了 is an illness, not an outbreak)
_HARM_CAUSE_RE = re.compile(r"中毒|上吐下泻|腹泻|呕吐|确诊|病毒|流感|甲流|疫情|传染|菌子|野生菌|毒蘑菇|食物|吃了|喝了|疫苗"
                            r"|打针|输液后|被打|殴打|受伤|烧伤|烫伤|咬伤|中暑|热射病")  # not 手术: surgery's deaths are no incident
_REVIVED_RE = re.compile(r"恢复(?:了)?(?:自主)?(?:呼吸|心跳)|抢救过来|救回来|救过来")
_MEDICS_CAME_RE = re.compile(r"(?:120|急救|救护车|医生|医护)[^,.;:!?。，；：！？]{0,10}(?:时|的时候)[^,.;:!?。，；：！？]{0,4}已经$")
_MEDICS_HERE_RE = re.compile(r"(?:120|急救|救护车|医生|医护)[^,.;:!?。，；：！？]{0,6}(?:来了|到了|赶到|到场|到的时候|来的时候)")
# 送到镇卫生院 / 送到市里确诊 / 截肢: care given before a death said the spoken way
_TAKEN_TO_CARE_RE = re.compile(r"送(?:到|往|去|进)?[^,.;:!?。，；：！？]{0,8}?(?:医院|卫生院|诊所|急诊|确诊)|截肢|手术|抢救|icu")
_HARMED_BEFORE_CARE_RE = re.compile(r"摔|跌倒|坠|砸|输液|吊瓶|打针|颅内出血|骨折")
_FELL_RE = re.compile(r"摔|跌倒|坠|砸|压在|被压|烫伤|烧伤|溺|吸脂|手术做到一半|煤气|燃气|一氧化碳")
# 来探望的亲戚们昨天就走了 / 姐姐昨天走了，换我来陪: the visitors left, not the patient.
_VISITORS_RE = re.compile(r"(?:们|大家|专家组?|姐|哥|舅|叔|家属|亲戚|大部分人|其他人|护工|保姆|陪护|护士)"
                         r"(?:今早|今天|昨天|昨晚|早上)?(?:人)?(?:都|也|就)?$")
_TOLD_SAFE_RE = re.compile(r"没事|无碍|没大碍|无大碍|没什么事|出院")
_ERRAND_RE = re.compile(r"[^，。,!?！？\n]{0,4}趟|[，,](?:回|去|继续|换|留|说|自己|坐车|打车|开车)|[^，。,!?！？\n]{0,4}回(?:的)?家")
# 司机当场就走了，也不管: walked off.
_WALKED_OFF_RE = re.compile(r"[^。!?！？\n]{0,4}(?:不管|没管|逃|跑了|溜了)")


def _spoken_death(work: str, kw: _Keyword) -> re.Match[str] | None:
    """骑车的大姐当场就不行了 / 人已经压在下面没气了 / 前晚過身咗: one death at least, said of a person (not 轮胎没气了)."""
    m = _SPOKEN_DEATH_RE.match(work, kw.start)  # (not fullmatch: 过身's lookahead reads past the keyword)
    return m if m is not None and m.end() == kw.end and _spoken_said_of_death(work, m) else None


def _spoken_said_of_death(work: str, m: re.Match[str]) -> bool:
    """Whether 当场就没了 / 当场就不行了 / 没气了 / 当场就走了 / 过身了 at ``m`` tells a death: said of a person, with an
    injury or accident just before it (not 那单生意当场就没了, 笑得当场就不行了, 跑完三千米人都没气了, 篮球也没气了,
    吵完架他当场就走了 … 城东出了起车祸)."""
    start, end = m.start(), m.end()
    # (人被压在下面，早上邻居去喊他才发现，已经没气了: the person a little further back)
    if (m.group() == "没气了" and _CARED_PERSON_RE.search(work, max(0, start - 10), start) is None
            and "人" not in work[max(0, start - 10) : start]
            and not ("发现" in work[max(0, start - 8) : start] and "人" in work[max(0, start - 24) : start])):
        return False
    if not m.group().startswith("当场") and m.group().endswith("走了"):
        # 送到县医院，奶奶昨天走了: only after care given to the dying (not 输完液下午就走了, discharged);
        # 摔倒…送到医院说是颅内出血，昨晚人走了: taken to hospital after a fall or a drip that went wrong
        taken = _TAKEN_TO_CARE_RE.search(work, max(0, start - 40), start) is not None
        return ((_DYING_CARE_RE.search(work, max(0, start - 60), start) is not None or taken)
                and (_ACCIDENT_RE.search(work) is not None or _HARM_CAUSE_RE.search(work) is not None
                     or (taken and _HARMED_BEFORE_CARE_RE.search(work) is not None))
                and _WALKED_OFF_RE.match(work, end) is None
                and _LEFT_SUBJECT_RE.search(work[max(0, start - 12) : start]) is None  # 医生早上走了
                and _VISITORS_RE.search(work[max(0, start - 6) : start]) is None  # 亲戚们昨天就走了
                and _TOLD_SAFE_RE.search(work, max(0, start - 30), start) is None  # 医生说没事，昨晚人走了
                and _ERRAND_RE.match(work, end) is None)  # 夜里走了十几趟厕所 / 今天就走了，回家多喝水
    if m.group() == "没了" and work.endswith("的人已经", 0, start):
        return False  # 围观的人已经没了: the crowd gone
    if m.group() == "没了" and work.endswith("人还是", 0, start):
        # 送到市里确诊创伤弧菌感染，截肢都没保住，人还是没了 (not 人还是没了影: the lookahead)
        return ((_TAKEN_TO_CARE_RE.search(work, max(0, start - 60), start) is not None
                 or _CARE_RE.search(work, max(0, start - 60), start) is not None)
                and (_ACCIDENT_RE.search(work) is not None or _HARM_CAUSE_RE.search(work) is not None
                     or _FELL_RE.search(work) is not None)
                and _REVIVED_RE.search(work, end) is None and _PET_RE.search(work) is None)
    if m.group() == "没了" and work.endswith("人已经", 0, start):
        # 有人坠楼，救护车来了但人已经没了 (not 人已经没了影, nor 店里人已经没了, the crowd gone)
        return (_MEDICS_HERE_RE.search(work, max(0, start - 16), start) is not None
                and (_ACCIDENT_RE.search(work) is not None or _HARM_CAUSE_RE.search(work) is not None
                     or _FELL_RE.search(work) is not None)
                and _REVIVED_RE.search(work, end) is None and _PET_RE.search(work) is None)
    if "呼吸" in m.group() or "心跳" in m.group() or "生命体征" in m.group():
        # 120到场时老人已经没了呼吸 (not 救援人员把人都拉出来时已经没了呼吸, said of the twelve buried; not 突发心梗,
        # an illness; not …经过抢救恢复了自主呼吸, revived; not a pet's vet)
        return (_MEDICS_CAME_RE.search(work, max(0, start - 14), start) is not None
                and (_ACCIDENT_RE.search(work) is not None or _HARM_CAUSE_RE.search(work) is not None
                     or _FELL_RE.search(work) is not None)
                and _REVIVED_RE.search(work, m.end()) is None and _PET_RE.search(work) is None)
    if m.group().endswith("已经不行了") and not m.group().startswith("当场") and (
            _ACCIDENT_RE.search(work) is None and _HARM_CAUSE_RE.search(work) is None and _FELL_RE.search(work) is None):
        return False  # 爷爷突发脑梗，送到医院已经不行了: an illness, no incident
    if m.group().endswith("走了") and _ACCIDENT_RE.search(work) is None:
        return False  # 他当场就走了，气得不行: he walked out
    if _NOT_A_PERSON_RE.search(work, max(0, start - 10), start):
        return False
    if "过身" in m.group():
        return True
    sentence = max(work.rfind(c, 0, start) for c in "。!?！？\n") + 1
    after = len(work) if m.group().endswith("走了") else _sentence_end_at(work, end)
    harm = _HARM_NEAR_RE.search(work, max(sentence, start - 30), start) or (
        not m.group().endswith("走了") and _HARM_NEAR_RE.search(work, end, after))
    if not harm:
        return False  # 旁边三个人当场就走了，剩下我一个在车祸现场录视频 / 那单生意当场就没了
    if m.group().endswith("走了") and _WALKED_OFF_RE.match(work, end):
        return False  # 司机当场就走了，也不管
    clause = max(work.rfind(c, 0, start) for c in "，,；;。!?！？\n") + 1
    return not (_THING_SUBJECT_RE.search(work, clause, start) is not None
                and _PERSON_IN_CLAUSE_RE.search(work, clause, start) is None)


_SENTENCE_END_RE = re.compile(r"[。!?！？\n]")


def _sentence_end_at(work: str, pos: int) -> int:
    m = _SENTENCE_END_RE.search(work, pos)
    return m.start() if m is not None else len(work)


def _lost_the_counted(work: str, subject: _Mention, cue: int) -> bool:
    """三个师傅从上面掉下来，送到医院都没救回来: the people counted are the ones not saved."""
    comma = max(work.rfind(c, 0, cue) for c in ",;，；")
    own_clause = work[comma + 1 : cue] if comma > subject.end else ""
    return _NOT_SAVED_CLAUSE_RE.fullmatch(own_clause) is not None and _RESCUERS_RE.match(work, subject.end) is None


def _in_care(work: str, kw: _Keyword) -> bool:
    """送到医院没救回来 / 老太太没抢救过来 (resuscitation is tried on people): care was given, to a person."""
    window = max(0, kw.start - _SUBJECT_REACH)
    # 老奶奶没救过来 其他几个还在州医院: the care may be told just after
    cared = ("抢救" in work[kw.start : kw.end] or _CARE_RE.search(work, window, kw.start) is not None
             # 大姐被撞后车跑了，人没救过来: a person struck, not saved
             or (work.endswith("人", 0, kw.start) and _ACCIDENT_RE.search(work, window, kw.start) is not None
                 and "《" not in work and "那集" not in work)
             or (_CARE_RE.search(work, kw.end, kw.end + _SUBJECT_REACH) is not None
                 # (not 公司没挺过来…老板在医院陪护 / 绿萝没救过来 明天去医院 / 小仓鼠没挺过来，花了120块)
                 and _CARED_PERSON_RE.search(work, max(0, kw.start - 8), kw.start) is not None))
    return cared and _NOT_A_PERSON_RE.search(work, window, kw.start) is None


def _subject_before(work: str, loose: list[_Mention], ends: list[int], pos: int) -> _Mention | None:
    """An unattached count of people in the clause just before ``pos`` (one comma between)."""
    i = bisect.bisect_right(ends, pos) - 1
    if i < 0:
        return None
    gap = work[loose[i].end : pos]
    if len(gap) > _SUBJECT_REACH or any(c in _SENTENCE_END for c in gap):
        return None
    return loose[i] if sum(c in _CLAUSE_BREAK for c in gap) <= 1 else None


def _attach(text: str, work: str, refuted: SpanSet, zero: SpanSet, hypo: SpanSet) -> list[Evidence]:
    keywords = _keywords(work, zero)
    kw_ends = [k.end for k in keywords]
    mentions = _mentions(work)
    # Where the next real figure starts; a bare number (the 一 of 一氧化碳) does not block.
    next_starts = [len(work)] * len(mentions)
    nxt = len(work)
    for i in range(len(mentions) - 1, -1, -1):
        next_starts[i] = nxt
        if mentions[i].shape != "bare":
            nxt = mentions[i].num.start
    out: list[Evidence] = []
    prev: tuple[_Mention, FigureKind] | None = None
    carry: _Mention | None = None  # an unattached count coordinated with the next one
    loose: list[_Mention] = []  # counts of people no keyword took
    for i, m in enumerate(mentions):
        next_start = next_starts[i]
        pending, carry = carry, None
        if m.compact_kind is not None:
            out.append(_to_evidence(text, work, m, m.compact_kind, "", refuted, hypo, None))
            prev = None
            continue
        # (经济损失由初报的620万元核减为480万元: an amount continues an amount)
        if prev is not None and (m.shape in ("count", "bare") or (m.shape == "money" and prev[1] is FigureKind.economic_loss)):
            chain_gap = work[prev[0].end : m.num.start]
            if _CHAIN_RE.fullmatch(chain_gap):
                out.append(_to_evidence(text, work, m, prev[1], chain_gap, refuted, hypo, None))
                prev = (m, prev[1])
                continue
        prev = None
        j = bisect.bisect_right(kw_ends, m.num.start) - 1
        left = keywords[j] if j >= 0 else None
        if left is not None and not left.used and _left_ok(work, left, m):
            left.used = True
            out.append(
                _to_evidence(text, work, m, left.kind, work[left.end : m.num.start], refuted, hypo, left)
            )
            prev = (m, left.kind)
            continue
        right = keywords[j + 1] if j + 1 < len(keywords) else None
        while right is not None and right.start < m.end:  # skip a keyword overlapping the count
            j += 1
            right = keywords[j + 1] if j + 1 < len(keywords) else None
        if right is not None and not right.used and _right_ok(work, m, right, next_start):
            right.used = True
            if pending is not None:
                m = _sum(pending, m)
            out.append(_to_evidence(text, work, m, right.kind, "", refuted, hypo, right))
            prev = (m, right.kind)
            continue
        if m.shape == "count":
            loose.append(m)
        if m.shape == "count" and i + 1 < len(mentions):
            nxt_m = mentions[i + 1]
            if nxt_m.shape == "count" and _COORD_RE.fullmatch(work[m.end : nxt_m.num.start]):
                carry = _sum(pending, m) if pending is not None else m
    return out + _implicit_deaths(text, work, keywords, loose, refuted, hypo)


def _sum(first: _Mention, second: _Mention) -> _Mention:
    a, b = first.num, second.num
    same = a.qualifier is b.qualifier and a.qualifier in (Qualifier.exact, Qualifier.at_least)
    num = ParsedNumber(
        value=a.value + b.value,
        qualifier=a.qualifier if same else Qualifier.approx,
        start=a.start,
        end=b.end,
        text="",
    )
    return _Mention(num, second.end, "count")


def _zeros(text: str, work: str, refuted: SpanSet, hypo: SpanSet) -> tuple[list[Evidence], SpanSet]:
    out: list[Evidence] = []
    spans: list[tuple[int, int]] = []
    for m in _ZERO_RE.finditer(work):
        spans.append((m.start(), m.end()))
        if m.start() in refuted:
            continue
        for kind in _ZERO_KINDS[m["k"] or m["z"]]:
            out.append(
                Evidence(
                    kind=kind,
                    value=0,
                    start=m.start(),
                    end=m.end(),
                    text=text[m.start() : m.end()],
                    hypothetical=m.start() in hypo,
                )
            )
    return out, SpanSet(spans)


def _select(evidence: list[Evidence]) -> tuple[list[Evidence], dict[FigureKind, int], list[FigureKind]]:
    """Latest correction wins; otherwise the highest figure stated (totals only grow).

    A lumped 死伤/伤亡 total stands in for the injured only where no separate injured count is
    stated (伤亡人数共8人 after 3人死亡、5人受伤 would overstate them)."""
    chosen: dict[FigureKind, int] = {}
    for kind in FigureKind:
        idx = [i for i, e in enumerate(evidence) if e.kind is kind and _counted(e)]
        if not idx:
            continue
        idx = [i for i in idx if not evidence[i].combined] or idx
        corrections = [i for i in idx if evidence[i].is_correction]
        if corrections:
            chosen[kind] = corrections[-1]
        else:
            chosen[kind] = max(idx, key=lambda i: (evidence[i].grading_value, evidence[i].is_update, -i))
    updated = [
        k
        for k, i in chosen.items()
        if any(
            e.kind is k and (e.is_update or e.is_correction) and _counted(e)
            for e in evidence
        )
    ]
    marked = [
        e.model_copy(update={"selected": True}) if i in chosen.values() else e for i, e in enumerate(evidence)
    ]
    return marked, chosen, updated


def _counted(e: Evidence) -> bool:
    return e.counted


def _latest(evidence: list[Evidence], kind: FigureKind, after: int) -> int:
    return max((e.value for e in evidence if e.kind is kind and _counted(e) and e.start > after), default=0)


def _all_out(work: str, after: int) -> bool:
    """被困游客已全部安全转移 after the trapped count; 转移/撤离 of a crowd does not count."""
    safe = _ALL_SAFE_RE.search(work, after)
    if safe is not None and _GOT_OUT_RE.search(work, after, safe.start()) is not None:
        return True  # 消防员来撬开门救出来的，4个人都没事
    for m in _ALL_OUT_RE.finditer(work, after):
        if m["rescue"] is not None:
            if _carried_out_dead(work, m.start(), m.end()):
                continue
            return True
        lo = max(after, m.start() - _CLAUSE_REACH)
        clause_start = max((work.rfind(c, lo, m.start()) for c in ",.;:!?。"), default=-1)
        crowds = _CROWD_RE.finditer(work, max(lo, clause_start + 1), m.start())
        # 被困群众已全部安全转移: the trapped crowd itself got out.
        if not any(not _TRAPPED_BEFORE_RE.search(work, max(0, c.start() - 4), c.start()) for c in crowds):
            return True
    return _freed_without_count(work, after)


_ALL_SAFE_RE = re.compile(r"(?:都|均|全|全部)(?:没事|无大碍|平安|安然无恙|无恙|没受伤|未受伤|无生命危险)")
_GOT_OUT_RE = re.compile(r"救出|撬开|出来|脱困|获救|救下")


def _freed_without_count(work: str, after: int) -> bool:
    """3人被困电梯，后被救出 / 消防员将其救出: the clause after the trapped count frees them with no
    number of its own (a number would be a rescued count, weighed against the trapped), and nothing
    after says some are still in."""
    m = _FREED_RE.search(work, after)
    if m is None or m.start() - after > _CLAUSE_REACH:
        return False
    clause_start = max((work.rfind(c, after, m.start()) for c in ",.;:!?。"), default=after)
    if any(ch.isdigit() or ch in "一二两三四五六七八九十百" for ch in work[clause_start:m.start()]):
        return False
    if _TRYING_RE.search(work, clause_start, m.start()) is not None:  # 正想办法把人弄出来: not yet out
        return False
    if _carried_out_dead(work, m.start(), m.end()):
        return False
    return _STILL_RE.search(work, m.end()) is None


_TOLL_BEFORE_RE = re.compile(r"造成|致|[0-9一二两三四五六七八九十]\s*(?:人|名)")


def _carried_out_dead(work: str, start: int, end: int) -> bool:
    """遗体都已抬出来了 / 把人抬出来的时候已经都没了呼吸: a body word in the clause before the freeing
    or in the rest of its sentence."""
    before = max((work.rfind(c, max(0, start - _CLAUSE_REACH), start) for c in ",.;:!?。"), default=-1) + 1
    # 人都抬出来了。遗体已经拉到县殡仪馆: the rest of the sentence and the next one (not a toll stated there with its
    # own count: 最后一名被困人员…被救出，生命体征平稳。此次事故共造成9人死亡)
    first = min((i for i in (work.find(c, end) for c in ".;!?\n。") if i >= 0), default=len(work))
    stop = min((i for i in (work.find(c, first + 1) for c in ".;!?\n。") if i >= 0), default=len(work))
    dead_after = next((d for d in _DEAD_OUT_RE.finditer(work, end, stop)
                       if _TOLL_BEFORE_RE.search(work, max(end, d.start() - 8), d.start()) is None), None)
    if dead_after is not None and "其中" in work[end : dead_after.start()]:
        dead_after = None  # 被困的11人全部救出，其中5人经抢救无效死亡: all got out; some of them died after
    return _DEAD_OUT_RE.search(work, before, start) is not None or dead_after is not None


def _remainder_replaces(work: str, evidence: list[Evidence]) -> list[Evidence]:
    """11名失联人员中…8人遗体被打捞出水，3人仍在搜寻 / 被困、失联人员23人…其余18人仍在搜救中:
    the remainder still sought replaces the earlier trapped and missing totals alike."""
    still = [
        e
        for e in evidence
        if e.kind in _STILL_KINDS
        and e.is_correction
        and _counted(e)
        and _REMAINDER_RE.search(work, max(0, e.start - 4), e.end + 6)
    ]
    if not still:
        return evidence
    last = still[-1]
    return [
        e.model_copy(update={"selected": False})
        if e.selected and e.kind in _STILL_KINDS and e.kind is not last.kind and e.start < last.start
        else e
        for e in evidence
    ]


# 三人被救出后经全力抢救，均不幸身亡: the rescued all died (not 其中1人…: some of them).
# 车内3名乘员被救出时已无生命体征: brought out dead.
_RESCUED_DIED_RE = re.compile(
    r"[^。!?;\n其]{0,4}?后[^。!?;\n其]{0,16}?(?:均|全部|都)(?:已)?(?:经)?(?:抢救无效|医治无效)?(?:不幸)?(?:死亡|身亡|遇难|离世)"
    r"|[^。!?;\n其]{0,5}?时(?:均|都)?(?:已经|已)(?:无生命体征|没有?了?(?:呼吸|心跳|生命体征)|死亡|身亡|遇难)")


# 2名工人被埋，经救援后送医，均经抢救无效死亡: the trapped, got out, all died.
_OUT_AND_DIED_RE = re.compile(
    r"[^。!?;\n其0-9一二两三四五六七八九十几]{0,24}?(?:救出|挖出|送医|救援)[^。!?;\n其0-9一二两三四五六七八九十几]{0,10}?"
    r"(?:均|全部|都)(?:已)?(?:经)?(?:抢救无效|医治无效)?"
    r"(?:不幸)?(?:死亡|身亡|遇难)")


def _found_dead(work: str, evidence: list[Evidence]) -> list[Evidence]:
    """11名失联人员全部遇难 / 最后8名被困矿工已全部找到，均已遇难: the people counted as trapped or
    missing are the dead (not the dead plus as many still trapped); so are the rescued who all died."""
    return [
        e.model_copy(update={"kind": FigureKind.deaths})
        if _counted(e) and (
            (e.kind in _STILL_KINDS and (_FOUND_DEAD_RE.match(work, e.end) is not None
                                         or _OUT_AND_DIED_RE.match(work, e.end) is not None))
            or (e.kind is FigureKind.rescued and _RESCUED_DIED_RE.match(work, e.end) is not None))
        else e
        for e in evidence
    ]


def _all_dead_after(work: str, evidence: list[Evidence], after: int) -> bool:
    """6名作业人员被埋。…6人已全部找到，均已遇难 / 12名矿工被困，其中3人遇难: a later toll of "all of
    them" or "of them" counts people among the trapped."""
    return any(e.kind is FigureKind.deaths and _counted(e) and e.start > after
               and (_ALL_OF_THEM_RE.search(work, e.start, e.end) is not None
                    or work.endswith("其中", 0, e.start)) for e in evidence)


# 被困的12名矿工中，4人…成功升井…其余8人经确认已遇难: the rest of the trapped, now counted dead.
_REST_RE = re.compile(r"(?:其余|其他|剩下的?|余下的?)$")


def _rest_dead_after(work: str, evidence: list[Evidence], after: int) -> bool:
    return any(e.kind is FigureKind.deaths and _counted(e) and e.start > after
               and _REST_RE.search(work, max(0, e.start - 3), e.start) is not None for e in evidence)


def _net_trapped(work: str, evidence: list[Evidence]) -> list[Evidence]:
    """Those still trapped: the grade counts people still trapped or missing (DATA_CARD), so
    被困11人，3人获救 is 8, and 被困8人中5人获救、3人遇难 is none left (the 3 dead count as deaths).
    Outcomes are taken off only where the post reports a rescue after the trapped count; a count
    said to be still trapped (其余8人仍被困) is already net."""
    trapped = next((e for e in evidence if e.selected and e.kind is FigureKind.trapped), None)
    if trapped is None or trapped.is_correction:
        return evidence
    # 井下57人，其中45人安全升井，12人被困: a rescue before the last trapped count is of others.
    last = max(e.start for e in evidence if e.kind is FigureKind.trapped and _counted(e))
    rescued = _latest(evidence, FigureKind.rescued, last)
    if _all_out(work, last) or _rest_dead_after(work, evidence, last):
        left = 0
    elif 0 < rescued <= trapped.value or _all_dead_after(work, evidence, last):
        outcomes = _latest(evidence, FigureKind.deaths, last) + _latest(evidence, FigureKind.missing, last)
        left = max(0, trapped.value - rescued - outcomes)
    else:
        return evidence
    net = trapped.model_copy(update={"value": left, "low": None})
    return [net if e is trapped else e for e in evidence]


def _net_missing(work: str, evidence: list[Evidence]) -> list[Evidence]:
    """The missing all found alive after the count: none missing any more."""
    missing = next((e for e in evidence if e.selected and e.kind is FigureKind.missing), None)
    if missing is None or missing.value == 0:
        return evidence
    last = max(e.end for e in evidence if e.kind is FigureKind.missing and _counted(e))
    if _ALL_FOUND_RE.search(work, last, last + _CLAUSE_REACH) is None:
        return evidence
    found = missing.model_copy(update={"value": 0, "low": None})
    return [found if e is missing else e for e in evidence]


_SPOKEN_LOSS_RE = re.compile(r"[没沒]|未能|回不")  # evidence text is the original script


def _restated_missing(evidence: list[Evidence]) -> list[Evidence]:
    """八个兄弟没能上来 … 已造成8人死亡: a spoken count of those who did not come back, no larger than
    the stated deaths, is the same people; counted as missing too it would double the toll."""
    deaths = next((e for e in evidence if e.selected and e.kind is FigureKind.deaths), None)
    missing = next((e for e in evidence if e.selected and e.kind is FigureKind.missing), None)
    if deaths is None or missing is None or not 0 < missing.value <= deaths.value:
        return evidence
    spoken = [e for e in evidence if e.kind is FigureKind.missing and _counted(e)]
    if not all(_SPOKEN_LOSS_RE.search(e.text) for e in spoken):
        return evidence  # 8人死亡、3人失踪: written missing are others
    gone = missing.model_copy(update={"value": 0, "low": None})
    return [gone if e is missing else e for e in evidence]


def _refuted_everywhere(work: str, evidence: list[Evidence], spans: list[tuple[int, int]]) -> list[Evidence]:
    """关于网传“KTV火灾致20余人死亡”的情况说明⏎网上有信息称…致20余人死亡…网传“20余人死亡”系不实信息: a toll
    the post calls false is false wherever the post repeats it — before the verified account begins and before
    the last refutation ends (not 经核实，该起火灾共造成3人死亡 where the claim also said 3人死亡, nor 系旧视频。
    今天下午…车内3人死亡, another incident)."""
    if not spans:
        return evidence
    verified = _VERIFIED_RE.search(work, spans[0][0])
    limit = min(max(end for _, end in spans), verified.start() if verified is not None else len(work))
    false = {(e.kind, e.value) for e in evidence if e.refuted and e.value > 0}
    return [e.model_copy(update={"refuted": True})
            if (e.kind, e.value) in false and not e.refuted and e.start < limit else e
            for e in evidence]


# 新评论 //@B: 转发评论 //@C: 原帖: each //@ opens an older layer of a repost chain.
_LAYER_RE = re.compile(r"//\s*@[^:：\s/]{1,30}[:：]")
# 又找到1名遇难者 / 新增2例: a newer layer that adds to the older count does not replace it.
_INCREMENT_RE = re.compile(r"又|再|新增|另有|另外|还有")
# A newer layer answers an older count only where it corrects or verifies (更正 / 经核实 / 官方通报了 / …不实),
# or where the older count was hearsay (听说死了十几个) and the newer one is not. Not a reader's comment
# quoting a part (遇难者中有2人是学生), another incident (昨天隔壁县也死了1个), a question (死了2个？),
# a rumour (听说只死了1个) or a later death (今天1名伤者抢救无效死亡).
_ANSWERS_RE = re.compile(r"更正|纠正|核实|核查|查明|通报|证实|确认|不实|谣言|辟谣|(?<!是)不是|并非|官方(?:消息|数据|公布)")
_HEARSAY_LAYER_RE = re.compile(r"听说|据说|网传|传言|传闻|有人说|好像|小道消息|群里(?:都在)?传")
_ASKED_LAYER_RE = re.compile(r"[^。!;\n]{0,12}?(?:[?？]|吗)")


def _superseded_layers(work: str, evidence: list[Evidence]) -> list[Evidence]:
    """A repost's newer layer answers its older ones: 不信谣不传谣 //@公安：…致1人死亡…网传“死了五六个”不实 //@街坊：
    死了五六个. Where a newer layer that corrects or verifies states a kind (a count, a zero, or a count it calls
    false), the older layers' figures of that kind are what it answered: not counted (a false one only where it is
    the figure called false), unless the newer count adds to the older (又找到1名遇难者). A layer that states the kind
    without hearsay answers an older layer's hearsay likewise (经核实无人员伤亡 //@网友: 听说炸死了三个人)."""
    starts = [m.start() for m in _LAYER_RE.finditer(work)]
    if not starts:
        return evidence
    bounds = [0, *starts, len(work)]

    def layer(pos: int) -> int:
        return bisect.bisect_right(starts, pos)

    def layer_has(pattern: re.Pattern[str], at: int) -> bool:
        return pattern.search(work, bounds[at], bounds[at + 1]) is not None

    answers = [e for e in evidence
               if not (e.hypothetical or e.background)
               and _INCREMENT_RE.search(work, max(0, e.start - 6), e.start) is None
               and _ASKED_LAYER_RE.match(work, e.end) is None]
    out = []
    for e in evidence:
        if e.counted:
            at = layer(e.start)
            for n in answers:
                top = layer(n.start)
                if n.kind is not e.kind or top >= at:
                    continue
                if not (layer_has(_ANSWERS_RE, top)
                        or (layer_has(_HEARSAY_LAYER_RE, at) and not layer_has(_HEARSAY_LAYER_RE, top))):
                    continue
                if not n.refuted:
                    e = e.model_copy(update={"background": True})
                    break
                if n.value == e.value or (n.low is not None and n.low <= e.value <= n.value):
                    e = e.model_copy(update={"refuted": True})
                    break
        out.append(e)
    return out


# 被推倒在地，头磕破了 / 腿骨折了，120刚送去医院: a person hurt, told without a count, by someone or something.
_BODILY_HARM_RE = re.compile(
    r"头(?:都|也)?(?:被)?(?:磕|打|砸|撞)破|撞穿头|流晒血|头破血流|满脸是血|流了?(?:好多|很多|一地)?血|(?<!针)见血了?|(?<!打)骨折(?!价)"
    r"|鼻梁骨?(?:断|裂)了?|骨裂|缝了[0-9一二三四五六七八九十几]{1,3}针|烫伤了?(?:双|两只|左|右)?(?:脚|手|腿)|[一二三]度烫伤|[一二三]级烫伤|耳膜穿孔|脾脏破裂|软组织挫伤|摔伤|头部受伤"
    r"|(?:腿|手|胳膊|手臂|额头|脸|脚)(?:部)?(?:都)?(?:被)?(?:大面积|多处|严重)?(?:受伤|擦伤|划伤|烫伤|烧伤|砸伤|撞伤|压伤|咬伤)"
    r"|(?:手腕|脚踝|膝盖)(?:都|也)?(?:肿了|受伤|扭伤|擦伤)"
    r"|(?:手背|手臂|胳膊|脸上?|腿上?)[^,.;:!?。，；：！？]{0,4}?(?:青着一块|青了一块|青一块紫一块|淤青|青紫)"
    r"|手指(?:头)?(?:没了|断了|[^,.;:!?。，；：！？]{0,4}?(?:压|切|卷|绞)断)")
# …by someone or something: a blow, a crash, a machine, a fall into a hole (not 打篮球摔骨折了, a sport).
_HARMED_BY_RE = re.compile(_ACCIDENT_RE.pattern + r"|被[^,，。]{0,6}打|打(?:了|得|伤|破|到|断|人|架|她|他|我|孩子|老婆)|地上打|殴|拳打脚踢|暴打|耳光"
                           r"|(?:被|把|车|三轮|摩托)[^,，。]{0,8}(?:刮倒|剐倒|撞倒)|(?:坑|井盖|结冰|施工)[^。]{0,12}(?:导致|造成)|爆开|爆裂|炸开|捅|砍|刺伤|动了?手(?!术)|锄头|砖头|棍子|棍棒|木棍|铁棍|木棒|钢管|打开(?:了)?(?:个|一个|一道)?口子"
                           r"|推倒|推搡|挤倒|被挤|砸|踹|扇|咬|拽|揪|压(?:了|伤|断|倒|住|在)|卷进|绞|掀翻|冲床|机器|井盖|电梯|爆破|飞石|强拆|挖机|挖掘机")
# 周末打羽毛球…脚踝骨折: a sport's mishap.
_SPORT_RE = re.compile(r"打球|篮球|足球|踢球|踢野球|羽毛球|乒乓球|网球|拳击|陪练|跑步|健身|滑雪|骑行|比赛|训练")
# 今年3月在仓库搬货时摔伤…工伤认定 / 今年班组先后有两个兄弟摔伤 / 如何 / 容易骨折: months ago, a tally, advice.
_NOT_AN_INCIDENT_HARM_RE = re.compile(r"上次|去年|以前|(?<![到达])之前|曾经|如何|怎么办|怎么处理|容易|预防|小心|谨防|输液|打针|扎针|抽血|针眼"
                                      r"|今年[0-9一二三四五六七八九十]{1,2}月|先后"
                                      # money, games, pets and hearts bleed too
                                      r"|股市|基金|价格|排位|保险|投保|理赔|迟早|我的心|狗|猫|宠物")
# …but a fight after the game, or a vehicle that hit a cyclist, is an incident whatever the sport (not the past)
_FIGHT_OR_CRASH_RE = re.compile(r"殴|打架|斗殴|车[^,，。]{0,6}撞|撞[^,，。]{0,4}车|被[^,，。]{0,4}车撞")


def _implicit_injury(text: str, work: str, evidence: list[Evidence], hypo: SpanSet, refuted: SpanSet) -> list[Evidence]:
    """One hurt, at least, where the post tells a person hurt by someone or something and counts no one."""
    hurt = (FigureKind.deaths, FigureKind.seriously_injured, FigureKind.injured)
    if any(e.kind in hurt and e.value > 0 for e in evidence):
        return []
    for m in _BODILY_HARM_RE.finditer(work):
        start = max(work.rfind(c, 0, m.start()) for c in "。!?！？\n") + 1
        end = _sentence_end_at(work, m.end())
        if (m.start() in hypo or m.start() in refuted or _HARMED_BY_RE.search(work, start, end) is None
                or work[max(0, m.start() - 2) : m.start()].endswith(("没", "没有", "未"))  # 拍片没骨折
                or _NOT_AN_INCIDENT_HARM_RE.search(work, start, end) is not None
                or (_SPORT_RE.search(work, start, end) is not None and _FIGHT_OR_CRASH_RE.search(work, start, end) is None)):
            continue
        return [Evidence(kind=FigureKind.injured, value=1, qualifier=Qualifier.at_least, start=m.start(), end=m.end(),
                         text=text[m.start() : m.end()])]
    return []


# 【寻人】我爷爷…昨天下午在集市走失…已经报警，有看到的请联系: a person missing now, sought without a count.
_MISSING_NOW_RE = re.compile(r"走失|走丢|不见了|失联|下落不明|至今未归|离家出走|(?:一直|再也|再)?没(?:有)?回(?:家|来|去)"
                             r"|找不到|(?:都|仲)?搵唔到|走失咗"
                             # 孩子掉进了雨水井…消防找了一晚上，孩子到现在还没找到 (not 钥匙还没找到: _MISSING_THING_RE)
                             r"|(?:到现在|至今|仍然|仍|还)(?:还|也|都)?(?:没|未)(?:有|能)?找到(?=$|[^\u4e00-\u9fff]|[呢啊呀吧])")
# …said of a person (孩子, 我爷爷, 82岁, 細路), a little before it, or under a 寻人 heading
_SOUGHT_PERSON_RE = re.compile(r"孩子|儿子|女儿|小孩|细路|男孩|女孩|男童|女童|学生|老人|爷爷|奶奶|姥爷|姥姥|外公|外婆|家父|家母"
                               r"|侄子|侄女|外甥|孙子|孙女"
                               r"|父亲|母亲|老爸|老妈|我爸|我妈|老公|老婆|丈夫|妻子|弟弟|妹妹|哥哥|姐姐|闺女|[0-9一二三四五六七八九十]{1,3}岁")
# 走失一名男孩 / 走丢了一个小女孩 (not 走失一只泰迪: a pet is measured by 只 or 条)
_PERSON_AFTER_RE = re.compile(r"(?:了)?(?:一名|一个|一位|名|个)?[^,.;:!?。，；：！？只条]{0,3}?(?:男孩|女孩|男童|女童|孩子|小孩|老人|学生|儿童|婴儿)")
# (or searchers out for them: 消防找了一晚上 / 搜救队还在搜)
_SOUGHT_RE = re.compile(r"寻人|帮忙找|帮忙留意|有看到|有见到|有冇人见过|有线索|已报警|已经报警|报咗警|报了警|报警了"
                        r"|消防|搜救|救援队|蓝天救援|打捞|(?:警察|民警|警方)(?:还|仍)?在找")
# …but not one found or dead, a pet or a thing, advice, or a case of long ago (被拐32年终于回家, 寻亲).
_FOUND_RE = re.compile(r"找到了|已找到|已经找到|被找到|找到啦|找回|寻回|搵到|回家了|平安(?:回|到|找)|已平安|安全到家|已到家|联系上|撤销"
                       r"|交给家属|送回|(?<!直)接回|团圆|相认|遗体|尸体|身亡|去世|遇难")  # (not 直接回帖)
_NOT_A_MISSING_PERSON_RE = re.compile(r"寻狗|寻猫|寻物|失物|防走失|如何|怎么办|手环|提醒|多年前|年前|当年|寻亲|(?:19|20)[0-9]{2}年")
# …nor a pet or a thing just before the word (我家二哈…走丢了 / 电动车…就不见了 / 钱包…找不到了)
_MISSING_THING_RE = re.compile(rf"{_NOT_A_PERSON_RE.pattern}|二哈|泰迪|金毛|柯基|狗狗|车|钱包|快递|包裹|钱|行李|证件|手镯|项链|戒指|首饰|耳环|手表")


_SUBJECT_SOUGHT_RE = re.compile(rf"(?:{_SOUGHT_PERSON_RE.pattern}|人)$")


def missing_person_sought(work: str) -> re.Match[str] | None:
    """Where a (folded) post seeks a person missing now: 寻人, 走失…已报警, 有看到的请联系; not one found, a pet, advice,
    or a case of long ago. Also DATA_CARD label rule R5."""
    for m in _MISSING_NOW_RE.finditer(work):
        if m.group().endswith("找到") and _SUBJECT_SOUGHT_RE.search(work, _clause_start(work, m.start()), m.start()) is None:
            continue  # 孩子的作业本到现在还没找到: 还没找到 said right after the person sought, or not at all
        if ("寻人" in work or _SOUGHT_PERSON_RE.search(work, max(0, m.start() - 40), m.start()) is not None
                or (_PERSON_AFTER_RE.match(work, m.end()) is not None)) and (  # 走失一名男孩，6岁
                _SOUGHT_RE.search(work) is not None and _FOUND_RE.search(work) is None
                and _NOT_A_MISSING_PERSON_RE.search(work) is None
                and _MISSING_THING_RE.search(work, _clause_start(work, m.start()), m.start()) is None):
            return m
    return None


def _implicit_missing(text: str, work: str, evidence: list[Evidence], hypo: SpanSet, refuted: SpanSet) -> list[Evidence]:
    """One missing, at least, where the post seeks a person missing now and counts no one (outside writers graded
    such 寻人 appeals 一般 7 times to 1; DATA_CARD label rule R5)."""
    if any(e.kind in (FigureKind.missing, FigureKind.deaths, FigureKind.trapped) and e.value > 0 for e in evidence):
        return []
    m = missing_person_sought(work)
    if m is None or m.start() in hypo or m.start() in refuted:
        return []
    return [Evidence(kind=FigureKind.missing, value=1, qualifier=Qualifier.at_least, start=m.start(), end=m.end(),
                     text=text[m.start() : m.end()])]


_ANOTHER_RE = re.compile(r"另(?:有|外)?$")
# 另1名死者身份正在确认中 / 另1人死亡者为外地游客: one of those counted, described (not another death)
_SAME_DEAD_RE = re.compile(r"[^,.;:!?。，；：！？]{0,4}?(?:死者|遇难者|死亡者|罹难者|身份)")
_OTHER_TIME_RE = re.compile(r"去年|今年|前年|上次|此前|以前|再次|又发生|另一起|另1起|另一宗")


def _another_adds(work: str, evidence: list[Evidence]) -> list[Evidence]:
    """其中2人当场死亡，另1人…抢救无效死亡: 另 adds its count to the one of the same kind just before (the larger of the
    sum and any total stated still wins)."""
    out = list(evidence)
    for i, e in enumerate(out):
        if e.kind is not FigureKind.deaths or not e.counted or _ANOTHER_RE.search(work, max(0, e.start - 2), e.start) is None:
            continue
        before = [p for p in out[:i] if p.kind is e.kind and p.counted and e.start - p.end <= 40]
        later_total = any(p.kind is e.kind and (p.is_update or p.is_correction) for p in out[i + 1 :])
        if (before and not later_total and _SAME_DEAD_RE.match(work, e.end) is None  # (…死亡人数升至3人: the total)
                and _OTHER_TIME_RE.search(work, max(0, before[-1].start - 12), e.start) is None
                and not before[-1].background):
            out[i] = e.model_copy(update={"value": before[-1].value + e.value})
    return out


def extract_figures(text: str) -> Figures:
    """All casualty / loss figures in ``text``; spans index ``text`` itself."""
    work = fold(text)
    refuted_spans = find_refuted_spans(work, folded=True)
    if _CORRECTION_NOTICE_RE.search(work) is not None:
        # 更正说明：通报中称“事故造成3人遇难”，经核实有误 / “2人遇难”，现更正为“5人遇难”: the quote said to be wrong
        # (not the one after 应为 / 更正为, nor one whose 表述不变)
        refuted_spans = sorted(refuted_spans + [m.span() for m in _QUOTED_RE.finditer(work)
                                                if _SAID_WRONG_RE.match(work, m.end()) is not None])
    refuted = SpanSet(refuted_spans)
    hypo = _hypothetical_spans(work)
    zero_ev, zero_spans = _zeros(text, work, refuted, hypo)
    evidence = _attach(text, work, refuted, zero_spans, hypo) + zero_ev
    evidence += _implicit_injury(text, work, evidence, hypo, refuted) + _implicit_missing(text, work, evidence, hypo, refuted)
    evidence = sorted(evidence, key=lambda e: (e.start, e.end))
    background = SpanSet(background_spans(work))
    evidence = [e.model_copy(update={"background": True}) if e.start in background else e for e in evidence]
    evidence = _superseded_layers(work, _refuted_everywhere(work, evidence, refuted_spans))
    marked, _, updated = _select(_another_adds(work, _found_dead(work, evidence)))
    marked = _restated_missing(_net_missing(work, _net_trapped(work, _remainder_replaces(work, marked))))
    values = {e.kind.value: e.value for e in marked if e.selected}
    updated = [k for k in updated if k.value in values]
    return Figures(evidence=tuple(marked), updated=tuple(updated), **values)
