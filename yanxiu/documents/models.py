"""What the documents app stores: imported summary sheets and bulk exports."""

from django.conf import settings
from django.db import models

from yanxiu.core.jobs import JobProgress, JobState


class SummarySheet(models.Model):
    """An imported 附件3 (汇总表), linked to the applications it lists."""

    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, null=True, blank=True, verbose_name="年度通知")
    authority = models.ForeignKey(
        "organisations.Authority", on_delete=models.PROTECT, null=True, blank=True, verbose_name="主管部门"
    )
    authority_name = models.CharField("主管部门或申报单位（表上所填）", max_length=200, blank=True)
    filled_on = models.DateField("填表日期", null=True, blank=True)
    source_name = models.CharField("来源文件", max_length=300)
    rows = models.JSONField("汇总行", default=list)
    applications = models.ManyToManyField("applications.Application", blank=True, related_name="summary_sheets")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = verbose_name_plural = "汇总表（导入）"

    def __str__(self):
        return f"{self.authority_name or '汇总表'}（{self.source_name}）"


class ExportJob(JobProgress, models.Model):
    """A zip of every form of a batch or of the province, built in the background."""

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, verbose_name="年度通知")
    batch = models.ForeignKey(
        "batches.Batch", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="报送批次"
    )  # only this batch's forms; empty: every form of the call the requester sees
    description = models.CharField("范围", max_length=200)
    state = models.CharField("状态", max_length=20, choices=JobState.choices, default=JobState.QUEUED)
    total = models.PositiveIntegerField("文件总数", default=0)
    done = models.PositiveIntegerField("已完成", default=0)
    file = models.FileField("压缩包", upload_to="exports/", blank=True, max_length=300)
    error = models.TextField("错误", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "批量导出"

    def __str__(self):
        return self.description


class PdfRendition(models.Model):
    """A PDF made in the background from one exact .docx/.xlsx, kept as a cache.

    `key` is the SHA-256 of the source bytes (generation is deterministic), so
    every version of an application or a summary sheet has its own PDF, an
    unchanged one is served at once, and two sources can never share a PDF.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    key = models.CharField("源文件摘要", max_length=64, unique=True)
    suffix = models.CharField("源文件类型", max_length=10, default=".docx")
    source = models.BinaryField("源文件", blank=True)  # emptied once the PDF is made
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.QUEUED)
    file = models.FileField("PDF", upload_to="pdf/", blank=True, max_length=300)
    error = models.TextField("错误", blank=True)
    seconds = models.FloatField("转换用时（秒）", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "PDF 缓存"

    def __str__(self):
        return f"PDF {self.key[:12]}（{self.get_state_display()}）"
