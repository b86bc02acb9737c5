"""ID numbers are masked everywhere except where the role may see them whole, and those views are logged."""

import pytest

from tests import factories
from yanxiu.delivery.models import PersonalDataAccess

from .helpers import add_trainees, host_of, planned

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    programme = planned()
    add_trainees(programme, 1)
    return programme


def test_the_list_shows_masked_numbers(client, programme):
    trainee = programme.trainees.get()
    client.force_login(host_of(programme))
    body = client.get(f"/delivery/{programme.pk}/trainees/").content.decode()
    assert trainee.id_masked in body
    assert trainee.id_number not in body
    assert PersonalDataAccess.objects.count() == 0


@pytest.mark.parametrize("who", ["host", "officer"])
def test_host_and_office_see_the_whole_number_and_it_is_logged(client, programme, who):
    trainee = programme.trainees.get()
    user = host_of(programme) if who == "host" else factories.province_officer()
    client.force_login(user)
    response = client.get(f"/delivery/{programme.pk}/trainees/{trainee.pk}/id/")
    assert (
        response.content.decode() == f'<span class="id-number" data-testid="id-{trainee.pk}">{trainee.id_number}</span>'
    )
    assert list(PersonalDataAccess.objects.values_list("actor", "purpose", "trainee_ids")) == [
        (user.pk, "查看身份证号", [trainee.pk])
    ]


@pytest.mark.parametrize("who", ["authority", "other_host"])
def test_nobody_else_sees_it(client, programme, who):
    trainee = programme.trainees.get()
    user = factories.reviewer(programme.institution.authority) if who == "authority" else factories.staff()
    client.force_login(user)
    assert client.get(f"/delivery/{programme.pk}/trainees/{trainee.pk}/id/").status_code in (403, 404)
    assert client.get(f"/delivery/{programme.pk}/roster.xlsx").status_code in (403, 404)
    assert PersonalDataAccess.objects.count() == 0


def test_the_authority_sees_the_programme_but_not_the_trainee_list(client, programme):
    client.force_login(factories.reviewer(programme.institution.authority))
    assert client.get(f"/delivery/{programme.pk}/").status_code == 200
    assert client.get(f"/delivery/{programme.pk}/trainees/").status_code == 403
