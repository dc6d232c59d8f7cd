"""突发事件 grading, non-event detection and grading.yaml loading."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinel.classify.figures import extract_figures
from sentinel.classify.grading import (
    GradingConfigError,
    default_grading_path,
    grade_text,
    load_grading_config,
)
from sentinel.classify.nonevents import NonEventKind, detect_non_event
from sentinel.domain.codes import Grade, TopicCode

T = TopicCode
G = Grade
NOW = datetime(2025, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
REPO_YAML = Path(__file__).resolve().parents[2] / "classify" / "grading.yaml"


def grade(text: str, *topics: TopicCode) -> Grade:
    return grade_text(text, topics or (T.work_safety,), now=NOW).grade


# --- thresholds -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("某矿发生事故，造成1人死亡", G.general),
        ("某矿发生事故，造成2人死亡", G.general),
        ("某矿发生事故，造成3人死亡", G.relatively_serious),
        ("某矿发生事故，造成9人死亡", G.relatively_serious),
        ("某矿发生事故，造成10人死亡", G.serious),
        ("某矿发生事故，造成29人死亡", G.serious),
        ("某矿发生事故，造成30人死亡", G.particularly_serious),
        ("某矿发生事故，造成2人死亡、1人失踪", G.relatively_serious),  # missing counts with deaths
        ("某厂爆炸，近30人死亡", G.serious),  # 近30 is below 30
        ("某厂爆炸，超过30人死亡", G.particularly_serious),
        ("某厂爆炸，10至12人死亡", G.serious),
        ("某厂爆炸，9人重伤", G.general),
        ("某厂爆炸，10人重伤", G.relatively_serious),
        ("某厂爆炸，49人重伤", G.relatively_serious),
        ("某厂爆炸，50人重伤", G.serious),
        ("某厂爆炸，99人重伤", G.serious),
        ("某厂爆炸，100人重伤", G.particularly_serious),
        ("某厂泄漏，12名工人急性中毒", G.relatively_serious),  # 重伤(包括急性工业中毒)
        ("火灾造成直接经济损失999万元", G.general),
        ("火灾造成直接经济损失1000万元", G.relatively_serious),
        ("火灾造成直接经济损失4999万元", G.relatively_serious),
        ("火灾造成直接经济损失5000万元", G.serious),
        ("火灾造成直接经济损失9999万元", G.serious),
        ("火灾造成直接经济损失1亿元", G.particularly_serious),
    ],
)
def test_accident_boundaries(text: str, expected: Grade) -> None:
    assert grade(text, T.work_safety) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("某地发生山体滑坡，2人死亡", G.general),
        ("某地发生山体滑坡，3人死亡", G.relatively_serious),
        ("某地发生泥石流，10人遇难", G.serious),
        ("某地发生泥石流，30人遇难", G.particularly_serious),
        ("滑坡造成直接经济损失99万元", G.general),
        ("滑坡造成直接经济损失100万元", G.relatively_serious),
        ("滑坡造成直接经济损失500万元", G.serious),
        ("滑坡造成直接经济损失1000万元", G.particularly_serious),
        # the geological loss scale applies to every natural disaster
        ("洪涝灾害造成直接经济损失3.2亿元", G.particularly_serious),
        ("冰雹造成直接经济损失99万元", G.general),
        ("寒潮冻害造成直接经济损失约260万元", G.relatively_serious),
        ("受强降雨影响发生内涝，直接经济损失约820万元，无人员伤亡", G.serious),
        ("遭遇最严重气象干旱，直接经济损失超过30亿元", G.particularly_serious),
        ("被雪困了五天，羊死了一大半，四五百万的损失啊", G.serious),
        ("洪涝灾害造成2人死亡、1人失踪", G.relatively_serious),
        ("受强降雨影响，紧急转移群众1200余人，暂无人员伤亡", G.general),
        ("台风来袭，紧急转移安置群众12万人", G.general),
        ("台风来袭，紧急转移安置群众210万人", G.particularly_serious),
    ],
)
def test_natural_disaster_boundaries(text: str, expected: Grade) -> None:
    assert grade(text, T.natural_disaster) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("某学校发生食物中毒，20名学生出现呕吐症状", G.general),  # below 30: incident word only
        ("某学校发生食物中毒，30名学生出现呕吐症状", G.general),
        ("某学校发生食物中毒，99名学生出现呕吐症状", G.general),
        ("某学校发生食物中毒，100名学生出现呕吐症状", G.relatively_serious),
        ("某村聚餐后食物中毒，5人就医，其中1人死亡", G.relatively_serious),
        ("某学校发生食物中毒，120名学生出现呕吐症状，其中1人死亡", G.serious),
        ("某地发生食物中毒，已致10人死亡", G.serious),
        ("某地发生食物中毒，已致30人死亡", G.particularly_serious),
    ],
)
def test_food_safety_boundaries(text: str, expected: Grade) -> None:
    assert grade(text, T.food_drug) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("化工厂泄漏，2人死亡", G.general),
        ("化工厂泄漏，3人死亡", G.relatively_serious),
        ("化工厂泄漏，9人中毒", G.general),
        ("化工厂泄漏，10人中毒", G.relatively_serious),
        ("化工厂泄漏，50人中毒", G.serious),
        ("化工厂泄漏，100人中毒", G.particularly_serious),
        ("化工厂泄漏，紧急疏散群众4999人", G.general),
        ("化工厂泄漏，紧急疏散群众5000人", G.relatively_serious),
        ("化工厂泄漏，紧急疏散群众1.2万人", G.serious),
        ("化工厂泄漏，紧急疏散群众5万人", G.particularly_serious),
        ("污染事件造成直接经济损失499万元", G.general),
        ("污染事件造成直接经济损失500万元", G.relatively_serious),
        ("污染事件造成直接经济损失2000万元", G.serious),
    ],
)
def test_environment_boundaries(text: str, expected: Grade) -> None:
    assert grade(text, T.environment) is expected


def test_food_poisoning_under_a_sector_topic_uses_the_food_scale() -> None:
    # education / social_security have no type of their own: the accident rules would read 100
    # sickened as 急性工业中毒 (特别重大)
    assert grade("某大學食堂被驗出使用過期食材，103名學生出現腹瀉症狀", T.education) is G.relatively_serious
    assert grade("某大學食堂被驗出使用過期食材，103名學生出現腹瀉症狀", T.food_drug, T.education) is (
        G.relatively_serious
    )
    assert grade("一百多人拉肚子，学校公告只写了部分同学身体不适", T.education) is G.relatively_serious
    assert grade("某厂泄漏，12名工人急性中毒", T.labor_employment) is G.relatively_serious  # still accident


def test_an_outbreak_is_not_acute_industrial_poisoning() -> None:
    # 132 cases of dysentery at a school: illness, graded on the public-health scale, not 特别重大 as
    # 132 急性工业中毒 under the accident rules
    text = "某寄宿制学校发生细菌性痢疾暴发疫情，累计发病132人，1名学生因中毒型菌痢抢救无效死亡"
    assert grade(text, T.education, T.health).rank < G.particularly_serious.rank
    assert grade("化工厂氯气泄漏，造成112名工人中毒", T.work_safety) is G.particularly_serious


def test_loss_amount_alone_is_not_an_incident_under_the_default_type() -> None:
    assert grade("去年全省打击养老诈骗，为老年人挽回经济损失9.7亿元", T.finance) is G.none
    assert grade("法院判令区政府赔偿原告房屋损失等共计218万元", T.land_demolition) is G.none
    assert grade("某市场发生火灾，直接经济损失1.2亿元", T.finance) is G.particularly_serious
    assert grade("经济损失1.2亿元", T.work_safety) is G.particularly_serious  # the topic names the type


def test_public_health_deaths_are_deaths_of_the_disease() -> None:
    assert grade("院方通报：我院一名患者在住院期间从病房窗户坠落身亡", T.health) is G.general
    assert grade("某地发生聚集性疫情，已有1例死亡", T.health) is G.relatively_serious
    assert grade("某县中心医院11名透析患者出现发热寒战，其中1人死亡", T.health) is G.relatively_serious


def test_public_health_named_disease_and_counts() -> None:
    assert grade("某医院发现人感染高致病性禽流感病例", T.health) is G.serious
    assert grade("某地发生聚集性疫情，新增病例12例", T.health) is G.general
    assert grade("某工地食堂食物中毒，发病110人", T.health) is G.relatively_serious


@pytest.mark.parametrize(
    ("text", "topics", "expected"),
    [
        # still trapped, not the first total (DATA_CARD: trapped and missing count until resolved)
        ("北岭县金矿透水事故被困的11名矿工中，已有3人成功获救升井，其余8人仍被困井下", (T.work_safety,),
         G.relatively_serious),
        ("某矿透水事故12人被困，经全力救援，9人获救，2人遇难，1人失联", (T.work_safety,), G.relatively_serious),
        ("某矿发生透水事故，12人被困", (T.work_safety,), G.serious),
        ("尾矿库溃坝事故已发现遇难者遗体29具，仍有3人下落不明", (T.work_safety,), G.particularly_serious),
        # 涉及100人以上并出现死亡病例 (food and public-health scales)
        ("婚宴食物中毒，累计就诊136人，一名72岁患者因基础疾病加重经抢救无效死亡", (T.food_drug,), G.serious),
        ("婚宴食物中毒，累计就诊136人，无死亡病例", (T.food_drug,), G.relatively_serious),
        ("我县累计报告麻疹病例143例，其中1例为合并重症肺炎的1岁患儿，经救治无效死亡", (T.health,), G.serious),
        ("312名中小学生在饮用同一批次学生奶后出现腹痛、呕吐等不适症状到医院就诊，其中1名学生经抢救无效死亡",
         (T.food_drug, T.education), G.serious),
        # an outbreak at a school is graded on the public-health scale, not as 急性工业中毒
        ("某学院诺如病毒感染疫情累计报告病例163例，均为轻症", (T.health, T.education), G.relatively_serious),
        ("某学院诺如病毒感染疫情累计报告病例163例，均为轻症", (T.education,), G.relatively_serious),
        ("某幼儿园累计报告手足口病病例26例，均为普通病例", (T.health, T.education), G.general),
        # tolls without a death keyword
        ("一车退休老人去看红叶，十八个没回来……", (T.transport,), G.serious),
        ("矿井透水，三十几个兄弟一个都没上来！", (T.work_safety,), G.particularly_serious),
        ("商场大火夺33命", (T.work_safety,), G.particularly_serious),
        ("赌博害人，十一个家庭散了", (T.public_order,), G.none),
        # hearsay the post itself questions supports no toll
        ("听说城北新村楼房倒塌了，死了二十多个人，群里都在传视频，有没有人知道真假？", (T.housing,), G.general),
        ("听说城北新村楼房倒塌了，死了二十多个人", (T.housing,), G.serious),
        # found on posts written outside the corpus (2026-11-24, second round)
        ("关于网传“鹤鸣二中食物中毒致学生死亡”的说明：经核实，共有35名学生出现呕吐、腹泻症状，无死亡病例，"
         "网传学生死亡系不实信息。", (T.food_drug, T.education), G.general),
        ("厂房大火烧了一夜，听说损失过亿", (T.work_safety,), G.particularly_serious),
        ("八個兄弟沒能上來。//@鶴鳴發佈: 【通報】興隆煤礦透水事故已造成8人死亡，4人獲救。", (T.work_safety,),
         G.relatively_serious),  # the spoken eight are the eight dead, not eight more missing
        ("十二个兄弟没能上来，矿上只说3人死亡", (T.work_safety,), G.serious),  # more gone than stated dead
        ("工地塔吊倒了，两个师傅当场就没了，还有1人下落不明", (T.work_safety,), G.relatively_serious),
        ("【暑期安全】防溺水“六不”提醒：不私自下水游泳", (T.education,), G.none),
        ("青岚县气象台解除暴雨蓝色预警信号。", (T.natural_disaster,), G.none),
        ("城南养老院发生流感聚集性疫情，15名老人发热，已隔离治疗", (T.health,), G.general),
        ("桐林县二中发生一起食源性疾病事件，发病人数增至102人，均无生命危险", (T.food_drug,), G.relatively_serious),
        ("一名工人下井清淤时晕倒，两名工友下井施救。三人被救出后经全力抢救，均不幸身亡。", (T.work_safety,),
         G.relatively_serious),
        # 国家突发环境事件应急预案 附件1: a county town's (重大) or a town's (较大) water source cut by pollution
        ("鹤溪县紧急通告：因上游化工企业违法排污，城区自来水厂取水口水质异常，城区自即日12时起暂停供水。",
         (T.environment,), G.serious),
        ("整个鹤溪县城停水了！说是上游化工厂偷排把水源污染了", (T.environment,), G.serious),
        ("桃溪镇自来水厂水源受上游养殖场污染，全镇暂停供水。", (T.environment,), G.relatively_serious),
        ("因管网改造，城区部分区域明日8时至18时停水，请居民提前储水。", (T.environment,), G.none),  # works planned, no pollution: a notice
        ("五千多万一把火没了，3人受伤送医", (T.work_safety,), G.general),  # 万一 inside a sum is no "in case"
        # 爆炸 as a figure of speech
        ("这家火锅店的牛油锅底真的是味觉爆炸", (T.other,), G.none),
        ("这家火锅店生意爆炸好", (T.other,), G.none),
        ("测评：网红“爆炸”辣条，吃完舌头麻了半小时", (T.other,), G.none),
    ],
)
def test_corpus_gaps(text: str, topics: tuple[TopicCode, ...], expected: Grade) -> None:
    assert grade(text, *topics) is expected


def test_public_order_uses_documented_proxy_scale() -> None:
    assert grade("某地发生持刀伤人案件，造成3人死亡", T.public_order) is G.relatively_serious
    assert grade("某村发生群体性事件，数百人聚集", T.public_order) is G.general


def test_incident_without_figures_is_general() -> None:
    for text in ("某化工厂发生爆炸", "某小区起火", "某在建楼房坍塌", "某企业氨气泄漏"):
        result = grade_text(text, [T.work_safety], now=NOW)
        assert result.grade is G.general, text
        assert result.incident_words and result.rule is not None


def test_everyone_rescued_is_still_an_incident() -> None:
    # Trapped 7, rescued 7: nobody is left trapped, and a mine accident still happened.
    text = "好消息！经过72小时不间断救援，被困井下的7名工人全部获救升井，生命体征平稳"
    assert grade(text, T.work_safety) is G.general
    assert grade("山体滑坡后，被埋的3名村民已全部救出", T.natural_disaster) is G.general
    assert grade("县民政局：12名困难群众获救助，发放临时救助金3万元", T.social_security) is G.none  # welfare aid


def test_spoken_incident_words() -> None:
    assert grade("雨太大了，镇上发大水，一楼的店铺全进水了", T.natural_disaster) is G.general
    assert grade("地铁站进水，乘客被困在车厢里，水已经到膝盖", T.transport) is G.general
    assert grade("今天车间冲床出事了，师傅左手被压进去，满手是血", T.work_safety) is G.general
    assert grade("地铁站B口有人打架，其中一个掏出刀了，警察刚到", T.public_order) is G.general


def test_a_weather_warning_is_none_until_it_reports_harm() -> None:
    warning = "【暴雨黄色预警】预计今天夜间有大暴雨，沿河低洼地带可能被淹，易积水路段请绕行。"
    assert grade(warning, T.natural_disaster) is G.none
    assert grade("市气象台发布暴雨红色预警信号。目前城区多处内涝，车辆被淹，交通中断。", T.natural_disaster) is G.general


def test_no_incident_is_none() -> None:
    assert grade("我市房价环比上涨0.3%", T.housing) is G.none
    assert grade("未发生爆炸，现场秩序正常", T.work_safety) is G.none  # negated incident word
    assert grade("加强安全生产事故隐患排查", T.work_safety) is G.none
    assert grade("市政府召开安全生产工作会议，强调坚决遏制重特大事故发生", T.work_safety) is G.none
    assert grade("气象台预计明天有暴雨", T.natural_disaster) is G.none
    assert grade("无锡一化工厂爆炸", T.work_safety) is G.general  # 无锡 is a city, not a negation


def test_hazards_offices_and_risk_lists_are_no_incident() -> None:
    # A hazard reported before anything happened, an office's name, a list of risks (seventeenth session).
    assert grade("车间门口堆放大量油漆桶，现场无任何灭火器材，担心引发火灾，要求相关部门检查", T.work_safety) is G.none
    assert grade("后山坡出现一条长约十几米的裂缝，坡下住着五户人家，担心发生滑坡", T.natural_disaster) is G.none
    assert grade("市地震局提醒：手机已内置地震预警功能，预警信息会在破坏性地震波到达前推送", T.natural_disaster) is G.none
    assert grade("今晚到明天，东部乡镇发生滑坡、泥石流的风险较高，请注意避险", T.natural_disaster) is G.none
    # (the sixteenth session's forecast rule called this hypothetical; now no word names an incident at all)
    assert grade("地质灾害气象风险预警：明日我县东部山区发生滑坡、泥石流的风险较高。", T.natural_disaster) is G.none
    assert grade("经现场核查，相关河段各项指标正常，不存在水污染事件", T.environment) is G.none
    assert grade("为深刻吸取近期各地燃气事故教训，县安委办自即日起开展城镇燃气安全专项整治", T.work_safety) is G.none
    # (third review) homework words and a tip header over a real outbreak
    assert grade("今天期中考试，数学有一道题是计算题，考到一半好几个同学肚子疼呕吐，老师说可能是中午食堂的饭有问题",
                 T.food_drug) is G.general
    assert grade("秋冬季流感预防要点：XX中学高二年级出现流感聚集性疫情，发热学生已居家隔离，班级停课", T.health) is G.general
    # ...while a current incident near those words stays one
    assert grade("昨晚仓库起火，附近居民担心引发爆炸，目前火势已控制", T.work_safety) is G.general
    assert grade("预防火灾！楼下仓库起火了", T.work_safety) is G.general  # prevention in another clause
    assert grade("村后山坡上裂了一条大缝，一下雨就往下掉石头，怕哪天滑坡", T.natural_disaster) is G.none
    assert grade("夏季是溺水高发期，家长务必看管好孩子，不要私自下河游泳！", T.education) is G.none
    assert grade("好怕啊，楼下着火了", T.work_safety) is G.general
    assert grade("请注意防溺水！刚刚村头池塘有孩子溺水了", T.work_safety) is G.general
    assert grade("这场大火带走了三条生命，整条街都在哭", T.work_safety) is G.relatively_serious
    assert grade("化工厂爆炸波及周边居民楼，已造成2人死亡", T.work_safety) is G.general
    assert grade("地震造成房屋倒塌，目前已有5人遇难，地震局专家赶赴现场", T.natural_disaster) is not G.none
    assert grade("这可不是小事故，3个人没了", T.work_safety) is G.relatively_serious
    assert grade("至今未发现生还者的透水事故现场，12名矿工仍被困井下", T.work_safety) is G.serious
    assert grade("透水事故发生后，救援人员至今未发现生还迹象的被困矿工还有12人", T.work_safety) is G.serious
    # how easily it would happen is a risk; the cases of an ordinary season deny an outbreak
    assert grade("那段路烂到不得了，落雨嘅时候骑电单车好易翻车，几时先修啊？", T.transport) is G.none
    assert grade("雨天路面湿滑，容易发生追尾，请减速慢行", T.transport) is G.none
    assert grade("容易翻车的那个弯道今天真翻车了，司机被困驾驶室", T.transport) is G.general
    assert grade("该院近期接诊的均为普通呼吸道感染病例，诊疗秩序正常", T.health) is G.none
    assert grade("该院近期接诊发热病例明显增多，其中聚集性病例12例", T.health) is not G.none


def test_unmapped_topic_uses_accident_rules_when_figures_present() -> None:
    assert grade("某校一辆校车侧翻，造成3名学生死亡", T.education) is G.relatively_serious
    assert grade("某校开展教学改革", T.education) is G.none
    assert grade_text("某校发生踩踏，3人死亡", [], now=NOW).grade is G.relatively_serious


def test_most_severe_type_wins() -> None:
    text = "某化工厂泄漏，紧急疏散群众1.2万人，1人受伤"
    assert grade(text, T.work_safety) is G.general
    result = grade_text(text, [T.work_safety, T.environment], now=NOW)
    assert result.grade is G.serious and result.incident_type == "environment"


def test_result_carries_rule_evidence_and_explanation() -> None:
    text = "某煤矿发生透水事故，已造成12人死亡"
    result = grade_text(text, [T.work_safety], now=NOW)
    assert result.grade is G.serious
    assert result.incident_type == "accident"
    assert result.rule == "deaths ≥ 10 → serious (生产安全事故报告和调查处理条例 第三条(二))"
    assert result.explanation_zh.startswith("抽取: 死亡12人 → 重大(Ⅱ级)")
    assert [(e.kind.value, e.value) for e in result.evidence] == [("deaths", 12)]
    assert all(text[e.start : e.end] == e.text for e in result.evidence)
    assert result.non_event is None
    with pytest.raises(Exception):  # noqa: B017 — frozen model
        result.grade = G.none  # type: ignore[misc]


def test_update_drives_the_grade() -> None:
    text = "某煤矿瓦斯爆炸已造成8人死亡。最新消息，死亡人数升至31人。"
    result = grade_text(text, [T.work_safety], now=NOW)
    assert result.grade is G.particularly_serious
    assert "(更新)" in result.explanation_zh


# --- non-events: each kind with a positive and a negative case -------------------------

NON_EVENTS: list[tuple[str, NonEventKind | None]] = [
    ("网传某地化工厂爆炸致10人死亡，经核实系谣言", NonEventKind.rumour_refuted),
    ("辟谣！网传我县某小学发生火灾不实", NonEventKind.rumour_refuted),
    ("王某在网上造谣称某地发生命案，已被行政拘留", NonEventKind.rumour_refuted),
    ("网传“地铁2号线隧道坍塌，被困上百人”。轨道交通集团辟谣：2号线运营正常。", NonEventKind.rumour_refuted),
    ("网传“某县已有20多人饮水中毒死亡”？县卫健委回应：网传内容无事实依据。", NonEventKind.rumour_refuted),
    ("网传死亡10人不实，实际死亡3人", None),  # an official correction still confirms the incident
    ("某化工厂发生爆炸，造成3人死亡。另，网传“厂长跑路”系谣言。", None),
    ("我县开展危化品泄漏事故应急演练，模拟3人受伤", NonEventKind.drill),
    ("某市举行地震应急演习，疏散师生2000人", NonEventKind.drill),
    ("某化工厂发生爆炸，造成3人死亡。据悉，该厂上月曾开展应急演练。", None),
    ("消防演练中发生意外，1名队员受伤", None),
    ("2015年8月12日，天津港发生火灾爆炸事故，造成165人遇难。", NonEventKind.history),
    ("纪念汶川地震15周年：那场地震造成近7万人遇难", NonEventKind.history),
    ("十年前的今天，这里发生矿难，死亡30人", NonEventKind.history),
    ("今日凌晨某矿发生透水事故，3人被困。该矿曾于2015年发生过类似事故。", None),
    # a year after the incident, in another clause, dates something else
    ("关于某村一农户房屋倒塌致1人死亡的情况通报：经调查，该农户房屋于2023年经鉴定为C级危房。", None),
    ("天津港爆炸事故发生于2015年8月12日，造成165人遇难。", NonEventKind.history),
    ("某厂昨日发生爆炸，2人死亡。事发当天恰逢建厂30周年。", None),
    ("如果发生地震，可能造成上百人死亡", NonEventKind.hypothetical),
    ("专家提醒：万一发生燃气泄漏，应立即开窗通风", NonEventKind.hypothetical),
    ("如果不是及时疏散，后果不堪设想。昨晚某小区发生火灾，1人受伤。", None),
    ("今年以来，全县共发生生产安全事故12起，死亡15人，同比下降20%", NonEventKind.statistics),
    ("2024年全年，全市道路交通事故死亡人数同比下降12%", NonEventKind.statistics),
    ("某矿发生事故，3人死亡。这是今年以来该省发生的第2起较大事故。", None),
    ("当地时间6日，土耳其发生7.8级地震，已造成3000人死亡", NonEventKind.outside_jurisdiction),
    ("美国纽约一栋公寓楼起火，造成19人死亡", NonEventKind.outside_jurisdiction),
    ("日本福岛县发生6.1级地震", NonEventKind.outside_jurisdiction),
    ("我市一家日本料理店发生火灾，2人受伤", None),
    ("去年12月31日夜间，胡图族叛乱者袭击了布琼布拉机场附近一个村庄，杀死了200人至300人",
     NonEventKind.outside_jurisdiction),
    ("卢旺达西北部发生山体滑坡，已造成30人死亡", NonEventKind.outside_jurisdiction),
    ("我市一家汉堡店发生火灾，3人受伤", None),
    ("许多哥们在工地上干了三个月没拿到工资，今天集体讨薪，有2人受伤", None),
    ("美国籍游客在我市景区落水身亡", None),
    # where the victims come from is not where it happened
    ("泰国清迈一辆旅游巴士翻侧，车上是来自台湾的旅行团，事故造成5人死亡", NonEventKind.outside_jurisdiction),
    ("日本北海道发生雪崩，遇难者中有2名湖南籍游客", NonEventKind.outside_jurisdiction),
    ("台湾花莲发生6.5级地震，已造成3人死亡", None),
    ("某化工厂发生爆炸，造成3人死亡，8人受伤", None),
    # monthly and yearly summaries, court rulings, retold disasters
    ("10月全省法定传染病疫情概况：全省共报告法定传染病12.4万例，死亡86人。", NonEventKind.statistics),
    ("我国每年因交通事故死亡人数约6万人", NonEventKind.statistics),
    ("9月份本县因溺水死亡11人，以青少年为主", NonEventKind.statistics),
    ("全市今年因自然灾害直接经济损失二十多亿元，比去年少了一成", NonEventKind.statistics),
    ("今年全省山洪共造成34人死亡失踪，比往年明显减少", NonEventKind.statistics),
    ("今年全省首起较大事故：某矿透水，3人死亡", None),
    ("【提醒】野生菌中毒进入高发期，去年我省因误食野生菌死亡12人", NonEventKind.statistics),
    ("今年以来全县已发生两起溺水事故，昨天又有3名学生在河里溺亡", None),
    ("截至今天，今年全市共发生火灾312起，死亡9人", NonEventKind.statistics),
    ("市人民医院ICU一年成功救治危重病人300多例", NonEventKind.statistics),
    ("该院烧伤科收治重症患者40余名，治愈率达95%", NonEventKind.statistics),
    ("小时候听奶奶说，那年发大水，村里淹死了四十多人", NonEventKind.history),
    ("那年轻司机当场死亡，车上另有3人受伤", None),
    ("全省去年共报告食源性疾病暴发事件312起，发病3641人，死亡19人", NonEventKind.statistics),
    ("南渡县甲醇假酒中毒案一审宣判：被告人以工业酒精勾兑白酒销售，致14人死亡。", NonEventKind.history),
    ("云峰县龙泉煤矿透水案宣判 矿主判囚十二年 法院指矿主越界开采，导致32名矿工罹难。", NonEventKind.history),
    ("制衣厂火灾一年后：12名遇难女工的工亡待遇已全部认定支付", NonEventKind.history),
    # a forecast or a lesson names an incident that has not happened
    ("今年防汛形势研判：预计汛期降水偏多2-3成，可能发生区域性洪涝灾害，请各地提前做好准备。", NonEventKind.hypothetical),
    ("直播预告：应急救护知识讲座，教你如何在火灾中逃生。", NonEventKind.hypothetical),
    # ...but not a current emergency that warns of worse (review, 2026-11-24)
    ("化工厂突发大火，火势猛烈，可能引发爆炸，请周边居民立即撤离！", None),
    ("青石水库出现管涌险情，随时可能发生溃坝，下游群众正在紧急转移", None),
    ("高速上一辆油罐车侧翻，车上满载汽油，可能引发火灾，交警已封路", None),
    ("【紧急通知】我县石门镇发生山体滑坡，坡体仍在滑动，可能造成二次滑坡，请群众远离", None),
    ("才住了七八年的楼房昨晚突然坍塌，3人被埋", None),  # 七八年: seven or eight years
    ("比九八年的洪水还大！今天石门镇被淹，2人遇难", None),
    ("县里刚开完表彰大会，礼堂就起火了，5人受伤", None),
    ("这家曾被授予“安全生产先进单位”称号的煤矿，昨天发生透水事故，12人被困", None),
    ("新闻连载丨化工园区爆炸事故死亡人数升至47人，200余人受伤", None),
    ("这是新剧院开业第一周，今晚突发火灾，3人受伤", None),
    ("我县开展应急救援技能比武，参赛队伍共救出被困人员40名", NonEventKind.drill),
    ("河水暴涨，多个村庄被淹，可能出现更大洪水，请注意避险", None),
    ("梦到了吗？昨晚青石县发生5.8级地震，已造成12人死亡", None),
    ("刚梦见我们宿舍楼塌了，死了好几个人，吓醒了一身汗", NonEventKind.fiction),
    ("强降雨可能引发山洪，昨晚已造成2人死亡", None),  # a counted toll: it has happened
    ("昨晚仓库起火，无人员伤亡，起火原因可能是电线老化，预计今天恢复营业", None),
    # honours come after the disaster they were earned in
    ("省政府追授在矿难救援中牺牲的3名救护队员“革命烈士”称号", NonEventKind.history),
    ("市应急管理局召开表彰大会，表彰在“7·20”特大暴雨抢险中涌现的先进集体和个人", NonEventKind.history),
    ("化工厂爆炸已致3人死亡，冒死救出5名工友的先进个人值得表彰", None),  # a current toll; praise in passing
    ("【今天，我们缅怀】1976年7月28日，河北唐山发生7.8级强烈地震，24万余人遇难。", NonEventKind.history),
    ("2015年建成的大桥今天坍塌，3人死亡", None),  # a bare year dates the bridge, not the collapse
    ("某厂昨日爆炸致3人死亡，警方已刑拘2名责任人", None),
    ("江西遭遇1961年以来最严重气象干旱，直接经济损失超过30亿元", None),
    # a refuting headline's quoted claim; "no casualties" in a refutation confirms nothing
    ("【谣言】“京哈高速某段发生80车连环相撞，死亡30余人”。经交警核实，当日该路段无人员伤亡。",
     NonEventKind.rumour_refuted),
    ("#辟谣# 网传“汉源县山体滑坡，埋了50多人”不实。县应急管理局回应：未造成人员伤亡。", NonEventKind.rumour_refuted),
    ("网传死亡10人不实，实际死亡3人，无人失踪", None),
    # the plot of a novel, film or game; but a real fire on a film set is an incident
    ("推荐一本小说《渡口》：一艘超载的渡船翻在江里，十九个人没回来，作者用十九个章节写了十九个家庭",
     NonEventKind.fiction),
    ("《峰爆》这部电影里隧道塌方埋了几十个工人，特效很震撼", NonEventKind.fiction),
    ("電影《烈火英雄》裡油罐爆炸那段，看得我手心冒汗，幾十人被困", NonEventKind.fiction),
    ("电影《长夜》拍摄现场发生火灾，造成3人死亡", None),
    ("看了《新闻联播》才知道，今天某化工厂发生爆炸，造成3人死亡", None),
    # refutations of unquoted claims, of a quotation ending in 的不实信息, of a second claim after 系谣言
    ("網上說那個商場火災死了二十幾個，警方已經闢謠了，根本沒人死", NonEventKind.rumour_refuted),
    ("有网民发布视频称园区发生爆炸，已造成15人死亡。经核实，该视频系外地旧视频，网传信息不实。",
     NonEventKind.rumour_refuted),
    ("警情通报：网民王某发布“某小学食堂集体中毒，60余名学生住院”的不实信息，已被行政拘留。",
     NonEventKind.rumour_refuted),
    ("网传“地震致数十人遇难”系谣言。针对网络流传的“地震已致数十人遇难”说法，县应急管理局回应：未造成人员伤亡。",
     NonEventKind.rumour_refuted),
    ("当地估算，若风暴潮与天文大潮叠加，最多或需撤离40万人", NonEventKind.hypothetical),
    ("看《急诊室的故事》第12集，一场车祸送来十几个重伤员", NonEventKind.fiction),
    ("朋友问我是不是又有大楼倒塌死了上百人，我说那是电影预告片", NonEventKind.fiction),
    ("昨晚梦到大地震，楼全塌了，死了好多人", NonEventKind.fiction),
    ("矿难遇难矿工追思会今天举行。五年前的那场透水事故中，22名矿工遇难", NonEventKind.history),
    ("科普：我国每年食物中毒事件造成数千人发病", NonEventKind.statistics),
    ("微信群截图：“开发区化工厂爆炸了，听说死了40多个”——区应急管理局辟谣：未发生爆炸事故", NonEventKind.rumour_refuted),
    ("網傳「地鐵隧道坍塌致12人死亡」影片瘋傳。經查證，該影片為外國舊片", NonEventKind.rumour_refuted),
    ("今天打《模拟城市》的地震灾难关卡，死亡人数一到300人就失败", NonEventKind.fiction),
    ("二刷还是哭了，电影里油罐区连环爆炸，几十名消防员冲进火海", NonEventKind.fiction),
    ("近日网传某镇发生砍人事件致7人死亡。经核实，系两村民发生口角，网传内容纯属捏造。", NonEventKind.rumour_refuted),
    ("玩《瘟疫公司》到凌晨，全球人口都感染了，死亡人数一直往上跳", NonEventKind.fiction),
    ("【一周回顾】本周本地新闻 📌 周三：开发区一工厂发生火灾，1名工人身亡。", None),  # this week's news
    ("关于网传“某化工厂爆炸死亡20人”的情况说明：经核实，该厂按计划检修排气，未发生任何爆炸，无人员伤亡。"
     "网传视频系拼接外地画面，请勿造谣传谣。", NonEventKind.rumour_refuted),
    ("【事實查核】網傳「西灣大橋塌咗 死咗幾十人」影片，經查證係外國片段，大橋今日運作正常，冇任何事故。",
     NonEventKind.rumour_refuted),
    # a fourth round of outside posts (2026-11-24, seventeenth session)
    ("網傳XX醫院出現不明傳染病病例、醫院已封院，市衛健委回應：經核實，該院運行正常，未發現任何傳染病聚集性病例，網傳消息為謠言。",
     NonEventKind.rumour_refuted),
    ("最近家族群里疯传的“大桥垮塌、30多人落水”视频，其实是2019年外省的旧视频，交警已经辟谣了", NonEventKind.rumour_refuted),
    ("有人问昨晚石门镇是不是地震了？省地震台回复：昨晚未监测到石门镇及周边发生地震，网传“6.0级地震”截图系伪造。",
     NonEventKind.rumour_refuted),
    ("群里疯传的视频是真的，化工厂爆炸，已造成3人死亡", None),
    ("有人伪造公章骗取补偿款，昨天还持刀伤人，致2人重伤", None),
    ("看完《长夜》哭成狗，电影讲的是一场特大矿难后井下被困的30名矿工", NonEventKind.fiction),
    ("这游戏新出的地震副本太难了，大楼塌了我在里面死了一百多次", NonEventKind.fiction),
    ("《长夜》第18集那场商场大火的戏拍得太真实了，十几个人被困，剧组用心了", NonEventKind.fiction),
    ("电影院放映时起火，观众紧急疏散，3人受伤", None),
    ("又到野生菌季，州疾控中心提醒：去年全州共报告误食野生菌中毒事件58起，中毒236人，死亡3人。",
     NonEventKind.statistics),
    ("暑假防溺水，家长请转给孩子！据统计，溺水是造成中小学生意外死亡的“第一杀手”。", NonEventKind.statistics),
    ("县防返贫监测简报：本季度新识别监测对象47户，其中因灾9户、因意外事故5户。", NonEventKind.statistics),
    ("外交部领事保护中心提醒：近期某国多地发生枪击案件，已造成数十人伤亡，在当地的中国公民请提高警惕。",
     NonEventKind.outside_jurisdiction),
    ("县里去年那起大巴侧翻事故的司机今天被判了，交通肇事罪，那次事故死了5个人。", NonEventKind.history),
    ("去年“7·20”洪灾中房屋倒塌的36户群众，今天搬进了新房。", NonEventKind.history),
    ("去年那场大火后重建的市场今天又起火了，2人受伤", None),
    ("今天凌晨城南一仓库发生火灾，与去年那起事故如出一辙，1人死亡", None),
    ("该起事故被判定为较大生产安全事故，造成3人死亡", None),
    ("商场周年庆搞促销，一开门人群往里挤发生踩踏，十一人受伤，其中两人重伤", None),  # a sale, not an anniversary
    # ...and what a review of those rules found they silenced (each an emergency going on now)
    ("好害怕！对面楼着火了，浓烟滚滚，有人被困在楼上", None),
    ("大家都很担心，山体滑坡把路埋了，一辆车被压在下面", None),
    ("現在好害怕，對面工廠爆炸了，濃煙好大", None),
    ("居民称事前未发现任何异味就突然爆炸了，整栋楼被炸塌", None),
    ("物业巡查未发现任何隐患第二天就起火了", None),
    ("监测站没有监测到任何异常山体就滑坡了，五户人家被埋", None),
    ("刚刚地震波及我们县城，房子晃得厉害，墙都裂了", None),
    ("地震带来的损失很大，很多房子塌了", None),
    ("去年那场洪水冲垮的堤坝今天凌晨决口，200多名群众被困", None),
    ("去年那起事故的整改没到位，今天该煤矿发生透水，12人被困", None),
    ("在去年地震中受损的危房今天上午倒塌，2人被埋", None),
    ("去年台风中受损的广告牌今天被风刮落，砸死一名路人", None),
    ("前年那次滑坡的地方今天塌了更大一片，埋了两辆车", None),
    ("这栋楼去年就被判危房了，今天上午倒塌，3人被埋", None),
    ("老板被判过刑还在非法生产，今天作坊爆炸，4人死亡", None),
    ("今天下午，城南小区发生燃气爆炸，造成2人死亡，这已是本季度第三起", None),
    ("上季度刚验收的大桥今天上午垮塌，4辆车坠河，5人死亡", None),
    ("溺水是学生意外死亡的第一杀手。5月20日下午，我县两名初中生在河中溺水，目前仍在搜救", None),
    ("突发！电影《长夜》发生爆炸事故，片场2名工作人员死亡", None),
    ("网吧突发大火，不少人还在玩游戏打副本没来得及跑，已致3人死亡", None),
    ("朋友圈疯传化工厂爆炸视频，有人说是旧视频，我刚路过确认了，现在还在冒烟", None),
    ("群里传的爆炸视频是今天的，不是旧视频，浓烟还在冒", None),
    ("网传化工厂爆炸，这不是谣言，我家窗户都震碎了，3人受伤", None),
    ("朋友圈传疯了，万达广场着火了，商场回应说不实，但我就在现场，烟很大", None),
    ("发生爆炸的烟花厂所持许可证系伪造", None),
    # a fifth round of outside posts
    ("澄清：关于“某小学学生集体食物中毒”的说法不属实，当日仅有2名学生因感冒请假，学校食堂供餐正常。",
     NonEventKind.rumour_refuted),
    ("网传视频中“某大桥坍塌、多辆车坠河”的画面，经警方核实为某影视剧拍摄现场，请勿传播。", NonEventKind.rumour_refuted),
    # old footage passed round as news (twenty-fourth session)
    ("这两天有个视频在传，说“柳溪大桥被洪水冲断了”。我今天去看了，桥好好的。那个视频是好几年前发大水时拍的。",
     NonEventKind.rumour_refuted),
    ("网传化工厂爆炸的视频是假的？我就在现场，已经3人受伤", None),
    ("电影拍摄现场发生爆炸，3人受伤", None),
    ("山体滑坡了，好怕哪天又来，已有2人被埋", None),
    ("起火的是电影拍摄用的摄影棚，3名工作人员被烧伤", None),  # review: a real set, no verification
    ("刚收到“化工园区爆炸”的消息辟谣了吗？没有！真的炸了，死了好几个", None),  # a refutation asked about
    ("“化工厂爆炸”的说法不属实？我就住旁边，玻璃都震碎了", None),
    ("太可怕以后山洪冲下来整个村子都淹了", None),  # 可怕, not 怕
    # a worry, then the feared thing reported as happening (older rule, found in review)
    ("怕万一着火，刚刚五楼着火了", None),
    ("担心万一再爆炸 化工厂刚刚爆炸 快撤", None),
    ("以防万一大家注意：城南加油站刚刚爆炸了，已经死了2个", None),
    ("如果发生山洪，要立即撤离到高处", NonEventKind.hypothetical),
    # a verified denial refutes like 不实 does; a real accident's "no second accident" does not
    ("网传开发区一化工厂爆炸致5人死亡，经核实，当地未发生此类事件。", NonEventKind.rumour_refuted),
    ("网传高速连环车祸，经查，该路段未发生该事故。", NonEventKind.rumour_refuted),
    ("化工厂爆炸致5人死亡，经核实，未发生次生事故。", None),
    # 熊本县 is in Japan, not 本县
    ("日本九州熊本县暴雨成灾，一家养老院14名长者罹难", NonEventKind.outside_jurisdiction),
    # a refutation bulletin that gives the verified toll: the claim ends where the verified account begins
    ("关于网传“柏川化工厂爆炸致上百人死亡”的情况说明：经核实，事故共造成11人死亡、23人重伤，网传上百人死亡系不实信息。",
     None),
    ("网传某化工厂爆炸致20人死亡，经核实，该信息不实，系旧视频。", NonEventKind.rumour_refuted),
    # an exam question and a threshold explainer quote figures of no occurrence
    ("【安全工程师考试真题】某化工企业发生爆炸事故，造成12人死亡、35人重伤。该事故等级为（ ）。A.一般事故 B.较大事故",
     NonEventKind.hypothetical),
    ("一图读懂事故等级：造成30人以上死亡，或者100人以上重伤的，为特别重大事故；10人以上30人以下死亡的为重大事故。",
     NonEventKind.hypothetical),
    ("根据条例，10人以上30人以下死亡的为重大事故。此次爆炸已造成12人死亡。", None),  # the real toll is elsewhere
    # a title cut by its own exclamation mark is still one lead; a statement after ； is not a title
    ("“山洪来了！”——青岚县防汛应急演练侧记\n演练设定：8名群众被困在河心洲上。", NonEventKind.drill),
    ("受台风影响，菲律宾已有20人死亡；我省沿海已转移群众3万人。", NonEventKind.outside_jurisdiction),
    ("一年了。去年的今天，服装厂那场火灾带走了31个姐妹。今天去厂子旧址放了一束花。", NonEventKind.history),
    ("三年了。2023年的今天，石桥那场地震，我在学校宿舍被摇醒，十几户人家再也没有团圆过。", NonEventKind.history),
    ("“11·26”自建房倒塌事故善后工作基本完成。31名遇难者家属均已签订赔偿协议。", NonEventKind.history),
    ("昨晚看了《深井》，真的是全程窒息😭 讲的是一个煤矿發生瓦斯爆炸，37個礦工被困在井下800米的故事。",
     NonEventKind.fiction),
    ("#深井观后感# 煤矿瓦斯爆炸那段，37个矿工被困在井下，拍得太真实了", NonEventKind.fiction),
    ("《灾难模拟器2》评测：这次新增了“化工园区爆炸”关卡，处置不当伤亡会超过100人直接判负。", NonEventKind.fiction),
    ("昨晚那集电视剧的车祸戏拍得好真，两车相撞那一下我直接叫出声", NonEventKind.fiction),
    ("今天带孩子去科技馆体验了地震模拟平台，摇得好真实", NonEventKind.drill),
    # a weather warning forecasts the incident, unless harm is already reported
    ("【台风橙色预警】今年第6号台风预计将于23日夜间登陆。受其影响，我市将有大到暴雨，请市民减少外出。",
     NonEventKind.hypothetical),
    ("市气象台发布暴雨红色预警信号。城西隧道积水，一辆公交车被困，乘客正在转移。", None),
    ("市气象台发布暴雨红色预警信号。目前城区多处内涝，车辆被淹，部分路段交通中断。", None),
    ("梧川市气象台发布暴雨红色预警信号：预计未来3小时将有大暴雨，山洪、泥石流风险极高，低洼地带易发生内涝。",
     NonEventKind.hypothetical),
    ("【台风预报】今年第6号台风预计明天下午在我市沿海登陆，沿海将出现风暴潮。", NonEventKind.hypothetical),
    ("寒潮蓝色预警升级为橙色！预计我市将出现大范围雨雪冰冻天气，南部局地有暴雨。", NonEventKind.hypothetical),
    ("【台风预报】台风预计明天登陆，降雨量可达250毫米，可能引发城市内涝和山洪。市防指已启动应急响应。",
     NonEventKind.hypothetical),
    ("市气象台发布暴雨橙色预警信号：预计今晚有大暴雨。山洪、泥石流、滑坡等地质灾害气象风险较高。",
     NonEventKind.hypothetical),
    # an anniversary named anywhere; last year's crash named with its month; a film's plot and release
    ("五年了，还是忘不了那个夏天。那一夜白河暴涨，全县43人遇难。今天是“7·18”洪灾五周年，镇上好多人去献花。",
     NonEventKind.history),
    ("去年5月那起大巴坠河事故，我舅舅是13个遇难者之一。今天终于和客运公司签了赔偿协议，每位遇难者赔偿120万元。",
     NonEventKind.history),
    ("看了《深井》，后劲很大。片子讲的是一座小煤矿透水后，32名矿工被困井下的七天七夜。", NonEventKind.fiction),
    ("刚看完《流浪地球2》，月球坠落那段太震撼了，整个城市被海啸吞没，几十亿人死了……", NonEventKind.fiction),
    ("刚才群里转的那个“化工园爆炸死了几十人”的视频大家别再转了，那是去年外省的视频，园区今天一切正常，造谣的已经被找上门了",
     NonEventKind.rumour_refuted),
    ("《大震》终于上映了，整座城市三分钟内塌掉那一段看得人腿软，片尾打出“地震造成二十四万人遇难”。", NonEventKind.fiction),
    # ...and what those cues must not silence: 集 inside other words, a fresh incident beside an old one,
    # a warning beside harm done, a show beside a scene
    ("码头上集装箱起火了，浓烟很大，消防车正在赶来", None),
    ("群里转的视频是刚拍的，化工园爆炸了，已经死了3个人", None),
    # a headline on its own line, then the lede: read as one lead, as it is with a space between
    ("3分12秒！2300余名师生安全疏散\n11日上午，市第七中学开展防震减灾应急疏散演练。学生们迅速撤离到操场。", NonEventKind.drill),
    ("市疾控中心提醒：诺如病毒感染进入高发季\n今年以来，全市共报告诺如病毒感染聚集性疫情14起，均已妥善处置。",
     NonEventKind.statistics),
    ("城西化工厂发生爆炸\n今天下午3时许，城西化工厂发生爆炸，已致3人死亡。这是该厂今年以来第二起事故。", None),
    ("看完《新闻联播》那段才知道，邻县化工厂今天下午发生爆炸，已致3人死亡", None),
    ("看了《焦点访谈》，矿难现场太震撼了，13名矿工遇难", None),
    ("看完《流浪地球2》出来商场就着火了，好吓人，消防车来了", None),
    ("朋友圈转发了官方通报：化工厂爆炸造成3人死亡，网传20人死亡系谣言", None),
    # an eleventh round: a rumour called false, an investigation report, a risk warning, safety tips
    ("网上那个“红旗水库溃坝，下游好几个村被淹”的说法是假的，水务局今天专门发了说明，大坝运行正常。", NonEventKind.rumour_refuted),
    ("“3·14”商场火灾调查报告公布：去年3月14日，东城区百盛商场发生火灾，造成9人死亡。22名公职人员被问责。", NonEventKind.history),
    ("市自然资源局、市气象局联合发布地质灾害气象风险预警：我市南部山区滑坡、崩塌、泥石流等地质灾害的风险较高，必要时及时转移受威胁群众。",
     NonEventKind.hypothetical),
    ("冬季燃气安全，这几点一定要记住！\n1.闻到燃气味，千万不要开关电器；\n2.软管超过两年要及时更换。每年冬季都是燃气爆炸事故的高发期。",
     NonEventKind.hypothetical),
    ("今天下午城南小区发生燃气爆炸，提醒各位居民注意用气安全", None),
    ("城南化工厂起火，3人受伤，温馨提示：周边居民请关好门窗", None),
    # a report that ends with advice, or opens with a 提示 before one dated or placed incident, is a report
    ("城南化工厂起火，温馨提示：周边居民请关好门窗", None),
    ("【警情通报】11月21日21时许，我区紫荆路一小区地下车库电动车起火，所幸无人员伤亡。温馨提示：电动车请勿在楼道、车库违规充电。", None),
    ("小区门口电动车和大货车相撞，骑车的大爷倒在地上一动不动😭 提醒各位家长：路口一定要看车！", None),
    ("温馨提示：中山路一货车侧翻，请过往车辆绕行。", None),
    ("幸福路一商铺起火，店主立即拨打119报警，火被扑灭，无人受伤。温馨提示：店铺打烊前请断电。", None),
    # a headline that reports an incident is news whatever background the lede opens with
    ("城南一化工厂爆炸致2人死亡\n今年以来，全省已发生类似事故3起，应急管理部门要求开展全面排查。", None),
    ("XX商场突发火灾 300余名顾客3分钟安全疏散\n得益于上月刚开展的消防演练，商场工作人员第一时间引导顾客从安全通道撤离。", None),
    ("某地一煤矿透水 12名矿工被困\n这是继电视剧《山海情》热播后，当地又一起引发关注的事件。", None),
    ("城东一居民楼燃气爆炸\n今年以来，我市已开展燃气安全专项检查12次。", None),
    ("19日晚幸福小区火灾致2死 火灾调查报告出炉：系电动车入户充电引发", None),
    ("楼下集中供暖的锅炉房爆炸，玻璃全碎了", None),
    ("这集团的化工厂刚刚发生爆炸，3人受伤", None),
    ("上个月爆炸事故的善后工作已经完成，今天凌晨这个厂又发生火灾，浓烟滚滚", None),
    ("2016年的今天也是这样，今天小区又着火了，消防车来了", None),
    ("气象台发布暴雨橙色预警，凌晨村后山发生泥石流，两户房子被埋", None),
    ("县里启动地质灾害橙色预警，凌晨李家沟发生滑坡，正在紧急撤离", None),
    ("【红色预警】城东化工厂爆炸，周边居民紧急撤离", None),
    ("写观后感写到一半，楼下仓库起火，消防车都来了", None),
    ("新出的那个城市模拟游戏有个“地震事件”，一下子死了三百多个市民，医院全塌了，气得我读档重来", NonEventKind.fiction),
    ("看完《天崩》真的手心冒汗，地震那段长镜头拍得太震撼了，大楼倒塌的特效不输好莱坞，7分吧。", NonEventKind.fiction),
    ("影视基地特效车间起火，浓烟滚滚，消防车来了", None),
    ("【每日一练】某企业发生火灾事故，造成3人死亡、12人重伤。该事故属于（ ）。A.一般事故 B.较大事故", NonEventKind.hypothetical),
    ("去年“12·3”煤矿透水事故遇难矿工家属的赔偿款已于本月全部发放到位，每户获赔约180万元。", NonEventKind.history),
    ("《“1·19”较大火灾事故调查报告》近日公布。调查认定该起火灾造成5人死亡，直接经济损失3280万元。", NonEventKind.history),
    ("今年第5号台风“海棠”预计明天傍晚在南屿沿海登陆，登陆时中心风力可能达14级！沿海的朋友们今晚把窗户贴好。",
     NonEventKind.hypothetical),
    ("电动车千万别推进家里充电！之前外地有一户人家把电动车放在客厅充电，凌晨电池起火，一家5口全部遇难。",
     NonEventKind.history),
    ("之前外地出过这种事，今天我们小区也起火了，消防车来了", None),
    ("去年大巴坠崖事故发生后，雁回县X012线生命安全防护工程已全面完工。", NonEventKind.history),
    # a work order's 办理结果 is the office's reply, not the feared fire happening
    ("工单编号：TL0387 诉求内容：楼道长期有人给电动车充电，万一起火整栋楼的人都跑不出去。 办理结果：已转街道办理。",
     NonEventKind.hypothetical),
    ("楼道里堆满电动车，万一起火怎么办，结果今晚真的起火了", None),
    # abroad, said in the lede under a headline that reports, or by a region of the world
    ("南太平洋岛国发生7.2级地震 已致40余人死亡\n据外媒报道，当地时间周二清晨，该国北部海域发生7.2级地震。", NonEventKind.outside_jurisdiction),
    ("【國際】歐洲中部連日暴雨 多國洪災已致42人死亡\n中歐多國近日遭遇罕見暴雨，多個城鎮被洪水淹沒。", NonEventKind.outside_jurisdiction),
    ("我省中东部地区遭遇暴雨，已造成2人死亡", None),
    ("中欧班列一节货车脱轨，3人受伤", None),
    # a review's plot, its 又 the story's; a drama's episode
    ("剛看完《末日洪峰》，特效真係好震撼😱 成條村畀洪水沖走，死咗幾百人…不過劇情就有啲老套，男主角又係最後一刻救晒所有人。",
     NonEventKind.fiction),
    ("（视频转写）这部剧第18集医院大火那段谁看哭了？😭 住院部三楼起火，护士长一个一个把病人往外背", NonEventKind.fiction),
    # the post says it was a drill; asking whether it is one is not saying so
    ("“三楼起火了！快用湿毛巾捂住口鼻！”别慌，这是今天上午在万汇广场搞的消防应急演练😄 模拟5名顾客被困", NonEventKind.drill),
    ("这是演练吗？楼下真的起火了，消防车都来了", None),
    # an exam question's options
    ("备考的朋友看看这题：某化工厂发生爆炸事故，造成3人死亡、12人重伤，该事故等级为？A.一般 B.较大 C.重大 D.特别重大。",
     NonEventKind.hypothetical),
    # a claim spread online, refuted by 未发生…事件 and by a death placed elsewhere
    ("辟谣｜近日，有网民在微信群散布“一中食堂食物中毒，已死亡一名学生”的消息。经联合核查：一中近期未发生食物中毒事件，"
     "网传死亡学生系外县一名因病去世的学生，与食堂无关。", NonEventKind.rumour_refuted),
    # a letter to parents, signed and dated; what to do if one sees someone fall in
    ("暑假将至，这封防溺水告家长书请一定看完\n暑假是学生溺水事故高发期。发现有人落水，应大声呼救、及时报警。\n县教育局\n2024年7月1日",
     NonEventKind.hypothetical),
    # a what-if; a parent who has already gone to ask is no fire happening
    ("如果真係建成，萬一出事、毒氣洩漏，成條村點算？我阿媽已經去村委會問咗，佢哋話仲喺環評階段。", NonEventKind.hypothetical),
    # round 13: a novel's, a film's and a game's toll; a seen film with its hero
    ("求书！记得是一本都市小说，主角是化工厂的安全员，开头就是厂里反应釜爆炸，死了十几个人", NonEventKind.fiction),
    ("刚看完《地心危城》，最后那段地铁隧道坍塌三十多个人被困，主角一个个把人拖出来，哭死我了，强推", NonEventKind.fiction),
    ("昨晚吃鸡被人一颗雷炸死三次，队友全倒了，我一个人苟到决赛圈又被车撞死", NonEventKind.fiction),
    ("吃了特效降糖胶囊，三个老人住院了", None),
    # a quarter's statistics published today; accountability for last year's incidents
    ("一季度全市道路交通事故同比下降一成 交警支队今日公布数据，一季度共接报伤亡事故186起，死亡31人", NonEventKind.statistics),
    ("防汛失职失责 6名干部被问责 近日，县纪委监委通报了去年“7·18”山洪灾害应对中的失职失责问题，2名群众因灾遇难。",
     NonEventKind.history),
    ("去年“4·9”营养餐事件处理结果公布 县纪委监委昨日通报，去年4月9日，143名学生就医，均已治愈。", NonEventKind.history),
    ("今天凌晨城南化工厂发生爆炸，已造成3人死亡，区应急局2名干部被问责", None),
    ("城南化工厂爆炸致3人死亡，区应急局局长被严肃问责，涉事企业负责人被控制", None),
    ("上周五鸿运宾馆火灾致5人死亡，事故调查处理结果尚未公布，家属要求尽快公布", None),
    ("【城市记忆】1954年夏，一场特大洪水席卷我县。据县志记载，全县受灾人口达20余万。今天我们寻访亲历者。", NonEventKind.history),
    ("記得小時候村裡發大水，阿公背著我蹚水走了兩里路去鎮上避難", NonEventKind.history),
    # forecasts, a plan explained, a scenario, an exam, a false alarm
    ("今年第11号台风加强为强台风级！预计将于明天下午在我省东部沿海登陆，沿海群众注意防范。", NonEventKind.hypothetical),
    ("氣象台話今晚颱風會喺我哋附近登陸，風力可能有十四級，大家記得收好陽台啲花盆", NonEventKind.hypothetical),
    ("一图读懂《省自然灾害救助应急预案》 什么情况下启动Ⅳ级响应？一次灾害过程出现死亡和失踪10人以上……", NonEventKind.hypothetical),
    ("如果我市发生7级地震，会怎样？ 市地震局发布的地震灾害情景构建研究显示，最坏情况下可能造成上千人伤亡", NonEventKind.hypothetical),
    ("今天厂里安全培训考试有道题：某企业发生爆炸事故，造成3人死亡、12人重伤，请判断事故等级。", NonEventKind.hypothetical),
    ("刚才楼下砰砰几声巨响，我还以为哪里爆炸了，原来是对面酒店有人结婚放礼炮", NonEventKind.hypothetical),
    ("刚才一声巨响，还以为是放鞭炮，结果是楼下餐馆燃气爆炸，消防车来了", None),
    # advice after an incident somewhere else; an incident here involving people from elsewhere
    ("看到外地又有饭店燃气爆炸，提醒大家：闻到煤气味千万别开灯、别打电话，先关阀门开窗", NonEventKind.hypothetical),
    ("外地来的货车在我县国道侧翻，提醒大家绕行", None),
    # round 14: ten months' figures; a film; an advert with 立减; a rumour 乱传; a what-if video; reports and notices
    ("全县前10个月道路交通事故实现“双下降”\n记者获悉，今年1至10月，全县共发生道路交通事故87起，造成19人死亡，同比下降。",
     NonEventKind.statistics),
    ("求书！一本都市小说，开头就是厂里反应釜爆炸，死了十几个人，主角后来重生回到爆炸前三个月", NonEventKind.fiction),
    ("这部电影我哭了三次 讲的是九十年代一个小煤矿塌方 老矿工带着五个徒弟在井下被困了七天 推荐大家去看", NonEventKind.fiction),
    ("家里着火，这一瓶就够了！家用水基灭火器，电器着火一喷就灭。今日下单立减30元，买二送一，点击下方链接抢购👇",
     NonEventKind.advert),
    ("網上啲人唔好亂傳啦！話鎮中心小學有二十幾個細路食物中毒，我個仔今日返學完全冇事。學校都出咗通知，話係謠言。",
     NonEventKind.rumour_refuted),
    ("如果咱们县发生七级地震 哪几个小区最危险 今天就带大家盘一盘 首先是老城区那片砖混楼", NonEventKind.hypothetical),
    ("“7·12”石龙峪山洪灾害调查评估报告公布：该起灾害共造成12人死亡、3人失踪，17名公职人员被问责。", NonEventKind.history),
    ("关于“4·9”学校食物中毒事件调查处理情况的通报：今年4月9日，某中学87名学生发病，经治疗全部康复。", NonEventKind.history),
    # round 15: 北京时间 is a clock; 每日一题; a report published on a past incident; rebuilding; a forecast; a game
    ("据中国地震台网正式测定，北京时间今天凌晨3时12分，在土耳其东部发生6.9级地震。据当地媒体报道，目前已造成至少60人死亡。", NonEventKind.outside_jurisdiction),
    ("【初二数学·每日一题】某矿井发生透水后，有若干名矿工被困。救援队每小时可排水120立方米，问至少需要多少小时？", NonEventKind.hypothetical),
    ("省生态环境厅日前发布“4·8”硫酸罐车泄漏事件调查报告。报告显示，该事件直接经济损失约340万元，建议对6名公职人员追责问责。", NonEventKind.history),
    ("市政府日前公布“7·19”客车侧翻事故调查报告。报告认定，这是一起较大道路交通事故，共造成6人死亡、17人受伤。", NonEventKind.history),
    ("去年“8·14”泥石流灾后重建的安置房今天交钥匙了！128户受灾群众搬进了新家。", NonEventKind.history),
    ("【天气预报】预计未来三天我市将出现一次强降雨过程，强降雨可能引发山洪、泥石流和中小河流洪水。", NonEventKind.hypothetical),
    ("新赛季剧情爆料：主角小队将深入一座因地震而坍塌的地下城市，需要在氧气耗尽前救出被困的37名幸存者。新地图下周二开放。", NonEventKind.fiction),
    ("七月那场山洪过去四个多月了，我们下坝村被冲毁房子的六户人家，到现在还住在村部的板房里。", NonEventKind.history),
    # From a third review (of round 14's rules): real incidents they must leave alone.
    ("全县道路交通事故今年前10个月实现“双下降”，不料23日晚G320国道城关段发生一起货车与客车相撞事故，造成4人死亡、6人受伤。", None),
    ("看这部电影看到一半，影厅后面突然着火了，大家都往外挤，我旁边一个阿姨摔倒被踩伤了", None),
    ("县城万家福超市今天搞买二送一、下单立减20元的活动，开门时人群拥挤发生踩踏，有老人被踩伤送医。", None),
    ("大家别乱传了，死了3个人，什么20多人都是谣言，等官方通报吧", None),
    ("要是早点把那堵危墙拆了就好了，昨天傍晚，围墙倒塌，砸中了放学路过的孩子，孩子没抢救过来", None),
    ("XX县通报：11月22日凌晨2时许，城关镇一居民自建房发生火灾，造成3人死亡，事故调查处理情况将及时向社会公布。", None),
    ("XX县“11·21”山洪灾害已致6人死亡4人失联，省政府成立调查评估组，灾害调查评估报告发布前将先行开展责任倒查。", None),
    ("又到溺水高发季，提醒各位家长看好孩子。隔壁镇有个娃在水塘溺水，没救过来", None),
    ("网传“化工厂爆炸没有人伤亡”。这个说法是假的！我表哥就在厂里上班，到现在人还在医院抢救", None),
    ("一图读懂《省防指关于启动防汛Ⅱ级应急响应的通知》\n受持续强降雨影响，XX县城区严重内涝，目前已造成3人死亡、9人失联。", None),
    ("小时候上学天天走的那段山路，今天下午塌方了，一辆面包车被埋，车上3人失联", None),
    ("小时候就听老人讲那段江堤最险，今天凌晨那段江堤真的决口了，下游5个村被淹，已转移群众1.2万人", None),
    ("外地刚来打工的小伙子，在我们厂被卷进搅拌机，右手受伤很严重，提醒大家操作一定要注意安全", None),
    ("上周五XX小区电梯坠落致1人重伤，物业说已经整改到位，业主要求追责问责", None),
    # From a second review (of round 13's rules): real incidents they must leave alone, and homework.
    ("运送高考试题的押运车今天凌晨在京港澳高速XX段与一辆货车相撞后侧翻，造成3名押运人员死亡", None),
    ("月考正在进行，教学楼三楼突然起火，浓烟灌进教室，监考老师让我们立刻撤离，我这题还没写完就跑出来了", None),
    ("XX市昨晚发生4.9级地震，目前已造成3人受伤、12间房屋倒塌。市应急局表示，近年开展的地震灾害情景构建为此次处置提供了参考", None),
    ("一开始以为着火了没当回事，结果整栋楼都烧起来了，我们是从楼梯一路跑下来的，楼道里全是黑烟", None),
    ("虚惊一场？并没有！XX商场今天下午起火，虽然明火很快被扑灭，但有好几个人被烟呛到送医", None),
    ("以为地震了，原来是楼下那个化工厂爆炸了，整栋楼的玻璃都震碎了", None),
    ("一辆外地大货车在沪昆高速XX段侧翻起火，路面全是油，千万别走这段，绕行吧", None),
    ("隔壁县化工厂爆炸了！现在整个天都是红的。提醒大家关好门窗，千万别出门", None),
    ("外地最近接连发生燃气爆炸，没想到今天中午我们楼下的饭店也炸了，玻璃碎了一地，提醒大家用气一定要小心", None),
    ("台风“摩羯”加强为超强台风，我们这边已经刮倒了好多树，停电一个多小时了，有棵大树砸在车上", None),
    ("【12345工单】来电人反映：XX小区3号楼地下车库燃气管道泄漏，气味很大，物业至今不处理，要求书面答复。", None),
    ("昨天晚上分别有两辆货车在盘山公路坠崖，共造成3人死亡", None),
    ("XX小学食堂午餐是黄焖鸡，不少学生吃鸡块后出现呕吐腹泻，已有23名学生送医", None),
    ("网吧昨晚突发大火，当时不少人正在打排位赛，有人喊着火了才往外跑，3人被烧伤", None),
    ("我小时候上学天天走的那座石拱桥，今天早上垮塌了，一辆拉沙的三轮车掉进了河里", None),
    ("据县志记载，此次洪水为有记录以来最大，截至目前全县已有11人遇难、4人失联", None),
    ("2026年11月22日凌晨，XX县XX煤矿发生瓦斯爆炸事故，造成5人死亡，县应急局局长等3名干部被问责", None),
    ("XX化工厂爆炸已致3人死亡、12人受伤，省委书记作出批示，要求全力救治伤员、迅速查明原因、严肃追责问责", None),
    ("12345工单：XX小区2号楼燃气管道老化漏气，反映多次物业一直没有整改到位，今天下午厨房发生爆燃，一名住户手部烧伤", None),
    ("今年以来，全省共发生较大生产安全事故5起。省应急厅今日通报：XX县一烟花厂发生爆炸，造成4人死亡", None),
    ("这次地震预测到了吗？我们这晃得厉害，墙都裂了，全家跑到楼下", None),
    ("今天初三物理作业有一道题：“某工地塔吊在起吊过程中发生倾覆，吊臂长50米，已知……求支点受力”😂", NonEventKind.hypothetical),
    # From a review of the rules above: real incidents they must leave alone.
    # An incident dated or told in its own clause, whatever the post sells; a temperature, a distance, a deadline
    ("今天下午城东红星家具城突然起火，当时商场正在搞限时特惠，原价3999的沙发卖1999，店员说是电线短路引起的", None),
    ("某主播在直播间9.9元包邮秒杀时，身后仓库突然起火，主播和助理慌忙往外跑，直播画面全是黑烟", None),
    ("受寒潮影响，今天气温直降12℃，京港澳高速湘潭段因路面结冰发生多车追尾，现场视频👇", None),
    ("城东一餐馆燃气泄漏引发爆燃，市场监管部门责令同类商户限时3日内完成燃气报警器安装，详情点击链接", None),
    # a drill denied, or only mentioned; a drill that looks real is still one
    ("今天下午化工厂真的起火了，这是继上周消防演练后第二次拉响警报，几个车间都停了", None),
    ("仓库起火烧了三个多小时，这就是平时不搞演练的后果！", None),
    ("这是真着火了，不是演练！3号楼大家赶紧下楼", None),
    ("今天小区搞消防演练怎么这么逼真，楼下全是烟，消防车来了好几辆", NonEventKind.drill),
    # options in a poll or a liability finding on a real incident
    ("楼下又着火了！大家觉得原因是？A.电动车充电 B.烟头 C.燃气泄漏，消防车已经来了", None),
    ("昨晚中山路三车相撞致1人死亡，交警初步认定：A.货车司机负主要责任；B.轿车司机负次要责任；C.电动车无责", None),
    # a livestream's comments and a film set are real places
    ("直播间弹幕都在刷城东商场着火了，我下楼一看真着了，黑烟一直往上冒", None),
    ("这部剧在我们镇上取景，今天下午片场搭的棚子突然着火了，烧得很大", None),
    # here, though a foreign word is near
    ("苏州一外资工厂爆炸致5人死亡\n据外媒报道，该工厂系德国某公司在华子公司，事故原因正在调查", None),
    ("宁波一外贸公司仓库起火 3人被困\n该公司主营对欧洲出口的家具，仓库内堆放大量易燃物", None),
    ("哈尔滨北美枫叶小区一居民楼燃气爆炸，多人受伤", None),
    ("看欧洲杯的球迷在烧烤摊发生斗殴，3人受伤", None),
    ("东兴一工地坍塌，2名东南亚务工人员受伤", None),
    # a risk, then one that happened; a what-if, then smoke already
    ("落雨天好易翻車，啱啱屯門公路有架貨車翻咗，塞到爆", None),
    ("要是着火了可咋整，五楼已经冒烟了，楼下的人都在喊", None),
    # a confirmed toll with the limits of the harm; a driver from elsewhere
    ("网友传播的视频显示城西化工厂发生爆炸，记者从应急管理局获悉，爆炸造成4人死亡，未发生有毒气体泄漏事件", None),
    ("昨晚G15沈海高速发生车祸，肇事货车司机系外地人，事故造成3人死亡、2人受伤", None),
    # 係谣言 refutes; its ordinary cases confirm nothing
    ("網傳「雲渡縣醫院出現不明原因肺炎、已經封院」，縣衛健局今日回應：係謠言。該院近期接診嘅均為普通呼吸道感染病例。",
     NonEventKind.rumour_refuted),
    # an advert sells against a hazard: a price offer and a second offer or a call to buy
    ("【限时特惠】家庭财产险一年只要88元，台风、暴雨、火灾、燃气爆炸造成的损失都能赔，点击下方链接投保👇",
     NonEventKind.advert),
    ("地震、洪水来了怎么办？家庭应急包原价268，今天限时128，手摇收音机、急救包、净水片一应俱全", NonEventKind.advert),
    ("燃气泄漏报警器直降50元，厨房着火前先报警，直播间下单再送电池", NonEventKind.advert),
    # …but not where people are harmed, something is seen happening, or the buyer complains
    ("商场限时特惠抢购现场发生踩踏，5人受伤被送往医院", None),
    ("原价599的电暖器直降200，直播间下单才一周，今晚就起火了，消防车都来了", None),
    ("直播间下单的取暖器原价399直降100，用了三天就起火烧了半个卧室，已向12315投诉", None),
    # a price with 仅需, a gift with the order, a shop-cart "same item" and #好物推荐 are offers too
    ("家里着火了，黄金救援只有3分钟！XX牌家用灭火器，一瓶仅需89元，现在下单还送消防逃生面罩一个！", NonEventKind.advert),
    ("家里一定要备一个应急包！地震、暴雨、停电都用得上，小黄车同款，家人们冲！#应急包 #好物推荐", NonEventKind.advert),
    # a wire story from abroad (【外电】), whatever its toll
    ("【外电】东南亚某国化工厂爆炸 死亡人数升至40人\n当地时间27日下午，该国南部一座化工厂发生连环爆炸。",
     NonEventKind.outside_jurisdiction),
    # what it really was, said outright: a film shoot, a flare stack
    ("别慌！！老城区那边冒烟爆炸是剧组在拍戏💥 好多摄像机和群演", NonEventKind.hypothetical),
    ("网传石桥镇化工厂又爆炸了？？根本不是！！是厂里例行的火炬放空，晚上看着火光冲天很吓人", NonEventKind.hypothetical),
    ("电动车电池起火有多快？消防员现场做了个实验，从冒烟到整个车烧起来不到30秒", NonEventKind.drill),
    # …but not a real accident during an experiment, nor an explosion the witness insists was one
    ("化学课上学生做实验时试管爆炸，两名学生面部烧伤送医", None),
    ("网传是在拍戏？根本不是，化工厂真的爆炸了，我家玻璃都震碎了", None),
    # a casebook of closed cases; a warning-education meeting on last year's fire
    ("省应急管理厅发布第三批生产安全事故典型案例\n现将近年来我省发生的5起典型事故通报如下：一是某物流园冷库火灾事故，造成4人死亡",
     NonEventKind.history),
    ("区安委办召开“8·14”火灾事故警示教育大会\n去年8月14日，我区一家服装加工厂发生火灾，造成3人死亡。", NonEventKind.history),
    ("今天凌晨城东化工厂爆炸，已造成3人死亡，这起事故将被列为典型案例通报全省", None),
    # an old man's age is no date: the 1954 flood is history
    ("1954年那场大水，爷爷记了一辈子\n今年92岁的陈福生老人回忆起1954年夏天的那场洪水，那次洪灾全县死亡百余人。", NonEventKind.history),
    # surveillance figures; a typhoon that passed the city by; a year's plan
    ("市疾控中心最新监测数据显示，上周全市哨点医院流感样病例占门急诊病例总数的6.2%，防范聚集性疫情", NonEventKind.statistics),
    ("今年第9号台风已减弱为热带低压 对我市无明显影响\n市防指决定于16时终止防台风Ⅳ级应急响应。", NonEventKind.hypothetical),
    ("鹤鸣县2026年度地质灾害防治方案\n一、地质灾害现状。全县共有在册地质灾害隐患点137处，其中滑坡89处。", NonEventKind.hypothetical),
    ("我县启动防汛Ⅳ级应急预案\n今天凌晨暴雨致山洪暴发，已转移群众300余人", None),
    # idle talk, refuted by someone who asked; 不会停水 negates the water cut
    ("刚问了在水务集团上班的同学 说“清河水源被污染、全市要停水”是瞎传的 水质检测都正常 不会停水", NonEventKind.rumour_refuted),
    ("别瞎传了，化工厂真的爆炸了，死了俩", None),
    # the new rules' overreach, from a review (2026-11-25): each is a real incident
    ("以案为鉴！今天凌晨，城东一出租屋电动车入户充电引发火灾，造成2人死亡。", None),
    ("11月22日城东化工厂爆炸事故已致3人死亡，今天全县召开安全生产警示教育大会，这是继去年“8·14”火灾之后的第二起较大事故", None),
    ("学校实验楼做了一次实验后发生爆炸，3楼窗户全被炸飞，1名老师受伤", None),
    ("横店一摄影棚起火，系剧组拍摄时烟火引燃布景，火势迅速蔓延，消防正在扑救", None),
    ("台风已减弱为热带风暴，对我市无明显影响，但城东镇昨夜突降暴雨，多处农田被淹，一座便桥被冲毁", None),
    ("城东化工厂发生爆炸起火，县应急管理局已启动专项应急预案", None),
    ("今年92岁、1934年出生的老兵王大爷家中起火，王大爷被邻居救出，双手烧伤", None),
    # a denial the poster reports, or asks back, refutes nothing the post tells; an assurance that failed
    ("矿上透水 死了4个人 矿主还说是瞎传的 大家评评理", None),
    ("明明死了两个人 哪是瞎传的", None),
    ("物业拍胸脯说管道不会泄漏 今天小区燃气管还是漏了 整栋楼都是味", None),
    ("群里说县城水源被污染要停水三天 水务局的朋友说纯属瞎说", NonEventKind.rumour_refuted),
    # a notice about a claim: its title's quote and its retelling are the claim, up to the verified account
    ("关于网传“大湾河被化工厂偷排染红”的情况说明：近日有村民在群里转发视频，称上游化工厂偷排。经县生态环境局现场核查，"
     "该河段各项指标正常，水体发红系降雨冲刷红壤所致。请群众不信谣、不传谣。", NonEventKind.rumour_refuted),
    ("今朝有人話我哋鄉下龍潭水庫裂咗、就快潰壩，叫大家連夜搬走。啱啱村委會發咗通知，話係謠言。", NonEventKind.rumour_refuted),
    # a weather station's warning; a drill the loudspeaker revealed later
    ("青崖县气象台 暴雨蓝色预警：预计未来24小时，我县北部乡镇将出现暴雨，山区中小河流可能出现山洪。", NonEventKind.hypothetical),
    ("今天上午园区那边警报响、消防车开进去，以为化工厂泄漏了。后来村里广播才说是县里组织的“危化品泄漏应急演练”。", NonEventKind.drill),
    # a notice that confirms its title's claim; 不信谣 after a real report
    ("关于网传“某路口发生车祸”的情况说明：网传情况属实。11月23日，该路口发生一起交通事故，造成1人死亡、2人受伤。"
     "请不信谣、不传谣，以官方发布为准。", None),
    ("网友称城南化工厂爆炸，记者核实：确有爆炸，2人受伤。请不信谣不传谣", None),
]


@pytest.mark.parametrize(("text", "kind"), NON_EVENTS)
def test_non_event(text: str, kind: NonEventKind | None) -> None:
    found = detect_non_event(text, extract_figures(text), now=NOW)
    assert (found.kind if found else None) is kind
    if found is not None:
        assert text[found.start : found.end] == found.text
    result = grade_text(text, [T.work_safety, T.natural_disaster], now=NOW)
    assert (result.non_event.kind if result.non_event else None) is kind
    if kind is not None:
        assert result.grade is G.none and result.rule is None
        assert result.non_event is not None and result.non_event.zh in result.explanation_zh
    else:
        assert result.grade is not G.none


def test_non_event_keeps_figures() -> None:
    result = grade_text("我县开展危化品泄漏事故应急演练，模拟3人受伤", [T.work_safety], now=NOW)
    assert result.grade is G.none and result.figures.injured == 3


def test_rumour_correction_grades_on_the_confirmed_figure() -> None:
    result = grade_text("网传死亡10人不实，实际死亡3人", [T.work_safety], now=NOW)
    assert result.grade is G.relatively_serious and result.figures.deaths == 3


def test_past_year_depends_on_the_injected_clock() -> None:
    text = "2024年12月31日23时，某小区发生火灾，造成2人死亡。"
    january = datetime(2025, 1, 1, 8, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert detect_non_event(text, extract_figures(text), now=january) is None
    later = detect_non_event(text, extract_figures(text), now=NOW)
    assert later is not None and later.kind is NonEventKind.history


# --- grading.yaml --------------------------------------------------------------------


def test_repo_config_loads_and_every_rule_cites_a_source() -> None:
    cfg = load_grading_config(REPO_YAML)
    assert set(cfg.topic_map.values()) <= set(cfg.incident_types)
    for itype in cfg.incident_types.values():
        assert itype.source
        for rules in itype.levels.values():
            assert all(rule.source or itype.source for rule in rules)
    assert cfg.incident_types["accident"].levels[G.serious][2].when == {"economic_loss": 50_000_000}


def test_default_path_env_and_walk_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SENTINEL_GRADING", raising=False)
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (tmp_path / "classify").mkdir()
    (tmp_path / "classify" / "grading.yaml").write_text(
        REPO_YAML.read_text(encoding="utf-8"), encoding="utf-8"
    )
    monkeypatch.chdir(nested)
    assert default_grading_path() == tmp_path / "classify" / "grading.yaml"
    monkeypatch.setenv("SENTINEL_GRADING", str(REPO_YAML))
    assert default_grading_path() == REPO_YAML
    assert grade_text("某厂爆炸，3人死亡", [T.work_safety], now=NOW).grade is G.relatively_serious


def _broken(tmp_path: Path, mutate: object) -> Path:
    raw = yaml.safe_load(REPO_YAML.read_text(encoding="utf-8"))
    assert callable(mutate)
    mutate(raw)
    path = tmp_path / "grading.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (
            lambda r: r["incident_types"]["accident"]["levels"]["serious"][0].update(when={"death": 10}),
            "death",
        ),
        (
            lambda r: r["incident_types"]["accident"]["levels"]["serious"][0].update(when={"deaths": "很多"}),
            "when.deaths",
        ),
        (lambda r: r["topic_map"].update(weather="accident"), "topic_map.weather"),
        (lambda r: r["topic_map"].update(health="nope"), "topic_map.health"),
        (lambda r: r["incident_types"]["environment"].pop("source"), "incident_types.environment.source"),
        (lambda r: r["incident_types"]["accident"]["levels"].update(urgent=[]), "levels.urgent"),
        (lambda r: r.update(version=2), "version"),
        (
            lambda r: r["incident_types"]["accident"]["metrics"]["seriously_injured"].update(
                part_words={"evacuated": ["中毒"]}),
            "evacuated",
        ),
    ],
)
def test_invalid_config_names_the_field(tmp_path: Path, mutate: object, field: str) -> None:
    with pytest.raises(GradingConfigError) as info:
        load_grading_config(_broken(tmp_path, mutate))
    assert field in str(info.value)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(GradingConfigError):
        load_grading_config(tmp_path / "nope.yaml")


# --- robustness ------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    list(
        "死亡伤人名例余多数十百千万亿至近约逾1234567890１２，。、；！网传不实谣言辟演练如果年前周年美国当地时间"
    )
    + ["无人员伤亡", "升至", "经济损失", "元", "发生爆炸", "\n", " "]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), st.lists(_ALPHABET, max_size=200).map("".join)))
def test_never_raises(text: str) -> None:
    figures = extract_figures(text)
    for ev in figures.evidence:
        assert text[ev.start : ev.end] == ev.text
    result = grade_text(text, [T.work_safety, T.food_drug], now=NOW)
    assert result.grade in set(Grade)


@pytest.mark.parametrize(
    "unit",
    [
        "某化工厂发生爆炸，死亡人数升至3人，网传10人不实。",
        "1人",
        "谣言",
        "死亡",
        "网传",
        "无人员伤亡",
        "a(",
        "十",
    ],
)
def test_200k_characters_finish_quickly(unit: str) -> None:
    text = (unit * (200_000 // len(unit) + 1))[:200_000]
    started = time.perf_counter()
    grade_text(text, [T.work_safety, T.environment], now=NOW)
    assert time.perf_counter() - started < 30  # linear patterns: a few seconds at most


def test_a_situation_rule_that_the_text_denies_does_not_fire() -> None:
    assert grade("经检测，城区供水水质达标，未受污染，不会停水。", T.environment).rank < G.serious.rank


def test_a_rule_pattern_that_does_not_compile_names_its_place(tmp_path: Path) -> None:
    from sentinel.classify.grading import load_grading_config

    text = REPO_YAML.read_text(encoding="utf-8")
    broken = tmp_path / "grading.yaml"
    broken.write_text(text.replace("pattern: '(?:县城|", "pattern: '((?:县城|", 1), encoding="utf-8")
    with pytest.raises(Exception, match="pattern does not compile"):
        load_grading_config(broken)


def test_calling_a_denial_of_harm_false_is_no_refuted_rumour() -> None:
    """厂里说没有人受伤，这说法是假的: the post says harm was done; the model grades it."""
    text = "厂里说没有人受伤，这说法是假的，我们车间至少三个人被送去医院了。"
    assert detect_non_event(text, extract_figures(text), now=NOW) is None


def test_a_memory_gives_way_to_an_incident_happening_again() -> None:
    """家乡马鞍岭又出事: the poster's childhood fear of the road is no history of this crash (a grouping set's post)."""
    text = "家鄉馬鞍嶺又出事，這段下坡我小時候坐班車都怕，司機一路踩剎車，一股燒焦味。願傷者平安。"
    assert detect_non_event(text, extract_figures(text), now=NOW) is None
    memory = "記得小時候村裡發大水，阿公背著我蹚水走了兩里路去鎮上避難"
    found = detect_non_event(memory, extract_figures(memory), now=NOW)
    assert found is not None and found.kind is NonEventKind.history


def test_noise_and_light_pollution_are_no_incident_words() -> None:
    """诉求类型：环境保护—噪声污染 on a work order is a nuisance complaint, not a 突发环境事件."""
    for text in ("诉求类型：环境保护—噪声污染\n工地连续多晚施工到凌晨一两点", "小区对面广告屏光污染严重，晚上睡不着"):
        assert grade(text, T.environment) is G.none, text
    assert grade("化工厂废水污染河道，下游死鱼一片", T.environment) is G.general


@pytest.mark.parametrize("text", [
    "大家别乱传是放烟花了，根本不是！是烟花厂仓库出事了，火光冲天，消防车都来了",  # 烟花 of 烟花厂 is no false alarm
    "环保部门监测数据显示，城东河段氨氮超标20倍，沿岸出现大量死鱼，疑似上游企业偷排",  # a reading, not a tally
    "好物推荐里的小黄车同款自热火锅，我家孩子吃了以后呕吐腹泻，现在在县医院输液",  # a buyer harmed
])
def test_reports_in_the_words_of_the_new_non_event_rules_are_no_non_events(text: str) -> None:
    """From a review of this session's rules (2026-11-25): real reports the first forms of the rules dropped."""
    assert detect_non_event(text, extract_figures(text), now=NOW) is None


