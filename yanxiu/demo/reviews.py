"""Demo data for expert review: expert accounts with profiles and a 2026 round.

Call `seed_reviews()` after `yanxiu.demo.world.seed()`. Everything goes through
the domain functions, so the round's audit log is real. Idempotent.
"""

from datetime import date, timedelta

from django.db import transaction

from yanxiu.accounts.models import Role, User
from yanxiu.calls.models import Call
from yanxiu.core import clock
from yanxiu.demo.world import DEMO_PASSWORD
from yanxiu.organisations.models import Authority, Institution
from yanxiu.reference.models import ProfessionalDomain
from yanxiu.reviews.domain import assignment, operations, rounds
from yanxiu.reviews.enums import Recommendation, RoundScope
from yanxiu.reviews.models import Assignment, ExpertProfile, ReviewRound

ROUND_NAME = "2026年高级研修项目专家评审"

EXPERTS = [
    # username, name, affiliation, title, institution (conflict), authority code (conflict), expertise, domains
    ("zj_chen", "陈立新", "福建农林大学", "教授", None, None, "作物遗传育种、种业", ["农业技术"]),
    ("zj_lin", "林海峰", "厦门大学", "教授", None, None, "海洋工程、智能装备", ["工程技术（海洋）"]),
    ("zj_huang", "黄晓敏", "福州大学", "教授", None, None, "人工智能、工业互联网", ["工程技术（电子信息）"]),
    # These two must never review the 种业 application: same authority, same institution.
    ("zj_zheng", "郑文华", "福建省农业农村厅科技教育处", "研究员", None, "SZ-NYNCT", "农业技术推广", ["农业技术"]),
    ("zj_xu", "许志远", "福建现代种业研究院", "研究员", "福建现代种业研究院", None, "种质资源", ["农业技术"]),
]


def _expert(username, name, affiliation, title, institution, authority, expertise, domains):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"role": Role.EXPERT, "display_name": name, "email": f"{username}@example.invalid"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    profile, made = ExpertProfile.objects.get_or_create(
        user=user,
        defaults={
            "affiliation": affiliation,
            "title": title,
            "expertise": expertise,
            "institution": Institution.objects.filter(name=institution).first() if institution else None,
            "authority": Authority.objects.filter(code=authority).first() if authority else None,
        },
    )
    if made:
        profile.domains.set(ProfessionalDomain.objects.filter(name__in=domains))
    return user


@transaction.atomic
def seed_reviews():
    call = Call.objects.filter(year=2026).first()
    officer = User.objects.filter(role=Role.PROVINCE_OFFICER, is_active=True).order_by("pk").first()
    if call is None or officer is None:
        raise RuntimeError("run yanxiu.demo.world.seed() first")
    existing = ReviewRound.objects.filter(call=call, name=ROUND_NAME).first()
    if existing:
        return existing
    experts = [_expert(*row) for row in EXPERTS]
    legacy = User.objects.filter(username="expert1", role=Role.EXPERT).first()
    if legacy and not ExpertProfile.objects.filter(user=legacy).exists():
        ExpertProfile.objects.create(
            user=legacy, affiliation="福建师范大学", title="教授", expertise="继续教育与人才发展"
        )
    # The round stays open for a month from today so that the demo can be tried.
    deadline = max(date(2026, 3, 31), clock.today() + timedelta(days=30))
    review_round = rounds.create_round(
        call=call,
        actor=officer,
        name=ROUND_NAME,
        scope=RoundScope.BOTH,
        deadline=deadline,
        reviews_per_application=3,
        anonymous=False,
        disagreement_threshold=20,
    )
    result = assignment.auto_assign(review_round, actor=officer)
    # Two experts have already handed in; the third is still to review.
    criteria = list(review_round.criteria.all())
    samples = [
        ([9, 9, 8, 8, 9], Recommendation.RECOMMEND, "选题紧扣种业振兴战略，师资权威，建议入选。"),
        ([8, 7, 8, 6, 8], Recommendation.CONSIDER, "内容较充实，地方特色可进一步突出。"),
    ]
    for new, (values, recommendation, comment) in zip(result.created, samples, strict=False):
        expert = next(e for e in [*experts, legacy] if e and e.pk == new.expert_id)
        task = Assignment.objects.get(round=review_round, application_id=new.application_id, expert=expert)
        operations.submit_review(
            task,
            expert,
            scores={c.pk: v for c, v in zip(criteria, values, strict=False)},
            comment=comment,
            recommendation=recommendation,
        )
    return review_round
