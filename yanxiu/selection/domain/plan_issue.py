"""The annual plan as issued: 成文日期 from the publication, 发文字号 and 抄送 from the office.

The first publication of decisions (decisions.publish) records the day: the plan
is issued the day its programmes are published. The office then enters the
document number on the plan page; every change is audited with before and after.
"""

import re

from django.db import transaction

from yanxiu.accounts.rules import require
from yanxiu.audit.log import record
from yanxiu.core import clock
from yanxiu.core.refusal import Refused
from yanxiu.core.validators import normalise_code

from ..models import PlanIssue

# 机关代字〔年份〕序号号: 闽人社文〔2026〕123号 (GB/T 9704-2012 7.2.4); ASCII or full-width brackets are
# taken for the hexagonal ones and a leading zero of the number is dropped.
NUMBER_RE = re.compile(r"^(?P<code>[\u4e00-\u9fff]{1,12})〔(?P<year>[0-9]{4})〕(?P<serial>[0-9]{1,5})号$")
BRACKETS = str.maketrans(
    {"[": "〔", "［": "〔", "(": "〔", "（": "〔", "【": "〔", "]": "〕", "］": "〕", ")": "〕", "）": "〕", "】": "〕"}
)


def normalise_number(text):
    """The number as the standard writes it, or Refused with the expected form."""
    text = "".join(normalise_code(text or "").split()).translate(BRACKETS)
    if not text:
        return ""
    found = NUMBER_RE.match(text)
    if not found:
        raise Refused(
            "发文字号应写作“机关代字〔年份〕序号号”，如：闽人社文〔2026〕123号。",
            errors={"document_number": "发文字号应写作“机关代字〔年份〕序号号”，如：闽人社文〔2026〕123号。"},
        )
    return f"{found['code']}〔{found['year']}〕{int(found['serial'])}号"


def note_publication(call, *, publicity=None, waived=""):
    """Called by decisions.publish inside its transaction: the plan's date is the first publication's day;
    the 公示 (or the reason there was none) is the latest publication's."""
    issue, _ = PlanIssue.objects.get_or_create(call=call, defaults={"issued_on": clock.today()})
    issue.publicity, issue.publicity_waived = publicity, waived
    issue.save(update_fields=["publicity", "publicity_waived"])
    return issue


def update(call, *, document_number, copy_to, actor):
    require(actor, "selection.view_plan")
    number = normalise_number(document_number)
    copy_to = " ".join((copy_to or "").split())[:300]
    with transaction.atomic():
        issue = PlanIssue.objects.select_for_update().filter(call=call).first()
        if issue is None:
            raise Refused("遴选结果尚未发布：年度计划的成文日期为发布之日，发布后再填写发文字号。")
        before = {"document_number": issue.document_number, "copy_to": issue.copy_to}
        after = {"document_number": number, "copy_to": copy_to}
        if before == after:
            return issue
        issue.document_number, issue.copy_to = number, copy_to
        issue.updated_by, issue.updated_at = actor, clock.now()
        issue.save()
        record(
            issue,
            action="plan_issue",
            label="填写年度计划发文信息",
            actor=actor,
            data={"before": before, "after": after},
        )
    return issue