def test_a_cluster_of_unknown_cause_none_was_found_is_no_relatively_serious_event() -> None:
    """未发现不明原因肺炎聚集病例 says no such cluster exists (2026-11-25, twenty-third session)."""
    assert grade("东渚区出现聚集性不明原因发热病例12例。", T.health) is G.relatively_serious
    for text in ("经排查，未发现不明原因肺炎聚集病例。", "经排查未发现聚集性不明原因发热"):
        assert grade(text, T.health).rank < G.relatively_serious.rank, text


def test_a_claim_refuted_by_its_not_existing_is_a_refuted_rumour() -> None:
    text = ("近日有网民发帖称“东渚区出现不明原因肺炎聚集病例，医院已封锁”。经市卫健委核实，东渚区各医疗机构近期呼吸道疾病"
            "就诊以流感和支原体感染为主，未发现不明原因肺炎聚集病例，也不存在封锁医院的情况。请市民以官方发布为准。")
    found = detect_non_event(text, extract_figures(text), now=NOW)
    assert found is not None and found.kind is NonEventKind.rumour_refuted
    # without a claim, 不存在 refutes nothing
    assert detect_non_event("化工厂发生爆炸，2人受伤，不存在有毒气体泄漏", extract_figures("化工厂发生爆炸，2人受伤，不存在有毒气体泄漏"),
                            now=NOW) is None


