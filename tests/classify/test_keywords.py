"""Fast scheme matching and keyword topic classification."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sentinel.classify.keywords import KeywordClassifier, SchemeSet, combine, evaluate, find_all
from sentinel.classify.schemes import normalise
from sentinel.classify.taxonomy import Scheme, Taxonomy, load_taxonomy
from sentinel.domain.codes import TopicCode

REAL = Path(__file__).resolve().parents[2] / "classify" / "taxonomy.yaml"

# Hand-written posts in the voice of Weibo / forum / 12345 messages; at least one per topic.
POSTS = [
    (
        TopicCode.work_safety,
        "突发！梅岭县经开区一化工厂下午3点左右发生爆炸，现场浓烟滚滚，已造成2人死亡5人受伤，消防正在全力扑救，附近的朋友注意避让。",
    ),
    (
        TopicCode.work_safety,
        "青石县一煤矿井下发生透水事故，目前仍有6名矿工被困，救援队伍已经赶赴现场，家属在矿口焦急等待。",
    ),
    (
        TopicCode.work_safety,
        "城关区某在建工地脚手架突然坍塌，三名工人从十几米高处坠落，其中一人当场身亡，工地平时根本没人管安全。",
    ),
    (
        TopicCode.natural_disaster,
        "昨晚一场特大暴雨，白沙县好几个村子被淹，山洪冲毁了进村的路，还有老人被困在家里，求求救援队快点来！",
    ),
    (TopicCode.natural_disaster, "刚才震感好明显，楼上的吊灯一直在晃，有没有人知道是哪里地震了？震级多少？"),
    (
        TopicCode.environment,
        "河西区那个化工园区每天晚上偷排污水，小河的水都变黑发臭了，还漂着死鱼，举报了好几次都没人管。",
    ),
    (
        TopicCode.environment,
        "小区旁边的工地天天夜间施工到凌晨两点，噪音吵得孩子根本睡不着，打电话投诉也没用。",
    ),
    (
        TopicCode.food_drug,
        "孩子学校食堂的饭菜里吃出了虫子，好几个家长反映孩子吃完回家就上吐下泻，学校还不让往外说。",
    ),
    (
        TopicCode.food_drug,
        "在新港区一家超市买的牛奶过期了两个月还在货架上卖，找店员理论，对方态度还特别差，已经打12315了。",
    ),
    (
        TopicCode.health,
        "我爸在县人民医院做了个小手术，结果术后大出血，医生说是正常并发症，人就这么没了，医院到现在也不给个说法，这是医疗事故！",
    ),
    (
        TopicCode.health,
        "市一院挂号也太难了吧，早上五点去排队，专家号还是一号难求，黄牛却在门口一百块一个号倒卖。",
    ),
    (
        TopicCode.education,
        "初二学生在厕所被几个同学围殴，扇耳光还逼跪拍视频传到网上，学校说是同学之间闹着玩，这不就是校园霸凌吗？",
    ),
    (
        TopicCode.education,
        "孩子班主任暗示家长周末送到她家补课，一节课两百，不去的孩子上课就被冷落，这种有偿补课到底有没有人管？",
    ),
    (
        TopicCode.social_security,
        "我妈的养老金已经三个月没到账了，去社保局问，窗口说系统升级让回去等，老人就靠这点钱生活。",
    ),
    (
        TopicCode.social_security,
        "村里的低保名额全给了村干部的亲戚，真正困难的孤寡老人却评不上，这种关系保、人情保什么时候能整治？",
    ),
    (
        TopicCode.labor_employment,
        "我们二十多个农民工在清江一个工地干了大半年，包工头卷款跑路了，年底工资一分钱都讨不到，血汗钱啊！",
    ),
    (
        TopicCode.labor_employment,
        "公司强制996，加班费一分没有，还不给交社保，提出来就让我们自己走人，这合法吗？",
    ),
    (
        TopicCode.housing,
        "买的期房已经逾期交房一年多了，楼盘停工到现在，开发商电话都打不通，每个月还得还房贷，业主们准备集体维权。",
    ),
    (TopicCode.housing, "新交的精装房，墙面大面积开裂，卫生间还漏水，找物业推给开发商，开发商又推给施工方。"),
    (
        TopicCode.land_demolition,
        "凌晨三点，一群人开着挖掘机把我家的房子推倒了，没有任何手续，补偿款一分没给，这就是强拆！",
    ),
    (
        TopicCode.land_demolition,
        "村里征地补偿标准太低，一亩地才给三万，青苗费也被村里截留了，村民去镇上反映没有任何结果。",
    ),
    (
        TopicCode.finance,
        "投了二十万在一个理财平台，说好年化15%的高息回报，现在平台爆雷无法提现，老板也跑路了，这是非法集资吧？",
    ),
    (
        TopicCode.finance,
        "最近老是接到催收电话，网贷平台爆通讯录，连我七十岁的老母亲都被骚扰，还威胁要上门，套路贷太可怕了。",
    ),
    (
        TopicCode.tax_business,
        "我们是做配套的小企业，给区里的项目干完活，工程款拖欠了两年还没结清，招商的时候说得好好的，现在是关门打狗。",
    ),
    (
        TopicCode.tax_business,
        "留抵退税的政策说得很好，可我们去税务局申请，材料交了三次还是说不符合，减税降费到底能不能落实到小微企业？",
    ),
    (
        TopicCode.public_order,
        "今天下午在步行街有个男的持刀伤人，好几个路人被砍伤，太吓人了，嫌疑人已经被警方控制。",
    ),
    (
        TopicCode.public_order,
        "我妈接到自称公安局的电话，说她涉嫌洗钱要把钱转到安全账户，一下被骗了八万块，这种电信诈骗什么时候能根治？",
    ),
    (
        TopicCode.law_enforcement,
        "城管在菜市场门口掀摊，把一个卖菜老太太的三轮车直接没收了，老人坐在地上哭，这种粗暴执法真的寒心。",
    ),
    (
        TopicCode.law_enforcement,
        "卖五斤芹菜赚了十几块，被市场监管罚款六万六，这种小过重罚合理吗？过罚不当也太离谱了。",
    ),
    (
        TopicCode.rural_poverty,
        "村里今年的种粮补贴到现在还没发，问村干部说是上面没拨下来，隔壁村早就到账了，是不是被克扣了？",
    ),
    (
        TopicCode.rural_poverty,
        "梅岭县的脐橙今年大丰收，可是价格暴跌卖不出去，好多果子都烂在树上了，果农一年白干，求帮忙转发。",
    ),
    (TopicCode.transport, "早高峰新港大道又堵死了，半小时挪了不到一公里，路口的红绿灯时间设置得太不合理了。"),
    (TopicCode.transport, "河西区人民路上一辆渣土车闯红灯撞上了一辆电动车，骑车的大姐当场被碾压，太惨了。"),
    (
        TopicCode.government_service,
        "为了办一个营业执照变更，在政务大厅来回跑了五趟，每次窗口都说缺材料，一次性告知就这么难吗？办事难啊。",
    ),
    (
        TopicCode.government_service,
        "某局长开着公车带家人去景区旅游，还在朋友圈晒照片，这是不是公车私用？违反八项规定了吧。",
    ),
]

NEUTRAL = [
    "今天天气不错，和朋友去公园散步，拍了好多照片。",
    "这本书写得真好，推荐给大家。",
    "周末在家做了红烧肉，孩子们都说好吃。",
]


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy(REAL)


@pytest.fixture(scope="module")
def classifier(taxonomy: Taxonomy) -> KeywordClassifier:
    return KeywordClassifier(taxonomy)


def test_every_topic_has_a_realistic_post() -> None:
    assert {code for code, _ in POSTS} == set(TopicCode) - {TopicCode.other}


@pytest.mark.parametrize(
    ("expected", "text"), POSTS, ids=[f"{c.value}-{i}" for i, (c, _) in enumerate(POSTS)]
)
def test_realistic_posts_get_the_right_primary_topic(
    classifier: KeywordClassifier, expected: TopicCode, text: str
) -> None:
    scores = classifier.classify(text)
    assert scores, "no scheme matched"
    assert scores[0].topic is expected, [(s.topic.value, s.score) for s in scores]


def test_scores_are_sorted_bounded_and_explained(classifier: KeywordClassifier) -> None:
    for _, text in POSTS:
        scores = classifier.classify(text)
        assert [s.score for s in scores] == sorted((s.score for s in scores), reverse=True)
        for score in scores:
            assert 0.0 < score.score <= 1.0
            assert score.hits and all(hit.topic is score.topic for hit in score.hits)
            for hit in score.hits:
                assert hit.spans
                for term, start, end in hit.spans:
                    assert normalise(text[start:end]) == term


@pytest.mark.parametrize(("text", "first"), [
    ("老居民楼三楼阳台整块塌下来，砸中楼下停着的电动车，好在没人受伤", TopicCode.housing),
    ("城西在建工地一处围墙倒塌，2名工人被压", TopicCode.work_safety),   # a site: 安全生产
    ("昨晚大雨，老纺织厂宿舍那段围墙倒塌了，压扁了两辆电动车", TopicCode.housing),  # a compound's wall (round 24b)
    ("城西小学一段围墙在暴雨中突然倒塌，砸中两名放学的学生", TopicCode.work_safety),  # a school's is not housing's
    ("凌晨一群人开着挖掘机把我家的房子推倒了，这就是强拆！", TopicCode.land_demolition),  # a demolition
])
def test_a_dwelling_falling_leads_over_work_safety(classifier: KeywordClassifier, text: str, first: TopicCode) -> None:
    assert classifier.classify(text)[0].topic is first


@pytest.mark.parametrize(("text", "first"), [
    ("XX高速因暴雪封闭，滞留车辆两千多辆，我们在车上已经待了十个小时了", TopicCode.natural_disaster),
    ("国道319线今晨发生山体塌方，约2000立方米土石方堵塞道路，交通中断", TopicCode.natural_disaster),
    ("S217隧道出口刚才有落石砸中一辆小车，司机被困在车里", TopicCode.natural_disaster),
])
def test_a_road_cut_by_the_weather_is_the_hazard_first(classifier: KeywordClassifier, text: str,
                                                        first: TopicCode) -> None:
    """Outside writers put the hazard first 28 times to 2 (MODEL_CARD, twenty-fourth session)."""
    scores = classifier.classify(text)
    assert scores[0].topic is first
    assert any(hit.scheme == "灾害阻断交通" and TopicCode.transport in hit.leads_over for hit in scores[0].hits)


@pytest.mark.parametrize("text", [
    "暴雪天高速上两车追尾，造成1人受伤，现场已封闭",  # a crash: transport's
    "受台风影响，一艘渔船在返港途中失联",  # a boat
    "台风来了航班取消，能退票吗",  # a flight
])
def test_the_road_cut_scheme_stays_out_of_crashes_boats_and_flights(classifier: KeywordClassifier, text: str) -> None:
    assert all(hit.scheme != "灾害阻断交通" for score in classifier.classify(text) for hit in score.hits)


@pytest.mark.parametrize("text", [
    "居民楼电梯突然从12楼掉下来，里面困着3个人",  # an elevator
    "液化气罐突然爆了，民房塌了半边",  # a blast
    "商场外墙玻璃幕墙脱落，砸坏两辆车",  # a mall's curtain wall
    "3岁男童从8楼阳台掉下来，送医抢救",  # a child's fall
])
def test_the_dwelling_scheme_stays_out_of_other_falls(classifier: KeywordClassifier, text: str) -> None:
    assert all(hit.scheme != "房屋安全" for score in classifier.classify(text) for hit in score.hits)


@pytest.mark.parametrize(("text", "first"), [
    ("今天上午县实验小学开展消防疏散演练，全校1800余名师生3分钟内撤到操场", TopicCode.education),
    ("5·12防灾减灾日，我校开展地震应急疏散演练，全校2380名师生2分10秒疏散完毕", TopicCode.education),
    ("凌晨城东化工厂储罐起火，消防正在扑救", TopicCode.work_safety),  # a real fire: no drill
])
def test_a_schools_own_drill_is_educations(classifier: KeywordClassifier, text: str, first: TopicCode) -> None:
    """Outside writers put a school's evacuation drill under education 30 times to 3 (DATA_CARD rule R6)."""
    assert classifier.classify(text)[0].topic is first


