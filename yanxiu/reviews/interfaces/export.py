"""All review details of a round as one .xlsx workbook (province office only).

Built from the same RoundResults as the results page, so they never disagree.
Every text cell is written with write_string: a comment starting with "=" must
stay text, never become a formula.
"""

import io

from yanxiu.core.dates import iso_datetime
from yanxiu.core.spreadsheets import Workbook

from ..enums import Recommendation

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _time(value):
    return iso_datetime(value)


def _expert_affiliation(user):
    profile = getattr(user, "expert_profile", None)
    return profile.affiliation if profile else ""


class _Sheet:
    def __init__(self, book, name, headers, formats):
        self.ws = book.add_worksheet(name)
        self.formats = formats
        self.row = 0
        for col, header in enumerate(headers):
            self.ws.write_string(0, col, header, formats["header"])
            self.ws.set_column(col, col, max(10, min(40, len(header) * 2 + 2)))
        self.ws.freeze_panes(1, 0)

    def add(self, values):
        self.row += 1
        for col, value in enumerate(values):
            if value is None:
                self.ws.write_blank(self.row, col, None)
            elif isinstance(value, bool):
                self.ws.write_string(self.row, col, "是" if value else "否")
            elif isinstance(value, (int,)) and not isinstance(value, bool):
                self.ws.write_number(self.row, col, value)
            elif hasattr(value, "as_tuple"):  # Decimal
                self.ws.write_number(self.row, col, float(value), self.formats["number"])
            else:
                self.ws.write_string(self.row, col, str(value), self.formats["text"])


def build_workbook(results):
    review_round = results.round
    criteria = results.criteria
    buffer = io.BytesIO()
    book = Workbook(buffer)
    formats = {
        "header": book.add_format({"bold": True, "bg_color": "#F0F3F7", "border": 1, "text_wrap": True}),
        "number": book.add_format({"num_format": "0.00"}),
        "text": book.add_format({"text_wrap": False}),
    }
    rec_labels = dict(Recommendation.choices)

    ranking = _Sheet(
        book,
        "排名汇总",
        [
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
            *rec_labels.values(),
            *(f"{c.name}平均分" for c in criteria),
        ],
        formats,
    )
    for _tier, tier_label, items in results.tier_items():
        for r in items:
            s = r.summary
            counts = r.recommendations
            means = r.criterion_means(criteria)
            ranking.add(
                [
                    tier_label,
                    r.rank,
                    str(r.application),
                    r.application.institution.name,
                    r.application.institution.authority.name,
                    str(r.application.domain or ""),
                    r.submitted,
                    r.reviews_needed,
                    s.mean,
                    s.trimmed_mean,
                    s.median,
                    s.sd,
                    s.normalised_mean,
                    s.spread,
                    s.lowest,
                    s.highest,
                    s.disagreement,
                    *(counts[v] for v in rec_labels),
                    *(means[c.pk] for c in criteria),
                ]
            )

    details = _Sheet(
        book,
        "评审明细",
        [
            "级别",
            "项目名称",
            "承办单位",
            "评审专家",
            "专家工作单位",
            *(f"{c.name}（满分{c.max_score}，权重{c.weight}%）" for c in criteria),
            "总分",
            "标准化总分",
            "推荐意见",
            "评审意见",
            "提交时间",
            "最后修改",
        ],
        formats,
    )
    for r in results.all_results:
        for line in r.lines:
            details.add(
                [
                    r.application.get_tier_display(),
                    str(r.application),
                    r.application.institution.name,
                    str(line.expert),
                    _expert_affiliation(line.expert),
                    *(line.scores.get(c.pk) for c in criteria),
                    line.total,
                    line.normalised,
                    line.review.get_recommendation_display(),
                    line.review.comment,
                    _time(line.review.submitted_at),
                    _time(line.review.revised_at),
                ]
            )

    assignments = _Sheet(
        book,
        "分配与回避",
        [
            "级别",
            "项目名称",
            "承办单位",
            "评审专家",
            "专家工作单位",
            "状态",
            "分配方式",
            "分配时间",
            "回避理由",
            "申明回避时间",
        ],
        formats,
    )
    for r in results.all_results:
        for a in sorted([line.assignment for line in r.lines] + r.pending + r.conflicts, key=lambda a: a.pk):
            assignments.add(
                [
                    r.application.get_tier_display(),
                    str(r.application),
                    r.application.institution.name,
                    str(a.expert),
                    _expert_affiliation(a.expert),
                    a.get_state_display(),
                    "自动" if a.is_automatic else "人工",
                    _time(a.assigned_at),
                    a.conflict_reason,
                    _time(a.conflict_declared_at),
                ]
            )

    rubric = _Sheet(book, "评分标准", ["评分项", "权重（%）", "满分", "评分说明"], formats)
    for c in criteria:
        rubric.add([c.name, c.weight, c.max_score, c.description])
    rubric.row += 1
    for label, value in [
        ("评审轮次", str(review_round)),
        ("年度", str(review_round.call.year)),
        ("评审范围", review_round.get_scope_display()),
        ("评审截止日期", review_round.deadline.isoformat()),
        ("每项申报评审专家人数", review_round.reviews_per_application),
        ("匿名评审", "是" if review_round.anonymous else "否"),
        ("分歧提示阈值（总分极差）", review_round.disagreement_threshold),
        ("排名依据", review_round.get_ranking_basis_display()),
        (
            "计分方法",
            (
                "总分=100×Σ(权重×得分/满分)/Σ权重；评审不少于4份时截尾平均分去掉一个最高分和一个最低分；"
                "原始分按截尾平均分、平均分排名"
            ),
        ),
        (
            "标准化方法",
            (
                "标准化总分=本轮全部总分的平均分+本轮标准差×z，z=(该总分−该专家本轮总分平均)÷该专家本轮总分标准差，"
                "限于0至100；专家本轮仅评1份时保留原始总分，其各份总分相同时取本轮平均分；"
                "按标准化平均分排名，相同时比较截尾平均分、平均分"
            ),
        ),
    ]:
        rubric.add([label, value])

    book.close()
    return buffer.getvalue()
