"""Fixed codes shared with other tools (ARCHITECTURE §5): topics and emergency grades."""

from __future__ import annotations

from enum import StrEnum


class TopicCode(StrEnum):
    work_safety = "work_safety"
    natural_disaster = "natural_disaster"
    environment = "environment"
    food_drug = "food_drug"
    health = "health"
    education = "education"
    social_security = "social_security"
    labor_employment = "labor_employment"
    housing = "housing"
    land_demolition = "land_demolition"
    finance = "finance"
    tax_business = "tax_business"
    public_order = "public_order"
    law_enforcement = "law_enforcement"
    rural_poverty = "rural_poverty"
    transport = "transport"
    government_service = "government_service"
    other = "other"


TOPIC_NAMES_ZH: dict[TopicCode, str] = {
    TopicCode.work_safety: "安全生产",
    TopicCode.natural_disaster: "自然灾害",
    TopicCode.environment: "生态环境",
    TopicCode.food_drug: "食品药品",
    TopicCode.health: "卫生健康",
    TopicCode.education: "教育",
    TopicCode.social_security: "社会保障",
    TopicCode.labor_employment: "就业与劳动",
    TopicCode.housing: "住房与房地产",
    TopicCode.land_demolition: "征地拆迁",
    TopicCode.finance: "金融安全",
    TopicCode.tax_business: "减税降费与营商环境",
    TopicCode.public_order: "社会治安",
    TopicCode.law_enforcement: "公正监管与执法",
    TopicCode.rural_poverty: "脱贫攻坚与乡村振兴",
    TopicCode.transport: "交通出行",
    TopicCode.government_service: "政务服务与干部作风",
    TopicCode.other: "其他",
}


class Grade(StrEnum):
    """突发事件分级; `none` means not an emergency incident."""

    particularly_serious = "particularly_serious"
    serious = "serious"
    relatively_serious = "relatively_serious"
    general = "general"
    none = "none"

    @property
    def rank(self) -> int:
        """Higher is more severe; none is 0."""
        return _GRADE_RANK[self]

    @property
    def zh(self) -> str:
        return GRADE_NAMES_ZH[self]

    def at_least(self, other: Grade) -> bool:
        return self.rank >= other.rank

    @classmethod
    def max(cls, *grades: Grade) -> Grade:
        return max(grades, key=lambda g: g.rank, default=cls.none)


_GRADE_RANK = {
    Grade.none: 0,
    Grade.general: 1,
    Grade.relatively_serious: 2,
    Grade.serious: 3,
    Grade.particularly_serious: 4,
}

GRADE_NAMES_ZH: dict[Grade, str] = {
    Grade.particularly_serious: "特别重大(Ⅰ级)",
    Grade.serious: "重大(Ⅱ级)",
    Grade.relatively_serious: "较大(Ⅲ级)",
    Grade.general: "一般(Ⅳ级)",
    Grade.none: "非突发事件",
}


class Sentiment(StrEnum):
    negative = "negative"
    neutral = "neutral"
    positive = "positive"
