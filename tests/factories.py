"""Factories: real objects through the domain functions, never mocks."""

import itertools
from datetime import date, datetime, timedelta

from tests import dbcopy
from yanxiu.accounts.models import Role, User
from yanxiu.api.domain import tokens
from yanxiu.applications.domain import editing
from yanxiu.applications.enums import DeliveryMode, Funding, HalfDay, LecturerTitle, SessionFormat
from yanxiu.calls.domain.calls import load_call_file
from yanxiu.calls.models import Call
from yanxiu.core import clock
from yanxiu.core.validators import uscc_with_check
from yanxiu.organisations.enums import BaseStatus, InstitutionType
from yanxiu.organisations.models import Authority, Institution
from yanxiu.reference.importers import load_defaults
from yanxiu.reference.models import CompetentDepartment, ProfessionalDomain

_counter = itertools.count(1)


def call_2026():
    call = Call.objects.filter(year=2026).first()
    if call is None:
        reference_data()
        call = load_call_file()
    return call


_reference_copy = {}  # {table: rows}: what load_defaults() adds to tables that were empty


def reference_data():
    """The reference dictionaries (``load_defaults()``), as most tests need them.

    Imported row by row the first time in a test process, then put back from a copy of what that
    import added (dbcopy): importing them was four tenths of the tests' CPU (issue 21). Imported
    again, as a user would, where the tables are not empty (the import then updates, not adds).
    """
    if _reference_copy and not any(dbcopy.row_counts(_reference_copy).values()):
        dbcopy.add(_reference_copy)
        return
    before = dbcopy.row_counts()
    load_defaults()
    changed = [table for table, count in dbcopy.row_counts().items() if count != before[table]]
    if not _reference_copy and not any(before[table] for table in changed):
        _reference_copy.update(dbcopy.take(changed))


def authority(code="350100-RS"):
    call_2026()
    return Authority.objects.get(code=code)


def uscc(n):
    body = f"91350100MA{n:07d}"
    return uscc_with_check(body)


def institution(authority_code="350100-RS", **overrides):
    n = next(_counter)
    values = {
        "name": f"测试承办单位{n}",
        "uscc": uscc(n),
        "type": InstitutionType.UNIVERSITY,
        "authority": authority(authority_code),
        "city": "福州市",
        "base_status": BaseStatus.NONE,
        "can_issue_training_invoice": True,
        "address": "福州市鼓楼区测试路1号",
        "office_phone": "0591-87000000",
        "mobile": "13900000000",
        "contact_person": "张联系",
    }
    values.update(overrides)
    if values["can_issue_training_invoice"]:  # declared and, unless a test says otherwise, confirmed (0016)
        values.setdefault("training_invoice_confirmed_at", datetime.fromisoformat("2026-01-05T10:00:00+08:00"))
    return Institution.objects.create(**values)


def user(role=Role.INSTITUTION_STAFF, **overrides):
    n = next(_counter)
    values = {"username": f"user{n}", "role": role, "email": f"user{n}@example.invalid", "display_name": f"用户{n}"}
    values.update(overrides)
    return User.objects.create_user(password="pw-for-tests", **values)


def web_login(verified=True):
    """A web login a token is made in (a deciding role's token is bound to one)."""
    return tokens.Login(session_key=f"test-session-{next(_counter)}", started_at=clock.wall_now(), verified=verified)


def api_token(user, days=30, name="测试"):
    """(the saved token, the whole token) for `user`, made in a fresh web login."""
    return tokens.create_token(user, name=name, days=days, login=web_login())


def staff(inst=None):
    inst = inst or institution()
    return user(Role.INSTITUTION_STAFF, institution=inst)


def reviewer(auth):
    return user(Role.AUTHORITY_REVIEWER, authority=auth)


def province_officer():
    return user(Role.PROVINCE_OFFICER)


def draft(tier="provincial", actor=None, call=None):
    actor = actor or staff()
    return editing.create_application(call=call or call_2026(), tier=tier, institution=actor.institution, actor=actor)


def sessions_for(start, days, online=0, hours=3):
    rows = []
    for offset in range(days):
        for half in (HalfDay.MORNING, HalfDay.AFTERNOON):
            rows.append(
                {
                    "date": start + timedelta(days=offset),
                    "half_day": half,
                    "topic": f"专题{len(rows) + 1}",
                    "speaker": "王教授",
                    "format": SessionFormat.KEYNOTE,
                    "mode": DeliveryMode.ONLINE if len(rows) < online else DeliveryMode.OFFLINE,
                    "class_hours": hours,
                }
            )
    return rows


def complete(
    tier="provincial",
    actor=None,
    *,
    start=date(2026, 9, 1),
    days=None,
    trainees=None,
    online=0,
    scope=("digital",),
    sessions=None,
    **fields,
):
    """A draft that passes every check (unless the overrides break one)."""
    application = draft(tier, actor)
    national = tier == "national"
    days = days or (6 if national else 4)
    values = {
        "title": "人工智能赋能制造业高级研修班",
        "start_date": start,
        "end_date": start + timedelta(days=days - 1),
        "venue_city": "福州市",
        "venue_place": "福州市会议中心",
        "domain": ProfessionalDomain.objects.get(name="工程技术（电子信息）"),
        "competent_department": CompetentDepartment.objects.get(
            name="工业和信息化部" if national else "福建省工业和信息化厅"
        ),
        "purpose": "提升专业技术人才在人工智能领域的创新能力。",
        "trainee_description": "具有中级以上职称的专业技术人员。",
        "planned_trainees": trainees or (60 if national else 40),
        "recruitment_scope": "nationwide" if national else "province",
        "trainee_title_levels": ["middle", "deputy_senior"],
        "declares_independent_hosting": True,
        "declares_no_trainee_fees": True,
        "declares_mainly_offline": True,
    }
    if national:
        values["funding"] = Funding.FISCAL
    values.update(fields)
    areas = {a.code: a for a in application.call.topic_areas.all()}
    editing.save_draft(
        application,
        fields=values,
        sessions=sessions if sessions is not None else sessions_for(values["start_date"], 2, online=online),
        lecturers=[
            {
                "name": "王教授",
                "title": LecturerTitle.FULL_SENIOR,
                "position": "教授",
                "affiliation": "福州大学",
                "topic": "AI",
            }
        ],
        claims={areas[code]: "项目聚焦人工智能与制造业数字化转型。" for code in scope},
        actor=application.created_by,
        expected_version=application.version,
    )
    application.refresh_from_db()
    return application
