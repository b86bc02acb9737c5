"""The REST API: tokens, scoping like the pages, writes through the same door, stable errors."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests import factories
from tests.delivery.helpers import add_trainees, host_of, planned
from yanxiu.api.domain import tokens
from yanxiu.api.models import ApiToken
from yanxiu.applications.enums import ApplicationState as S
from yanxiu.applications.models import Application
from yanxiu.audit.models import AuditEntry
from yanxiu.core.refusal import Refused
from yanxiu.delivery.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


def bearer(user, days=30):
    _saved, token = factories.api_token(user, days=days)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def api(path):
    return "/api/v1" + path


@pytest.fixture
def two_hosts():
    """Two institutions under two authorities, each with a complete draft."""
    a = factories.staff(factories.institution("350100-RS"))
    b = factories.staff(factories.institution("350200-RS"))
    return {
        "a": a,
        "b": b,
        "a_app": factories.complete("provincial", actor=a),
        "b_app": factories.complete("provincial", actor=b),
        "a_reviewer": factories.reviewer(factories.authority("350100-RS")),
        "province": factories.province_officer(),
    }


# --- tokens ------------------------------------------------------------------------------


def test_no_token_is_a_401_with_a_chinese_message(client):
    response = client.get(api("/calls"))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert "API 令牌" in response.json()["message"]


def test_a_made_up_token_is_refused_and_a_real_one_is_accepted(client, two_hosts):
    made_up = client.get(api("/calls"), HTTP_AUTHORIZATION="Bearer yx_" + "A" * 43)
    assert made_up.status_code == 401
    real = client.get(api("/calls"), **bearer(two_hosts["a"]))
    assert real.status_code == 200
    assert [c["year"] for c in real.json()] == [2026]


def test_tokens_are_stored_hashed_and_their_creation_and_revocation_audited(two_hosts):
    saved, token = tokens.create_token(two_hosts["a"], name="对接", days=90)
    stored = ApiToken.objects.get(pk=saved.pk)
    assert token not in (stored.digest, stored.prefix)
    assert stored.digest == tokens.digest(token)
    tokens.revoke_token(two_hosts["a"], saved.pk)
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(ApiToken), object_id=saved.pk)
    actions = list(entries.order_by("pk").values_list("action", flat=True))
    assert actions == ["create_api_token", "revoke_api_token"]


def test_a_revoked_or_expired_token_no_longer_works(client, clock, two_hosts):
    headers = bearer(two_hosts["a"], days=30)
    token_pk = ApiToken.objects.get(user=two_hosts["a"]).pk
    clock("2026-02-09T09:00:00+08:00")  # 30 days after the tests' fixed clock, less an hour
    assert client.get(api("/calls"), **headers).status_code == 200
    clock("2026-02-09T11:00:00+08:00")
    assert client.get(api("/calls"), **headers).status_code == 401
    clock("2026-01-10T10:00:00+08:00")
    tokens.revoke_token(two_hosts["a"], token_pk)
    assert client.get(api("/calls"), **headers).status_code == 401


def test_someone_elses_token_cannot_be_revoked(two_hosts):
    saved, _token = tokens.create_token(two_hosts["a"], name="对接", days=30)
    with pytest.raises(Refused, match="没有这个令牌"):
        tokens.revoke_token(two_hosts["b"], saved.pk)
    assert ApiToken.objects.get(pk=saved.pk).revoked_at is None


@pytest.mark.parametrize("days", [0, 366, "30"])
def test_token_lifetimes_outside_a_year_are_refused(two_hosts, days):
    with pytest.raises(Refused, match="有效期应为1至365天"):
        tokens.create_token(two_hosts["a"], name="对接", days=days)
    assert not ApiToken.objects.exists()


def test_the_token_page_shows_a_new_token_once(client, two_hosts):
    client.force_login(two_hosts["a"])
    response = client.post(reverse("api_tokens"), {"name": "数据分析", "days": "90"})
    assert response.status_code == 200
    shown = response.context["created"]
    assert shown.startswith("yx_")
    assert response["Cache-Control"] == "no-store"
    again = client.get(reverse("api_tokens"))
    assert shown not in again.content.decode()
    assert client.get(api("/calls"), HTTP_AUTHORIZATION=f"Bearer {shown}").status_code == 200


# --- scoping like the pages ---------------------------------------------------------------


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(item["id"] for item in response.json()["items"])


def test_each_role_lists_exactly_what_its_pages_show(client, two_hosts):
    a_app, b_app = two_hosts["a_app"], two_hosts["b_app"]
    Application.objects.filter(pk__in=[a_app.pk, b_app.pk]).update(state=S.SUBMITTED)
    assert ids(client.get(api("/applications"), **bearer(two_hosts["a"]))) == [a_app.pk]
    assert ids(client.get(api("/applications"), **bearer(two_hosts["a_reviewer"]))) == [a_app.pk]
    assert ids(client.get(api("/applications"), **bearer(two_hosts["province"]))) == sorted([a_app.pk, b_app.pk])
    expert = factories.user(role="expert")
    assert ids(client.get(api("/applications"), **bearer(expert))) == []


def test_another_organisations_application_is_a_404(client, two_hosts):
    headers = bearer(two_hosts["a"])
    mine = client.get(api(f"/applications/{two_hosts['a_app'].pk}"), **headers)
    assert mine.status_code == 200
    assert mine.json()["title"] == two_hosts["a_app"].title
    theirs = client.get(api(f"/applications/{two_hosts['b_app'].pk}"), **headers)
    assert theirs.status_code == 404
    assert theirs.json() == {"code": "not_found", "message": "没有找到，或您无权查看。", "errors": {}}


def test_the_detail_holds_checks_schedule_and_the_actions_the_user_may_take(client, two_hosts):
    body = client.get(api(f"/applications/{two_hosts['a_app'].pk}"), **bearer(two_hosts["a"])).json()
    assert [s["topic"] for s in body["sessions"]] == ["专题1", "专题2", "专题3", "专题4"]
    assert [lecturer["name"] for lecturer in body["lecturers"]] == ["王教授"]
    assert all(check["severity"] == "warning" for check in body["checks"])
    assert [(a["action"], a["available"]) for a in body["actions"]] == [("submit", True)]


# --- writes through the same door ------------------------------------------------------


def test_a_draft_saves_through_the_editors_forms_and_version(client, two_hosts):
    application = two_hosts["a_app"]
    headers = bearer(two_hosts["a"])
    response = client.put(
        api(f"/applications/{application.pk}"),
        {"version": application.version, "fields": {"planned_trainees": 45, "title": "海洋装备智能运维高级研修班"}},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    application.refresh_from_db()
    assert (application.planned_trainees, application.title) == (45, "海洋装备智能运维高级研修班")
    assert response.json()["version"] == application.version
    # The schedule and lecturers were not named, so they are kept.
    assert application.sessions.count() == 4


def test_a_save_from_an_older_version_is_a_409_and_changes_nothing(client, two_hosts):
    application = two_hosts["a_app"]
    stale = application.version
    headers = bearer(two_hosts["a"])
    first = client.put(
        api(f"/applications/{application.pk}"),
        {"version": stale, "fields": {"planned_trainees": 41}},
        content_type="application/json",
        **headers,
    )
    assert first.status_code == 200
    second = client.put(
        api(f"/applications/{application.pk}"),
        {"version": stale, "fields": {"planned_trainees": 99}},
        content_type="application/json",
        **headers,
    )
    assert second.status_code == 409
    assert second.json()["code"] == "edit_conflict"
    application.refresh_from_db()
    assert application.planned_trainees == 41


def test_the_editors_validation_applies_with_a_chinese_reason_per_field(client, two_hosts):
    application = two_hosts["a_app"]
    response = client.put(
        api(f"/applications/{application.pk}"),
        {"version": application.version, "fields": {"start_date": "2026-09-10", "end_date": "2026-09-01"}},
        content_type="application/json",
        **bearer(two_hosts["a"]),
    )
    assert response.status_code == 409
    assert response.json()["errors"] == {"end_date": "结束日期早于开始日期，请检查办班时间。"}
    application.refresh_from_db()
    assert application.start_date.isoformat() == "2026-09-01"


def test_another_role_cannot_save_a_draft_it_can_see(client, two_hosts):
    application = two_hosts["a_app"]
    Application.objects.filter(pk=application.pk).update(state=S.RETURNED)
    response = client.put(
        api(f"/applications/{application.pk}"),
        {"version": application.version, "fields": {"planned_trainees": 99}},
        content_type="application/json",
        **bearer(two_hosts["a_reviewer"]),
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_editable"
    application.refresh_from_db()
    assert application.planned_trainees == 40


def test_malformed_bodies_are_422_with_the_field_named(client, two_hosts):
    application = two_hosts["a_app"]
    response = client.put(
        api(f"/applications/{application.pk}"),
        {"version": "abc", "fields": {"planned_trainees": "many"}},
        content_type="application/json",
        **bearer(two_hosts["a"]),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"version": "应为整数", "fields.planned_trainees": "应为整数"}


def test_a_body_that_is_not_json_is_a_422_in_chinese_and_changes_nothing(client, two_hosts):
    application = two_hosts["a_app"]
    version = application.version
    response = client.put(
        api(f"/applications/{application.pk}"),
        b"\xff{not json",
        content_type="application/json",
        **bearer(two_hosts["a"]),
    )
    assert response.status_code == 422
    assert response.json()["code"] == "unreadable_body"
    assert response.json()["message"] == "请求内容不是有效的 JSON。"
    application.refresh_from_db()
    assert application.version == version


def test_an_offered_action_runs_through_the_workflow(client, two_hosts):
    application = two_hosts["a_app"]
    response = client.post(
        api(f"/applications/{application.pk}/actions/submit"),
        {},
        content_type="application/json",
        **bearer(two_hosts["a"]),
    )
    assert response.status_code == 200, response.content
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Application), object_id=application.pk, action="submit"
        ).count()
        == 1
    )


def test_an_action_not_offered_to_the_user_is_refused_and_changes_nothing(client, two_hosts):
    application = two_hosts["a_app"]
    Application.objects.filter(pk=application.pk).update(state=S.SUBMITTED)
    # The host may not approve its own application; the authority could (with a reason).
    response = client.post(
        api(f"/applications/{application.pk}/actions/approve"),
        {"reason": "同意"},
        content_type="application/json",
        **bearer(two_hosts["a"]),
    )
    assert response.status_code == 409
    assert response.json()["code"] == "not_offered"
    assert "主管部门" in response.json()["message"]
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    allowed = client.post(
        api(f"/applications/{application.pk}/actions/approve"),
        {"reason": "同意"},
        content_type="application/json",
        **bearer(two_hosts["a_reviewer"]),
    )
    assert allowed.status_code == 200
    application.refresh_from_db()
    assert application.state == S.AUTHORITY_APPROVED


def test_a_batch_only_transition_is_never_offered_through_the_api(client, two_hosts):
    application = two_hosts["a_app"]
    Application.objects.filter(pk=application.pk).update(state=S.AUTHORITY_APPROVED)
    response = client.post(
        api(f"/applications/{application.pk}/actions/forward"),
        {},
        content_type="application/json",
        **bearer(two_hosts["a_reviewer"]),
    )
    assert response.status_code == 409
    application.refresh_from_db()
    assert application.state == S.AUTHORITY_APPROVED


# --- delivery and personal data ---------------------------------------------------------


def test_trainee_ids_are_masked_unless_a_purpose_is_given_by_someone_who_may_see_them(client):
    programme = planned()
    trainee = add_trainees(programme, 1)[0]
    host = host_of(programme)
    url = api(f"/programmes/{programme.pk}/trainees")
    masked = client.get(url, **bearer(host)).json()
    assert masked[0]["id_number"] == trainee.id_masked
    assert not PersonalDataAccess.objects.exists()
    whole = client.get(url, {"purpose": "核对学员名册"}, **bearer(host)).json()
    assert whole[0]["id_number"] == trainee.id_number
    access = PersonalDataAccess.objects.get()
    assert (access.actor, access.purpose, access.reason, access.client_address, access.trainee_ids) == (
        host,
        "接口查看身份证号",
        "核对学员名册",
        "127.0.0.1",
        [trainee.pk],
    )
    reviewer = factories.reviewer(programme.application.institution.authority)
    refused = client.get(url, {"purpose": "看看"}, **bearer(reviewer))
    assert refused.status_code == 403
    assert PersonalDataAccess.objects.count() == 1


def test_another_institutions_programme_is_a_404(client):
    programme = planned()
    stranger = factories.staff()
    assert client.get(api(f"/programmes/{programme.pk}"), **bearer(stranger)).status_code == 404
    assert client.get(api(f"/programmes/{programme.pk}/trainees"), **bearer(stranger)).status_code == 404


def test_the_province_exports_a_whole_call_and_others_may_not(client):
    programme = planned()
    officer = factories.province_officer()
    body = client.get(api("/calls/2026/export"), **bearer(officer)).json()
    assert [entry["application_id"] for entry in body["plan"]] == [programme.application_id]
    assert [p["programme_id"] for p in body["programmes"]] == [programme.pk]
    host = host_of(programme)
    refused = client.get(api("/calls/2026/export"), **bearer(host))
    assert refused.status_code == 403
    assert refused.json()["message"] == "只有省人社厅可以导出整年数据。"


def test_statistics_json_is_scoped_like_the_page(client, two_hosts):
    Application.objects.filter(pk__in=[two_hosts["a_app"].pk, two_hosts["b_app"].pk]).update(state=S.FORWARDED)
    province = client.get(api("/statistics"), **bearer(two_hosts["province"])).json()
    authority = client.get(api("/statistics"), **bearer(two_hosts["a_reviewer"])).json()

    def forwarded(body):
        return next(card["value"] for card in body["cards"] if card["key"] == "forwarded")

    assert (forwarded(province), forwarded(authority)) == (2, 1)
    assert client.get(api("/statistics"), **bearer(two_hosts["a"])).status_code == 403


def test_session_writes_need_the_csrf_token(two_hosts):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(two_hosts["a"])
    application = two_hosts["a_app"]
    response = browser.post(api(f"/applications/{application.pk}/actions/submit"), {}, content_type="application/json")
    assert response.status_code in (401, 403)
    application.refresh_from_db()
    assert application.state == S.DRAFT
    assert browser.get(api(f"/applications/{application.pk}")).status_code == 200


def test_expiry_shown_in_the_token_list(client, two_hosts):
    saved, _ = tokens.create_token(two_hosts["a"], name="短期", days=1)
    assert saved.expires_at - saved.created_at == timedelta(days=1)


def count_queries(client, url, headers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert client.get(url, **headers).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("path", ["/applications", "/batches", "/programmes", "/calls/2026/plan"])
def test_api_lists_cost_the_same_queries_for_one_and_many_rows(client, path):
    officer = factories.province_officer()
    headers = bearer(officer)
    planned()
    one = count_queries(client, api(path), headers)
    for code in ("350200-RS", "350500-RS"):
        planned(authority_code=code, officer=officer)
    assert count_queries(client, api(path), headers) == one
