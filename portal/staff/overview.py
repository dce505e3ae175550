"""The staff dashboard's figures as one set: the widgets' answers (portal/feedback/widgets.py), the answers
after the service (portal/feedback/survey.py; NPS only from SURVEY_NPS_MIN_ANSWERS on), requests per
week, the searches people made; the bars the page draws and the rows of its CSV. Aggregate and anonymous:
small counts of requests are suppressed on the page, and every small count of people in the CSV
(`portal.exports.suppress_small`): the file leaves the desk."""
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from portal.apply.applications import CONTACT_METHODS
from portal.apply.models import Application
from portal.clock import local_date, local_day_bounds, today_local
from portal.exports import suppress_small
from portal.extensions import db
from portal.feedback.survey import (
    SERVED_VIA,
    answers_by_channel,
    latest_improvements,
    min_answers,
    service_distribution,
)
from portal.feedback.widgets import (
    CHANNEL_LABELS,
    latest_comments,
    nps,
    nps_interval,
    shares_by_channel,
    usefulness,
)


def requests_per_week(start, end):
    """[(monday, ISO week label, count)] for every ISO week touching the period, in the centre's time zone."""
    low, high = local_day_bounds(start, end)
    created = db.session.execute(
        sa.select(Application.created_at).where(Application.created_at >= low, Application.created_at < high))
    per_week = Counter()
    for (moment,) in created:
        local = local_date(moment)
        per_week[local - timedelta(days=local.weekday())] += 1
    weeks = []
    monday = start - timedelta(days=start.weekday())
    while monday <= end:
        year, week, _ = monday.isocalendar()
        weeks.append((monday, f"{year}-W{week:02d}", per_week.get(monday, 0)))
        monday += timedelta(days=7)
    return weeks


def top_searches(start, end, limit=10):
    """(top queries, top queries that found nothing) in the period, each shown only from 3 searches on.

    None when the search statistics (portal/search/stats.py) are not installed.
    """
    try:
        from portal.search.stats import SearchQueryDay
    except ImportError:
        return None
    minimum = current_app.config.get("SEARCH_STATS_MIN_COUNT", 3)
    total = sa.func.sum(SearchQueryDay.count)

    def query(only_not_found):
        statement = (sa.select(SearchQueryDay.query, total).where(SearchQueryDay.day.between(start, end))
                     .group_by(SearchQueryDay.query).having(total >= minimum)
                     .order_by(total.desc(), SearchQueryDay.query).limit(limit))
        if only_not_found:
            statement = statement.where(SearchQueryDay.found.is_(False))
        return [(text, int(times)) for text, times in db.session.execute(statement)]

    return query(False), query(True)


# ---------------------------------------------------------------- charts and CSV

CHART_BAR_MAX = 300  # SVG user units for the longest bar


def chart_bars(items, suppressed=False):
    """[(label, value)] -> bars with a width for the inline SVG chart and the text shown beside each bar.

    With `suppressed`, a value below the minimum gets no bar at all: a bar's length would give away the
    number that the «<5» label hides.
    """
    minimum = current_app.config["DASHBOARD_MIN_CELL"]
    values = [value for _label, value in items if not suppressed or value >= minimum]
    largest = max(values, default=0) or 1
    bars = []
    for label, value in items:
        hidden = suppressed and 0 < value < minimum
        width = 0 if hidden else round(CHART_BAR_MAX * value / largest)
        label = str(label)
        bars.append({"label": label if len(label) <= 26 else label[:25] + "…", "width": width,
                     "display": suppress_small(value, minimum) if suppressed else str(value)})
    return bars


def default_period(days=None):
    days = days or current_app.config["DASHBOARD_DEFAULT_DAYS"]
    end = today_local()
    return end - timedelta(days=days - 1), end


# ---------------------------------------------------------------- the dashboard as one set of figures

@dataclass(frozen=True)
class Figures:
    start: object
    end: object
    usefulness: list
    comments: list
    loyalty: dict  # {score 0–10: answers} of the after-service question, months touching the period
    nps: object  # Nps, or None below SURVEY_NPS_MIN_ANSWERS answers
    shares: dict
    weeks: list
    searches: object  # (top, not found) or None when search statistics are not installed
    nps_interval: object = None  # (low, high), 95 %, with nps
    survey_channels: dict = None  # {served_via: answers}
    improvements: list = ()  # (month, served_via, masked text)
    nps_min: int = 20

    @property
    def survey_answers(self):
        return sum(self.loyalty.values())


