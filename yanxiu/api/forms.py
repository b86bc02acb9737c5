from django import forms


class NewTokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=50, help_text="如：人社部平台对接、数据分析")
    days = forms.TypedChoiceField(
        label="有效期",
        coerce=int,
        choices=[(30, "30天"), (90, "90天"), (180, "180天"), (365, "一年")],
        initial=90,
    )
