from django import forms

from yanxiu.applications.domain.stages import FORWARDED_STATES
from yanxiu.calls.enums import Tier
from yanxiu.calls.models import Call
from yanxiu.core.forms import HalfWidthForm
from yanxiu.organisations.models import Authority

from ..domain.figures import Scope


def default_call():
    """The latest call that has reached the province; else the latest call."""
    reached = Call.objects.filter(applications__state__in=FORWARDED_STATES).order_by("-year").first()
    return reached or Call.objects.order_by("-year").first()


class StatisticsFilterForm(HalfWidthForm, forms.Form):
    call = forms.ModelChoiceField(
        label="年度", queryset=Call.objects.order_by("-year"), required=False, empty_label=None
    )
    tier = forms.ChoiceField(label="级别", choices=[("", "全部级别"), *Tier.choices], required=False)
    authority = forms.ModelChoiceField(
        label="主管部门", queryset=Authority.objects.filter(is_active=True), required=False, empty_label="全部主管部门"
    )

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.user = user
        self.fields["call"].label_from_instance = lambda call: f"{call.year}年"
        if not user.has_perm("statistics.filter_by_authority"):
            del self.fields["authority"]

    def scope(self):
        """The scope asked for; a malformed filter falls back to the defaults (the form shows the error)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        call = data.get("call") or default_call()
        if call is None:
            return None
        return Scope(user=self.user, call=call, tier=data.get("tier") or "", authority=data.get("authority"))
