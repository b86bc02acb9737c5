"""Whole ID numbers: only the host institution's staff and the province office
may see them, and every time they do, the view is logged (PersonalDataAccess).
Everything else shows `Trainee.id_masked`."""

from django.core.exceptions import PermissionDenied

from yanxiu.core import clock

from ..models import PersonalDataAccess


def may_see_whole(user, programme):
    return user.has_perm("delivery.view_trainees", programme)


def reveal(user, programme, trainees, purpose):
    """Return {trainee pk: whole ID number}, logging the view; refuse anyone else."""
    if not may_see_whole(user, programme):
        raise PermissionDenied("只有承办单位和省人社厅可以查看完整身份证号。")
    trainees = list(trainees)
    PersonalDataAccess.objects.create(
        actor=user,
        programme=programme,
        purpose=purpose,
        trainee_ids=[t.pk for t in trainees],
        created_at=clock.now(),
    )
    return {t.pk: t.id_number for t in trainees}