@pytest.mark.parametrize("text", [
    "【健康提醒】秋冬季是诺如病毒感染高发期，外出就餐、集体出游增多，容易出现聚集性病例。请注意饮食卫生，饭前便后洗手。",
    "【青溪疾控提醒】进入11月，诺如病毒感染进入高发季节。托幼机构和学校一旦出现呕吐、腹泻病例，应及时隔离患者。",
])
def test_a_health_office_reminder_is_advice(text: str) -> None:
    found = grade_text(text, (T.health,), now=NOW).non_event
    assert found is not None and found.kind is NonEventKind.hypothetical


def test_a_reminder_that_reports_a_cluster_is_no_advice() -> None:
    text = "【疾控提醒】今天上午城南小学出现诺如病毒聚集性疫情，已有23名学生呕吐腹泻就医，请家长留意孩子症状。"
    assert grade_text(text, (T.health,), now=NOW).non_event is None


def test_a_large_flame_is_no_fire_and_diesel_into_the_river_is_pollution() -> None:
    """较大火光 holds 大火 but names no fire; a county town's water cut after diesel 流入 a river is 重大(4)."""
    flare = "今日傍晚，我公司乙烯装置火炬系统出现短时燃烧放空，产生较大火光和声响，属正常工艺操作。"
    assert grade(flare, T.work_safety) is G.none
    assert grade("仓库突发大火，浓烟滚滚", T.work_safety) is G.general
    spill = ("罐车侧翻，部分柴油流入清漪河。由于下游为昌宁县城自来水厂取水口，县政府今晨决定县城城区暂停供水，"
             "涉及居民约11万人。")
    assert grade(spill, T.environment) is G.serious


