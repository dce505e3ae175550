"""Friendly employers: the public directory /rabotodateli with its anonymous «информация устарела» button,
the employer sign-up, and the staff pages under /staff/rabotodateli (closed by `require_staff`).

Thin views over portal/employers/cards.py. The directory sets no cookie: its filter form is a GET form and the
report button is a cookieless, same-origin-only POST (like the feedback widgets), so it carries no CSRF
token and is the one view here exempt from it.
"""
import logging

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.apply.subjects import register_subject
from portal.audit import AuditEvent, record
from portal.clock import now_utc
from portal.consent import consent_paragraphs, consent_version
from portal.employers import cards as employers
from portal.employers import search as employers_search
from portal.employers.forms import DirectoryFilterForm, EmployerCardForm, EmployerSignupForm
from portal.employers.models import Employer
from portal.errors import register_expiry_redirect, register_form_recovery
from portal.exports import csv_text
from portal.extensions import csrf, db, limiter
from portal.i18n import localized_route
from portal.public_forms import Throttle, submit
from portal.security import same_origin
from portal.staff.auth import require_staff
from portal.staff.menu import Reminder, register_reminder, register_staff_page
from portal.text import DISTRICTS

bp = Blueprint("employers", __name__)
staff_bp = Blueprint("employers_staff", __name__, url_prefix="/staff/rabotodateli")
staff_bp.before_request(require_staff)
log = logging.getLogger("portal.employers.cards")

# The only view of this area without a CSRF token (tests/feedback checks the app-wide list).
CSRF_EXEMPT_VIEWS = ("report",)
REPORT_FIELDS = {"employer"}
NO_STORE = "no-store"


SIGNUP_THROTTLE = Throttle(kind="employer-signup", client="EMPLOYER_SIGNUP_RATE_LIMIT",
                           global_="EMPLOYER_SIGNUP_GLOBAL_RATE_LIMIT", surge="EMPLOYER_SIGNUP_SURGE_RATE_LIMIT")


def _report_limit():
    return current_app.config["EMPLOYER_REPORT_RATE_LIMIT"]


def _choices():
    """The code → label tables the card templates need."""
    return {"districts": DISTRICTS, "industries": employers.INDUSTRIES, "schedules": employers.SCHEDULES,
            "stages": employers.RECORD_STAGES, "how_to_apply": employers.HOW_TO_APPLY,
            "label": employers.label, "offers_of": employers.offers_of}


# ---------------------------------------------------------------- the public directory

@localized_route(bp, "/rabotodateli")
def directory():
    form = DirectoryFilterForm(formdata=request.args)
    filters = form.filters()
    cards = employers.public_cards(**filters)
    total = employers.public_count() if form.any_chosen() else len(cards)
    reported = request.args.get("reported", type=int)
    return render_template("employers/directory.html", form=form, cards=cards, total=total,
                           filtered=form.any_chosen(), reported=reported, **_choices())


@localized_route(bp, "/rabotodateli/ustarelo", methods=["POST"])
@limiter.limit(_report_limit)
def report():
    """«Информация устарела»: one tap, counted per card and day; nothing about the visitor is kept."""
    if not same_origin(request.headers, request.host_url, current_app.config["SITE_URL"]):
        abort(403)
    if request.args or set(request.form) - REPORT_FIELDS or request.files:
        abort(400)
    raw = request.form.get("employer", "")
    if not (raw.isascii() and raw.isdigit() and 0 < len(raw) <= 9):
        abort(400)
    card_id = int(raw)
    if not employers.report_outdated(card_id):
        abort(404)
    return redirect(url_for("employers.directory", reported=card_id) + f"#employer-{card_id}", code=303)


# ---------------------------------------------------------------- the sign-up

def _render_signup(form, status=200, problem=None):
    """The sign-up page; on every error the employer's input is shown back, escaped."""
    form.prepare_hidden_fields()
    response = make_response(render_template("employers/signup.html", form=form, problem=problem), status)
    response.headers["Cache-Control"] = NO_STORE
    return response


@localized_route(bp, "/rabotodateli/stat-partnerom", methods=["GET", "POST"])
def signup():
    form = EmployerSignupForm()
    if request.method == "GET":
        return _render_signup(form)
    return submit(form, throttle=SIGNUP_THROTTLE, store=_store_signup, render=_render_signup,
                  confirmation_url=lambda _signup, _created: url_for("employers.signup_done"))


def _store_signup(form):
    signup_row, created = employers.store_signup(**form.values(), consent_version=consent_version(kind="employer"))
    if created:
        log.info("employer sign-up stored: card=%s", signup_row.employer_id)
    return signup_row, created


@localized_route(bp, "/rabotodateli/stat-partnerom/spasibo")
def signup_done():
    return render_template("employers/signup_done.html")


@localized_route(bp, "/rabotodateli/soglasie")
def consent():
    return render_template("pages/consent.html", paragraphs=consent_paragraphs(kind="employer"),
                           version=consent_version(kind="employer"),
                           title=_("Employer's consent to the processing of personal data"),
                           lead="Отмечая согласие в форме «Я работодатель», вы разрешаете обрабатывать данные "
                                "на этих условиях.")


