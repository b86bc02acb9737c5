"""The applications an organisation's slice of the audit trail shows (accounts.domain.trail asks;
registered in apps.ready): an institution's own, an authority's institutions'."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from yanxiu.accounts.domain.trail import register

from ..models import Application


@register
def applications_of(user):
    if user.is_institution_staff:
        applications = Application.objects.filter(institution_id=user.institution_id)
    elif user.is_authority_reviewer:
        applications = Application.objects.filter(institution__authority_id=user.authority_id)
    else:
        return None  # the office's officers: what they did is their own entries
    return Q(content_type=ContentType.objects.get_for_model(Application), object_id__in=applications.values("pk"))
