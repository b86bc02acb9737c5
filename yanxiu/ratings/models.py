"""A rating of a completed matter (好差评): one per matter, kept as given."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models

from yanxiu.core.validators import validate_plain_text

from .enums import Level, MatterKind


class ServiceRating(models.Model):
    kind = models.CharField("事项类别", max_length=20, choices=MatterKind.choices)
    matter_id = models.PositiveBigIntegerField("事项")  # the application's or the certificate's pk
    level = models.PositiveSmallIntegerField("评价", choices=Level.choices)
    comment = models.TextField("意见和建议", blank=True, validators=[validate_plain_text, MaxLengthValidator(500)])
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # empty for a certificate's holder, who has no account
    rated_at = models.DateTimeField("评价时间")

    class Meta:
        ordering = ["-rated_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["kind", "matter_id"], name="one_rating_per_matter")]
        verbose_name = verbose_name_plural = "服务评价"

    def __str__(self):
        return f"{self.get_kind_display()} {self.matter_id}：{self.get_level_display()}"
