"""Whole ID numbers and mobiles: only the host institution's staff and the
province office may see them, and every time they do, the view is logged
(PersonalDataAccess: who, when, from which address, what and why). Everything
else shows `Trainee.id_masked` and `mask_mobile`. Exports are masked unless the
user states a purpose (`reason`)."""

from django.core.exceptions import PermissionDenied

from yanxiu.core import clock
from yanxiu.core.masks import mask_phone as mask_mobile

from ..models import PersonalDataAccess

__all__ = ["mask_mobile", "may_see_whole", "reveal"]


def may_see_whole(user, programme):
    return user.has_perm("delivery.view_trainees", programme)


def reveal(user, programme, trainees, purpose, *, reason="", client_address=None):
    """Return {trainee pk: whole ID number}, logging the view; refuse anyone else."""
    if not may_see_whole(user, programme):
        raise PermissionDenied("只有承办单位和省人社厅可以查看完整身份证号。")
    trainees = list(trainees)
    PersonalDataAccess.objects.create(
        actor=user,
        programme=programme,
        purpose=purpose,
        reason=reason[:200],
        client_address=client_address,
        trainee_ids=[t.pk for t in trainees],
        created_at=clock.now(),
    )
    return {t.pk: t.id_number for t in trainees}
