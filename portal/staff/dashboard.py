"""The staff figures at /staff/dashboard: aggregate and anonymous, small counts of requests suppressed;
its CSV suppresses every small count of people, as anything that leaves the desk does.

Behind the staff sign-in (`require_staff`); GET only, so it changes nothing and needs no CSRF token.
"""
from datetime import datetime, timedelta

from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import gettext as _

from portal import working_days
from portal.clock import today_local
from portal.exports import csv_bytes, suppress_small
from portal.feedback.widgets import CHANNEL_LABELS
from portal.staff import figures as service_figures
from portal.staff.auth import require_staff
from portal.staff.overview import channel_label, chart_bars, dashboard_figures, default_period, figures_csv_rows

bp = Blueprint("dashboard", __name__, url_prefix="/staff/dashboard")
bp.before_request(require_staff)

DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")


def _parse_day(value):
    value = (value or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def chosen_period(args):
    """(start, end, errors, typed) from the period form; a bad period falls back to the default one."""
    default_start, default_end = default_period()
    typed = {"from": (args.get("from") or "")[:20], "to": (args.get("to") or "")[:20]}
    errors = {}
    start = _parse_day(typed["from"]) if typed["from"] else default_start
    end = _parse_day(typed["to"]) if typed["to"] else default_end
    if start is None:
        errors["from"] = _("Enter the date as DD.MM.YYYY, for example 01.11.2026.")
    if end is None:
        errors["to"] = _("Enter the date as DD.MM.YYYY, for example 30.11.2026.")
    if not errors:
        longest = current_app.config["DASHBOARD_MAX_DAYS"]
        if start > end:
            errors["to"] = _("The end of the period must not be before its start.")
        elif end - start > timedelta(days=longest):
            errors["to"] = _("Choose a period of at most %(days)d days.", days=longest)
    if errors:
        start, end = default_start, default_end
    return start, end, errors, typed


@bp.route("/")
def index():
    start, end, errors, typed = chosen_period(request.args)
    figures = dashboard_figures(start, end)
    status = 400 if errors else 200
    service = _service(start, end)
    return render_template("dashboard/index.html", figures=figures, errors=errors, typed=typed,
                           charts=_charts(figures), service=service, suppress=suppress_small,
                           service_charts=_service_charts(service)), status


def _service(start, end):
    return service_figures.response_figures(
        service_figures.load_timings(start, end), today_local(),
        current_app.config["APPLY_ANSWER_WORKING_DAYS"], working_days.calendar())


@bp.route("/export.csv")
def export():
    start, end, errors, _typed = chosen_period(request.args)
    if errors:
        return index()
    body = csv_bytes(figures_csv_rows(dashboard_figures(start, end), _service(start, end)))
    name = f"pokazateli-{start.isoformat()}-{end.isoformat()}.csv"
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


NPS_COLOURS = {"detractor": "#b00020", "passive": "#6b6b6b", "promoter": "#0b6e35"}


def _charts(figures):
    """Bars for the inline SVG charts; the tables next to them carry the same numbers for everyone."""
    useful = chart_bars([(item.title, item.share_yes) for item in figures.usefulness])
    for bar, item in zip(useful, figures.usefulness, strict=True):
        bar["display"] = f"{item.share_yes} % ({item.total})"
    loyalty = chart_bars([(str(score), count) for score, count in figures.loyalty.items()])
    for bar, score in zip(loyalty, figures.loyalty, strict=True):
        kind = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
        bar["colour"] = NPS_COLOURS[kind]
    shares = chart_bars([(str(CHANNEL_LABELS[c]), n) for c, n in figures.shares.items()])
    weeks = chart_bars([(label, count) for _monday, label, count in figures.weeks], suppressed=True)
    return {"useful": useful, "loyalty": loyalty, "shares": shares, "weeks": weeks}


def _service_charts(service):
    """Median hours to the first contact attempt, per channel and per week (exact: staff only)."""
    def bars(rows, label):
        items = [(label(key), first.median or 0) for key, first, _working, _n in rows]
        drawn = chart_bars(items)
        for bar, (_key, first, _working, _n) in zip(drawn, rows, strict=True):
            bar["display"] = "—" if first.median is None else f"{first.median} ч"
        return drawn

    return {"channels": bars(service.channels, channel_label), "weeks": bars(service.weeks, str),
            "channel_rows": [(channel_label(key), *rest) for key, *rest in service.channels]}