@pytest.mark.parametrize(("text", "topic", "expected"), [
    # a service notice of something happening is no advice; nor a school's own outbreak under 【健康提醒】
    ("【交通提醒】今天上午沪渝高速一辆货车侧翻，2人受伤，请绕行", T.transport, G.general),
    ("【健康提醒】近日我校部分班级出现水痘病例，请家长留意孩子症状", T.health, G.general),
    # 不存在 of a risk after a real blast is no refutation
    ("城东化工厂爆炸，2人受伤，不存在有毒气体扩散风险", T.work_safety, G.general),
    # 较大火灾 / 油锅起很大火 are fires
    ("厨房油锅起很大火，邻居帮忙扑灭，1人烫伤", T.work_safety, G.general),
    # not yet ruled out is still a cluster; a burst main's water is no pollution
    ("某中学出现聚集性发热学生18名，疾控尚不能排除聚集性不明原因发热", T.health, G.relatively_serious),
    ("城区主供水管爆裂，大量自来水流入地下商场，主城区大面积停水", T.environment, G.general),
    # a period's surveillance count is a statistic
    ("本周全市报告1024例法定传染病，较上周下降8%，未报告死亡病例。", T.health, G.none),
])
def test_review_of_the_twenty_third_session_rules(text: str, topic: TopicCode, expected: Grade) -> None:
    assert grade(text, topic) is expected


