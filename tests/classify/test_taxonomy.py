"""Loading classify/taxonomy.yaml: the real file, and broken copies staff might write."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from sentinel.classify.taxonomy import (
    Scheme,
    Taxonomy,
    TaxonomyError,
    Topic,
    find_taxonomy_file,
    load_taxonomy,
)
from sentinel.domain.codes import TopicCode

REAL = Path(__file__).resolve().parents[2] / "classify" / "taxonomy.yaml"


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy(REAL)


def test_real_file_has_every_topic_and_enough_schemes(taxonomy: Taxonomy) -> None:
    assert set(taxonomy.topics) == set(TopicCode)
    assert taxonomy.scheme_count >= 150
    for code in TopicCode:
        topic = taxonomy.topic(code)
        assert topic.name and topic.lead_departments
        if code is not TopicCode.other:
            assert len(topic.schemes) >= 8, code


@pytest.mark.parametrize(
    ("code", "department"),
    [
        (TopicCode.work_safety, "应急管理局"),
        (TopicCode.food_drug, "市场监督管理局"),
        (TopicCode.environment, "生态环境局"),
        (TopicCode.social_security, "民政局"),
        (TopicCode.finance, "地方金融监督管理局"),
        (TopicCode.public_order, "公安局"),
        (TopicCode.education, "教育局"),
        (TopicCode.health, "卫生健康委员会"),
        (TopicCode.land_demolition, "自然资源局"),
        (TopicCode.tax_business, "税务局"),
        (TopicCode.transport, "公安局交通警察支队"),
        (TopicCode.rural_poverty, "乡村振兴局"),
        (TopicCode.law_enforcement, "司法局"),
        (TopicCode.government_service, "纪委监委"),
    ],
)
def test_lead_departments_follow_the_government_plans(
    taxonomy: Taxonomy, code: TopicCode, department: str
) -> None:
    assert department in taxonomy.topic(code).lead_departments


def test_regions_and_their_use(taxonomy: Taxonomy) -> None:
    assert {"清江市", "城关区", "河西区", "新港区", "青石县", "梅岭县", "白沙县"} <= set(taxonomy.regions)
    assert any(s.uses_region for _, s in taxonomy.all_schemes())


def test_topic_lookup_accepts_strings_and_defaults_other() -> None:
    tax = load_taxonomy(REAL)
    assert tax.topic("housing").name == "住房与房地产"
    minimal = Taxonomy.model_validate(
        {"topics": {c.value: {"name": c.value} for c in TopicCode if c is not TopicCode.other}}
    )
    assert minimal.topic(TopicCode.other).name == "其他"


# --- broken copies ---------------------------------------------------------


def _broken(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    text = REAL.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path, new


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def _problems(path: Path) -> list[str]:
    with pytest.raises(TaxonomyError) as info:
        load_taxonomy(path)
    return info.value.problems


def test_bad_expression_names_file_line_topic_scheme_and_column(tmp_path: Path) -> None:
    path, new = _broken(tmp_path, "expr: '烂尾 | 烂尾楼 |", "expr: '(烂尾 | 烂尾楼 |")
    (problem,) = _problems(path)
    line = _line_of(path, new)
    assert problem.startswith(f"{path}:{line}: topic 'housing' scheme '烂尾楼' expr: expected ')'")
    assert "at column" in problem


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path, _ = _broken(tmp_path, "    name: 教育\n", "    name: [教育\n")
    (problem,) = _problems(path)
    assert problem.startswith(f"{path}:")
    assert "YAML syntax" in problem
    reported = int(problem.split(":")[1])
    assert abs(reported - _line_of(path, "name: [教育")) <= 2


def test_misspelt_field_and_bad_weight(tmp_path: Path) -> None:
    text = REAL.read_text(encoding="utf-8")
    text = text.replace(
        "        weight: 0.9\n      - name: 燃气安全", "        wieght: 0.9\n      - name: 燃气安全"
    )
    text = text.replace("        weight: 0.8\n      - name: 地震", "        weight: 3\n      - name: 地震")
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text, encoding="utf-8")
    problems = _problems(path)
    assert len(problems) == 2
    by_scheme = {p.split(": ")[1]: p for p in problems}
    assert (
        f":{_line_of(path, 'wieght')}:" in by_scheme["topic 'work_safety' scheme '坠落触电中毒窒息' wieght"]
    )
    assert (
        "Extra inputs are not permitted" in by_scheme["topic 'work_safety' scheme '坠落触电中毒窒息' wieght"]
    )
    assert f":{_line_of(path, 'weight: 3')}:" in by_scheme["topic 'natural_disaster' scheme '暴雨' weight"]


def test_missing_field_points_at_the_scheme(tmp_path: Path) -> None:
    path, _ = _broken(
        tmp_path,
        "      - name: 住房公积金\n        expr: '公积金 | 住房公积金 | 提取公积金 | 公积金贷款'\n",
        "",
    )
    path.write_text(
        path.read_text().replace("  land_demolition:", "      - name: 住房公积金\n  land_demolition:")
    )
    (problem,) = _problems(path)
    assert problem.startswith(
        f"{path}:{_line_of(path, '- name: 住房公积金')}: topic 'housing' scheme '住房公积金'"
    )
    assert "expr: Field required" in problem


def test_unknown_and_missing_topics(tmp_path: Path) -> None:
    path, _ = _broken(tmp_path, "  housing:\n", "  housng:\n")
    problems = _problems(path)
    assert any(p.startswith(f"{path}:{_line_of(path, 'housng:')}: topic 'housng'") for p in problems)


def test_missing_topic_is_reported(tmp_path: Path) -> None:
    text = REAL.read_text(encoding="utf-8")
    start, end = text.index("  finance:\n"), text.index("  tax_business:\n")
    path = tmp_path / "taxonomy.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    (problem,) = _problems(path)
    assert "topic 'finance' is missing" in problem


def test_duplicate_scheme_name_and_duplicate_key(tmp_path: Path) -> None:
    path, _ = _broken(tmp_path, "      - name: 暴雨\n", "      - name: 洪涝\n")
    (problem,) = _problems(path)
    second = [i for i, line in enumerate(path.read_text().splitlines(), 1) if "- name: 洪涝" in line][1]
    assert (
        problem
        == f"{path}:{second}: topic 'natural_disaster' scheme '洪涝' name: duplicate scheme name in this topic"
    )

    path, _ = _broken(tmp_path, "    name: 教育\n", "    name: 教育\n    name: 教育2\n")
    (problem,) = _problems(path)
    assert problem == f"{path}:{_line_of(path, 'name: 教育2')}: key 'name' appears twice"


def test_region_without_regions_and_unanchored_scheme(tmp_path: Path) -> None:
    path, _ = _broken(
        tmp_path, "regions: [清江市, 清江, 城关区, 河西区, 新港区, 青石县, 梅岭县, 白沙县]\n", ""
    )
    problems = _problems(path)
    assert len(problems) == 2
    assert all("uses REGION but no regions are set" in p for p in problems)

    path, _ = _broken(tmp_path, "expr: '公积金 | 住房公积金 | 提取公积金 | 公积金贷款'", "expr: '-公积金'")
    (problem,) = _problems(path)
    assert "scheme '住房公积金' expr: matches posts containing none of its terms" in problem


def test_programmatic_taxonomy_is_checked_too() -> None:
    topics = {c: Topic(name=c.value) for c in TopicCode if c is not TopicCode.other}
    topics[TopicCode.housing] = Topic(name="住房", schemes=[Scheme(name="本地", expr="REGION 烂尾")])
    with pytest.raises(ValidationError, match="uses REGION but no regions are set"):
        Taxonomy(topics=topics)
    with pytest.raises(ValidationError, match="expected a term"):
        Scheme(name="x", expr="a |")


def test_empty_or_non_mapping_file(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.yaml"
    path.write_text("", encoding="utf-8")
    assert _problems(path) == [f"{path}:1: document: expected a mapping with 'topics'"]


# --- finding the file ------------------------------------------------------


def test_find_taxonomy_file_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SENTINEL_TAXONOMY", raising=False)
    monkeypatch.delenv("SENTINEL_CONFIG_DIR", raising=False)
    checkout = tmp_path / "checkout"
    (checkout / "classify").mkdir(parents=True)
    (checkout / "classify" / "taxonomy.yaml").write_text(REAL.read_text(encoding="utf-8"), encoding="utf-8")
    deep = checkout / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert find_taxonomy_file() == checkout / "classify" / "taxonomy.yaml"

    config = tmp_path / "etc"
    config.mkdir()
    (config / "taxonomy.yaml").write_text(REAL.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("SENTINEL_CONFIG_DIR", str(config))
    assert find_taxonomy_file() == config / "taxonomy.yaml"
    assert load_taxonomy().scheme_count >= 150

    monkeypatch.setenv("SENTINEL_TAXONOMY", str(REAL))
    assert find_taxonomy_file() == REAL


# Real-world vocabulary added after the dev error audit: each phrase must reach its scheme, and the
# look-alikes must not (so that a term added for one topic does not fire on another).
VOCABULARY = [
    ("environment", "大气污染", "煤改气改完了，一个冬天燃气费要四千多，用不起"),
    ("environment", "水污染", "近岸海域发生大面积赤潮，请勿采捕贝类"),
    ("natural_disaster", "洪涝", "暴雨导致地下车库倒灌，几十辆车被淹"),
    ("natural_disaster", "暴雨", "天文台发出黑色暴雨警告"),
    ("health", "传染病疫情", "一家养老院爆发军团菌感染"),
    ("social_security", "养老服务", "长期护理保险试点扩大，失能老人每月可领护理费"),
    ("social_security", "养老金", "社保基数年年涨，工资年年不涨"),
    ("tax_business", "惠企政策兑现", "企业申报的奖补资金一年了还没拨付"),
    ("tax_business", "涉企乱收费", "各种协会上门向企业拉赞助"),
    ("public_order", "命案", "三个月杀了三个人，凶手还没抓到"),
    ("law_enforcement", "公安执法", "报警后等了两个小时才来，到了说是民事纠纷"),
    ("government_service", "形式主义官僚主义", "干部考核只看任内政绩，面子工程一个接一个"),
    ("government_service", "干部言行", "窗口工作人员上班时间刷手机看剧"),
    ("work_safety", "烟花爆竹", "春节期间烟花爆竹致伤患者37人"),
    ("rural_poverty", "村级治理", "村级光伏电站的收益分配一直没有公开"),
    ("transport", "停车", "新增公共停车泊位4200个"),
]
NOT_MATCHED = [
    ("natural_disaster", "洪涝", "小区自来水停了一天"),
    ("rural_poverty", "养殖与动物疫病", "人感染h7n9禽流感病例增至12例"),
    ("public_order", "命案", "警方抓获非法倾倒危废的犯罪嫌疑人3名"),
    ("tax_business", "企业经营困难", "涉事企业已被责令停产整改"),
    ("natural_disaster", "高温", "连续40度高温，工地上的工人中暑倒下"),
    ("tax_business", "执法扰企", "应急管理局上半年共检查企业486家次"),
]


@pytest.mark.parametrize(("topic", "scheme", "text"), VOCABULARY + NOT_MATCHED)
def test_scheme_vocabulary(taxonomy: Taxonomy, topic: str, scheme: str, text: str) -> None:
    from sentinel.classify.keywords import SchemeSet

    hits = {(h.topic.value, h.scheme) for h in SchemeSet.from_taxonomy(taxonomy).match(text)}
    assert ((topic, scheme) in hits) is ((topic, scheme, text) in VOCABULARY), hits


def test_leads_over_names_known_topics(tmp_path: Path) -> None:
    """A scheme's leads_over is a list of topic codes, checked at load with the line named."""
    path, new = _broken(tmp_path, "leads_over: [work_safety]", "leads_over: [workplace_safety]")
    (problem,) = _problems(path)
    assert f":{_line_of(path, new)}:" in problem
    assert "scheme '房屋安全' leads_over" in problem