@pytest.mark.parametrize("text", [
    "我同学在电厂上班，今天厂里搞消防演练",  # a student is no school
    "林业局在林场开展森林火灾扑救演练，邀请附近中学学生观摩",  # watched by pupils
    "上周学校才搞了消防演练，没想到今天下午实验楼真的起火了",  # a real fire
    "区市场监管局在二中开展食物中毒应急演练，模拟午餐后30名学生呕吐腹泻",  # food safety's drill
    "公安分局在实验二小开展反恐防暴演练，模拟持刀歹徒冲闯校门",  # the police's
    "镇里防汛演练，老人小孩半小时全转移到学校里",  # a village's evacuation, to a school
    "学校地震演练时楼梯口拥挤，3名学生摔倒受伤",  # someone was hurt: an incident
])
def test_the_school_drill_scheme_stays_out_of_other_drills(classifier: KeywordClassifier, text: str) -> None:
    assert all(hit.scheme != "校园疏散演练" for score in classifier.classify(text) for hit in score.hits)


@pytest.mark.parametrize(("text", "first"), [
    ("“聚财宝”平台的投资人今天又在公司门口聚集了，一两百人要求退本金，平台三个月没兑付，老板失联，警察在维持秩序",
     TopicCode.finance),
    ("理财平台上周突然提不了现，三四百名投资人举着“还我血汗钱”的牌子到信访局门口", TopicCode.finance),
    ("同事被杀猪盘骗了四十多万，在“投资平台”上加大投入，最后提不出来", TopicCode.public_order),  # a fraud
    ("女子乘坐网约车后失联，家属已报警，平台称联系不上司机", TopicCode.public_order),  # no money at stake
])
def test_investors_of_a_collapsed_platform_are_finance_first(classifier: KeywordClassifier, text: str,
                                                             first: TopicCode) -> None:
    """Outside writers put the platform's investors under finance though the police keep order (爆雷维权)."""
    assert classifier.classify(text)[0].topic is first