def test_a_burnt_county_annal_is_no_memory_and_last_years_report_published_today_is_history() -> None:
    """县志 is a memory only as a source read (据县志记载), not as a thing a fire burnt; an investigation report on
    last year's fire published today closes that fire (outside round 21a)."""
    burnt = ("市档案馆旧楼上周那场火的定损出来了，馆里说直接经济损失超过1200万元，大批民国县志和土改档案全烧了，"
             "好在没有人员伤亡。")
    assert grade(burnt, T.work_safety) is G.relatively_serious
    assert grade("据县志记载，1931年大水淹死百余人", T.natural_disaster) is G.none
    assert grade("《梅岭县志》记载，光绪年间大水，淹死百余人", T.natural_disaster) is G.none
    report = ("去年“8·14”福源商贸城火灾事故调查报告今天公布：该起事故造成5人死亡，直接经济损失1460万元，"
              "认定为一起较大生产安全责任事故。")
    assert grade(report, T.work_safety) is G.none


def test_a_canteen_blast_is_an_accident_not_a_food_death() -> None:
    """Food safety's death rules need a word of eating or its illness (round 22a): a gas blast in a school canteen's
    kitchen that kills two cooks is 一般 by the accident rules, not 较大 food safety."""
    blast = "第一中学食堂后厨今天中午发生燃气爆燃，2名厨师当场死亡，另有9人受伤，其中3人伤势较重。"
    assert grade(blast, T.work_safety, T.food_drug) is G.general
    poisoned = "一家四口吃了自己采的野生菌，半夜上吐下泻，送到县医院，奶奶昨天走了"
    assert grade(poisoned, T.food_drug) is G.relatively_serious


