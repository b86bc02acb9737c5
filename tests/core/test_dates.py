"""Dates and moments are spelt in one place (core.dates); templates use its filters."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template

from yanxiu.core.dates import chinese_date, chinese_datetime, iso_datetime, iso_period

UTC = ZoneInfo("UTC")


def test_a_moment_is_written_in_local_time_without_zero_padding_the_day():
    moment = datetime(2026, 1, 6, 1, 5, 9, tzinfo=UTC)  # 09:05:09 in Fuzhou
    assert (chinese_date(moment), chinese_datetime(moment), chinese_datetime(moment, seconds=True)) == (
        "2026年1月6日",
        "2026年1月6日 09:05",
        "2026年1月6日 09:05:09",
    )
    assert (chinese_datetime(None), iso_datetime(None)) == ("", "")


def test_spreadsheet_cells_get_sortable_dates():
    assert iso_datetime(datetime(2026, 1, 5, 17, 30, tzinfo=UTC)) == "2026-01-06 01:30"
    assert iso_period(date(2026, 9, 1), date(2026, 9, 4)) == "2026-09-01至2026-09-04"


def test_templates_use_the_same_spelling():
    moment = datetime(2026, 1, 6, 1, 5, 9, tzinfo=UTC)
    rendered = Template('{{ m|cn_date }}|{{ m|cn_datetime }}|{{ m|cn_datetime:"s" }}').render(Context({"m": moment}))
    assert rendered == "2026年1月6日|2026年1月6日 09:05|2026年1月6日 09:05:09"
