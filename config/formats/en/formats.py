# English dates in English order, with a 12-hour clock (Django's en conventions), plus the
# named ones portal.formats adds. "Tuesday, December 8, 2026, 2:00 p.m.".
DATE_FORMAT = "F j, Y"
DATETIME_FORMAT = "F j, Y, g:i a"
TIME_FORMAT = "g:i a"
SHORT_DATE_FORMAT = "m/d/Y"
SHORT_DATETIME_FORMAT = "m/d/Y g:i a"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "F j"
SHORT_MONTH_DAY_FORMAT = "m/d"
WEEKDAY_DATE_FORMAT = "l, F j, Y"
WEEKDAY_DATETIME_FORMAT = "l, F j, Y, g:i a"
WEEKDAY_MONTH_DAY_TIME_FORMAT = "l, F j, g:i a"
SHORT_WEEKDAY_DATE_FORMAT = "D, M j, Y"
SHORT_WEEKDAY_DATETIME_FORMAT = "D, M j, Y, g:i a"
# A week within one month: its first and last day.
SAME_MONTH_RANGE_START_FORMAT = "F j"
SAME_MONTH_RANGE_END_FORMAT = "j, Y"
