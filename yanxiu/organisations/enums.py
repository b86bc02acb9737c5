from django.db import models


class AuthorityKind(models.TextChoices):
    CITY = "city", "设区市人社局"
    PINGTAN = "pingtan", "平潭综合实验区党群工作部"
    PROVINCIAL_DEPT = "provincial_dept", "省直有关部门人事（教育）处"
    BASE = "base", "继续教育基地（自行申报）"


class InstitutionType(models.TextChoices):
    UNIVERSITY = "university", "高校"
    INSTITUTE = "institute", "科研院所"
    HEALTH = "health", "医疗卫生机构"
    ENTERPRISE = "enterprise", "企业"
    SOCIAL = "social", "社会组织"
    PUBLIC_OTHER = "public_other", "其他事业单位"


class BaseStatus(models.TextChoices):
    NATIONAL = "national", "国家级继续教育基地"
    PROVINCIAL = "provincial", "省级继续教育基地"
    NONE = "none", "否"


class RecordTier(models.TextChoices):
    """The tier of a past programme (`ProgrammeRecord.tier`): the codes and labels of
    `calls.enums.Tier`, which this app may not import (held together by
    tests/organisations/test_profile.py)."""

    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"


class RegistrationState(models.TextChoices):
    """An institution's standing in the system: registered by itself and awaiting its authority's
    confirmation, confirmed, or refused (decision 0023). Institutions entered by the office or the
    reference data are confirmed."""

    PENDING = "pending", "待主管部门确认"
    CONFIRMED = "confirmed", "已确认"
    REFUSED = "refused", "主管部门未予确认"
