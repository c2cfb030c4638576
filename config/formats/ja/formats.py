"""Dates in the Japanese UI: 2026/12/01 and 2026/12/01 09:05 (Django's own `ja` formats fill
in the rest). Input accepts the ISO form first: `<input type="date">` sends and shows it."""

DATE_FORMAT = "Y/m/d"
SHORT_DATE_FORMAT = "Y/m/d"
DATETIME_FORMAT = "Y/m/d H:i"
SHORT_DATETIME_FORMAT = "Y/m/d H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]
