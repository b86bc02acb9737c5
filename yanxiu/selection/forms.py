from django import forms

from yanxiu.calls.enums import Tier
from yanxiu.core.forms import HalfWidthForm
from yanxiu.organisations.models import Authority, DeadlineExtension, Institution
from yanxiu.reference.domain.workdays import Unit

from .models import ObjectionChannel, PlanIssue


class ExtensionForm(HalfWidthForm, forms.ModelForm):
    institution = forms.ModelChoiceField(
        Institution.objects.all(), label="承办单位", required=False, empty_label="（不选）"
    )
    authority = forms.ModelChoiceField(
        Authority.objects.filter(is_active=True), label="主管部门", required=False, empty_label="（不选）"
    )
    until = forms.DateTimeField(
        label="延期至",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={"invalid": "请输入有效的日期和时间。"},
    )
    tier = forms.ChoiceField(label="级别", choices=Tier.choices)

    class Meta:
        model = DeadlineExtension
        fields = ["call", "tier", "institution", "authority", "until", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].empty_label = "请选择年度通知"
        self.fields["institution"].empty_label = "（不选：延期给主管部门）"
        self.fields["authority"].empty_label = "（不选：延期给承办单位）"
        self.fields["call"].error_messages["invalid_choice"] = "请选择有效的年度通知。"
        self.fields["reason"].error_messages["required"] = "请填写延期理由。"

    def clean(self):
        cleaned = super().clean()
        # Said once by the model's constraint (its violation_error_message).
        call, until, tier = cleaned.get("call"), cleaned.get("until"), cleaned.get("tier")
        if call and until and tier and until <= call.tier_rule(tier).deadline_end:
            self.add_error("until", "延期时间应晚于原截止时间。")
        return cleaned


class PlanIssueForm(HalfWidthForm, forms.ModelForm):
    class Meta:
        model = PlanIssue
        fields = ["document_number", "copy_to"]
        widgets = {"document_number": forms.TextInput(attrs={"placeholder": "闽人社文〔2026〕123号"})}


class PublicityForm(forms.Form):
    days = forms.IntegerField(label="公示期", min_value=1, max_value=30, initial=5)
    unit = forms.ChoiceField(label="公示期单位", choices=Unit.choices, initial=Unit.WORKING)
    contact = forms.CharField(
        label="异议受理联系方式",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="联系人、电话、地址或邮箱，显示在公示页面",
    )


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label="收到日期", widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.ChoiceField(label="反映方式", choices=ObjectionChannel.choices)
    objector = forms.CharField(label="反映人（可匿名）", max_length=100, required=False)
    application = forms.TypedChoiceField(label="涉及项目", coerce=int, required=False, empty_value=None)
    content = forms.CharField(label="异议内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    handling = forms.CharField(
        label="处理情况（可稍后登记）", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, publicity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [("", "（不针对具体项目）")] + [
            (item["application"], f"{item['title']}（{item['host']}）") for item in publicity.items
        ]


class HandlingForm(forms.Form):
    handling = forms.CharField(label="处理情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
