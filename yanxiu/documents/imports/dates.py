"""办班时间 as people write it, to (start, end).

2026年6月15日—6月20日, 2026.9.7-9.12, 2026/7/6-2026/7/10, 2026年10月20-23日,
2026年5月12日至15日, 2026-06-15～2026-06-20, 6月15日-20日 (year from the call),
a single day, and the like. Full-width digits and punctuation are accepted.
"""

import re
import unicodedata
from datetime import date

RANGE_SEPARATORS = r"(?:—+|–+|―+|-+|~+|～+|〜+|至|到|－+|─+|⸺|⸻)"
DATE = r"(?:(?P<{p}y>\d{{4}})\s*[年./\-]\s*)?(?:(?P<{p}m>\d{{1,2}})\s*[月./\-]\s*)?(?P<{p}d>\d{{1,2}})\s*[日号]?"
RANGE_RE = re.compile(rf"^{DATE.format(p='a')}\s*(?:{RANGE_SEPARATORS}\s*{DATE.format(p='b')})?$")
NOISE_RE = re.compile(r"[（(][^）)]*[）)]|共\s*\d+\s*天|\s+")


class DateUnreadable(ValueError):
    pass


def normalise(text):
    text = unicodedata.normalize("NFKC", text or "")
    # NFKC leaves the Chinese dash forms alone; unify the full stops people use.
    text = text.replace("．", ".").replace("。", ".").replace("、", ".")
    return NOISE_RE.sub("", text).strip(".,，;；")


def parse_period(text, default_year=None):
    """(start, end) dates; raises DateUnreadable with a Chinese reason."""
    cleaned = normalise(text)
    if not cleaned:
        raise DateUnreadable("办班时间未填写。")
    match = RANGE_RE.match(cleaned)
    if not match:
        raise DateUnreadable(f"无法识别办班时间“{text.strip()}”，请写成“2026年6月15日—6月20日”的形式。")
    parts = match.groupdict()
    start_year = int(parts["ay"]) if parts["ay"] else default_year
    if start_year is None:
        raise DateUnreadable(f"办班时间“{text.strip()}”没有写年份。")
    if parts["am"] is None:
        raise DateUnreadable(f"办班时间“{text.strip()}”没有写月份。")
    try:
        start = date(start_year, int(parts["am"]), int(parts["ad"]))
        if parts["bd"] is None:
            return start, start
        end_year = int(parts["by"]) if parts["by"] else start.year
        end_month = int(parts["bm"]) if parts["bm"] else start.month
        end = date(end_year, end_month, int(parts["bd"]))
    except ValueError as exc:
        raise DateUnreadable(f"办班时间“{text.strip()}”不是有效的日期。") from exc
    return start, end