def test_a_seasonal_disease_notice_is_advice_and_black_water_is_no_incident_word() -> None:
    """Round 24b (2026-11-25, twenty-fourth session): 我市手足口病进入流行季节 under 【健康提示】 tells a season, not an
    outbreak; 黑臭水体, a long-standing state the office lists for 整治, is no incident word (a river turning black
    and fish dying today still is, by 死鱼 or 污染)."""
    notice = ("【健康提示】夏季手足口病高发，家长要注意这几点 进入6月，我市手足口病进入流行季节。市疾控中心提醒："
              "手足口病主要通过密切接触传播，5岁以下儿童为易感人群。")
    found = grade_text(notice, (T.health,), now=NOW).non_event
    assert found is not None and found.kind is NonEventKind.hypothetical
    assert grade("【健康提示】今天上午城南幼儿园出现手足口病聚集性疫情，已有12名幼儿发病", T.health) is G.general
    assert grade("这条排水渠又黑又臭，说要整治说了三年了，水面上还是漂着泡沫 #黑臭水体", T.environment) is G.none
    assert grade("上游工厂偷排，今早河水黑臭，下游死鱼一片", T.environment) is G.general


def test_weather_of_round_24a() -> None:
    """Round 24a (weather and the seasons): snow that crushes greenhouses is a natural disaster whose loss is weighed
    on the disaster scale (470万元 ≥ 100万 → 较大); weather to come (会有冻雨) is no incident; a storm some weeks back,
    named in a complaint about its aftermath (7月那场暴雨), is no incident either, unless a count says otherwise."""
    snow = ("连续两天的强降雪让金谷县的蔬菜大棚遭了殃，全县因雪压倒塌、损毁温室大棚2317座，直接经济损失约470万元。")
    assert grade(snow, T.rural_poverty, T.natural_disaster) is G.relatively_serious
    assert grade("气象站提醒：下周二到周四有一股强寒潮，高海拔地方会有冻雨、道路结冰。", T.natural_disaster) is G.none
    assert grade("冻雨下了两天，青峰垭上去全是冰壳子，封路了，菜烂在地里", T.natural_disaster) is G.general
    complaint = "吐槽一下保险公司：7月那场暴雨我车停在地库被泡到方向盘，定损员说是二次点火，不赔发动机。"
    assert grade(complaint, T.finance, T.natural_disaster) is G.none
    assert grade("昨晚那场暴雨太大了，老城区内涝，桥洞下一辆小车熄火", T.natural_disaster) is G.general
    assert grade("上个月那场暴雨造成我县3人死亡，重建补助至今未发", T.natural_disaster) is G.relatively_serious