def dashboard_figures(start, end, lang="ru"):
    """Everything the dashboard and its CSV show for the period [start, end] (days, inclusive)."""
    distribution = service_distribution(start, end)
    minimum = min_answers()
    result = nps(distribution)
    if result is None or result.total < minimum:
        result = None
    return Figures(start, end, usefulness(start, end, lang), latest_comments(start, end, lang=lang),
                   distribution, result, shares_by_channel(start, end),
                   requests_per_week(start, end), top_searches(start, end),
                   nps_interval=nps_interval(result) if result else None,
                   survey_channels=answers_by_channel(start, end),
                   improvements=latest_improvements(start, end), nps_min=minimum)


def _decimal(value):
    return f"{value:.1f}".replace(".", ",")


def figures_csv_rows(figures, service=None):
    """The figures as rows for the CSV export: section; row; measure; value. «Нет» comments stay on screen.

    The file leaves the desk, so every count of people below DASHBOARD_MIN_CELL reads «<5», and a median or
    percentile of so few requests is left out («—»): it would be nearly one person's own waiting time.
    """
    from flask_babel import gettext as _

    rows = [[_("Section"), _("Row"), _("Measure"), _("Value")],
            [_("Period"), _("from"), "", figures.start.isoformat()],
            [_("Period"), _("to"), "", figures.end.isoformat()]]
    for item in figures.usefulness:
        rows += [[_("Page usefulness"), item.page, _("Yes"), item.yes],
                 [_("Page usefulness"), item.page, _("No"), item.no],
                 [_("Page usefulness"), item.page, _("Share of «Yes», %"), item.share_yes]]
    for score, count in figures.loyalty.items():
        rows.append([_("Answers 0–10"), score, _("Answers"), suppress_small(count)])
    for channel, count in (figures.survey_channels or {}).items():
        way = str(SERVED_VIA[channel]) if channel in SERVED_VIA else channel
        rows.append([_("Answers per way of service"), way, _("Answers"), suppress_small(count)])
    if figures.nps:
        low, high = figures.nps_interval
        rows += [["NPS", "", _("Answers"), figures.nps.total],
                 ["NPS", "", _("Promoters (9–10)"), suppress_small(figures.nps.promoters)],
                 ["NPS", "", _("Passives (7–8)"), suppress_small(figures.nps.passives)],
                 ["NPS", "", _("Detractors (0–6)"), suppress_small(figures.nps.detractors)],
                 ["NPS", "", _("Value"), _decimal(figures.nps.score)],
                 ["NPS", "", _("Confidence interval, from"), _decimal(low)],
                 ["NPS", "", _("Confidence interval, to"), _decimal(high)]]
    else:
        rows.append(["NPS", "", _("Too few answers"), f"{suppress_small(figures.survey_answers)} / {figures.nps_min}"])
    for channel, count in figures.shares.items():
        rows.append([_("Shares"), str(CHANNEL_LABELS[channel]), _("Times"), count])
    for _monday, label, count in figures.weeks:
        rows.append([_("Requests per week"), label, _("Requests"), suppress_small(count)])
    if service is not None:
        rows += service_csv_rows(service)
    if figures.searches:
        top, missing = figures.searches
        rows += [[_("Searches"), text, _("Times"), times] for text, times in top]
        rows += [[_("Searches that found nothing"), text, _("Times"), times] for text, times in missing]
    return rows


def channel_label(code):
    """How the person asked to be contacted, as the desk names it («—» for none)."""
    return str(CONTACT_METHODS.get(code, "—"))


def service_csv_rows(service):
    """How fast the centre answers (portal/staff/figures.py), as it may leave the desk."""
    from flask_babel import gettext as _

    minimum = current_app.config["DASHBOARD_MIN_CELL"]

    def hours(value, count):
        return "—" if value is None or count < minimum else _decimal(value)

    rows = []
    for section, groups, label in (
            (_("Answer time by contact channel"), service.channels, channel_label),
            (_("Answer time by week of the request"), service.weeks, str)):
        for key, first, working, count in groups:
            rows += [[section, label(key), _("Requests"), suppress_small(count)],
                     [section, label(key), _("First attempt, median, h"), hours(first.median, first.count)],
                     [section, label(key), _("First attempt, 90th percentile, h"), hours(first.p90, first.count)],
                     [section, label(key), _("In progress, median, h"), hours(working.median, working.count)],
                     [section, label(key), _("In progress, 90th percentile, h"), hours(working.p90, working.count)]]
    rows += [[_("Answer time"), "", _("Waiting longer than promised"), suppress_small(service.overdue)],
             [_("Answer time"), "", _("Closed requests"), suppress_small(service.closed)],
             [_("Answer time"), "", _("Could not reach"), suppress_small(service.unreachable)]]
    return rows
