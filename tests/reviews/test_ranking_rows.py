"""The ranking page's rows and comments are written in Python (reviews/interfaces/ranking_rows.py)."""

import pytest
from django.urls import reverse

from tests.reviews import factories as rf
from yanxiu.applications.models import Application

pytestmark = pytest.mark.django_db


def test_a_ranking_row_and_its_comment_are_escaped(client):
    review_round = rf.review_round(reviews_per_application=2)
    application = rf.forwarded()
    Application.objects.filter(pk=application.pk).update(title="<i>研修</i>班")
    task = rf.assign(review_round, application, rf.expert(display_name="<b>专家</b>"))
    rf.submit(task, comment="第一行 1 < 2 & 3\n第二行")
    client.force_login(review_round.created_by)
    page = client.get(reverse("reviews:results", args=[review_round.pk])).content.decode()
    assert "<script>" not in page
    assert "<i>研修</i>" not in page
    assert "<b>专家</b>" not in page
    assert f'<a href="/applications/{application.pk}/">&lt;i&gt;研修&lt;/i&gt;班</a>' in page
    assert "第一行 1 &lt; 2 &amp; 3<br>第二行" in page
    row = page.split(f'<a href="/applications/{application.pk}/">')[1].split("</tr>")[0]
    assert "<td>1 / 2 <span" in row
    assert "未完成" in row
    assert "<td>1 / 0 / 0</td>" in row  # recommend / consider / not recommend
    assert "&lt;b&gt;专家&lt;/b&gt;：" in row
