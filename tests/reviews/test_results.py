"""Results per application, rankings per tier, and the .xlsx export."""

import io
from decimal import Decimal

import openpyxl
import pytest

from tests.reviews import factories as rf
from yanxiu.reviews.domain.operations import declare_conflict
from yanxiu.reviews.domain.results import round_results
from yanxiu.reviews.interfaces.export import build_workbook
from yanxiu.reviews.models import Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored_round():
    """Three provincial and one national application with known scores."""
    review_round = rf.review_round(reviews_per_application=4, disagreement_threshold=25)
    experts = [rf.expert(affiliation=f"大学{i}") for i in range(5)]
    a, b, c = (rf.forwarded("provincial") for _ in range(3))
    n = rf.forwarded("national")
    # a: totals 90, 80, 70, 40 → mean 70, trimmed 75, spread 50 (disagreement)
    for expert, values in zip(experts, [(9,) * 5, (8,) * 5, (7,) * 5, (4,) * 5], strict=False):
        rf.submit(rf.assign(review_round, a, expert), values=values)
    # b: totals 75, 75 → mean 75, trimmed 75 (fewer than 4), spread 0
    for expert, values in zip(experts, [(Decimal("7.5"),) * 5, (Decimal("7.5"),) * 5], strict=False):
        rf.submit(rf.assign(review_round, b, expert), values=values, recommendation="consider")
    # c: one open task, one conflict: unranked
    rf.assign(review_round, c, experts[0])
    conflicted = rf.assign(review_round, c, experts[1])
    declare_conflict(conflicted, experts[1], reason="利害关系。")
    # n: 73 and 77 → mean 75, spread 4
    rf.submit(
        rf.assign(review_round, n, experts[0]),
        values=(9, 8, 7, 6, 5),
        recommendation="not_recommend",
        comment='=HYPERLINK("http://x")',
    )
    rf.submit(rf.assign(review_round, n, experts[1]), values=(9, 9, 7, 6, 6))
    return review_round, experts, (a, b, c, n)


def test_results_per_application(scored_round):
    review_round, _experts, (a, b, c, n) = scored_round
    results = round_results(review_round)
    provincial = results.by_tier["provincial"]
    # Equal trimmed means (75): the higher mean ranks first; unscored last, unranked.
    assert [(r.application.pk, r.rank) for r in provincial] == [(b.pk, 1), (a.pk, 2), (c.pk, None)]
    rb, ra, rc = provincial
    assert (ra.summary.mean, ra.summary.trimmed_mean, ra.summary.spread) == (
        Decimal("70.00"),
        Decimal("75.00"),
        Decimal("50.00"),
    )
    assert ra.summary.disagreement is True
    assert (rb.summary.mean, rb.summary.trimmed_mean, rb.summary.spread) == (
        Decimal("75.00"),
        Decimal("75.00"),
        Decimal("0.00"),
    )
    assert rb.summary.disagreement is False
    assert [line.total for line in ra.lines] == [Decimal("90.00"), Decimal("80.00"), Decimal("70.00"), Decimal("40.00")]
    assert ra.recommendations == {"recommend": 4, "consider": 0, "not_recommend": 0}
    assert (rc.submitted, len(rc.pending), len(rc.conflicts), rc.complete) == (0, 1, 1, False)
    assert rc.summary.count == 0
    national = results.by_tier["national"]
    assert [(r.application.pk, r.rank, r.summary.mean, r.summary.spread) for r in national] == [
        (n.pk, 1, Decimal("75.00"), Decimal("4.00"))
    ]
    assert national[0].criterion_means(results.criteria) == dict(
        zip(
            [c.pk for c in results.criteria],
            [Decimal("9.00"), Decimal("8.50"), Decimal("7.00"), Decimal("6.00"), Decimal("5.50")],
            strict=False,
        )
    )