@pytest.mark.parametrize(("text", "matches"), [
    ("七星岩景区观光小火车刚才在下坡弯道脱轨了，好几个人被甩出来，至少9个受伤", True),
    ("鹿鸣峡漂流第三个急滩那里一艘皮筏翻了，剩下三个被冲下去了", True),
    ("📍鹿鸣峡漂流攻略：门票优惠，皮筏翻了也不怕，都有救生衣", False),  # a guide: no accident
])
def test_a_scenic_rides_accident_is_the_operators(classifier: KeywordClassifier, text: str, matches: bool) -> None:
    """客运索道 and 大型游乐设施 are 特种设备: outside writers put their accidents under work_safety (景区游乐设施事故)."""
    scores = classifier.classify(text)
    assert any(h.scheme == "景区游乐设施事故" for s in scores for h in s.hits) is matches
    if matches:
        assert scores[0].topic is TopicCode.work_safety


def test_no_hit_means_empty_list(classifier: KeywordClassifier) -> None:
    for text in NEUTRAL:
        assert classifier.classify(text) == []
    assert classifier.classify("") == []


def test_traditional_chinese_post_is_classified_with_original_offsets(classifier: KeywordClassifier) -> None:
    text = "梅嶺縣化工廠發生爆炸，現場濃煙滾滾"
    (top, *_) = classifier.classify(text)
    assert top.topic is TopicCode.work_safety
    spans = {(text[s.start : s.end], s.term) for hit in top.hits for s in hit.spans}
    assert ("爆炸", "爆炸") in spans and ("濃煙滾滾", "浓烟滚滚") in spans


