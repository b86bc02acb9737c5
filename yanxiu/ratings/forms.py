from django import forms

from yanxiu.core.forms import HalfWidthForm, half_width

from .enums import Level


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label="评价",
        coerce=int,
        widget=forms.RadioSelect,
        choices=Level.choices,
        error_messages={"required": "请选择评价等级。", "invalid_choice": "请选择评价等级。"},
    )
    comment = forms.CharField(
        label="意见和建议", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class CertificateRatingForm(HalfWidthForm, RatingForm):
    id_number = half_width(
        forms.CharField(label="持证人身份证号", max_length=20, error_messages={"required": "请填写持证人身份证号。"})
    )
    field_order = ["id_number", "level", "comment"]
