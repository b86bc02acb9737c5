"""好差评 (decision 0027): once per completed matter, by its own applicant; the office's figures."""

import pytest

from tests import factories
from tests.delivery.helpers import certified, host_of, id_number, planned
from tests.queries import count_queries, page
from tests.selection.test_selection import forwarded
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused
from yanxiu.delivery.models import Certificate
from yanxiu.ratings import public_views
from yanxiu.ratings.domain import ratings
from yanxiu.ratings.models import ServiceRating

pytestmark = pytest.mark.django_db


def test_the_applicant_rates_a_decided_application_once(client):
    programme = planned()
    application, host = programme.application, host_of(programme)
    client.force_login(host)
    url = f"/ratings/application/{application.pk}/"
    response = client.post(url, {"level": "4", "comment": "办理及时。"})
    assert response.status_code == 302
    rating = ServiceRating.objects.get()
    assert (rating.kind, rating.matter_id, rating.level, rating.comment, rating.rated_by) == (
        "application",
        application.pk,
        4,
        "办理及时。",
        host,
    )
    assert AuditEntry.objects.filter(action="rate_service", object_id=application.pk).count() == 1
    # Twice: refused, the first rating stays.
    with pytest.raises(Refused, match="每个事项只能评价一次"):
        ratings.rate_application(application, host, level=1, comment="改主意了")
    assert "您已评价：满意" in page(client, url)
    assert list(ServiceRating.objects.values_list("level", flat=True)) == [4]


def test_another_institutions_staff_cannot_rate_the_matter(client):
    programme = planned()
    stranger = host_of(planned(authority_code="350200-RS"))
    client.force_login(stranger)
    payload = {"level": "5", "comment": "很好"}
    assert client.post(f"/ratings/application/{programme.application.pk}/", payload).status_code == 404
    with pytest.raises(Refused, match="只有申报单位本单位的经办人"):
        ratings.rate_application(programme.application, stranger, level=5)
    assert ServiceRating.objects.count() == 0
    # The same payload from the applicant succeeds.
    client.force_login(host_of(programme))
    assert client.post(f"/ratings/application/{programme.application.pk}/", payload).status_code == 302


def test_an_undecided_application_cannot_be_rated():
    application = forwarded("provincial", "350100-RS")
    with pytest.raises(Refused, match="尚未办结"):
        ratings.rate_application(application, application.created_by, level=5)
    assert ServiceRating.objects.count() == 0


def test_the_holder_rates_the_certificate_with_their_id_number_once(client, clock):
    _, (first, _) = certified(clock, 2)
    certificate = Certificate.objects.get(trainee=first)
    url = f"/p/ratings/certificate/{certificate.token}/"
    # Another trainee's ID number (a real one, of the same class) is refused.
    refused = client.post(url, {"id_number": id_number(2), "level": "5", "comment": ""})
    assert refused.status_code == 409
    assert "身份证号与证书持有人不符" in refused.content.decode()
    assert ServiceRating.objects.count() == 0
    done = client.post(url, {"id_number": id_number(1), "level": "5", "comment": "证书发放很快"})
    assert (done.status_code, "感谢您的评价！" in done.content.decode()) == (200, True)
    rating = ServiceRating.objects.get()
    assert (rating.kind, rating.matter_id, rating.level, rating.rated_by) == ("certificate", certificate.pk, 5, None)
    with pytest.raises(Refused, match="每个事项只能评价一次"):
        ratings.rate_certificate(certificate, id_number=id_number(1), level=1)
    assert "已评价过" in page(client, url)


def test_the_office_sees_counts_per_level_and_the_share_satisfied(client, clock):
    officer = factories.province_officer()
    programme, trainees = certified(clock, 3, officer=officer)
    ratings.rate_application(programme.application, host_of(programme), level=2, comment="材料要求不清楚")
    for trainee, level in zip(trainees, (5, 4, 3), strict=True):
        ratings.rate_certificate(Certificate.objects.get(trainee=trainee), id_number=trainee.id_number, level=level)
    application_row, certificate_row, total_row = ratings.figures()
    assert (application_row.counts, application_row.satisfied_percent) == (
        [("很满意", 0), ("满意", 0), ("基本满意", 0), ("不满意", 1), ("很不满意", 0)],
        0,
    )
    assert (certificate_row.total, certificate_row.satisfied_percent) == (3, 100)
    assert (total_row.total, total_row.satisfied, total_row.satisfied_percent) == (4, 3, 75)
    client.force_login(officer)
    text = page(client, "/ratings/")
    assert "75.0%" in text
    assert "材料要求不清楚" in text
    client.force_login(host_of(programme))
    assert client.get("/ratings/").status_code == 403


def test_the_applicants_list_keeps_a_constant_query_count(client):
    officer = factories.province_officer()
    programme = planned(officer=officer)
    host = host_of(programme)
    client.force_login(host)
    one = count_queries(client, "/ratings/mine/")
    ratings.rate_application(programme.application, host, level=5)
    assert count_queries(client, "/ratings/mine/") == one
    assert "已评价：很满意" in page(client, "/ratings/mine/")


def test_the_public_rating_form_is_rate_limited(client, clock, monkeypatch):
    monkeypatch.setattr(public_views, "POSTS_PER_HOUR", 1)
    _, (first, second) = certified(clock, 2)
    wrong = client.post(f"/p/ratings/certificate/{first.certificate.token}/", {"id_number": id_number(2), "level": "5"})
    assert wrong.status_code == 409
    # The holder's own, otherwise good, payload: over the limit.
    limited = client.post(
        f"/p/ratings/certificate/{second.certificate.token}/", {"id_number": id_number(2), "level": "5"}
    )
    assert (limited.status_code, "提交过于频繁" in limited.content.decode()) == (429, True)
    assert ServiceRating.objects.count() == 0