def test_exclusion_terms_suppress_a_scheme(classifier: KeywordClassifier) -> None:
    assert classifier.classify("双十一销量爆炸，这款爆炸头假发太火了") == []


def test_combine_is_a_bounded_noisy_or() -> None:
    assert combine([]) == 0.0
    assert combine([1.0]) == 0.6
    assert combine([1.0, 1.0]) == 0.84
    assert combine([0.5]) < combine([1.0]) < combine([1.0, 0.4]) < 1.0
    assert combine([1.5] * 50) == 1.0


def _tiny() -> SchemeSet:
    schemes = [
        (TopicCode.work_safety, Scheme(name="爆炸", expr="(爆炸 | 爆燃) -演习")),
        (TopicCode.transport, Scheme(name="事故", expr="(车祸 | 追尾) ~6 (死亡 | 受伤)", weight=0.5)),
        (TopicCode.health, Scheme(name="app", expr='app "挂号"')),
        (TopicCode.natural_disaster, Scheme(name="本地", expr="REGION ~4 暴雨")),
        (TopicCode.public_order, Scheme(name="报警", expr="110 | 报警", weight=0.5)),
        (TopicCode.work_safety, Scheme(name="火", expr="🔥 (着火 | 起火 | 爆炸)")),
        (TopicCode.housing, Scheme(name="双重否定", expr="!(!烂尾 | !楼)")),
    ]
    return SchemeSet(schemes, regions=["清江市", "梅岭县"])


