from django import forms

from .models import Institution


class InstitutionProfileForm(forms.ModelForm):
    """What an institution maintains itself. Name, USCC and authority are the province's."""

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

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("base_status") == "national" and not cleaned.get("base_batch"):
            self.add_error("base_batch", "国家级继续教育基地请填写批次。")
        return cleaned
