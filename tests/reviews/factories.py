"""Review factories: real objects through the domain functions."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories as f
from yanxiu.accounts.models import Role
from yanxiu.applications.domain import workflow
from yanxiu.applications.enums import ApplicationState
from yanxiu.applications.models import Application
from yanxiu.batches.domain import operations as batches
from yanxiu.batches.domain.operations import BATCH_WORKFLOW
from yanxiu.reviews.domain import assignment, operations, rounds
from yanxiu.reviews.enums import Recommendation
from yanxiu.reviews.models import ExpertProfile

DEADLINE = date(2026, 3, 31)


def approved(tier="provincial", authority_code="350100-RS", inst=None):
    """Approved by its authority but not yet sent up: not in any review round."""
    inst = inst or f.institution(authority_code)
    application = f.complete(tier, actor=f.staff(inst))
    workflow.perform(application, "submit", application.created_by)
    reviewer = f.reviewer(inst.authority)
    workflow.perform(application, "approve", reviewer, reason="同意推荐。")
    return Application.objects.select_related("institution").get(pk=application.pk), reviewer


def scan(name):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%stamped\n", content_type="application/pdf")


def forwarded(tier="provincial", authority_code="350100-RS", inst=None):
    """Sent to the province in its authority's batch: it enters review rounds."""
    application, reviewer = approved(tier, authority_code, inst)
    batch = batches.create_batch(call=application.call, tier=tier, actor=reviewer)
    batches.set_members(batch, [application], actor=reviewer)
    application.refresh_from_db()
    batches.upload_scan(batch, application=None, uploaded=scan("汇总表.pdf"), ext=".pdf", actor=reviewer)
    if tier == "provincial":
        batches.upload_scan(batch, application=application, uploaded=scan("申报表.pdf"), ext=".pdf", actor=reviewer)
    BATCH_WORKFLOW.perform(batch, "submit", reviewer)
    application.refresh_from_db()
    assert application.state == ApplicationState.FORWARDED
    return application


def expert(affiliation="福州大学", institution=None, authority=None, domains=(), **user_fields):
    user = f.user(Role.EXPERT, **user_fields)
    profile = ExpertProfile.objects.create(
        user=user, affiliation=affiliation, institution=institution, authority=authority
    )
    profile.domains.set(domains)
    return user


def review_round(officer=None, call=None, **fields):
    values = {
        "name": "2026年专家评审",
        "scope": "both",
        "deadline": DEADLINE,
        "reviews_per_application": 3,
        "anonymous": False,
        "disagreement_threshold": 20,
    }
    values.update(fields)
    return rounds.create_round(call=call or f.call_2026(), actor=officer or f.province_officer(), **values)


def scores_for(review_round, values):
    return {c.pk: v for c, v in zip(review_round.criteria.all(), values, strict=False)}


def submit(task, values=(8, 8, 8, 8, 8), recommendation=Recommendation.RECOMMEND, comment="选题好，建议入选。"):
    return operations.submit_review(
        task,
        task.expert,
        scores=scores_for(task.round, values),
        comment=comment,
        recommendation=recommendation,
    )


def assign(review_round, application, expert_user):
    officer = review_round.created_by
    return assignment.assign(review_round, application, expert_user, actor=officer)


POOL_HEADER = [
    "登录用户名",
    "姓名",
    "职称/职务",
    "工作单位",
    "所在承办单位",
    "所属主管部门",
    "主要专业技术领域",
    "其他熟悉领域",
    "研究方向关键词",
    "电话",
    "电子邮箱",
    "入库年度",
    "有效期至",
    "本年度可参加评审",
]


def pool_bytes(rows, header=POOL_HEADER):
    """An expert-pool .xlsx (openpyxl, as an office would save it) with `rows` under the header."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pool_workbook(rows, name="专家库.xlsx"):
    return SimpleUploadedFile(name, pool_bytes(rows))
