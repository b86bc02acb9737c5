from django.db import models


class Tier(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"


class RecruitmentScope(models.TextChoices):
    NATIONWIDE = "nationwide", "面向全国"
    PROVINCE = "province", "面向全省"
    LOCAL = "local", "面向本地区或本系统"


class TopicAreaCode(models.TextChoices):
    STRATEGY = "strategy", "服务重大战略"
    INDUSTRY = "industry", "对接产业需求"
    DIGITAL = "digital", "突出数字技术"
