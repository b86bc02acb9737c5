"""Expert review of applications: rounds, criteria, experts, assignments, reviews.

Thin models: the rules live in domain/ (assignment.py, scoring.py, operations.py).
"""

import re
from datetime import datetime, time

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from yanxiu.core.jobs import JobProgress, JobState
from yanxiu.core.validators import validate_plain_text

from .enums import AssignmentState, RankingBasis, Recommendation, RoundScope


class ReviewRound(models.Model):
    """One round of expert review for a call (one tier or both)."""

    call = models.ForeignKey(
        "calls.Call", on_delete=models.PROTECT, related_name="review_rounds", verbose_name="年度通知"
    )
    name = models.CharField("名称", max_length=100, validators=[validate_plain_text])
    scope = models.CharField("评审范围", max_length=20, choices=RoundScope.choices, default=RoundScope.BOTH)
    deadline = models.DateField("评审截止日期", help_text="当日24时前")
    reviews_per_application = models.PositiveSmallIntegerField(
        "每项申报评审专家人数", default=3, validators=[MinValueValidator(1), MaxValueValidator(15)]
    )
    anonymous = models.BooleanField("匿名评审", default=False, help_text="评审专家看不到承办单位名称和联系方式")
    disagreement_threshold = models.DecimalField(
        "分歧提示阈值（总分极差）",
        max_digits=5,
        decimal_places=2,
        default=20,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="同一申报各专家总分的最高分与最低分之差达到此值时提示分歧较大",
    )
    ranking_basis = models.CharField(
        "排名依据",
        max_length=20,
        choices=RankingBasis.choices,
        default=RankingBasis.RAW,
        help_text="标准化分：每位专家的总分按其本人在本轮的评分均值和离散程度校正，使宽严不同的专家同等计分",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间")

    class Meta:
        ordering = ["-call__year", "-created_at", "-id"]
        verbose_name = verbose_name_plural = "评审轮次"
        constraints = [
            models.CheckConstraint(condition=models.Q(reviews_per_application__gte=1), name="round_needs_reviewers"),
        ]

    def __str__(self):
        return self.name

    @property
    def tiers(self):
        return RoundScope(self.scope).tiers

    @property
    def deadline_end(self) -> datetime:
        """The deadline is the end of its day, local time."""
        return timezone.make_aware(datetime.combine(self.deadline, time.max))


class Criterion(models.Model):
    """One scoring criterion of a round's rubric."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="criteria", verbose_name="评审轮次")
    name = models.CharField("评分项", max_length=50, validators=[validate_plain_text])
    description = models.TextField("评分说明", blank=True, validators=[validate_plain_text, MaxLengthValidator(500)])
    weight = models.PositiveSmallIntegerField("权重（%）", validators=[MinValueValidator(1), MaxValueValidator(100)])
    max_score = models.PositiveSmallIntegerField(
        "满分", default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["round", "sort_order", "id"]
        verbose_name = verbose_name_plural = "评分项"
        constraints = [
            models.UniqueConstraint(fields=["round", "name"], name="unique_criterion_name"),
            models.CheckConstraint(condition=models.Q(max_score__gte=1), name="criterion_max_positive"),
        ]

    def __str__(self):
        return f"{self.name}（{self.weight}%）"


class ExpertProfile(models.Model):
    """An expert reviewer: where they work decides what they may not review."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile", verbose_name="用户"
    )
    affiliation = models.CharField("工作单位", max_length=100, validators=[validate_plain_text])
    title = models.CharField("职称/职务", max_length=50, blank=True, validators=[validate_plain_text])
    institution = models.ForeignKey(
        "organisations.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所在承办单位",
        help_text="专家本人所在单位若也是承办单位，须选择，以便回避",
    )
    authority = models.ForeignKey(
        "organisations.Authority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="所属主管部门",
        help_text="专家所在单位的主管部门，或专家本人任职的主管部门，以便回避",
    )
    expertise = models.CharField("专业领域", max_length=200, blank=True, validators=[validate_plain_text])
    domains = models.ManyToManyField(
        "reference.ProfessionalDomain", blank=True, related_name="+", verbose_name="熟悉的专业技术领域"
    )
    primary_domain = models.ForeignKey(
        "reference.ProfessionalDomain",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="主要专业技术领域",
        help_text="自动分配时优先匹配",
    )
    keywords = models.CharField(
        "研究方向关键词",
        max_length=200,
        blank=True,
        validators=[validate_plain_text],
        help_text="以顿号或逗号分隔，如：人工智能、工业互联网",
    )
    available = models.BooleanField("本年度可参加评审", default=True)
    active_from = models.PositiveSmallIntegerField(
        "入库年度", null=True, blank=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    active_until = models.PositiveSmallIntegerField(
        "有效期至（年度）",
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="留空：长期有效",
    )

    class Meta:
        ordering = ["user__username"]
        verbose_name = verbose_name_plural = "评审专家"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_from__isnull=True)
                | models.Q(active_until__isnull=True)
                | models.Q(active_until__gte=models.F("active_from")),
                name="expert_active_years_in_order",
            )
        ]

    def __str__(self):
        return f"{self.user}（{self.affiliation}）"

    @property
    def keyword_list(self):
        return tuple(w.strip() for w in re.split(r"[、,，;；\s]+", self.keywords or "") if w.strip())

    @property
    def authority_ids(self):
        """Every authority the expert belongs to: their own and their institution's."""
        ids = {self.authority_id}
        if self.institution_id:
            ids.add(self.institution.authority_id)
        return ids - {None}


