from datetime import UTC, date, datetime

from yanxiu.core import clock


def test_frozen_at_sets_the_clock_for_a_block_and_gives_it_back(settings):
    settings.YANXIU_FIXED_NOW = "2026-01-10T10:00:00+08:00"
    with clock.frozen_at("2026-09-01T10:00:00+08:00"):
        assert clock.now() == datetime(2026, 9, 1, 2, 0, tzinfo=UTC)
        with clock.frozen_at(datetime(2026, 10, 24, 23, 30)):  # naive: local time (Asia/Shanghai)
            assert clock.today() == date(2026, 10, 24)
        assert clock.today() == date(2026, 9, 1)
    assert clock.now() == datetime(2026, 1, 10, 2, 0, tzinfo=UTC)


def test_days_left_counts_whole_local_days():
    deadline_end = datetime(2026, 1, 16, 15, 59, 59, tzinfo=UTC)  # 23:59:59 in Fuzhou
    assert clock.days_left(deadline_end, datetime(2026, 1, 15, 16, 30, tzinfo=UTC)) == 0
    assert clock.days_left(deadline_end, datetime(2026, 1, 15, 15, 30, tzinfo=UTC)) == 1
