"""Demo data for delivery: one 2026 provincial programme that ran in October,
with enrolled trainees and recorded attendance, ready for the host to close.

Everything goes through the domain functions, on the clock of each step."""

from datetime import date

from yanxiu.applications.models import Application
from yanxiu.core import clock
from yanxiu.delivery.domain import attendance, enrolment, programmes
from yanxiu.delivery.domain.ids import id_with_check
from yanxiu.delivery.enums import EnrolmentState
from yanxiu.delivery.models import Programme, Trainee
from yanxiu.selection.domain import decisions, publicity
from yanxiu.selection.models import Outcome

NAMES = "陈林黄张李王吴刘蔡杨郑许谢郭洪邱曾廖赖周徐苏叶庄吕江何高罗卢施康沈余"
GIVEN = ["建华", "秀英", "志强", "丽娟", "海峰", "晓敏", "文华", "明辉", "雅琴", "国栋", "静怡", "俊杰"]
TITLES = ["middle", "deputy_senior", "middle", "full_senior", "middle", "other"]


def trainee(n):
    body = f"350102{1975 + n % 20}0{1 + n % 9}1{n % 10}{n % 10}{n % 10}{1 if n % 2 else 2}"
    return {
        "name": NAMES[n % len(NAMES)] + GIVEN[n % len(GIVEN)],
        "id_number": id_with_check(body),
        "gender": "male" if n % 2 else "female",
        "employer": f"福州某{'科技有限公司' if n % 3 else '设计院'}",
        "position": "工程师",
        "title_level": TITLES[n % len(TITLES)],
        "professional_field": "电子信息",
        "mobile": f"1385910{n:04d}",
        "province": "35",
        "is_grassroots": n % 4 != 0,
        "sector": "non_public" if n % 3 else "public",
    }


PUBLICITY_CONTACT = "省人社厅职业能力建设处 林老师，电话 0591-87000000，地址：福州市鼓楼区中山路（邮编350003）"


def seed_delivery(application, officer, host):
    """`application` has been forwarded; the office selects it and the host runs it."""
    with clock.frozen_at("2026-03-13T10:00:00+08:00"):  # 公示 from Fri 13 to Thu 19 March (5 working days)
        decisions.stage(Application.objects.get(pk=application.pk), Outcome.PROVINCIAL_ORDINARY, actor=officer)
        publicity.start(application.call, officer, contact=PUBLICITY_CONTACT)
    with clock.frozen_at("2026-03-23T10:00:00+08:00"):
        decisions.publish(application.call, actor=officer)
        programmes.ensure_programmes(application.call)
    programme = Programme.objects.get(application_id=application.pk)
    with clock.frozen_at("2026-09-01T10:00:00+08:00"):
        programmes.confirm_arrangements(
            programme,
            host,
            start_date=programme.start_date,
            end_date=programme.end_date,
            venue=programme.venue,
            schedule="第一天报到；第二、三天专题报告与现场教学；第四天研讨交流、返程。",
            experts="张教授、李院士",
            capacity=programme.capacity,
        )
        programmes.publish_enrolment(
            programme, host, notice="欢迎全省相关领域专业技术人员报名。", deadline=date(2026, 10, 10), open_=True
        )
    with clock.frozen_at("2026-09-20T10:00:00+08:00"):
        programme.refresh_from_db()
        enrolled = [enrolment.enrol(programme, trainee(n)) for n in range(1, 39)]
        enrolment.review(programme, enrolled[:36], host, approve=True, note="符合条件")
    with clock.frozen_at("2026-10-24T10:00:00+08:00"):
        approved = list(Trainee.objects.filter(programme=programme, state=EnrolmentState.APPROVED).order_by("pk"))
        for number, (day, half_day) in enumerate(attendance.half_days(programme)):
            present = [t.pk for i, t in enumerate(approved) if (i + number) % 12 != 0]
            attendance.record_attendance(programme, day, half_day, present, host)
    return programme