class Assignment(models.Model):
    """One expert asked to review one application in one round."""

    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="assignments", verbose_name="评审轮次"
    )
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="review_assignments", verbose_name="申报"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments", verbose_name="评审专家"
    )
    state = models.CharField("状态", max_length=20, choices=AssignmentState.choices, default=AssignmentState.ASSIGNED)
    is_automatic = models.BooleanField("自动分配", default=False)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="分配人"
    )
    assigned_at = models.DateTimeField("分配时间")
    conflict_reason = models.TextField(
        "回避理由", blank=True, validators=[validate_plain_text, MaxLengthValidator(500)]
    )
    conflict_declared_at = models.DateTimeField("申明回避时间", null=True, blank=True)

    class Meta:
        ordering = ["round", "application_id", "id"]
        verbose_name = verbose_name_plural = "评审分配"
        constraints = [
            models.UniqueConstraint(fields=["round", "application", "expert"], name="unique_assignment"),
        ]
        indexes = [models.Index(fields=["expert", "state"]), models.Index(fields=["round", "state"])]

    def __str__(self):
        return f"{self.expert} → {self.application}"


class Review(models.Model):
    """What an expert handed in for an assignment: scores, comment, recommendation."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="review", verbose_name="评审分配"
    )
    comment = models.TextField("评审意见", validators=[validate_plain_text, MaxLengthValidator(2000)])
    recommendation = models.CharField("推荐意见", max_length=20, choices=Recommendation.choices)
    submitted_at = models.DateTimeField("提交时间")
    revised_at = models.DateTimeField("最后修改", null=True, blank=True)
    # Stored when the review is submitted (domain/operations.py), so rankings read
    # totals instead of recomputing them from every score.
    total = models.DecimalField("总分", max_digits=5, decimal_places=2, null=True, blank=True)
    total_exact = models.CharField("总分（精确值）", max_length=100, blank=True, help_text="分数形式，如 146/2")
    # The total against the expert's own scoring across the round (scoring.normalise), kept
    # by domain/standings.refresh_standings with the round's standings.
    normalised = models.DecimalField("标准化总分", max_digits=8, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评审意见"

    def __str__(self):
        return f"{self.assignment}：{self.get_recommendation_display()}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores", verbose_name="评审意见")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name="评分项")
    value = models.DecimalField("得分", max_digits=5, decimal_places=1, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["criterion__sort_order", "criterion_id"]
        verbose_name = verbose_name_plural = "分项得分"
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="unique_score"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="score_not_negative"),
        ]

    def __str__(self):
        return f"{self.criterion.name}：{self.value}"


class BackupExpert(models.Model):
    """A substitute (替补) for an application in a round, called on when an assigned expert declares a conflict."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="backups")
    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="+")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField("顺序")

    class Meta:
        ordering = ["round", "application", "rank"]
        constraints = [models.UniqueConstraint(fields=["round", "application", "expert"], name="unique_backup")]
        verbose_name = verbose_name_plural = "替补专家"

    def __str__(self):
        return f"替补{self.rank}：{self.expert}"


