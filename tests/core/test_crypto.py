"""Personal data at rest: SM4-GCM ciphertexts with key ids, keyed hashes for
lookups, the data migration, key rotation, and a raw look at the database."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from tests.delivery.helpers import add_trainees, host_of, id_number, open_enrolment, planned, trainee_data
from tests.reviews import factories as rf
from yanxiu.accounts.models import User
from yanxiu.applications.models import Application
from yanxiu.core import crypto
from yanxiu.core.management.commands.rotate_data_key import census
from yanxiu.core.refusal import Refused
from yanxiu.delivery.domain import survey
from yanxiu.delivery.domain.enrolment import enrol, review
from yanxiu.delivery.models import Trainee

KEY_A = "a2026:" + "11" * 32
KEY_B = "b2027:" + "22" * 32
# the contact mobiles, and the users' e-mail addresses (three users in the rotation test)
OTHERS_A = {
    ("applications.Application", "a2026"): 1,
    ("organisations.Institution", "a2026"): 1,
    ("accounts.User", "a2026"): 3,
}
OTHERS_B = {
    ("applications.Application", "b2027"): 1,
    ("organisations.Institution", "b2027"): 1,
    ("accounts.User", "b2027"): 3,
}


def test_a_value_round_trips_and_carries_its_key_id(settings):
    settings.YANXIU_DATA_KEY = KEY_A
    stored = crypto.encrypt("350102198001010015", "delivery.trainee.id_number")
    assert stored.startswith("sm4gcm$a2026$")
    assert "350102198001010015" not in stored
    assert stored != crypto.encrypt("350102198001010015", "delivery.trainee.id_number")  # a fresh nonce each time
    assert crypto.decrypt(stored, "delivery.trainee.id_number") == "350102198001010015"


def test_an_altered_or_moved_value_does_not_decrypt(settings):
    settings.YANXIU_DATA_KEY = KEY_A
    stored = crypto.encrypt("13900000001", "delivery.trainee.mobile")
    flipped = stored[:-2] + ("A" if stored[-2] != "A" else "B") + stored[-1]
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt(flipped, "delivery.trainee.mobile")
    with pytest.raises(crypto.DecryptionFailed):  # another column's purpose: the associated data differs
        crypto.decrypt(stored, "delivery.trainee.id_number")
    settings.YANXIU_DATA_KEY = KEY_B  # the key that wrote it is gone
    with pytest.raises(crypto.DecryptionFailed, match="a2026"):
        crypto.decrypt(stored, "delivery.trainee.mobile")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "must read <id>:<key>"),
        ("00" * 32, "must read <id>:<key>"),
        ("k1:not base64!", "neither hex nor base64"),
        ("k1:" + "00" * 8, "16 to 64 random bytes"),
    ],
)
def test_a_malformed_key_is_refused_with_a_clear_message(text, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        crypto.parse_key(text)


def test_the_same_key_id_twice_is_refused(settings):
    settings.YANXIU_DATA_KEY = KEY_A
    settings.YANXIU_DATA_OLD_KEYS = ["a2026:" + "33" * 32]
    with pytest.raises(ImproperlyConfigured, match="used twice"):
        crypto.keyring()


def test_production_refuses_the_development_key(settings):
    settings.PRODUCTION = True
    settings.YANXIU_DATA_KEY = crypto.DEV_KEY
    with pytest.raises(ImproperlyConfigured, match="development key"):
        crypto.check_production_key()
    settings.YANXIU_DATA_KEY = KEY_A
    assert crypto.check_production_key().current.id == "a2026"


def _raw_database_text():
    """Every value of every table, as the database holds it (raw SQL, no field decryption)."""
    texts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from introspection)
            texts.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(texts)


@pytest.mark.django_db
def test_the_database_holds_no_id_number_or_mobile_in_clear():
    programme = open_enrolment(planned())
    enrol(programme, trainee_data(1))
    enrol(programme, trainee_data(1))  # the quiet duplicate writes an audit entry: masked only
    add_trainees(programme, 2, start=2)
    expert = rf.expert(phone="13712345678")
    raw = _raw_database_text()
    # Other people's phones: the host's contact (institution and application) and an expert.
    assert programme.institution.mobile == programme.application.host_mobile == "13900000000"
    assert "13900000000" not in raw
    assert User.objects.get(pk=expert.pk).phone == "13712345678"
    assert "13712345678" not in raw
    for trainee in Trainee.objects.all():
        assert trainee.id_number not in raw
        assert trainee.id_number[:14] not in raw  # not even the unmasked part
        assert trainee.mobile not in raw
        assert trainee.id_masked in raw
    assert expert.email not in raw  # e-mail addresses are encrypted like the phones
    users_with_email = sum(1 for email in User.objects.values_list("email", flat=True) if email)
    assert raw.count("sm4gcm$dev$") == 2 * 3 + 2 + 1 + users_with_email


@pytest.mark.django_db
def test_lookups_go_through_the_keyed_hash():
    programme = planned()
    [trainee] = add_trainees(programme, 1)
    assert list(Trainee.objects.with_id_number(id_number(1))) == [trainee]
    assert list(Trainee.objects.with_mobile("13900000001")) == [trainee]
    assert list(Trainee.objects.with_id_number(id_number(2))) == []
    with pytest.raises(FieldError):
        list(Trainee.objects.filter(id_number=id_number(1)))  # would compare ciphertexts: refused
    review(programme, [trainee], host_of(programme), approve=True)
    assert survey.find_trainee(programme, "139 0000 0001", id_number(1)[-4:].lower()) == trainee
    with pytest.raises(Refused, match=r"^未找到该学员：请核对手机号和身份证号后四位（须为本班录取学员）。$"):
        survey.find_trainee(programme, "13900000001", "0000")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Trainee.objects.create(
            programme=programme, id_masked="x", enrolled_at=trainee.enrolled_at, **trainee_data(1, mobile="13900000009")
        )


@pytest.mark.django_db
def test_the_migration_encrypts_rows_written_in_clear():
    programme = planned()
    [trainee] = add_trainees(programme, 1)
    table = connection.ops.quote_name(Trainee._meta.db_table)
    with connection.cursor() as cursor:  # as the rows were before the migration
        cursor.execute(
            f"UPDATE {table} SET id_number = %s, mobile = %s, id_number_hash = '', mobile_hash = ''",  # noqa: S608
            [id_number(1), "13900000001"],
        )
    migration = importlib.import_module("yanxiu.delivery.migrations.0004_encrypt_personal_data")
    migration.encrypt_existing(django_apps, SimpleNamespace(connection=connection))
    assert id_number(1) not in _raw_database_text()
    assert (Trainee.objects.get().id_number, Trainee.objects.get().mobile) == (id_number(1), "13900000001")
    assert list(Trainee.objects.with_id_number(id_number(1))) == [trainee]
    migration.encrypt_existing(django_apps, SimpleNamespace(connection=connection))  # idempotent
    assert Trainee.objects.get().id_number == id_number(1)


@pytest.mark.django_db
def test_rotate_data_key_re_encrypts_every_row_with_the_new_key(settings, capsys):
    settings.YANXIU_DATA_KEY = KEY_A
    programme = open_enrolment(planned())
    add_trainees(programme, 3)
    # Trainees' two values each, the institution's and the application's contact mobile.
    assert census() == {("delivery.Trainee", "a2026"): 6, **OTHERS_A}
    # A new key: the old one stays readable until the rotation is done.
    settings.YANXIU_DATA_KEY, settings.YANXIU_DATA_OLD_KEYS = KEY_B, [KEY_A]
    assert list(Trainee.objects.with_id_number(id_number(2)).values_list("name", flat=True)) == ["学员2"]
    assert enrol(programme, trainee_data(2)) is None  # the duplicate check sees rows under the old key
    enrol(programme, trainee_data(4))  # new rows are written with the new key
    assert census() == {("delivery.Trainee", "a2026"): 6, ("delivery.Trainee", "b2027"): 2, **OTHERS_A}
    call_command("rotate_data_key")
    assert census() == {("delivery.Trainee", "b2027"): 8, **OTHERS_B}
    assert "全部数据均使用当前密钥" in capsys.readouterr().out
    # Without the old key everything still reads, and the hashes are under the new key only.
    settings.YANXIU_DATA_OLD_KEYS = []
    assert sorted(Trainee.objects.values_list("mobile", flat=True)) == [f"139{n:08d}" for n in range(1, 5)]
    assert list(Trainee.objects.with_id_number(id_number(3)).values_list("name", flat=True)) == ["学员3"]
    with transaction.atomic(), pytest.raises(IntegrityError):  # the constraint holds under the new key
        Trainee.objects.create(
            programme=programme, id_masked="x", enrolled_at=Trainee.objects.first().enrolled_at, **trainee_data(3)
        )
    assert Application.objects.get().host_mobile == "13900000000"
    call_command("rotate_data_key")  # rerun: nothing to do
    assert census() == {("delivery.Trainee", "b2027"): 8, **OTHERS_B}
