"""The applications an organisation's slice of the audit trail shows (accounts.domain.trail asks;
registered in apps.ready): an institution's own, an authority's institutions' — exactly those the
user may see (`visible_to`: not an institution's drafts), so the trail shows nothing the lists hide."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from yanxiu.accounts.domain.trail import register

from ..models import Application


@register
def applications_of(user):
    if not (user.is_institution_staff or user.is_authority_reviewer):
        return None  # the office's officers: what they did is their own entries
    applications = Application.objects.visible_to(user)
    return Q(content_type=ContentType.objects.get_for_model(Application), object_id__in=applications.values("pk"))