def test_equal_keys_share_a_rank():
    review_round = rf.review_round(reviews_per_application=1)
    expert = rf.expert()
    apps = [rf.forwarded() for _ in range(3)]
    for application, values in zip(apps, [(8,) * 5, (9,) * 5, (8,) * 5], strict=False):
        rf.submit(rf.assign(review_round, application, expert), values=values)
    ranked = round_results(review_round).by_tier["provincial"]
    assert [(r.application.pk, r.rank) for r in ranked] == [
        (apps[1].pk, 1),
        (apps[0].pk, 2),
        (apps[2].pk, 2),
    ]  # ties in application order


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_export_holds_every_review_detail(scored_round):
    review_round, experts, (a, b, c, n) = scored_round
    book = openpyxl.load_workbook(io.BytesIO(build_workbook(round_results(review_round))))
    assert book.sheetnames == ["排名汇总", "评审明细", "分配与回避", "评分标准"]
    ranking = _rows(book["排名汇总"])
    assert ranking[0][:17] == [
        "级别",
        "排名",
        "项目名称",
        "承办单位",
        "主管部门",
        "专业技术领域",
        "已提交评审",
        "应评审人数",
        "平均分",
        "截尾平均分",
        "中位数",
        "标准差",
        "标准化平均分",
        "极差",
        "最低分",
        "最高分",
        "分歧较大",
    ]
    assert [(row[0], row[1], row[3], row[8], row[9], row[13], row[16]) for row in ranking[1:]] == [
        ("国家级", 1, n.institution.name, 75, 75, 4, "否"),
        ("省级", 1, b.institution.name, 75, 75, 0, "否"),
        ("省级", 2, a.institution.name, 70, 75, 50, "是"),
        ("省级", None, c.institution.name, None, None, None, "否"),
    ]
    details = _rows(book["评审明细"])
    assert len(details) == 1 + 4 + 2 + 2
    assert details[0][-6:] == ["总分", "标准化总分", "推荐意见", "评审意见", "提交时间", "最后修改"]
    national_rows = [row for row in details[1:] if row[0] == "国家级"]
    assert [row[3] for row in national_rows] == [str(experts[0]), str(experts[1])]
    first = Review.objects.filter(assignment__application=n).order_by("assignment_id").first()
    assert national_rows[0][5:14] == [9, 8, 7, 6, 5, 73, float(first.normalised), "不推荐", '=HYPERLINK("http://x")']
    # A comment that looks like a formula stays text.
    cell = book["评审明细"].cell(row=1 + [r[0] for r in details[1:]].index("国家级") + 1, column=14)
    assert cell.data_type == "s"
    assignments = _rows(book["分配与回避"])
    assert len(assignments) == 1 + 4 + 2 + 2 + 2
    conflict = [row for row in assignments[1:] if row[5] == "已申明回避"]
    assert [(row[3], row[8]) for row in conflict] == [(str(experts[1]), "利害关系。")]
    rubric = _rows(book["评分标准"])
    assert rubric[1][:3] == ["聚焦国家重大战略", 25, 10]


def test_reviewed_applications_stay_in_the_results_after_leaving_the_pool():
    from yanxiu.applications.models import Application

    review_round = rf.review_round(reviews_per_application=1)
    application = rf.forwarded()
    rf.submit(rf.assign(review_round, application, rf.expert()))
    # A later stage (selection, a recalled batch…) moves the application on.
    Application.objects.filter(pk=application.pk).update(state="submitted")
    ranked = round_results(review_round).by_tier["provincial"]
    assert [(r.application.pk, r.rank, r.summary.mean) for r in ranked] == [(application.pk, 1, Decimal("80.00"))]


def test_the_lean_ranking_and_a_page_of_details_agree_with_the_full_results():
    from tests.reviews import factories as rf
    from yanxiu.reviews.domain.results import round_ranking, round_results

    review_round = rf.review_round(reviews_per_application=1)
    applications = [
        rf.forwarded("provincial", authority_code=code) for code in ("350100-RS", "350200-RS", "350300-RS", "350400-RS")
    ]
    for application, value in zip(applications, (6, 9, 9, 7), strict=False):
        task = rf.assign(review_round, application, rf.expert(affiliation="外省大学"))
        rf.submit(task, values=(value,) * 5)
    full = [
        (r.application.pk, r.rank, r.summary.trimmed_mean) for r in round_results(review_round).by_tier["provincial"]
    ]
    lean = [(s.application_id, s.rank, s.summary.trimmed_mean) for s in round_ranking(review_round)["provincial"]]
    assert lean == full
    assert [rank for _, rank, _ in full] == [1, 1, 3, 4]  # two at 90 share first place
    page = round_results(review_round, only=[applications[0].pk, applications[3].pk]).by_tier["provincial"]
    assert [(r.application.pk, r.rank) for r in page] == [(applications[3].pk, 3), (applications[0].pk, 4)]
