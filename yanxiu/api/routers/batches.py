"""An authority's batches, scoped like the batches pages."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from yanxiu.batches.models import Batch

from ..errors import ERRORS, responses

router = Router(tags=["报送批次"])


class BatchOut(Schema):
    id: int
    call: int
    tier: str
    authority: str
    state: str
    state_label: str
    submitted_at: datetime | None
    applications: int


class BatchMemberOut(Schema):
    id: int
    title: str
    institution: str
    state: str
    authority_rank: int | None


class BatchDetailOut(BatchOut):
    note: str
    members: list[BatchMemberOut]


class BatchFilter(Schema):
    call: int | None = None
    tier: str | None = None
    state: str | None = None


def _summary(batch, members):
    return {
        "id": batch.pk,
        "call": batch.call.year,
        "tier": batch.tier,
        "authority": batch.authority.name,
        "state": batch.state,
        "state_label": batch.get_state_display(),
        "submitted_at": batch.submitted_at,
        "applications": len(members),
    }


def _visible(user):
    return (
        Batch.objects.visible_to(user).select_related("call", "authority").prefetch_related("applications__institution")
    )


@router.get("/batches", response={200: list[BatchOut], **ERRORS}, summary="报送批次列表")
@paginate(PageNumberPagination, page_size=50)
def list_batches(request, filters: Query[BatchFilter]):
    queryset = _visible(request.user).order_by("-call__year", "pk")
    if filters.call:
        queryset = queryset.filter(call__year=filters.call)
    if filters.tier:
        queryset = queryset.filter(tier=filters.tier)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    return [_summary(b, list(b.applications.all())) for b in queryset]


@router.get("/batches/{pk}", response=responses(BatchDetailOut), summary="一个批次及其申报")
def get_batch(request, pk: int):
    batch = get_object_or_404(_visible(request.user), pk=pk)
    members = sorted(batch.applications.all(), key=lambda a: (a.authority_rank is None, a.authority_rank or 0, a.pk))
    return {
        **_summary(batch, members),
        "note": batch.note,
        "members": [
            {
                "id": a.pk,
                "title": a.title,
                "institution": a.institution.name,
                "state": a.state,
                "authority_rank": a.authority_rank,
            }
            for a in members
        ],
    }
