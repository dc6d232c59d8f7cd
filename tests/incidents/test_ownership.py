"""属地管理: the most specific unit named owns an incident; several units → their common parent."""

from pathlib import Path

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