# ---------------------------------------------------------------- staff

def _card_or_404(card_id):
    return db.get_or_404(Employer, card_id)


def _card_form_data(card):
    data = {column: getattr(card, column) for column in employers.CARD_COLUMNS}
    data["offers"] = [code for code, column in employers.OFFER_COLUMNS.items() if getattr(card, column)]
    return data


def _render_card(card, form=None, status=200):
    history = db.session.execute(
        select(AuditEvent).where(AuditEvent.object_type == "employer", AuditEvent.object_id == card.id)
        .order_by(AuditEvent.created_at, AuditEvent.id)).scalars().all()
    return render_template(
        "employers/staff_card.html", card=card, form=form or EmployerCardForm(data=_card_form_data(card)),
        signup=card.signup, reports=employers.reports_of(card), history=history,
        stale=employers.is_stale(card), public=employers.is_public(card),
        public_until=employers.public_until(card), statuses=employers.STATUSES,
        action_labels=employers.ACTION_LABELS, **_choices()), status


@staff_bp.get("", endpoint="index")
def staff_index():
    groups = employers.staff_groups()
    cards = [card for group in groups.values() for card in group]
    reports = employers.reports_since([c.id for c in cards], {c.id: c.confirmed_at for c in cards})
    return render_template("employers/staff_list.html", groups=groups, reports=reports,
                           public_until=employers.public_until, invite=employers.INVITE_FIRST, **_choices())


@staff_bp.get("/<int:card_id>", endpoint="card")
def staff_card(card_id):
    card = _card_or_404(card_id)
    if card.signup is not None and card.signup.purged_at is None:
        # The page shows the representative's contacts: who looked is part of the audit trail.
        record(g.staff, "employer_viewed", "employer", card.id)
    return _render_card(card)


@staff_bp.post("/<int:card_id>", endpoint="edit")
def staff_edit(card_id):
    card = _card_or_404(card_id)
    form = EmployerCardForm()
    if not form.validate_on_submit():
        return _render_card(card, form=form, status=422)
    if employers.update_card(card, form.values(), g.staff):
        employers_search.refresh_search()
        flash(_("Card saved."))
    else:
        flash(_("Nothing changed."))
    return redirect(url_for("employers_staff.card", card_id=card.id), code=303)


@staff_bp.post("/<int:card_id>/confirm", endpoint="confirm")
def staff_confirm(card_id):
    card = _card_or_404(card_id)
    employers.confirm_card(card, g.staff)
    employers_search.refresh_search()
    flash(_("Confirmed today. The card is on the public list until %(date)s.",
            date=employers.public_until(card).strftime("%d.%m.%Y")))
    return redirect(url_for("employers_staff.card", card_id=card.id), code=303)


@staff_bp.post("/<int:card_id>/hide", endpoint="hide")
def staff_hide(card_id):
    card = _card_or_404(card_id)
    employers.hide_card(card, g.staff)
    employers_search.refresh_search()
    flash(_("The card is hidden from the public list."))
    return redirect(url_for("employers_staff.card", card_id=card.id), code=303)


@staff_bp.get("/export.csv", endpoint="export")
def staff_export():
    cards = db.session.execute(select(Employer).order_by(Employer.id)).scalars().all()
    header, rows = employers.export_rows(cards)
    record(g.staff, "employer_export", "employer", detail=f"rows={len(rows)}")
    response = Response(csv_text(header, rows).encode("utf-8"), content_type="text/csv; charset=utf-8")
    day = now_utc().strftime("%Y-%m-%d")
    response.headers["Content-Disposition"] = f'attachment; filename="rabotodateli-{day}.csv"'
    return response


def _after_expired_form():
    card_id = (request.view_args or {}).get("card_id")
    return url_for("employers_staff.card", card_id=card_id) if card_id else url_for("employers_staff.index")


def _signups_reminder():
    return Reminder(_("Employer sign-ups to check"), len(employers.staff_groups()["pending"]),
                    url_for("employers_staff.index", _anchor="pending"))


def _stale_cards_reminder():
    return Reminder(_("Employer cards to confirm again (hidden from the public)"),
                    len(employers.staff_groups()["stale"]), url_for("employers_staff.index", _anchor="stale"))


def _request_subject(ref):
    """A friendly employer a request asks about: a published card only (a hidden one is not offered)."""
    card = db.session.get(Employer, int(ref))
    if card is None or not employers.is_public(card):
        return None
    return card.name, url_for("employers.directory", _anchor=f"employer-{card.id}")


def init_app(app):
    """The public pages, the staff pages and the report view's CSRF exemption."""
    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    register_staff_page(app, "employers_staff.index", _l("Employers"))
    register_subject(app, "employer", _l("Employer"), _request_subject)
    register_reminder(app, _signups_reminder)
    register_reminder(app, _stale_cards_reminder)
    register_form_recovery(app, "employers.signup", EmployerSignupForm, _render_signup)
    register_expiry_redirect(app, staff_bp.name, _after_expired_form)
    for name in CSRF_EXEMPT_VIEWS:
        csrf.exempt(f"{__name__}.{name}")
