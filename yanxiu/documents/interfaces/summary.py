"""One description of the summary sheet (附件3) for every output.

The HTML page, the .xlsx, the .docx and the PDF all render `summary_sheet()`.
"""

from dataclasses import dataclass, field

from yanxiu.applications.enums import ApplicationState
from yanxiu.applications.models import Application

from ..layout import SUMMARY_COLUMNS

# What an authority has put forward: submitted and every later stage, up to the
# province's decision (a selected programme stays on the list that sent it up).
SUMMARY_STATES = (
    ApplicationState.SUBMITTED,
    ApplicationState.AUTHORITY_APPROVED,
    ApplicationState.FORWARDED,
    ApplicationState.NATIONAL_CANDIDATE,
    ApplicationState.MINISTRY_SELECTED,
    ApplicationState.PROVINCIAL_DEMONSTRATION,
    ApplicationState.PROVINCIAL_ORDINARY,
    ApplicationState.NOT_SELECTED,
)


@dataclass
class SummaryRow:
    seq: int
    title: str
    host: str
    contact: str
    phone: str
    domain: str

    def values(self):
        return [self.seq, self.title, self.host, self.contact, self.phone, self.domain]


@dataclass
class SummarySheetData:
    label: str
    title: str
    signer: str
    rows: list = field(default_factory=list)
    header: list = field(default_factory=lambda: [label for _, label in SUMMARY_COLUMNS])


def summary_title(year):
    return f"福建省专业技术人才知识更新工程{year}年高级研修项目汇总表"


def summary_row(seq, application):
    return SummaryRow(
        seq=seq,
        title=application.title,
        host=application.host_name,
        contact=application.host_contact,
        phone=application.host_office_phone or application.host_mobile,
        domain=str(application.domain or ""),
    )


def summary_sheet(applications, *, year, signer=""):
    """`applications` in the order to print (select_related domain for speed)."""
    return SummarySheetData(
        label="附件3",
        title=summary_title(year),
        signer=signer,
        rows=[summary_row(seq, a) for seq, a in enumerate(applications, start=1)],
    )


def applications_for_summary(user, call, authority=None):
    queryset = (
        Application.objects.visible_to(user)
        .filter(call=call, state__in=SUMMARY_STATES)
        .select_related("domain", "institution__authority")
        .order_by("institution__authority__code", "tier", "submitted_at", "pk")
    )
    if authority is not None:
        queryset = queryset.filter(institution__authority=authority)
    return queryset


def signer_for(user, authority=None):
    if authority is not None:
        return authority.name
    if user.authority_id:  # the organisation the user works for signs
        return user.authority.name
    if user.institution_id:
        return user.institution.name
    return "福建省人力资源和社会保障厅"
