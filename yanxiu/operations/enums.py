from django.db import models


class RunState(models.TextChoices):
    RUNNING = "running", "运行中"
    SUCCEEDED = "succeeded", "成功"
    FAILED = "failed", "失败"


class ProcessKind(models.TextChoices):
    WORKER = "worker", "后台任务进程"
    PDF_CONVERTER = "pdf_converter", "PDF 转换服务"
    SCHEDULER = "scheduler", "定时任务进程"
