"""One description of the official form (附件1 / 附件2) for every output.

The HTML preview, and the Word/PDF documents, are all rendered from
`official_form(application)`, so they can never disagree.
"""

from dataclasses import dataclass, field

from yanxiu.calls.enums import Tier
from yanxiu.core.dates import chinese_date, chinese_period
from yanxiu.organisations.enums import BaseStatus

from .. import catalogue
from ..domain.snapshot import lecturer_text, schedule_text
from ..enums import Funding


@dataclass
class Tick:
    label: str
    checked: bool
    text: str = ""


@dataclass
class OfficialForm:
    form_key: str  # att1 / att2
    form_label: str
    heading: list
    show_applicant: bool
    title: str
    period: str
    venue: str
    domain_label: str
    domain: str
    department: str
    funding: list = field(default_factory=list)
    scope: list = field(default_factory=list)
    purpose: str = ""
    content: str = ""
    lecturers: str = ""
    trainees_label: str = "研修对象"
    trainees: str = ""
    host: dict = field(default_factory=dict)
    base: list = field(default_factory=list)
    base_batch: str = ""
    show_opinion: bool = False
    opinion: str = ""
    opinion_date: str = ""
    # Each verbatim field's text by its Word slot (the catalogue's), for the Word form; and the ones
    # the preview template does not place itself, as (label, text) rows after 培训对象.
    texts: dict = field(default_factory=dict)
    more_rows: list = field(default_factory=list)


# The verbatim fields _official_form.html places in rows of their own; any other is a row of `more_rows`.
PREVIEW_PLACES = {
    "title",
    "purpose",
    "host_name",
    "host_contact",
    "host_office_phone",
    "host_mobile",
    "host_fax",
    "host_address",
}


def trainee_text(application):
    parts = [application.trainee_description] if application.trainee_description else []
    facts = []
    if application.planned_trainees:
        facts.append(f"计划招收{application.planned_trainees}人")
    if application.recruitment_scope:
        facts.append(application.get_recruitment_scope_display())
    if facts:
        parts.append("，".join(facts) + "。")
    return "\n".join(parts)


def official_form(application):
    call = application.call
    rule = call.tier_rule(application.tier)
    national = application.tier == Tier.NATIONAL
    claims = {c.area.code: c.explanation for c in application.topic_claims.all()}
    form = OfficialForm(
        form_key="att1" if national else "att2",
        form_label=rule.form_label,
        heading=["专业技术人才知识更新工程", rule.form_title],
        show_applicant=not national,
        title=application.title,
        period=chinese_period(application.start_date, application.end_date),
        venue=" ".join(p for p in (application.venue_city, application.venue_place) if p),
        domain_label="选题所属行业领域" if national else "选题所属专业技术领域",
        domain=str(application.domain or ""),
        department=str(application.competent_department or ""),
        scope=[Tick(a.name, a.code in claims, claims.get(a.code, "")) for a in call.topic_areas.all()],
        purpose=application.purpose,
        content=schedule_text(application),
        lecturers=lecturer_text(application),
        trainees_label="研修对象" if national else "培训对象",
        trainees=trainee_text(application),
        host={
            "单位名称": application.host_name,
            "联系人": application.host_contact,
            "办公电话": application.host_office_phone,
            "手机": application.host_mobile,
            "传真": application.host_fax,
            "地址": application.host_address,
        },
        base=[
            Tick("国家级继续教育基地", application.base_status == BaseStatus.NATIONAL),
            Tick("省级继续教育基地", application.base_status == BaseStatus.PROVINCIAL),
            Tick("否", application.base_status == BaseStatus.NONE),
        ],
        base_batch=str(application.base_batch or "") if application.base_status == BaseStatus.NATIONAL else "",
        show_opinion=not national,
        opinion=application.authority_opinion if not national else "",
        opinion_date=chinese_date(application.authority_opinion_at)
        if application.authority_opinion_at and not national
        else "",
    )
    for spec in catalogue.verbatim(form.form_key):
        form.texts[spec.slot] = getattr(application, spec.name) or ""
        if spec.name not in PREVIEW_PLACES:
            form.more_rows.append((spec.label_on(form.form_key), form.texts[spec.slot]))
    if national:
        form.funding = [
            Tick(Funding.FISCAL.label, application.funding == Funding.FISCAL),
            Tick(
                Funding.SELF_FUNDED.label,
                application.funding == Funding.SELF_FUNDED,
                application.funding_source if application.funding == Funding.SELF_FUNDED else "",
            ),
        ]
    return form
