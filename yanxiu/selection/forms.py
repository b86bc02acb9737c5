from django import forms

from yanxiu.calls.enums import Tier
from yanxiu.organisations.models import Authority, DeadlineExtension, Institution


class ExtensionForm(forms.ModelForm):
    institution = forms.ModelChoiceField(Institution.objects.all(), label="承办单位", required=False)
    authority = forms.ModelChoiceField(Authority.objects.filter(is_active=True), label="主管部门", required=False)
    until = forms.DateTimeField(
        label="延期至",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={"invalid": "请输入有效的日期和时间。"},
    )
    tier = forms.ChoiceField(label="级别", choices=Tier.choices)

    class Meta:
        model = DeadlineExtension
        fields = ["call", "tier", "institution", "authority", "until", "reason"]

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("institution")) == bool(cleaned.get("authority")):
            raise forms.ValidationError("请在承办单位和主管部门中选择且只选择一个。")
        call, until, tier = cleaned.get("call"), cleaned.get("until"), cleaned.get("tier")
        if call and until and tier and until <= call.tier_rule(tier).deadline_end:
            self.add_error("until", "延期时间应晚于原截止时间。")
        return cleaned
