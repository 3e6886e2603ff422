# Dutch dates as the portal writes them (Django's own nl formats, plus the named ones
# portal.formats adds: a weekday in front, or no year). "dinsdag 8 december 2026, 14:00".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_MONTH_DAY_FORMAT = "d-m"
WEEKDAY_DATE_FORMAT = "l j F Y"
WEEKDAY_DATETIME_FORMAT = "l j F Y, H:i"
WEEKDAY_MONTH_DAY_TIME_FORMAT = "l j F, H:i"
SHORT_WEEKDAY_DATE_FORMAT = "D j M Y"
SHORT_WEEKDAY_DATETIME_FORMAT = "D j F Y, H:i"
# A week within one month: its first and last day.
SAME_MONTH_RANGE_START_FORMAT = "j"
SAME_MONTH_RANGE_END_FORMAT = "j F Y"
