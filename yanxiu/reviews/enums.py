from django.db import models

from yanxiu.calls.enums import Tier


class RoundScope(models.TextChoices):
    """Which tiers' applications a review round covers."""

    NATIONAL = Tier.NATIONAL.value, "国家级"
    PROVINCIAL = Tier.PROVINCIAL.value, "省级"
    BOTH = "both", "国家级和省级"

    @property
    def tiers(self):
        if self == RoundScope.BOTH:
            return (Tier.NATIONAL.value, Tier.PROVINCIAL.value)
        return (self.value,)


class AssignmentState(models.TextChoices):
    ASSIGNED = "assigned", "待评审"
    SUBMITTED = "submitted", "已提交"
    CONFLICT = "conflict", "已申明回避"


# Assignments that count towards "each application reviewed by N experts".
ACTIVE_ASSIGNMENT_STATES = (AssignmentState.ASSIGNED, AssignmentState.SUBMITTED)


class RankingBasis(models.TextChoices):
    """What a round's ranking sorts by (chosen per round by the office; scoring.py has the formula)."""

    RAW = "raw", "原始分（截尾平均分）"
    NORMALISED = "normalised", "标准化分（按专家本人评分尺度校正）"


MAX_APPLICANT_AVOIDANCES = 2  # an applicant may name up to two experts to avoid (issue 15)


class Recommendation(models.TextChoices):
    RECOMMEND = "recommend", "推荐"
    CONSIDER = "consider", "可考虑"
    NOT_RECOMMEND = "not_recommend", "不推荐"


# The selection principles of the notice (三（一）), with default weights that
# sum to 100 and a maximum score per criterion. Editable per round.
DEFAULT_CRITERIA = (
    (
        "聚焦国家重大战略",
        25,
        10,
        "选题是否聚焦创新驱动发展、乡村振兴、区域协调发展、制造强国、数字中国等国家重大战略。",
    ),
    ("服务高质量发展", 25, 10, "研修目的和内容是否服务产业转型升级和经济社会高质量发展，时代性、前沿性、实用性如何。"),
    ("突出重点领域", 20, 10, "是否围绕战略性新兴产业、关键核心技术、数字技术等通知所列重点领域，师资是否权威。"),
    ("兼顾地方特色", 15, 10, "是否结合福建地方和行业发展需求，体现地方特色与优势。"),
    ("往年组织实施情况", 15, 10, "承办单位往年高级研修项目的组织实施和按计划完成情况。"),
)
