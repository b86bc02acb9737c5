"""A day's sessions in the day's own order (上午, 下午, 晚上), not the codes' (am < eve < pm)."""

import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from tests import factories
from yanxiu.applications.enums import DeliveryMode, HalfDay, SessionFormat
from yanxiu.applications.interfaces.form_context import official_form
from yanxiu.applications.models import Application, ScheduleSession
from yanxiu.documents import embedded
from yanxiu.documents.generate.forms_docx import render_application_docx

pytestmark = pytest.mark.django_db

DAY = date(2026, 9, 1)


def row(day, half, topic):
    return {
        "date": day,
        "half_day": half,
        "topic": topic,
        "speaker": "",
        "format": SessionFormat.SEMINAR,
        "mode": DeliveryMode.OFFLINE,
        "class_hours": 2,
    }


@pytest.fixture
def application():
    # Entered out of order, the evening first: the codes alone would print 上午, 晚上, 下午.
    return factories.complete(
        sessions=[
            row(DAY.replace(day=2), HalfDay.EVENING, "次日晚间研讨"),
            row(DAY, HalfDay.EVENING, "晚间研讨"),
            row(DAY, HalfDay.AFTERNOON, "下午报告"),
            row(DAY, HalfDay.MORNING, "上午报告"),
            row(DAY.replace(day=2), HalfDay.MORNING, "次日上午报告"),
        ]
    )


EXPECTED = ["上午报告", "下午报告", "晚间研讨", "次日上午报告", "次日晚间研讨"]


def test_the_rank_is_the_declaration_order():
    assert [HalfDay.rank(h) for h in ("am", "pm", "eve")] == [0, 1, 2]
    assert sorted(["eve", "pm", "am"]) == ["am", "eve", "pm"]  # why the codes cannot be the order
    assert sorted(["eve", "pm", "am"], key=HalfDay.rank) == ["am", "pm", "eve"]


def test_queries_and_prefetches_order_by_the_day(application):
    assert [s.topic for s in ScheduleSession.objects.filter(application=application)] == EXPECTED
    prefetched = Application.objects.prefetch_related("sessions").get(pk=application.pk)
    assert [s.topic for s in prefetched.sessions.all()] == EXPECTED


def test_the_form_prints_the_afternoon_before_the_evening(application):
    lines = official_form(application).content.split("\n")
    assert [line.split("：", 1)[1] for line in lines] == EXPECTED
    assert lines[1].startswith("9月1日下午")
    assert lines[2].startswith("9月1日晚上")


def test_the_preview_shows_the_same_order(application, client):
    client.force_login(application.created_by)
    page = client.get(reverse("applications:preview", args=[application.pk])).content.decode()
    positions = [page.index(topic) for topic in EXPECTED]
    assert positions == sorted(positions)


def test_the_word_form_and_its_embedded_rows_keep_the_order(application):
    with zipfile.ZipFile(io.BytesIO(render_application_docx(application))) as archive:
        printed = archive.read("word/document.xml").decode()
    positions = [printed.index(topic) for topic in EXPECTED]
    assert positions == sorted(positions)
    assert [s["topic"] for s in embedded.rows_of(application).sessions] == EXPECTED