_TWENTY_FOURTH_SESSION_GRADES = [
    # 柏林镇 is a town here, not Berlin
    ("19日下午，柏林镇中心卫生院锅炉房一台锅炉发生爆炸，正在操作的司炉工陈某当场身亡。", T.work_safety, G.general),
    # a claim passed round in a group chat and denied (并无…, 未检测出…)
    ("轉發闢謠：昨晚有群組在傳「某小學三十多名學生集體食物中毒住院」。經核實，當天是一名學生扭傷腳踝，並無學生食物中毒。",
     T.food_drug, G.none),
    ("【办理结果】燃气公司派员到小区逐一检测，未检测出燃气泄漏，异味来源为楼下餐馆排烟管道。", T.work_safety, G.none),
    # a forecast of one spell of rain to come
    ("市气象台发布：预计17日至19日我市将出现一次强降雨过程，累计雨量北部山区100～150毫米。", T.natural_disaster, G.none),
    # a review of this session's rules: real incidents the first forms dropped, and foreign news they kept
    ("美国社区发生枪击案，已造成5人死亡", T.public_order, G.none),
    ("俄罗斯村庄突发大火，11人遇难", T.work_safety, G.none),
    ("来深圳三年了，今天第一次遇到这么大的暴雨，地铁站进水，好多人被困在车厢里", T.natural_disaster, G.general),
    ("家长没发现孩子溺水，8岁男孩在小区泳池溺亡", T.work_safety, G.general),
    ("值班保安没发现仓库起火，消防已经到了", T.work_safety, G.general),
    ("谁也没想到会有暴雨，昨晚河水暴涨，桥被冲断了", T.natural_disaster, G.general),
    ("今晚将有暴雪，但我们村已经被暴雪困了三天，好几户断电断水", T.natural_disaster, G.general),
    ("【健康提醒】正值流感高峰期，我县第一中学已出现聚集性疫情，多个班级停课", T.health, G.general),
    # rounds 27a (a city at night) and 27b (official voices)
    ("关于“万达广场某酒吧发生命案3人死亡”的情况说明：今日网络流传称“万达广场某酒吧发生命案，3人死亡”。经查，两名顾客"
     "因酒后琐事发生口角，被工作人员及时劝开，无人员伤亡。网传内容系谣言。", T.public_order, G.none),
    ("【辟谣】一段“昨晚金沙路一醉驾司机撞死5人”的视频在微信群流传。经核查，该视频系2019年外省的旧视频，"
     "金沙路昨晚未发生致人伤亡的交通事故。", T.transport, G.none),
    ("近日，县政府批复《澄阳县2024年“9·21”恒昌纺织有限公司较大火灾事故调查报告》。事故造成3人死亡、2人受伤。",
     T.work_safety, G.none),
    ("@青州气象 今晚20时至明晨8时，我市将有雷暴大风和短时强降雨，局地小时雨量可达50毫米以上。", T.natural_disaster, G.none),
    ("夏天到了，电动车也容易出事。消防员提醒五件事：一、不要把电动车停在楼道；二、充电时间别超过8小时。据统计，"
     "电动车火灾多发生在夜间充电时段，一旦起火，3分钟内温度可达1000℃。", T.work_safety, G.none),
    ("本周共检查夜市摊点326家，发现未安装燃气泄漏报警装置等隐患112处，当场责令整改98处。", T.work_safety, G.none),
    ("【核减说明】经入户复核，“6·20”冰雹灾害直接经济损失由初报的620万元核减为480万元。", T.natural_disaster,
     G.relatively_serious),
    ("【更正说明】通报中“事故造成3人死亡”表述有误。经复核，一辆面包车冲出护栏坠入河中，其中1名被救起的乘客已脱离生命危险。"
     "事故实际造成2人死亡、5人受伤。", T.transport, G.general),
    ("晚上十点在长乐路口，一个外卖小哥被右转的小轿车刮倒，电动车甩出去好远，人左腿应该是骨折了", T.transport, G.general),
    # a second review: a title's claim, a blast with no casualties, a report still to come, an alarm that sounds
    ("关于“东湖公园3名儿童溺亡”的情况说明\n经核实，3名儿童均已溺亡。网上流传的“有人见死不救”视频为不实信息。",
     T.public_order, G.relatively_serious),
    ("关于“城南菜市场持刀伤人”的情况说明\n经核实，该事件属实，伤者已送医。网传“伤者死亡”的说法不实。", T.public_order,
     G.general),
    ("城郊一烟花作坊昨晚发生一起没有造成人员伤亡的爆炸，周边十多户房屋门窗被震碎", T.work_safety, G.general),
    ("县应急局发布情况说明：城北一民房发生火灾，致2人死亡，起火原因将在事故调查报告中予以说明。", T.work_safety, G.general),
    ("气象台预报今晚将有雷暴大风，下午城西水库有两名学生游泳时溺水，救援队正在搜救。", T.education, G.general),
    ("楼下饭店燃气泄漏报警器一直在响，整栋楼都是煤气味，已经打了119。", T.work_safety, G.general),
    ("【消防员提醒五件事】城南小区一电动车在楼道充电时起火，所幸扑救及时。一、不要在楼道充电。", T.work_safety, G.general),
    ("我阿嬤說以前村裡發大水，全村人都跑到廟裡躲了三天，現在想起來還會怕", T.natural_disaster, G.none),
    ("网传青龙水库溃坝？？假的假的 我就住坝底下 好好的 别瞎转了", T.natural_disaster, G.none),
    ("网传咱市爆发不明原因肺炎 疾控刚出通报 就是普通流感 别慌别囤药", T.health, G.none),
    ("我家猫把花瓶推下来 碎一地 现场跟爆炸了一样", T.other, G.none),
    ("青川县那个大巴翻了 一车人 没了五个 二十几个受伤 听司机说是刹车失灵", T.transport, G.relatively_serious),
    # rounds 29a (getting around) and 29b (work and money)
    ("一辆黑色轿车将正在作业的3名环卫工人撞倒后驾车逃逸。其中2人当场死亡，另1人经医院全力抢救无效于当日10时许死亡。",
     T.transport, G.relatively_serious),  # 另1人 adds to the 2
    ("刚才过斑马线，一辆网约车右转根本没减速，离我不到半米擦过去，差点就出车祸了。", T.transport, G.none),
    ("【辟谣】今天下午有网民称“地铁人民广场站发生踩踏，多人受伤”。经核实，车站临时限流，未发生踩踏，也无人员受伤。",
     T.transport, G.none),
    ("春运40天全市发送旅客1286.4万人次，全市道路运输未发生较大以上安全事故。", T.transport, G.none),
    ("厂里昨天晚饭吃了食堂的卤鸭，今天上午整条线的人上吐下泻，已经有23个人去园区医院挂水了。", T.food_drug, G.general),
    # a third review: the most common blast headline, times said with 以前, a notice that retells without quotes
    ("某化工厂发生爆炸多人受伤，现场浓烟滚滚", T.work_safety, G.general),
    ("十分钟以前小区门口两车相撞，一个骑车的被撞飞了", T.transport, G.general),
    ("天亮以前洪水就进村了，现在还有十几户没转移出来", T.natural_disaster, G.general),
    ("关于“某小学食堂食物中毒”的情况说明：近日，有网民发布某小学食堂食物中毒的信息。经核查，系个别学生感冒发热，"
     "不存在食物中毒情况。", T.food_drug, G.none),
    ("男子差点在车祸中丧命，目前仍在ICU抢救", T.transport, G.general),
    ("昨晚小区差点发生火灾，幸好物业发现及时", T.work_safety, G.none),
    # round 30b: a year spelt in numerals, a Cantonese denial, forecasts of continued rain
    ("一九八七年漳嶺百貨大樓那場大火，聽說燒了整整一夜，死了二十多人，是我父母那一代人的集體記憶。", T.work_safety, G.none),
    ("呢兩日有人喺WhatsApp群轉發，話一間小學食物中毒死咗兩個細路。我問咗表姐，佢話完全冇呢回事，係假消息。",
     T.food_drug, G.none),
    ("市氣象台預計，未來三天我市將出現持續強降雨過程，局部累計雨量可達二百毫米。", T.natural_disaster, G.none),
    ("城管收檔，同一個賣番薯嘅阿伯推推撞撞，阿伯跌落地撞穿頭，流晒血，俾救護車車走。", T.law_enforcement, G.general),
]


@pytest.mark.parametrize(("text", "topic", "expected"), _TWENTY_FOURTH_SESSION_GRADES)
def test_grades_of_the_twenty_fourth_session(text: str, topic: TopicCode, expected: Grade) -> None:
    """Outside rounds 24a–31b and three reviews of their rules (MODEL_CARD, twenty-fourth session)."""
    assert grade(text, topic) is expected


