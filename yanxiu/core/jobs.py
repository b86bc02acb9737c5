"""What every background job that builds a file (bulk export, certificates) shares."""

from django.db import models


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class JobProgress:
    """Mixed into a job model with `state`, `done` and `total`."""

    @property
    def percent(self):
        return 100 if self.state == JobState.DONE else (self.done * 100 // self.total if self.total else 0)

    @property
    def is_running(self):
        return self.state in (JobState.QUEUED, JobState.RUNNING)
