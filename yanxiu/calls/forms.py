"""The office's forms for a call: the notice's particulars, each tier's rules, the topic keywords."""

from django import forms

from yanxiu.core.forms import HalfWidthForm

from .domain.calls import EDITABLE_CALL_FIELDS, EDITABLE_RULE_FIELDS, WORDED_FIELDS, wording_problems
from .enums import RecruitmentScope
from .models import Call, TierRule

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER_ERRORS = {
    "invalid": "请输入整数。",
    "min_value": "不能小于%(limit_value)s。",
    "max_value": "不能大于%(limit_value)s。",
    "required": "必填。",
}
DATE_ERRORS = {"invalid": "请输入有效的日期（年-月-日）。", "required": "必填。"}


def _chinese(form):
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DATE
            field.error_messages.update(DATE_ERRORS)
        elif isinstance(field, forms.IntegerField):
            field.error_messages.update(NUMBER_ERRORS)
        else:
            field.error_messages.setdefault("required", "必填。")


class CallForm(HalfWidthForm, forms.ModelForm):
    class Meta:
        model = Call
        fields = EDITABLE_CALL_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _chinese(self)
        self.fields["office_email"].error_messages["invalid"] = "请输入有效的电子邮箱。"


class TierRuleForm(HalfWidthForm, forms.ModelForm):
    class Meta:
        model = TierRule
        fields = EDITABLE_RULE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _chinese(self)
        self.fields["recruitment_scope"].choices = RecruitmentScope.choices
        self.fields["recruitment_scope"].error_messages["invalid_choice"] = "请选择招收范围。"
        self.fields["min_days"].min_value = 1
        self.fields["min_trainees"].min_value = 1

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_days"), cleaned.get("max_days")
        if low and high and low > high:
            self.add_error("max_days", "研修天数上限不能小于下限。")
        if not self.errors:  # the wording may not contradict the numbers it is shown beside
            probe = TierRule(tier=self.instance.tier, **{name: cleaned.get(name) for name in WORDED_FIELDS})
            for field, message in wording_problems(probe):
                self.add_error(field, message)
        return cleaned


class TopicAreaForm(HalfWidthForm, forms.Form):
    name = forms.CharField(label="名称", max_length=50, error_messages={"required": "必填。"})
    keywords = forms.CharField(
        label="关键词（以顿号分隔）",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写关键词：用于检查申报的选题范围说明。"},
    )