def test_scheme_set_hits() -> None:
    sets = _tiny()
    assert len(sets) == 7
    hits = sets.match("清江市暴雨，一起追尾车祸致1人受伤，化工厂爆燃")
    assert [(h.topic, h.scheme) for h in hits] == [
        (TopicCode.work_safety, "爆炸"),
        (TopicCode.transport, "事故"),
        (TopicCode.natural_disaster, "本地"),
    ]
    assert hits[2].spans[0] == ("清江市", 0, 3)
    assert sets.match("消防演习：模拟爆炸") == []
    assert [h.scheme for h in sets.match("用APP挂号")] == ["app"]
    assert sets.match("happy挂号") == []  # word boundary on latin terms
    assert [h.scheme for h in sets.match("快打110！")] == ["报警"]
    assert sets.match("编号1100") == []
    assert [h.scheme for h in sets.match("这栋楼烂尾了")] == ["双重否定"]


@pytest.mark.parametrize(("text", "crush"), [
    ("七星岩一线天那里有人被踩了，后面还在往下推", True),
    ("古镇灯会西门石桥处发生拥挤踩踏", True),
    ("人群失控往下挤，好几个人倒下了", True),
    ("北坡步道游客挤压，多人受伤", True),
    # the trigger words, in posts that are not about a crowd
    ("两车相撞，驾驶室严重挤压变形", False),
    ("载游客大巴侧翻，车厢挤压变形", False),
    ("工人被机器挤压受伤", False),
    ("地铁上脚被踩了一下，疼死了", False),
    ("草坪被踩坏了，请勿踩踏草坪", False),
    ("股市踩踏式下跌，散户割肉", False),
    ("共享单车被挤倒一排", False),
    ("公交车上拥挤，老人摔倒受伤", False),
])
def test_the_crowd_crush_scheme(taxonomy: Taxonomy, text: str, crush: bool) -> None:
    schemes = SchemeSet.from_taxonomy(taxonomy)
    hits = {(h.topic, h.scheme) for h in schemes.match(text)}
    assert ((TopicCode.public_order, "拥挤踩踏") in hits) is crush


# Terms added because posts written outside the corpus matched no scheme (MODEL_CARD, sessions 17–18).
@pytest.mark.parametrize(("text", "expected"), [
    ("【寻人】家父82岁，有阿尔茨海默症，今天上午从小区走出去后一直没回来，有看到的请联系", TopicCode.public_order),
    ("#寻人# 我外公78岁，早上从城关镇南门小区走失，口袋里有写着电话的卡片", TopicCode.public_order),
    ("羽绒服标着含绒量90%，送检结果才50%", TopicCode.law_enforcement),
    ("我家孩子被人说是高考移民，取消了报名资格", TopicCode.education),
    ("小区门口的应急避难场所被改成了停车场", TopicCode.natural_disaster),
    ("昨天停在路边被贴了罚单，那里根本没有禁停标志", TopicCode.law_enforcement),
    ("村里发大水了，淹了好几十户，有个老人被冲走了", TopicCode.natural_disaster),
    ("后山垮下来了，埋了三户人家，村里人都在用手刨", TopicCode.natural_disaster),
])
def test_terms_from_outside_posts(classifier: KeywordClassifier, text: str, expected: TopicCode) -> None:
    scores = classifier.classify(text)
    assert scores and scores[0].topic is expected, [(s.topic.value, s.score) for s in scores]


def test_a_lost_dog_is_not_a_missing_person(classifier: KeywordClassifier) -> None:
    assert classifier.classify("寻狗启事🐶 昨晚在城东公园走失一只金毛，两岁，叫豆豆") == []


