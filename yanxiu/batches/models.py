"""An authority's batch: approved applications of one tier sent up together
with the stamped 附件3 summary (and, for provincial forms, each stamped 附件2)."""

from django.conf import settings
from django.db import models

from yanxiu.accounts.rules import is_authority_reviewer, is_province_officer
from yanxiu.calls.enums import Tier


class BatchState(models.TextChoices):
    DRAFT = "draft", "编制中"
    SUBMITTED = "submitted", "已报送省人社厅"
    RETURNED = "returned", "省人社厅退回"
    ACCEPTED = "accepted", "省人社厅已接收"


EDITABLE_BATCH_STATES = (BatchState.DRAFT, BatchState.RETURNED)


class BatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if is_province_officer(user):
            return self.exclude(state=BatchState.DRAFT)
        if is_authority_reviewer(user):
            return self.filter(authority_id=user.authority_id)
        return self.none()

    def with_numbers(self):
        """Annotate each batch's number per authority, call and tier, for lists (one query)."""
        same = Batch.objects.filter(
            authority=models.OuterRef("authority"), call=models.OuterRef("call"), tier=models.OuterRef("tier")
        ).filter(pk__lte=models.OuterRef("pk"))
        counted = same.order_by().values("authority").annotate(n=models.Count("pk")).values("n")
        return self.annotate(sequence=models.Subquery(counted, output_field=models.IntegerField()))


class Batch(models.Model):
    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="batches", verbose_name="年度通知")
    tier = models.CharField("级别", max_length=20, choices=Tier.choices)
    authority = models.ForeignKey(
        "organisations.Authority", on_delete=models.PROTECT, related_name="batches", verbose_name="主管部门"
    )
    state = models.CharField("状态", max_length=20, choices=BatchState.choices, default=BatchState.DRAFT)
    note = models.CharField("备注", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "报送批次"
        constraints = [
            # One batch being put together per authority, call and tier (a double click makes one, not two).
            models.UniqueConstraint(
                fields=["call", "tier", "authority"],
                condition=models.Q(state__in=["draft", "returned"]),
                name="one_editable_batch_per_tier",
            )
        ]

    def __str__(self):
        return f"{self.authority.name} {self.call.year}年{self.get_tier_display()}第{self.number}批"

    @property
    def number(self):
        """Numbered per authority, call and tier, in order of creation (漳州's first batch is 第1批)."""
        found = getattr(self, "sequence", None) or getattr(self, "_number", None)  # `sequence`: with_numbers()
        if found is None:
            found = (
                Batch.objects.filter(
                    authority_id=self.authority_id, call_id=self.call_id, tier=self.tier, pk__lte=self.pk
                ).count()
                if self.pk
                else 0
            )
            self._number = found
        return found

    @property
    def is_editable(self):
        return self.state in EDITABLE_BATCH_STATES


def scan_path(instance, filename):
    return f"batches/{instance.batch.call.year}/{instance.batch_id}/{instance.stored_token}{instance.extension}"


class BatchScan(models.Model):
    """A stamped paper document, scanned: the summary (application empty) or one provincial form."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="scans")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, null=True, blank=True, related_name="stamped_scans"
    )
    file = models.FileField(upload_to=scan_path, max_length=300)
    original_name = models.CharField("文件名", max_length=200)
    extension = models.CharField(max_length=10)
    stored_token = models.CharField(max_length=32)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "application"], name="one_scan_per_form"),
            models.UniqueConstraint(
                fields=["batch"], condition=models.Q(application__isnull=True), name="one_summary_scan_per_batch"
            ),
        ]

    def __str__(self):
        return self.original_name
