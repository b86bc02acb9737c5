"""What the running system records about itself: each run of a periodic job, and
the heartbeat of every background process (docs/operations.md, decision 0021)."""

from django.db import models

from .enums import ProcessKind, RunState


class ScheduledRun(models.Model):
    """One run of a periodic job for one period. The unique (job, period) row is the
    claim: of several schedulers (several servers) only the one that inserts it runs
    the job for that period."""

    job = models.CharField("定时任务", max_length=60)
    title = models.CharField("名称", max_length=100)
    period = models.CharField("周期", max_length=40)
    state = models.CharField("状态", max_length=20, choices=RunState.choices, default=RunState.RUNNING)
    process = models.CharField("执行进程", max_length=100)
    attempt = models.PositiveSmallIntegerField("第几次执行", default=1)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    outcome = models.TextField("结果", blank=True)
    error = models.TextField("错误", blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = verbose_name_plural = "定时任务运行记录"
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="scheduled_run_once_per_period")]

    def __str__(self):
        return f"{self.title} {self.period}（{self.get_state_display()}）"


class Heartbeat(models.Model):
    """A background process says it is alive (every few seconds, real time): workers,
    the PDF converter, schedulers. `/readyz` and the recovery of a dead worker's task read it."""

    process = models.CharField("进程标识", max_length=100, unique=True)
    kind = models.CharField("类型", max_length=20, choices=ProcessKind.choices)
    queues = models.CharField("队列", max_length=100, blank=True)
    host = models.CharField("主机", max_length=100)
    pid = models.PositiveIntegerField("进程号")
    started_at = models.DateTimeField("启动时间")
    seen_at = models.DateTimeField("最近心跳", db_index=True)
    stopped_at = models.DateTimeField("正常退出时间", null=True, blank=True)

    class Meta:
        ordering = ["kind", "-seen_at"]
        verbose_name = verbose_name_plural = "后台进程心跳"

    def __str__(self):
        return f"{self.get_kind_display()} {self.host}:{self.pid}"


class PostCounter(models.Model):
    """Posts from one client address (or to one target) to one public form in one hour: the
    rate limit's counter, a row incremented in the database so concurrent requests in several
    web processes count exactly (a cache's add/incr is per process or not atomic). Here, below
    every app, so the enrolment form, registration and password reset share it (decision 0023);
    the table keeps its first name."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    hour = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "delivery_postcounter"
        verbose_name = verbose_name_plural = "公开页面提交计数"

    def __str__(self):
        return f"{self.key}: {self.count}"
