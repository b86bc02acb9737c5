"""Messages name each form's own labels (附件1 选题所属行业领域 / 研修对象, 附件2 选题所属专业技术领域 / 培训对象)."""

from yanxiu.applications.domain.checks import run_checks


def messages(application):
    return {c.code: c.message for c in run_checks(application)}


def test_missing_fields_are_named_by_each_forms_label(national, provincial):
    for application in (national, provincial):
        application.domain = None
        application.trainee_description = ""
    assert messages(national)["required.domain"] == "请填写“选题所属行业领域”。"
    assert messages(national)["required.trainee_description"] == "请填写“研修对象”。"
    assert messages(provincial)["required.domain"] == "请填写“选题所属专业技术领域”。"
    assert messages(provincial)["required.trainee_description"] == "请填写“培训对象”。"
