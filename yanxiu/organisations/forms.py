from django import forms

from yanxiu.core.forms import HalfWidthForm

from .models import Institution

BASE_BATCH_RANGE = "批次为1至99的整数（如第3批填3）。"


class InstitutionProfileForm(HalfWidthForm, forms.ModelForm):
    """What an institution maintains itself. Name, USCC and authority are the province's."""

    base_batch = forms.IntegerField(
        label="国家级基地批次",
        required=False,
        min_value=1,
        max_value=99,
        error_messages={"min_value": BASE_BATCH_RANGE, "max_value": BASE_BATCH_RANGE, "invalid": BASE_BATCH_RANGE},
    )

    class Meta:
        model = Institution
        fields = [
            "type",
            "city",
            "address",
            "contact_person",
            "office_phone",
            "mobile",
            "fax",
            "email",
            "base_status",
            "base_batch",
            "can_issue_training_invoice",
        ]
        widgets = {"base_status": forms.RadioSelect, "type": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radio buttons: every choice is a real answer, no "---------" one.
        for name in ("type", "base_status"):
            field = self.fields[name]
            field.choices = [(value, label) for value, label in field.choices if value != ""]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("base_status") == "national" and "base_batch" in cleaned and cleaned["base_batch"] is None:
            self.add_error("base_batch", "国家级继续教育基地请填写批次。")
        return cleaned
