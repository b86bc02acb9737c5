"""Demo data: institutions in several cities, users for every role, and
applications in several states, for trying the system and for browser tests.

Everything goes through the domain functions, so the demo's history is real.
"""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from yanxiu.accounts.models import Role, User
from yanxiu.applications.domain import editing, workflow
from yanxiu.applications.enums import DeliveryMode, Funding, HalfDay, LecturerTitle, SessionFormat
from yanxiu.batches.domain import operations
from yanxiu.batches.domain.operations import BATCH_WORKFLOW
from yanxiu.calls.domain.calls import copy_call, load_call_file
from yanxiu.calls.models import Call
from yanxiu.core import clock
from yanxiu.core.validators import uscc_with_check
from yanxiu.delivery.domain import quality
from yanxiu.demo.delivery import seed_delivery
from yanxiu.organisations.enums import AuthorityKind, BaseStatus, InstitutionType
from yanxiu.organisations.models import Authority, Institution, ProgrammeRecord
from yanxiu.reference.importers import load_defaults
from yanxiu.reference.models import CompetentDepartment, ProfessionalDomain

DEMO_PASSWORD = "demo-2026"  # noqa: S105  (the published demo password, printed by seed_demo)


INSTITUTIONS = [
    # name, uscc body, type, authority code, city, base, batch, invoice, phone, mobile, contact, address, username
    (
        "福建现代种业研究院",
        "12350000MB0000001",
        InstitutionType.INSTITUTE,
        "SZ-NYNCT",
        "福州市",
        BaseStatus.NATIONAL,
        10,
        True,
        "0591-87000001",
        "13900000001",
        "陈禾",
        "福州市仓山区种业路1号",
        "zhongye",
    ),
    (
        "福州信息工程学院",
        "12350100MB0000002",
        InstitutionType.UNIVERSITY,
        "350100-RS",
        "福州市",
        BaseStatus.PROVINCIAL,
        None,
        True,
        "0591-83000002",
        "13900000002",
        "林数",
        "福州市闽侯县大学城学府路2号",
        "fzxx",
    ),
    (
        "厦门海洋装备研究院",
        "12350200MB0000003",
        InstitutionType.INSTITUTE,
        "350200-RS",
        "厦门市",
        BaseStatus.NONE,
        None,
        True,
        "0592-2000003",
        "13900000003",
        "黄海",
        "厦门市湖里区海天路3号",
        "xmhy",
    ),
    (
        "泉州文博数字研究中心",
        "52350500MJ0000004",
        InstitutionType.SOCIAL,
        "350500-RS",
        "泉州市",
        BaseStatus.NONE,
        None,
        True,
        "0595-2290001",
        "13900000004",
        "傅古",
        "泉州市鲤城区文博路4号",
        "qzwb",
    ),
    (
        "漳州智造科技有限公司",
        "91350600MA0000005",
        InstitutionType.ENTERPRISE,
        "350600-RS",
        "漳州市",
        BaseStatus.NONE,
        None,
        True,
        "0596-2000005",
        "13900000005",
        "吴工",
        "漳州市龙文区智造大道5号",
        "zzzz",
    ),
    (
        "南平绿色生态科技有限公司",
        "91350700MA0000006",
        InstitutionType.ENTERPRISE,
        "350700-RS",
        "南平市",
        BaseStatus.NONE,
        None,
        False,
        "0599-8000006",
        "13900000006",
        "郑林",
        "南平市延平区绿谷路6号",
        "nplv",
    ),
    (
        "福建省立医学继续教育中心",
        "12350000MB0000007",
        InstitutionType.HEALTH,
        "SZ-WJW",
        "福州市",
        BaseStatus.PROVINCIAL,
        None,
        True,
        "0591-87000007",
        "13900000007",
        "许医",
        "福州市鼓楼区东街7号",
        "slyx",
    ),
]