def test_emoji_and_odd_characters_keep_offsets() -> None:
    text = "😮‍💨梅岭县暴雨，工厂爆炸🔥\ud800"
    hits = _tiny().match(text)
    assert [h.scheme for h in hits] == ["爆炸", "本地", "火"]
    for hit in hits:
        for term, start, end in hit.spans:
            assert normalise(text[start:end]) == term


def test_scheme_without_required_term_is_refused() -> None:
    bad = Scheme.model_construct(name="坏", expr="-演习", weight=1.0)
    with pytest.raises(ValueError, match="no required term"):
        SchemeSet([(TopicCode.other, bad)])


# Texts stitched from real scheme terms plus filler, so that hits and near-misses are common.
_VOCAB = [
    "爆炸",
    "爆燃",
    "演习",
    "车祸",
    "追尾",
    "死亡",
    "受伤",
    "app",
    "APP",
    "挂号",
    "清江市",
    "梅岭县",
    "暴雨",
    "烂尾",
    "楼",
    "工人",
    "110",
    "1",
    "a",
    "，",
    "某",
    "的",
    "欠薪",
    "食堂",
    "🔥",
    "😮‍💨",
    "\ud800",
    "ｐ",
    "臺",
]
_texts = st.lists(st.one_of(st.sampled_from(_VOCAB), st.text(max_size=3)), max_size=20).map("".join)
_TINY = _tiny()
_TAX = load_taxonomy(REAL)
_REAL_SET = SchemeSet.from_taxonomy(_TAX)


@given(_texts)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_scan_and_match_agree_with_brute_force(text: str) -> None:
    found = _TINY.find_terms(text)
    norm = normalise(text)
    for key in ["爆炸", "app", "110", "清江市", "挂号", "🔥", "楼", "受伤"]:
        assert found.get(key, []) == find_all(norm, key)
    schemes = [
        (s.name, s)
        for s in (
            Scheme(name="爆炸", expr="(爆炸 | 爆燃) -演习"),
            Scheme(name="事故", expr="(车祸 | 追尾) ~6 (死亡 | 受伤)"),
            Scheme(name="火", expr="🔥 (着火 | 起火 | 爆炸)"),
        )
    ]
    fast = {h.scheme: h.spans for h in _TINY.match(text)}
    for name, scheme in schemes:
        result = evaluate(scheme.parsed, text)
        assert (name in fast) == result.matched
        if result.matched:
            assert fast[name] == result.spans


@given(_texts)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_skipping_untriggered_schemes_loses_nothing(text: str) -> None:
    tax = _TAX
    fast = {(h.topic, h.scheme) for h in _REAL_SET.match(text)}
    slow = {
        (code, s.name)
        for code, s in tax.all_schemes()
        if evaluate(s.parsed, text, regions=tax.regions).matched
    }
    assert fast == slow


def test_real_posts_match_brute_force(taxonomy: Taxonomy) -> None:
    for _, text in POSTS:
        fast = [(h.topic, h.scheme, h.spans) for h in _REAL_SET.match(text)]
        slow = []
        for code, scheme in taxonomy.all_schemes():
            result = evaluate(scheme.parsed, text, regions=taxonomy.regions)
            if result.matched:
                slow.append((code, scheme.name, result.spans))
        assert fast == slow


@pytest.mark.parametrize("text", [
    "自来水管爆裂，解放路积水严重，车辆请绕行",  # a pipe, not the weather
    "这城市一下雪就堵死，每次都这样",  # a habit
    "大雾加结冰，京港澳高速多车连环撞，交通中断",  # a crash: transport's
    "暴雨导致机场大面积延误，上千名旅客滞留",  # flights
])
def test_the_road_cut_scheme_stays_out_of_pipes_habits_crashes_and_airports(classifier: KeywordClassifier,
                                                                            text: str) -> None:
    assert all(hit.scheme != "灾害阻断交通" for score in classifier.classify(text) for hit in score.hits)


@pytest.mark.parametrize("text", ["厂区围墙突然倒塌，砸死一名路过的村民", "工人在拆老围墙时围墙突然倒了"])
def test_the_dwelling_scheme_stays_out_of_factory_walls_and_demolition(classifier: KeywordClassifier,
                                                                       text: str) -> None:
    assert all(hit.scheme != "房屋安全" for score in classifier.classify(text) for hit in score.hits)
