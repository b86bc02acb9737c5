"""Details users notice (issue 12): numbering, messages, labels, orders."""

import pytest

from tests import factories
from yanxiu.batches.domain import operations
from yanxiu.batches.models import Batch
from yanxiu.delivery.forms import AccountsForm, LectureForm, SurveyForm
from yanxiu.notifications.models import Message

pytestmark = pytest.mark.django_db


def test_batches_are_numbered_per_authority_call_and_tier():
    fuzhou = factories.reviewer(factories.authority("350100-RS"))
    zhangzhou = factories.reviewer(factories.authority("350600-RS"))
    call = factories.call_2026()
    operations.create_batch(call=call, tier="provincial", actor=fuzhou)
    first = operations.create_batch(call=call, tier="provincial", actor=zhangzhou)
    national = operations.create_batch(call=call, tier="national", actor=zhangzhou)
    assert str(first) == f"{zhangzhou.authority.name} 2026年省级第1批"
    assert str(national) == f"{zhangzhou.authority.name} 2026年国家级第1批"
    listed = {b.pk: b.number for b in Batch.objects.with_numbers()}
    assert (listed[first.pk], listed[national.pk]) == (1, 1)


def test_a_message_never_repeats_the_organisations_name():
    from yanxiu.applications.domain import workflow

    application = factories.complete("provincial")
    reviewer = factories.reviewer(application.institution.authority)
    reviewer.display_name = f"{reviewer.organisation_name} 审核员"
    reviewer.save()
    workflow.perform(application, "submit", application.created_by)
    workflow.perform(application, "return", reviewer, reason="请补充")
    body = Message.objects.filter(recipient=application.created_by).last().body
    assert body.startswith(f"{reviewer.organisation_name} 审核员 于")


def test_the_survey_asks_the_ratings_first_with_their_meanings():
    form = SurveyForm()
    names = list(form.fields)
    assert names[-1] == "comment"
    ratings = [name for name in names if name not in ("mobile", "id_last4", "comment")]
    assert dict(form.fields[ratings[0]].choices)[5] == "5分 非常满意"


def test_lecture_and_accounts_inputs_speak_chinese():
    form = LectureForm(
        {
            "date": "2026-09-02",
            "half_day": "am",
            "lecturer": "王",
            "fee_standard": "33",
            "class_hours": "1.25",
            "fee": "-1",
        }
    )
    assert not form.is_valid()
    assert form.errors["fee_standard"] == ["请从列表中选择职称。"]
    assert form.errors["class_hours"] == ["学时最多保留1位小数。"]
    assert form.errors["fee"] == ["金额不能为负数。"]
    factories.call_2026()
    labels = [str(s) for s in AccountsForm().fields["cost_standard"].queryset]
    central = [label for label in labels if label.startswith("中央")]
    assert [label[-2:] for label in central] == ["一类", "二类", "三类"]