class Standing(models.Model):
    """One application's standing in one round: its summary and rank in its tier.

    Written only by domain/standings.refresh_standings, which every operation that
    changes reviews, assignments, conflicts, criteria or an application's tier calls.
    Exact values are kept as fractions ("p/q") so ranks never depend on rounding.
    """

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="standings", verbose_name="评审轮次")
    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="review_standings", verbose_name="申报"
    )
    tier = models.CharField("级别", max_length=20)
    submitted = models.PositiveIntegerField("已提交评审", default=0)
    conflicts = models.PositiveIntegerField("申明回避", default=0)
    mean = models.DecimalField("平均分", max_digits=5, decimal_places=2, null=True)
    trimmed_mean = models.DecimalField("截尾平均分", max_digits=5, decimal_places=2, null=True)
    spread = models.DecimalField("极差", max_digits=5, decimal_places=2, null=True)
    lowest = models.DecimalField("最低分", max_digits=5, decimal_places=2, null=True)
    highest = models.DecimalField("最高分", max_digits=5, decimal_places=2, null=True)
    disagreement = models.BooleanField("分歧较大", default=False)
    median = models.DecimalField("中位数", max_digits=5, decimal_places=2, null=True)
    sd = models.DecimalField("标准差", max_digits=5, decimal_places=2, null=True)
    normalised_mean = models.DecimalField("标准化平均分", max_digits=5, decimal_places=2, null=True)
    mean_exact = models.CharField(max_length=100, blank=True)
    trimmed_exact = models.CharField(max_length=100, blank=True)
    normalised_exact = models.CharField(max_length=100, blank=True)
    rank = models.PositiveIntegerField("排名", null=True)

    class Meta:
        verbose_name = verbose_name_plural = "评审排名"
        constraints = [models.UniqueConstraint(fields=["round", "application"], name="unique_standing")]
        indexes = [models.Index(fields=["round", "tier", "rank", "application"], name="standing_ranking")]

    def __str__(self):
        return f"{self.round}：{self.application_id} 第{self.rank}名"


class ApplicantAvoidance(models.Model):
    """An expert the applicant asks to be kept from its application (申报单位提出的回避), with a reason.

    The applicant does not see the pool: it names the person (name and employer, free text). The
    request matches a pool expert automatically when both are exactly equal to the expert's name and
    employer, or by the province office's choice (`expert`, set by hand, wins). See decision 0011."""

    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.CASCADE,
        related_name="avoidance_requests",
        verbose_name="申报",
    )
    name = models.CharField("专家姓名", max_length=50, validators=[validate_plain_text])
    employer = models.CharField("专家工作单位", max_length=100, validators=[validate_plain_text])
    reason = models.TextField("回避理由", validators=[validate_plain_text, MaxLengthValidator(300)])
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提出人"
    )
    declared_at = models.DateTimeField("提出时间")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="对应专家（省人社厅确认）",
    )
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    matched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = verbose_name_plural = "申报单位申请回避"

    def __str__(self):
        return f"{self.name}（{self.employer}）"


class AssignmentJob(JobProgress, models.Model):
    """Automatic assignment of a large round, solved in the background (tasks.solve_assignment)."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="assignment_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    options = models.JSONField("分配参数", default=dict)
    state = models.CharField("状态", max_length=20, choices=JobState.choices, default=JobState.QUEUED)
    total = models.PositiveIntegerField(default=3)
    done = models.PositiveIntegerField(default=0)
    message = models.TextField("结果", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "后台分配任务"

    def __str__(self):
        return f"{self.round} 自动分配（{self.get_state_display()}）"
