"""Bring applications to the plan through the real domain functions, and make trainees."""

from datetime import date

from tests import factories
from tests.selection.test_selection import forwarded
from yanxiu.applications.models import Application
from yanxiu.delivery.domain import programmes
from yanxiu.delivery.domain.ids import id_with_check
from yanxiu.delivery.models import Programme, Trainee
from yanxiu.selection.domain import decisions
from yanxiu.selection.models import Outcome


def planned(tier="provincial", outcome=Outcome.PROVINCIAL_ORDINARY, authority_code="350100-RS", officer=None, **fields):
    """A programme in the annual plan, with its run record."""
    officer = officer or factories.province_officer()
    application = forwarded(tier, authority_code, **fields)
    decisions.stage(application, outcome, actor=officer)
    decisions.publish(application.call, actor=officer, without_publicity="（测试）不经公示")
    if outcome == Outcome.NATIONAL_CANDIDATE:
        decisions.record_ministry_answer(Application.objects.get(pk=application.pk), selected=True, actor=officer)
    programmes.ensure_programmes()
    return Programme.objects.select_related("application", "application__call", "application__institution").get(
        application_id=application.pk
    )


def host_of(programme):
    return programme.application.created_by


def id_number(n, province="35", male=True):
    """A valid 18-digit ID; the 17th digit gives the gender (odd = male)."""
    body = f"{province}0102" + "19800101" + f"{n % 100:02d}" + ("1" if male else "2")
    return id_with_check(body)


def trainee_data(n, **overrides):
    data = {
        "name": f"学员{n}",
        "id_number": id_number(n),
        "gender": "male",
        "employer": f"福州某单位{n}",
        "position": "工程师",
        "title_level": "middle",
        "professional_field": "电子信息",
        "mobile": f"139{n:08d}",
        "province": "35",
        "is_grassroots": True,
        "sector": "non_public",
    }
    data.update(overrides)
    return data


def add_trainees(programme, count, start=1, **overrides):
    from yanxiu.core import clock
    from yanxiu.delivery.domain.enrolment import validate_trainee
    from yanxiu.delivery.domain.ids import mask

    made = []
    for n in range(start, start + count):
        values, errors = validate_trainee(programme, trainee_data(n, **overrides))
        assert errors == {}
        made.append(
            Trainee.objects.create(
                programme=programme, id_masked=mask(values["id_number"]), enrolled_at=clock.now(), **values
            )
        )
    return made


def open_enrolment(programme, actor=None):
    actor = actor or host_of(programme)
    programmes.confirm_arrangements(
        programme,
        actor,
        start_date=programme.start_date,
        end_date=programme.end_date,
        venue=programme.venue,
        schedule="第一天报到",
        experts="王教授",
        capacity=programme.capacity,
    )
    programmes.publish_enrolment(programme, actor, notice="欢迎报名。", deadline=date(2026, 8, 20), open_=True)
    programme.refresh_from_db()
    return programme


def certified(clock, count, start=1, authority_code="350100-RS", officer=None):
    """A programme of 2026-09-01 to 09-04 whose `count` trainees attended every half-day and hold certificates."""
    from yanxiu.delivery.domain import attendance, certificates, enrolment

    clock("2026-01-10T10:00:00+08:00")
    programme = planned(authority_code=authority_code, officer=officer)
    host = host_of(programme)
    trainees = add_trainees(programme, count, start=start)
    enrolment.review(programme, trainees, host, approve=True)
    clock("2026-09-06T09:00:00+08:00")
    for day, half in attendance.half_days(programme):
        attendance.record_attendance(programme, day, half, [t.pk for t in trainees], host)
    certificates.issue(programme, host)
    return programme, trainees
