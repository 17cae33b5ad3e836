"""The clinic's own results as its public page words them, in the active language: the
figure of ``outcomes.clinic_figures`` (``taut.clinical.analytics.clinic_figure``) as
sentences, with the range as words and what the figure does not mean."""

from dataclasses import dataclass
from datetime import date

from django.utils import formats
from django.utils.translation import gettext

from taut.accounts.models import Clinic
from taut.clinical import analytics
from taut.outcomes.clinic_figures import clinic_figure_for_public_page

Tens = analytics.Tens


@dataclass(frozen=True)
class OwnNumbers:
    at_2_weeks: str
    at_6_weeks: str  # "" when too few people were followed to six weeks
    caveat: str
    as_of: str


def _share(tens: analytics.InTens) -> str:
    """ "about 6 in 10" and its kin, in the active language."""
    words = {
        Tens.ABOUT: gettext("about %(n)s in 10") % {"n": tens.estimate_tens},
        Tens.FEWER_THAN_ONE: gettext("fewer than 1 in 10"),
        Tens.MORE_THAN_NINE: gettext("more than 9 in 10"),
        Tens.ZERO: gettext("none"),
        Tens.TEN: gettext("all"),
    }
    return words[tens.tens]


def _range(tens: analytics.InTens) -> str:
    return gettext("likely between %(low)s and %(high)s in 10") % {
        "low": tens.low_tens,
        "high": tens.high_tens,
    }


def own_numbers(clinic: Clinic, *, today: date) -> OwnNumbers | None:
    """The sentences, or None while too few people have been followed (or the clinic lead
    turned them off)."""
    figure = clinic_figure_for_public_page(clinic, today=today)
    if figure is None:
        return None
    two = figure.at_2_weeks
    at_2_weeks = gettext(
        "Of %(people)s people treated here in the last year, %(followed)s told us how they "
        "were two weeks later. For %(share)s of them, at least half their pain was gone "
        "(%(range)s)."
    ) % {
        "people": figure.people,
        "followed": two.followed,
        "share": _share(two.tens),
        "range": _range(two.tens),
    }
    at_6_weeks = ""
    if figure.at_6_weeks is not None:
        six = figure.at_6_weeks
        at_6_weeks = gettext(
            "Six weeks later, %(followed)s told us how they were. For %(share)s of them, at "
            "least half their pain was still gone (%(range)s)."
        ) % {"followed": six.followed, "share": _share(six.tens), "range": _range(six.tens)}
    caveat = gettext(
        "What these numbers do not mean: they are not a promise for you. People differ. "
        "These are the people treated here, not a research study: nobody was compared with "
        "people who did not have injections, and people who did not tell us how they were "
        "are not counted. Each person is counted once, from their first visit in the year."
    )
    return OwnNumbers(at_2_weeks, at_6_weeks, caveat, formats.date_format(today, "DATE_FORMAT"))
