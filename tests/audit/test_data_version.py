"""The data version of conditional GET (decision 0008): striped over slots, one per connection;
its sum changes with every committed audited write, and writers on different slots never wait."""

import threading

import pytest
from django.db import connection, connections, transaction

from tests import factories
from yanxiu.audit.log import data_version, record
from yanxiu.audit.models import DATA_VERSION_SLOTS, DataVersion


@pytest.mark.django_db
def test_every_audited_write_moves_the_sum_whichever_slot_it_bumps():
    subject = factories.province_officer()
    before = data_version()
    seen = {before}
    for slot in (3, 7, 3, DATA_VERSION_SLOTS):
        connection._yanxiu_version_slot = slot
        record(subject, action="test", label="测试")
        seen.add(data_version())
    del connection._yanxiu_version_slot
    assert len(seen) == 5  # five different values: the version never came back to an earlier one
    assert data_version() == before + 4
    assert DataVersion.objects.get(pk=3).value >= 2


@pytest.mark.django_db
def test_a_slot_missing_after_a_flush_is_created():
    DataVersion.objects.all().delete()
    connection._yanxiu_version_slot = 5
    try:
        record(factories.province_officer(), action="test", label="测试")
    finally:
        del connection._yanxiu_version_slot
    assert list(DataVersion.objects.values_list("pk", "value")) == [(5, 1)]
    assert data_version() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks: PostgreSQL only")
def test_two_writers_on_other_slots_do_not_wait_and_each_commit_shows():
    """A's transaction holds its slot; B's audited write commits meanwhile without waiting for the
    lock (with a single counter row B would time out), and the version shows each commit as it
    happens."""
    subject = factories.province_officer()
    start = data_version()
    a_recorded, b_done = threading.Event(), threading.Event()
    outcome = {}

    def writer_a():
        try:
            connection._yanxiu_version_slot = 1
            with transaction.atomic():
                record(subject, action="test", label="测试A")
                a_recorded.set()
                b_done.wait(timeout=30)
                outcome["during_a"] = data_version_elsewhere()
        finally:
            connections.close_all()

    def writer_b():
        try:
            a_recorded.wait(timeout=30)
            connection._yanxiu_version_slot = 2
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '3s'")
                record(subject, action="test", label="测试B")
            outcome["b"] = "committed"
        except Exception as exc:  # asserted on below
            outcome["b"] = exc
        finally:
            b_done.set()
            connections.close_all()

    def data_version_elsewhere():
        result = {}

        def read():
            try:
                result["value"] = data_version()
            finally:
                connections.close_all()

        reader = threading.Thread(target=read)
        reader.start()
        reader.join(timeout=30)
        return result["value"]

    threads = [threading.Thread(target=writer_a), threading.Thread(target=writer_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcome["b"] == "committed"
    assert outcome["during_a"] == start + 1  # B's commit seen, A's uncommitted bump not
    assert data_version() == start + 2