AUTHORITY_USERS = [
    ("350100-RS", "fz_rsj", "福州市人社局 审核员"),
    ("350500-RS", "qz_rsj", "泉州市人社局 审核员"),
    ("SZ-NYNCT", "nyt", "省农业农村厅人事处 审核员"),
    ("350200-RS", "xm_rsj", "厦门市人社局 审核员"),
    ("350600-RS", "zz_rsj", "漳州市人社局 审核员"),
    ("350700-RS", "np_rsj", "南平市人社局 审核员"),
    ("SZ-WJW", "wjw", "省卫健委人事处 审核员"),
]


def _demo_scan(name):
    """A one-page PDF standing in for a stamped paper form in the demo."""
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _user(username, role, name, institution=None, authority=None, **extra):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": role,
            "display_name": name,
            "institution": institution,
            "authority": authority,
            "email": f"{username}@example.invalid",
            **extra,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def fill(application, actor, *, title, start, days, trainees, domain, department, scope, online_sessions=0, **extra):
    """Fill an application completely, as an institution would."""
    end = start + timedelta(days=days - 1)
    fields = {
        "title": title,
        "start_date": start,
        "end_date": end,
        "venue_place": f"{application.institution.city}会议中心",
        "domain": ProfessionalDomain.objects.get(name=domain),
        "competent_department": CompetentDepartment.objects.get(name=department),
        "purpose": f"围绕{title.replace('高级研修班', '')}前沿问题，提升高层次专业技术人才的创新能力和实践水平，服务福建高质量发展。",
        "content_summary": "采取主题报告、专题研讨、现场教学、案例分析相结合的方式。",
        "trainee_description": "相关领域具有中级及以上职称的专业技术人员和经营管理人员，向基层一线倾斜。",
        "planned_trainees": trainees,
        "trainee_title_levels": ["middle", "deputy_senior", "full_senior"],
        "declares_independent_hosting": True,
        "declares_no_trainee_fees": True,
        "declares_mainly_offline": True,
        **extra,
    }
    sessions = []
    for offset in range(1, max(days - 1, 1)):
        for half in (HalfDay.MORNING, HalfDay.AFTERNOON):
            online = len(sessions) < online_sessions
            sessions.append(
                {
                    "date": start + timedelta(days=offset),
                    "half_day": half,
                    "topic": f"专题{len(sessions) + 1}：{title[:8]}前沿与实践",
                    "speaker": "张教授",
                    "format": SessionFormat.KEYNOTE if half == HalfDay.MORNING else SessionFormat.SITE_VISIT,
                    "mode": DeliveryMode.ONLINE if online else DeliveryMode.OFFLINE,
                    "class_hours": 3,
                }
            )
    lecturers = [
        {
            "name": "张教授",
            "title": LecturerTitle.FULL_SENIOR,
            "position": "教授",
            "affiliation": "福州大学",
            "topic": "前沿进展",
        },
        {
            "name": "李院士",
            "title": LecturerTitle.ACADEMICIAN,
            "position": "中国工程院院士",
            "affiliation": "中国农业大学",
            "topic": "战略报告",
        },
    ]
    areas = {a.code: a for a in application.call.topic_areas.all()}
    claims = {}
    for code in scope:
        named = "、".join(areas[code].keyword_list()[:2])
        claims[areas[code]] = f"项目聚焦{areas[code].name}，围绕{named}等通知所列重点领域，内容前沿实用。"
    editing.save_draft(
        application,
        fields=fields,
        sessions=sessions,
        lecturers=lecturers,
        claims=claims,
        actor=actor,
        expected_version=application.version,
    )
    return application


