"""The demo round: made through the domain functions, conflicts respected."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from yanxiu.demo.reviews import ROUND_NAME, seed_reviews
from yanxiu.demo.world import DEMO_PASSWORD, seed
from yanxiu.reviews.domain.results import round_results
from yanxiu.reviews.enums import AssignmentState
from yanxiu.reviews.models import Assignment, ExpertProfile

pytestmark = pytest.mark.django_db


def test_seed_reviews():
    seed()
    review_round = seed_reviews()
    assert review_round.name == ROUND_NAME
    assert [c.name for c in review_round.criteria.all()] == [
        "聚焦国家重大战略",
        "服务高质量发展",
        "突出重点领域",
        "兼顾地方特色",
        "往年组织实施情况",
    ]
    assigned = set(Assignment.objects.filter(round=review_round).values_list("expert__username", flat=True))
    assert len(assigned) == 3
    assert not assigned & {"zj_zheng", "zj_xu"}  # same authority / same institution as the 种业 application
    assert "zj_chen" in assigned  # knows the application's domain
    result = round_results(review_round).by_tier["national"][0]
    # 86.5 and 74.5: mean 80.5, spread 12 (below the threshold of 20)
    assert [line.total for line in result.lines] == [Decimal("86.50"), Decimal("74.50")]
    assert (result.submitted, result.summary.mean, result.summary.spread, result.rank) == (
        2,
        Decimal("80.50"),
        Decimal("12.00"),
        1,
    )
    # The README sends the reader to the expert who still has to score (decision 0017).
    open_tasks = Assignment.objects.filter(round=review_round, state=AssignmentState.ASSIGNED)
    waiting = list(open_tasks.values_list("expert__username", flat=True))
    assert waiting == ["zj_huang"]
    assert "`zj_huang` still has it to score" in (Path(settings.BASE_DIR) / "README.md").read_text()
    assert ExpertProfile.objects.get(user__username="zj_lin").user.check_password(DEMO_PASSWORD)
    assert seed_reviews() == review_round  # idempotent
    assert Assignment.objects.filter(round=review_round).count() == 3