_TWENTY_FIFTH_SESSION_GRADES = [
    # a rumour refuted where the disease is then denied as 病例 / 疫情
    ("网传“石垭市人民医院收治多名鼠疫患者，已死亡3人”系谣言。经市卫健委核实，该院近期未收治鼠疫病例，全市无鼠疫疫情报告。",
     T.health, G.none),
    ("村里的疫情目前无法控制，卫生院已收治发热病人12人", T.health, G.general),
    # an insurance advert citing a yearly national toll
    ("【平安相伴意外险】每年全国交通事故造成数万人死亡，意外总在不经意间发生！现在投保，每天不到1元，最高保障100万元，"
     "点击链接立即投保>>", T.transport, G.none),
    # a game on a phone
    ("新出的手游《末日洪水》有人玩吗？开局一座城被洪水淹了，我昨天一关死了三十多个NPC还是没过，求攻略", T.other, G.none),
    # a what-if, and a guess that goes on with it
    ("讨论个问题：要是咱们鹤岭真来一次7级地震，老城区那些砖混楼能扛住吗？我估计至少得塌一半，死伤几千人都有可能。",
     T.natural_disaster, G.none),
    ("要是再下雨就麻烦了。今天凌晨村后山体滑坡，估计有3人被埋", T.natural_disaster, G.relatively_serious),
    # a blast's toll said as 爆炸死亡人数
    ("枫江瑞达化工爆炸死亡人数升至4人，另有1名员工失联。", T.work_safety, G.relatively_serious),
    # a typhoon still to come and prepared for; one that has landed and done harm
    ("#台风青鲨# 最新路径🌀 中央气象台预计“青鲨”将于18日夜间在澜港一带沿海登陆，本地渔排上的养殖户这两天都在抓紧转移😣",
     T.natural_disaster, G.none),
    ("气象专家：预计10月至11月仍可能有1至2个台风影响我市，提醒渔业、港口提前做好准备。", T.natural_disaster, G.none),
    ("台风“银鳞”昨夜登陆，全市多处树木倒伏，部分小区停电", T.natural_disaster, G.general),
    # an occupational disease counted over decades; a blast today is an incident whatever else is said
    ("“尘肺村”的十年 老鸦窝村142个男劳力，37人确诊尘肺病，其中11人已经去世。", T.labor_employment, G.none),
    ("今天凌晨煤矿发生瓦斯爆炸，3人死亡，矿上尘肺病人也多", T.work_safety, G.relatively_serious),
    # a review of this session's rules: a typhoon that has landed, harm before landfall, acute deaths among 尘肺 patients
    ("台风今天14时在文昌沿海登陆，预计明天凌晨再次登陆", T.natural_disaster, G.general),
    ("受台风外围影响，道路积水，两棵大树倒在路上，台风预计今晚登陆", T.natural_disaster, G.general),
    ("矿上发生瓦斯突出，5名矿工遇难，其中两人是尘肺病患者", T.work_safety, G.relatively_serious),
    ("县疾控中心：目前全县未发现诺如病毒感染病例，无诺如疫情报告。", T.health, G.none),
    ("真没想到流感病例这么多，好几个班都停课了", T.health, G.general),
    # rounds 36a-37b: a claim quoted, then found overstated, something else or made by AI
    ("小区群里有人说9栋那边“燃气爆炸了”，物业和燃气公司的人都来了，最后查明是一辆电动三轮车轮胎爆了，没有任何燃气泄漏。",
     T.work_safety, G.none),
    ("那段「龍捲風捲起汀川電視塔」的影片，稍微有點常識就看得出是AI做的吧——塔身上的字都是亂碼。", T.natural_disaster, G.none),
    ("昨晚朋友圈说“整个村被埋、二十多人没出来”，刚看到县政府通报：石坎村一处山体发生滑坡，掩埋民房4间，目前3人失联。"
     "比传的少很多", T.natural_disaster, G.relatively_serious),
    # complaints handled and reported back
    ("关于中央生态环境保护督察交办信访件（第D3401号）办理情况的公示：群众反映砂石场扬尘污染问题。经核查，情况基本属实。"
     "已责令企业整改，目前已整改完成。", T.environment, G.none),
    # a second review: a real harm found (查明是…导致), a real video (唔係AI做嘅), a complaint still unhandled
    ("有网友称城北小区一家三口煤气中毒身亡，警方最终查明是燃气热水器安装不当导致", T.work_safety, G.relatively_serious),
    ("那个「村民被洪水冲走」嘅片，原來唔係AI做嘅，係真嘅，搜救隊仲喺河度搵緊", T.natural_disaster, G.general),
    ("督察组交办的信访件到现在都没有办理情况反馈，化工厂还在偷排，河里的鱼死了一大片", T.environment, G.general),
    # round 38a: a notice names the bird-flu subtype; a denied case fires nothing; the sick who went to a town's clinic
    ("关于我市发现1例人感染H5N6禽流感病例的通报 青禾市疾控中心报告1例人感染H5N6禽流感病例，患者病情危重。", T.health, G.serious),
    ("市卫健委：全市未发现人感染H5N6禽流感病例，请市民勿恐慌。", T.health, G.none),
    ("谢家办升学宴，吃完流水席晚上就陆续有人上吐下泻，到今天早上已经有137人去了镇卫生院和县医院", T.food_drug,
     G.relatively_serious),
    # a third review: the named subtype ruled out, asked about, or in another province fires nothing; a first case does
    ("经省市专家会诊，排除人感染H5N6禽流感，患者为普通细菌性肺炎", T.health, G.general),
    ("請問食雞肉會唔會人感染H5N6禽流感㗎？", T.health, G.general),
    ("近日邻省报告人感染H5N6禽流感病例，目前本市未发现病例", T.health, G.general),
    ("我省此前从未发现人感染高致病性禽流感病例，今天通报的这一例系首例", T.health, G.serious),
    ("景区外地游客中出现聚集性不明原因发热12例，已隔离观察", T.health, G.relatively_serious),
    ("某小学出现聚集性不明原因发热，可能与饮用水有关，疾控已采样", T.health, G.relatively_serious),
]


@pytest.mark.parametrize(("text", "topic", "expected"), _TWENTY_FIFTH_SESSION_GRADES)
def test_grades_of_the_twenty_fifth_session(text: str, topic: TopicCode, expected: Grade) -> None:
    """Outside rounds 32a-33b (MODEL_CARD, twenty-fifth session)."""
    assert grade(text, topic) is expected


def test_health_office_advice_and_a_tally_of_cases() -> None:
    """Round 24a/25b: 县卫健局提醒：… with 目前全县未发现灾后传染病疫情 is advice (a 目前 that says nothing is under way is
    no news); 肺结核…总共6例了 counts six cases; a parents' Q&A (【家长问答】问：如果…) is advice."""
    advice = ("县卫健局提醒：洪水退后要做好“三清三消”——清淤泥、清垃圾、清积水，对居室进行消毒。饮用水要烧开。"
              "目前全县未发现灾后传染病疫情。")
    assert grade(advice, T.health, T.natural_disaster) is G.none
    tb = "聽說一個班先查出一個學生肺結核，後來篩查又發現5個，總共6例了，現在整個年級都在做PPD皮試。"
    assert grade(tb, T.health) is G.general
    qa = "【家长问答】问：如果孩子所在班级出现水痘、流感等传染病病例，学校会怎么处理？答：学校会按照疾控部门要求落实晨午检。"
    assert grade(qa, T.health) is G.none
    assert grade("全省H7N9病例分布在4个市，死亡病例已有5例", T.health) is not G.general  # the deaths keep their keyword


def test_rounds_26a_and_26b() -> None:
    """An anniversary opened by 十年了 (the poster 又去了 the site: a visit, not the blast again); a heavy-pollution
    warning; a bridge washed out in May, complained of months later."""
    memory = ("十年了。那个冬夜，兴埠化工厂的爆炸声把整个镇子都震醒了，8个工友再也没有回来。今天我又去了那片空地，"
              "现在已经种满了树。愿逝者安息。")
    assert grade(memory, T.work_safety) is G.none
    warning = "市重污染天气应急指挥部决定，自12月3日12时起发布重污染天气橙色预警，启动Ⅱ级应急响应。"
    assert grade(warning, T.environment) is G.none
    bridge = "来电人反映：通往镇上的漫水桥今年5月被洪水冲断，至今已三个多月，村民出行只能绕行约8公里。"
    assert grade(bridge, T.transport, T.natural_disaster) is G.none
    assert grade("化工厂昨晚又发生爆炸，3名工人死亡", T.work_safety) is G.relatively_serious

def test_round_31a_a_typhoon_forecast_with_a_long_time_phrase_is_a_warning() -> None:
    text = ("据市气象台预报，今年第9号台风“白鹭”预计于8日夜间至9日凌晨在我省东部沿海登陆，登陆时中心附近最大风力可达13级。"
            "经市防指研究决定，9日全市中小学、幼儿园停课一天。")
    assert grade(text, T.natural_disaster) is G.none


_TWENTY_SIXTH_SESSION_GRADES = [
    # a refutation whose headline quotes the claim and whose body quotes it again
    ("网传“柘湾街道自来水检出霍乱弧菌”不实\n近日，有网民在社交平台发布“柘湾街道自来水检出霍乱弧菌，千万别喝”的消息。经市疾控中心"
     "采样检测，各项指标均符合国家标准，未检出霍乱弧菌，全市亦无霍乱病例报告。警方已对造谣者依法处理。", T.health, G.none),
    # several kinds of incident denied at once
    ("【辟谣】网传“浦门港危化品仓库爆炸，死亡数十人”系谣言！经核实，网传视频为2019年外地某化工厂事故画面，浦门港区今日未发生"
     "任何火灾爆炸事故，生产经营秩序正常。", T.work_safety, G.none),
    ("今天凌晨厂区未发生火灾、爆炸事故，但有2人受伤", T.work_safety, G.general),
    # a film that moved its viewer
    ("看了《烈焰》真的哭成狗。大火燒起來那一刻，消防員一個個衝進去……推薦大家去看。", T.other, G.none),
    # last year's typhoon and the season to come, in a complaint
    ("下洋镇的老海塘去年台风一来好几处都冒水，村里人用沙袋堵了一夜。今年台风季又要到了，请问加固工程什么时候开工？",
     T.natural_disaster, G.none),
    ("今天台风登陆，去年台风也是这时候", T.natural_disaster, G.general),
    # a fire on a typhoon night: its loss is the fire's (the accident scale), not the typhoon's
    ("台风夜中心渔港避风塘着火，烧了11条船，人都撤上岸了没伤着。镇里的人说直接损失初步估了1200万左右。",
     T.work_safety, G.relatively_serious),
    # a mass poisoning of 126 with no deaths: 较大 (food safety), not 重大
    ("食用小吃后出现腹痛、腹泻、呕吐等症状。截至13日18时，全市各医院累计接诊相关患者126人，均无生命危险。", T.food_drug,
     G.relatively_serious),
    # 急性工业中毒 is a gas's or a plant's, not a school canteen's (the accident scale no longer reads 126 as 特别重大)
    ("青岚二中复课啦！126个中毒的孩子全部康复出院，今天早上升旗。新食堂换了国企团餐。", T.education, G.general),
    ("车间氨气泄漏，126名工人吸入中毒", T.work_safety, G.particularly_serious),
    # a plant's canteen keeps the accident scale beside the food one: a false alarm there is cheaper than a missed 急性工业中毒
    ("工厂食堂就餐后126名工人出现中毒症状", T.work_safety, G.particularly_serious),
    # hearsay refuted by the poster's source: the refuted death does not count
    ("听说青岚二中有个孩子没抢救过来？？刚问了在县医院的同学，说是假的，126个中毒的孩子里最重的也已经转普通病房了，"
     "没有死亡。", T.food_drug, G.relatively_serious),
    # a nuisance complained of for months, nothing acute: no 突发环境事件; a fish kill is one
    ("来电人反映：云礁区海韵路垃圾中转站夏天以来恶臭熏人，渗滤液流到人行道上，多次反映未解决。诉求：加强清运除臭。",
     T.environment, G.none),
    ("上游那个电镀厂晚上偷排不是一天两天了，今早河里全是翻白肚的死鱼", T.environment, G.general),
    # a typhoon that closed schools and harmed nothing; one that felled trees
    ("市教育局通知：受台风“银鲛”影响，7月29日全市中小学、幼儿园停课一天。复课时间另行通知。", T.education, G.none),
    ("台风“银杏”过境，大学城倒了一大片树😱", T.natural_disaster, G.general),
    ("潞川市气象台：今年第21号台风今天8时中心位于东南方约480公里的海面上，于明天上午到中午在我市沿海登陆。",
     T.natural_disaster, G.none),
    # a malpractice claim; a flop; a fire only feared; a cat's mess; a cooking heat; homework asked online
    ("患者家属在医院大厅拉横幅，称亲人在手术中死亡系医疗事故，医院称已申请医疗事故鉴定。", T.health, G.none),
    ("笑死，这期综艺直接大型翻车现场：嘉宾做饭把锅烧糊了 #周末综艺#", T.other, G.none),
    ("318国道一辆货车翻车，司机受伤", T.transport, G.general),
    ("糖浆熬过头冒烟，烟雾报警器狂响，老公冲进来以为着火了……最后成品黑乎乎一坨", T.other, G.none),
    ("一开始以为着火了没当回事，结果整栋楼都烧起来了", T.work_safety, G.general),
    ("下班回家一开门，家里像爆炸现场😱 花瓶碎了一地", T.other, G.none),
    ("小火炖一个小时。出锅前大火收汁，肥而不腻", T.other, G.none),
    ("求大佬解题：一辆消防车以每小时60千米的速度赶往火灾现场，出发10分钟后指挥车追赶，问多少分钟追上？", T.education, G.none),
    # the session's reviews: real incidents the new non-event and scale rules had hidden or under-graded
    ("网传“城南菜市场发生火灾烧死5人”不实。区消防救援大队通报：“城南菜市场发生火灾，起火点为一间干货仓库，过火面积约30平方米，"
     "无人员伤亡。”目前火已扑灭。", T.work_safety, G.general),
    ("听说城南菜市场着火了，本来以为是谣言，刚才路过一看真烧了，整排铺面都黑了，消防还在喷水", T.work_safety, G.general),
    ("台风把我家屋顶的瓦全刮跑了，窗户玻璃碎了一地，晚上只能睡在邻居家", T.natural_disaster, G.general),
    ("台风“摩羯”过后，我们村的香蕉全没了，一年白干", T.natural_disaster, G.general),
    ("刚看了《哪吒》哭成狗，结果出电影院就看见对面商场着火了，现在消防车还在往这边开", T.work_safety, G.general),
    ("山林大火烧3天仍未扑灭，已过火面积2000多亩，上千人参与扑救", T.work_safety, G.general),
    ("全年无休的外卖小哥今天在路口被一辆渣土车撞了，当场身亡", T.transport, G.general),
    ("九巴喺屯门公路翻车，多名乘客受伤", T.transport, G.general),
    ("厂区附近突然一声巨响，好像爆炸了，玻璃碎了一地", T.work_safety, G.general),
    ("施工队挖断了供水主管道，整个片区临时停水", T.environment, G.general),
    ("3月12日上午，某县经济开发区一电子公司发生正己烷中毒事件，共有56名员工被确诊为急性正己烷中毒，其中8人病情较重。",
     T.labor_employment, G.serious),
    ("已排除食物中毒，初步判断为通风不良导致的一氧化碳中毒。截至目前共有63名工人中毒入院治疗，无人死亡。", T.work_safety,
     G.serious),
    ("某化工园区一企业工人午间就餐后返回车间作业，车间内氯气泄漏，52名工人吸入后中毒，其中5人为重症。", T.work_safety,
     G.serious),
    ("4日凌晨，一辆运载30吨液碱的槽罐车侧翻，液碱外泄流入清水河造成污染，环保部门持续开展监测，直接经济损失约2200万元。",
     T.environment, G.serious),
    ("某矿业公司尾矿库多年来渗漏问题一直未解决，昨日坝体出现溃口，尾矿浆外泄进入下游河道，造成沿线污染。", T.environment,
     G.general),
    # a gambling den reported is no crowd incident; a crowd at a township gate is one
    ("来电人反映：城北路一栋居民楼的三楼，长期有人聚集打牌赌博，每天深夜进出人员很多。", T.public_order, G.none),
    ("数百名村民聚集在镇政府门口讨要说法", T.public_order, G.general),
]


@pytest.mark.parametrize(("text", "topic", "expected"), _TWENTY_SIXTH_SESSION_GRADES)
def test_grades_of_the_twenty_sixth_session(text: str, topic: TopicCode, expected: Grade) -> None:
    """Outside rounds 40a-43b (MODEL_CARD, twenty-sixth session)."""
    assert grade(text, topic) is expected


def test_a_loss_is_the_fires_on_a_stormy_night_and_the_weathers_when_it_destroyed() -> None:
    """A fire on a typhoon night: its loss on the accident scale. Snow that brought warehouses down: the natural-disaster
    scale's 500万 line still reads the loss, whichever of the two topics comes first (second review of the session)."""
    fire = "台风夜中心渔港避风塘着火，烧了11条船，人都撤上岸了没伤着。直接损失初步估了1200万左右。"
    assert grade(fire, T.work_safety, T.natural_disaster) is G.relatively_serious
    snow = "暴雪致某物流园区3座钢结构仓库倒塌，直接经济损失约900万元，无人员伤亡。"
    assert grade(snow, T.work_safety, T.natural_disaster) is G.serious
    assert grade(snow, T.natural_disaster, T.work_safety) is G.serious
