"""属地管理: the most specific unit named owns an incident; several units → their common parent."""

import json
from pathlib import Path

import pytest

from sentinel.incidents.ownership import Ownership


def test_units_from_text_and_lowest_common_parent(repo: Path) -> None:
    own = Ownership.load(repo / "alerts" / "units.yaml")
    assert own.regions_in("清江新港区化工园区发生爆炸") == ["qingjiang", "xingang"]
    assert own.owner(own.regions_in("清江新港区化工园区发生爆炸")).name == "新港区委网信办"  # type: ignore[union-attr]
    assert own.owner(["xingang", "baisha"]).name == "清江市委网信办"  # type: ignore[union-attr]
    assert own.owner(["qingjiang"]).name == "清江市委网信办"  # type: ignore[union-attr]
    assert own.owner([]) is None
    assert own.unit_for_region("青石县") == "qingshi"
    assert own.unit_for_region("北京") is None


def test_places_below_a_unit_tell_its_events_apart_but_own_nothing(repo: Path) -> None:
    own = Ownership.load(repo / "alerts" / "units.yaml")
    assert own.places_in("石门镇龙舟翻了，桃溪那边也在下雨") == ["qingshi/石门镇", "qingshi/桃溪镇"]
    # The county's own name gives way to the town the post names; a post naming none keeps the county.
    assert own.local_units(["qingshi"], own.places_in("青石县石门镇一民房起火")) == {"qingshi/石门镇"}
    assert own.local_units(["qingshi"], own.places_in("青石县城一民房起火")) == {"qingshi"}
    # 属地管理 is unchanged: a town is its county's.
    assert own.owner(own.regions_in("青石县石门镇一民房起火")).name == "青石县委网信办"  # type: ignore[union-attr]
    assert "石门" in own.place_words


def test_two_fires_in_two_towns_of_one_county_stay_two_incidents(repo: Path, tmp_path: Path) -> None:
    from sentinel.incidents.evaluate import evaluate_grouping

    posts = [
        ("a", "石门镇", "青石县石门镇一居民楼起火，消防正在扑救，暂无人员伤亡", "2026-06-20T09:00:00+08:00"),
        ("b", "桃溪镇", "青石县桃溪镇一居民楼起火，消防正在扑救，暂无人员伤亡", "2026-06-20T09:20:00+08:00"),
        ("a", "石门镇", "石门镇居民楼火灾已扑灭，起火原因正在调查", "2026-06-20T10:30:00+08:00"),
        ("b", "桃溪镇", "桃溪镇居民楼火灾已扑灭，起火原因正在调查", "2026-06-20T10:40:00+08:00"),
    ]
    path = tmp_path / "towns.jsonl"
    lines = [{"event": e, "id": f"t{i}", "source": "weibo", "text": text, "published_at": at, "region": "青石县"}
             for i, (e, _, text, at) in enumerate(posts)]
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    result = evaluate_grouping(path, repo)
    assert (result.precision, result.recall) == (1.0, 1.0), result


def test_region_and_place_words_are_blanked_before_words_are_compared(repo: Path) -> None:
    # Two posts of a quiet county share its name and nothing else: that must not read as shared words.
    own = Ownership.load(repo / "alerts" / "units.yaml")
    text = "白沙县一化工厂发生爆炸，双河乡也听到了"
    blanked = own.without_local_words(text)
    assert len(blanked) == len(text)
    assert "白沙" not in blanked and "双河" not in blanked
    assert blanked.replace(" ", "") == "一化工厂发生爆炸，也听到了"
    assert own.without_local_words("化工厂发生爆炸") == "化工厂发生爆炸"


@pytest.mark.parametrize("town", ["观音桥镇", "石门镇"])
def test_unrelated_complaints_from_one_town_on_one_day_stay_apart(repo: Path, tmp_path: Path, town: str) -> None:
    # 观音桥镇: "音桥镇" inside the town's name once counted as a specific place both posts name.
    # 石门镇: nothing ties them but the hotline's "市民反映", and their kinds and topics differ.
    from sentinel.incidents.evaluate import evaluate_grouping

    posts = [
        ("wages", f"市民反映青石县{town}一工地拖欠农民工工资，要求尽快解决", "2026-06-20T09:00:00+08:00"),
        ("kitchen", f"市民反映青石县{town}一家餐馆后厨卫生脏乱，吃完腹泻", "2026-06-20T10:00:00+08:00"),
        ("bus", f"市民反映青石县{town}公交线路被取消，老人出行不便", "2026-06-20T11:00:00+08:00"),
        ("wages", f"{town}那个工地欠了农民工大半年工资，包工头电话打不通", "2026-06-20T12:00:00+08:00"),
    ]
    path = tmp_path / "town.jsonl"
    lines = [{"event": e, "id": f"h{i}", "source": "hotline", "text": text, "published_at": at, "region": "青石县"}
             for i, (e, text, at) in enumerate(posts)]
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    result = evaluate_grouping(path, repo)
    assert (result.precision, result.recall) == (1.0, 1.0), result  # the second wage complaint still joins
