from django.db import models


class Kind(models.TextChoices):
    """Whom the provider's login names: a natural person or a legal entity (its USCC)."""

    PERSON = "person", "自然人"
    LEGAL_ENTITY = "legal_entity", "法人"


class BindingState(models.TextChoices):
    PENDING = "pending", "待单位管理员确认"
    CONFIRMED = "confirmed", "已绑定"
    REJECTED = "rejected", "已拒绝"
