"""Feed dates (RSS's RFC 2822 form) are written without `email.utils`, byte for byte as it
writes them, for naive moments and every kind of offset."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from sitegen.locale import rfc2822_date

ZONES = [
    None,
    timezone.utc,
    timezone(timedelta(hours=2)),
    timezone(timedelta(hours=-4, minutes=-30)),
    timezone(timedelta(hours=5, minutes=45, seconds=10)),
]


@pytest.mark.parametrize("zone", ZONES, ids=lambda zone: str(zone))
def test_rfc2822_date_writes_what_email_utils_writes(zone):
    moment = datetime(1999, 12, 31, 23, 59, 58, tzinfo=zone)
    for _ in range(400):  # every weekday and month, leap days, single-digit fields
        moment += timedelta(days=3, hours=7, minutes=13, seconds=31)
        assert rfc2822_date(moment) == format_datetime(moment)