def test_the_quota_text_counts_the_sent_batch(client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from yanxiu.applications.domain import workflow
    from yanxiu.batches.domain.operations import BATCH_WORKFLOW

    host = factories.staff()
    call = factories.call_2026()
    call.tier_rules.filter(tier="provincial").update(authority_quota=1)
    application = factories.complete("provincial", actor=host)
    workflow.perform(application, "submit", host)
    reviewer = factories.reviewer(host.institution.authority)
    workflow.perform(application, "approve", reviewer, reason="同意")
    batch = operations.create_batch(call=application.call, tier="provincial", actor=reviewer)
    application.refresh_from_db()
    operations.set_members(batch, [application], actor=reviewer)
    for member in (None, application):
        operations.upload_scan(
            batch, application=member, uploaded=SimpleUploadedFile("s.pdf", b"%PDF-1"), ext=".pdf", actor=reviewer
        )
        application.refresh_from_db()
    client.force_login(reviewer)
    page = client.get(reverse("batches:detail", args=[batch.pk])).content.decode()
    assert "本批次可报送不超过 1 项（已选 1 项）" in page
    BATCH_WORKFLOW.perform(batch, "submit", reviewer)
    page = client.get(reverse("batches:detail", args=[batch.pk])).content.decode()
    assert "本年度还可报送 0 项" in page


def test_an_upload_error_shows_at_the_upload_control_and_the_list_stays_true(client):
    import re

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    host = factories.staff()
    application = factories.complete("provincial", actor=host)
    client.force_login(host)
    response = client.post(
        reverse("applications:upload_attachment", args=[application.pk]),
        {"file": SimpleUploadedFile("setup.pdf", b"MZ\x90\x00" + b"\x00" * 100), "kind": "supporting"},
        follow=True,
    )
    page = response.content.decode()
    top = page[page.index("<main") : page.index('id="editor"')]
    upload = page[page.index('id="attachments"') :]
    assert "文件内容与扩展名不符" not in top
    assert re.search(
        r'id="upload-result"[^>]*><div class="msg error">[^<]*文件内容与扩展名不符[^<]*“setup.pdf”未上传', upload
    )
    assert "暂无附件" in upload
    assert '<label for="id_file">选择文件</label>' in upload


def test_no_dashes_for_an_empty_choice(client):
    from django.urls import reverse

    from yanxiu.applications.interfaces.forms import LecturerFormSet, SessionFormSet
    from yanxiu.organisations.forms import InstitutionProfileForm
    from yanxiu.reviews.interfaces.forms import ExpertForm

    factories.call_2026()
    assert "---------" not in str(ExpertForm())
    for formset in (SessionFormSet(prefix="sessions", initial=[{}]), LecturerFormSet(prefix="lecturers", initial=[{}])):
        assert "---------" not in str(formset.forms[0]) + str(formset.empty_form)
        assert "请选择" in str(formset.forms[0])
    host = factories.staff()
    assert "---------" not in str(InstitutionProfileForm(instance=host.institution))
    client.force_login(host)
    page = client.get(reverse("organisations:profile")).content.decode()
    assert "---------" not in page
    assert 'label for=""' not in page


def test_djangos_own_form_messages_read_as_plain_chinese():
    from django import forms

    class Probe(forms.Form):
        hours = forms.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=10)
        count = forms.IntegerField()
        kind = forms.ChoiceField(choices=[("a", "甲")])

    errors = Probe({"hours": "1.25", "count": "x", "kind": "33"}).errors
    assert errors["hours"] == ["最多保留1位小数。"]
    assert errors["count"] == ["请填写整数。"]
    assert errors["kind"] == ["请从列表中选择（“33”不是可选项）。"]
    assert Probe({"hours": "-1", "count": "1", "kind": "a"}).errors["hours"] == ["不能小于0。"]


def test_the_header_and_history_never_repeat_the_organisations_name(client):
    from django.urls import reverse

    officer = factories.province_officer()
    officer.display_name = f"{officer.organisation_name} 经办人"
    officer.save()
    reviewer = factories.reviewer(factories.authority("350100-RS"))
    reviewer.display_name = "张三"
    assert officer.name_with_organisation == "省人社厅职业能力建设处 经办人"
    assert reviewer.name_with_organisation == f"{reviewer.authority.name} 张三"
    client.force_login(officer)
    page = client.get(reverse("home"), follow=True).content.decode()
    assert "省人社厅职业能力建设处 经办人（省人社厅经办人）" in page
    assert page.count("省人社厅职业能力建设处") == page.count("省人社厅职业能力建设处 经办人")


def test_the_institution_sees_the_authoritys_decline_reason_on_its_page(client):
    from django.urls import reverse

    from yanxiu.applications.domain import workflow

    host = factories.staff()
    application = factories.complete("provincial", actor=host)
    workflow.perform(application, "submit", host)
    reviewer = factories.reviewer(host.institution.authority)
    workflow.perform(application, "decline", reviewer, reason="与本地区重点产业关联不够紧密。")
    client.force_login(host)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    banner = page[page.index('data-testid="decline-reason"') :]
    assert "不予推荐理由" in banner
    assert "与本地区重点产业关联不够紧密。" in banner[: banner.index("</div>")]
    assert host.institution.authority.name in banner[: banner.index("</div>")]


def test_an_empty_warning_reason_is_not_called_saved(client):
    from django.urls import reverse

    from yanxiu.applications.domain import editing
    from yanxiu.applications.models import WarningReason

    host = factories.staff()
    application = factories.complete("provincial", actor=host)
    code = "institution.previous_completion"
    editing.set_warning_reason(application, code=code, reason="已整改", actor=host)
    client.force_login(host)
    url = reverse("applications:warning_reason", args=[application.pk])
    page = client.post(url, {"code": code, "reason": "  "}, follow=True).content.decode()
    assert "说明理由已保存" not in page
    assert "说明理由为空：未保存理由（原有理由已清除），该提醒仍需说明后才能提交。" in page
    assert not WarningReason.objects.filter(application=application).exists()
    page = client.post(url, {"code": code, "reason": "已按要求整改"}, follow=True).content.decode()
    assert "说明理由已保存" in page


@pytest.mark.parametrize("value", ["0", "-1"])
def test_the_editors_base_batch_says_one_thing_for_zero_and_below(value):
    from yanxiu.applications.interfaces.forms import ApplicationForm

    factories.call_2026()
    errors = ApplicationForm({"base_batch": value}, tier="provincial").errors["base_batch"]
    assert errors == ["批次应为正整数（第1批起），如 10。"]