@transaction.atomic
def seed():
    load_defaults()
    call_2026 = load_call_file()
    call_2027 = Call.objects.filter(year=2027).first()
    if call_2027 is None:
        call_2027 = copy_call(call_2026, 2027)  # a copy is closed until the office opens it
        call_2027.is_open = True
        call_2027.save(update_fields=["is_open"])
    if Institution.objects.filter(name=INSTITUTIONS[0][0]).exists():
        return call_2026, call_2027

    # A continuing-education base reporting directly acts as its own authority.
    Authority.objects.create(
        code="BASE-FJCZ", name="福建船政继续教育基地", kind=AuthorityKind.BASE, note="国家级继续教育基地，直接申报"
    )
    institutions = [
        *INSTITUTIONS,
        (
            "福建船政继续教育基地",
            "12350000MB0000008",
            InstitutionType.PUBLIC_OTHER,
            "BASE-FJCZ",
            "福州市",
            BaseStatus.NATIONAL,
            8,
            True,
            "0591-83000008",
            "13900000008",
            "严船",
            "福州市马尾区船政路8号",
            "fjcz",
        ),
    ]
    staff = {}
    for name, body, type_, auth, city, base, batch, invoice, phone, mobile, contact, address, username in institutions:
        institution = Institution.objects.create(
            name=name,
            uscc=uscc_with_check(body),
            type=type_,
            authority=Authority.objects.get(code=auth),
            city=city,
            base_status=base,
            base_batch=batch,
            can_issue_training_invoice=invoice,
            training_invoice_confirmed_at=clock.now() if invoice else None,  # confirmed by the authority (0016)
            office_phone=phone,
            mobile=mobile,
            contact_person=contact,
            address=address,
            email=f"{username}@example.invalid",
        )
        # Each organisation's one demo account administers its colleagues (decision 0024).
        staff[username] = _user(username, Role.INSTITUTION_STAFF, contact, institution=institution, is_org_admin=True)
    ProgrammeRecord.objects.create(
        institution=Institution.objects.get(name="南平绿色生态科技有限公司"),
        year=2025,
        title="林下经济数字化高级研修班",
        tier="provincial",
        completed=False,
        note="因故未按计划开班",
    )
    ProgrammeRecord.objects.create(
        institution=Institution.objects.get(name="福建现代种业研究院"),
        year=2025,
        title="现代种业高级研修班",
        tier="national",
        completed=True,
    )
    ProgrammeRecord.objects.create(
        institution=Institution.objects.get(name="南平绿色生态科技有限公司"),
        year=2026,
        title="武夷山生态产品价值实现高级研修班",
        tier="provincial",
        completed=False,
        note="2026年计划，截至11月尚未开班",
    )
    reviewers = {}
    for code, username, name in [*AUTHORITY_USERS, ("BASE-FJCZ", "fjcz_shenhe", "船政基地 审核员")]:
        reviewers[username] = _user(
            username, Role.AUTHORITY_REVIEWER, name, authority=Authority.objects.get(code=code), is_org_admin=True
        )
    _user("province", Role.PROVINCE_OFFICER, "省人社厅职业能力建设处 经办人", is_org_admin=True)
    _user("expert1", Role.EXPERT, "王明")
    # 三员分立: one account per administrator duty.
    _user("sysadmin", Role.SYSTEM_ADMIN, "陈伟")
    _user("secadmin", Role.SECURITY_ADMIN, "林静")
    _user("auditor", Role.AUDIT_ADMIN, "黄敏")

    # 2026 applications, made while the 2026 call was open.
    with clock.frozen_at("2026-01-10T10:00:00+08:00"):
        a = editing.create_application(
            call=call_2026, tier="national", institution=staff["zhongye"].institution, actor=staff["zhongye"]
        )
        fill(
            a,
            staff["zhongye"],
            title="生物育种与种业振兴关键技术高级研修班",
            start=date(2026, 8, 3),
            days=6,
            trainees=60,
            domain="农业技术",
            department="农业农村部",
            scope=["strategy", "industry"],
            funding=Funding.FISCAL,
        )
        workflow.perform(a, "submit", staff["zhongye"])
        workflow.perform(a, "approve", reviewers["nyt"], reason="同意推荐。")

        # The agriculture department sends its national application up in a batch.
        batch = operations.create_batch(call=call_2026, tier="national", actor=reviewers["nyt"])
        a.refresh_from_db()
        operations.set_members(batch, [a], actor=reviewers["nyt"])
        operations.upload_scan(
            batch, application=None, uploaded=_demo_scan("附件3汇总表-盖章.pdf"), ext=".pdf", actor=reviewers["nyt"]
        )
        BATCH_WORKFLOW.perform(batch, "submit", reviewers["nyt"])

        b = editing.create_application(
            call=call_2026, tier="national", institution=staff["xmhy"].institution, actor=staff["xmhy"]
        )
        fill(
            b,
            staff["xmhy"],
            title="深远海海洋装备智能化高级研修班",
            start=date(2026, 9, 7),
            days=5,
            trainees=55,
            domain="工程技术（海洋）",
            department="工业和信息化部",
            scope=["industry"],
            funding=Funding.SELF_FUNDED,
            funding_source="单位自有资金",
        )
        workflow.perform(b, "submit", staff["xmhy"])

    with clock.frozen_at("2026-02-10T10:00:00+08:00"):
        c = editing.create_application(
            call=call_2026, tier="provincial", institution=staff["qzwb"].institution, actor=staff["qzwb"]
        )
        fill(
            c,
            staff["qzwb"],
            title="文物数字化保护与利用高级研修班",
            start=date(2026, 9, 22),
            days=4,
            trainees=40,
            domain="文物博物",
            department="福建省文物局",
            scope=["digital"],
        )
        workflow.perform(c, "submit", staff["qzwb"])
        workflow.perform(c, "return", reviewers["qz_rsj"], reason="请补充授课专家的职称信息，并细化现场教学安排。")

        d = editing.create_application(
            call=call_2026, tier="provincial", institution=staff["fzxx"].institution, actor=staff["fzxx"]
        )
        fill(
            d,
            staff["fzxx"],
            title="人工智能赋能传统制造业数字化转型高级研修班",
            start=date(2026, 10, 20),
            days=4,
            trainees=45,
            domain="工程技术（电子信息）",
            department="福建省工业和信息化厅",
            scope=["digital", "industry"],
        )
        workflow.perform(d, "submit", staff["fzxx"])
        workflow.perform(d, "approve", reviewers["fz_rsj"], reason="同意推荐，请省人社厅审定。")
        provincial_batch = operations.create_batch(call=call_2026, tier="provincial", actor=reviewers["fz_rsj"])
        d.refresh_from_db()
        operations.set_members(provincial_batch, [d], actor=reviewers["fz_rsj"])
        operations.upload_scan(
            provincial_batch,
            application=None,
            uploaded=_demo_scan("附件3汇总表-盖章.pdf"),
            ext=".pdf",
            actor=reviewers["fz_rsj"],
        )
        d.refresh_from_db()
        operations.upload_scan(
            provincial_batch,
            application=d,
            uploaded=_demo_scan("附件2申报表-盖章.pdf"),
            ext=".pdf",
            actor=reviewers["fz_rsj"],
        )
        BATCH_WORKFLOW.perform(provincial_batch, "submit", reviewers["fz_rsj"])

    # The office selects the Fuzhou programme; it ran in October and waits to be closed.
    seed_delivery(d, User.objects.get(username="province"), staff["fzxx"])

    from yanxiu.demo.reviews import seed_reviews  # noqa: PLC0415  (demo.reviews builds on this module's world)

    seed_reviews()

    # 2027: open now, for trying every step.
    with clock.frozen_at("2026-11-20T10:00:00+08:00"):
        e = editing.create_application(
            call=call_2027, tier="provincial", institution=staff["zzzz"].institution, actor=staff["zzzz"]
        )
        fill(
            e,
            staff["zzzz"],
            title="工业互联网与智能工厂建设高级研修班",
            start=date(2027, 6, 15),
            days=4,
            trainees=28,
            domain="工程技术（机械与智能制造）",
            department="福建省工业和信息化厅",
            scope=["digital"],
        )
        editing.create_application(
            call=call_2027, tier="national", institution=staff["fzxx"].institution, actor=staff["fzxx"]
        )
        quality.refresh_all()  # the hosts' quality scores from their past years (decision 0027)
    return call_2026, call_2027


def accounts_table():
    return [
        (user.get_role_display(), user.username, user.organisation_name or "-")
        for user in User.objects.order_by("role", "username")
    ]
