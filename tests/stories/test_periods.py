"""Fuzzy periods, as people say them."""

import pytest

from memoire.core.errors import ValidationError
from memoire.stories.periods import parse_period, parse_period_text


@pytest.mark.parametrize("text, start, end, approx", [
    ("1978", 1978, 1978, False),
    ("années 60", 1960, 1969, False),
    ("les années 1950", 1950, 1959, False),
    ("années 2000", 2000, 2009, False),
    ("années cinquante", 1950, 1959, False),
    ("vers 1950", 1945, 1955, True),
    ("1955-1965", 1955, 1965, False),
    ("de 1955 à 1965", 1955, 1965, False),
    ("début des années 70", 1970, 1973, True),
    ("fin des années 80", 1986, 1989, True),
    ("jaren 60", 1960, 1969, False),
    ("the 1960s", 1960, 1969, False),
    ("rond 1930", 1925, 1935, True),
])
def test_people_s_periods(text, start, end, approx):
    period = parse_period_text(text)
    assert (period.start, period.end, period.approximate) == (start, end, approx)
    assert period.text == text


@pytest.mark.parametrize("bad", ["un jour", "1700", "1990-1980", "années 3000"])
def test_unreadable_periods_are_refused(bad):
    with pytest.raises(ValidationError):
        parse_period_text(bad)


def test_import_forms():
    assert parse_period({"start": 1955, "end": 1965}).end == 1965
    assert parse_period({"text": "années 60"}).start == 1960
    assert parse_period(1978).start == 1978
    assert parse_period(None).start is None
    with pytest.raises(ValidationError):
        parse_period({"start": "1955"})
    with pytest.raises(ValidationError):
        parse_period({"from": 1955})
    with pytest.raises(ValidationError):
        parse_period(True)
