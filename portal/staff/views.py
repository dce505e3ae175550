"""The staff desk at /staff: sign-in (password, then a code), setup links, the list of requests, a request's
page with its status and notes, and the CSV export. Everything but sign-in and setup needs a staff session."""

import logging
import re

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal import working_days
from portal.apply.applications import APPLICANTS, CONTACT_METHODS, CONVENIENT_TIMES, REACH_VIA, STATUSES
from portal.apply.models import Application
from portal.audit import AuditEvent, record
from portal.clock import now_utc, today_local
from portal.extensions import db, limiter
from portal.feedback import widgets as feedback_widgets
from portal.logs import security_event
from portal.staff import auth as staff_auth
from portal.staff import desk, menu
from portal.staff.auth import (
    account_key,
    check_code_step,
    check_password_step,
    complete_setup,
    current_staff,
    find_setup_token,
    login_failed,
    pending_user,
    require_staff,
    safe_next,
)
from portal.staff.credentials import enrolment_qr, enrolment_secret, grouped_secret, match_totp
from portal.staff.forms import AssignForm, CodeForm, FilterForm, LoginForm, NoteForm, SetupForm, StatusForm
from portal.staff.models import StaffUser
from portal.text import DISTRICTS

bp = Blueprint("staff", __name__, url_prefix="/staff")
log = logging.getLogger("portal.staff")

# Reachable without a staff session; every other staff route is closed (tests/staff enumerates the URL map).
PUBLIC_ENDPOINTS = frozenset({"staff.login", "staff.code", "staff.setup"})
PHONE_RE = re.compile(r"\+7[0-9]{10}")


def _login_limit():
    return current_app.config["STAFF_LOGIN_RATE_LIMIT"]


def _account_limit():
    return current_app.config["STAFF_ACCOUNT_RATE_LIMIT"]


@bp.before_request
def staff_only():
    if request.endpoint == "staff.logout" and request.method != "POST":
        abort(405, valid_methods=["POST"])
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    return require_staff()


@bp.app_template_filter("staff_datetime")
def staff_datetime(value):
    """«12 ноября 2026, 14:05» in Chelyabinsk time (the database keeps UTC)."""
    return format_datetime(value, "d MMMM y, HH:mm") if value else ""


@bp.app_template_test("match_phone")
def match_phone(value):
    """A stored phone is «+7» and ten digits: only then is it safe and useful as a tel: link."""
    return isinstance(value, str) and PHONE_RE.fullmatch(value) is not None


@bp.app_context_processor
def staff_navigation():
    """The desk's menu and its «to re-check» list, for the staff templates (portal/staff/menu.py)."""
    return {"staff_nav": menu.menu_items, "staff_reminders": menu.due_reminders}


# ---------------------------------------------------------------- signing in and out


def _failed_sign_in():
    return _("That did not work. Check the username and password and try again.")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=account_key, deduct_when=login_failed)
def login():
    if current_staff() is not None:
        return redirect(url_for("staff.desk"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    error = None
    if request.method == "POST":
        if form.validate_on_submit() and check_password_step(
            form.username.data, form.password.data, form.next.data
        ):
            return redirect(url_for("staff.code"), code=303)
        # One message for every failure: the page never tells whether the username exists.
        error = _failed_sign_in()
    signed_out = request.args.get("out") == "1"
    return render_template("staff/login.html", form=form, error=error, signed_out=signed_out)


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=account_key, deduct_when=login_failed)
def code():
    if pending_user() is None:
        return redirect(url_for("staff.login"))
    form = CodeForm()
    error = None
    if request.method == "POST":
        target = check_code_step(form.code.data) if form.validate_on_submit() else None
        if target:
            return redirect(target, code=303)
        error = _("The code did not fit. Type the code the app shows now; each code works only once.")
    return render_template("staff/code.html", form=form, error=error)


# GET is routed here only to be refused with 405 (staff_only): otherwise the guides' two-segment
# route would answer GET /staff/logout with a 404 page.
@bp.route("/logout", methods=["GET", "POST"])
def logout():
    staff_auth.end_session()
    response = redirect(url_for("staff.login", out=1), code=303)
    # The browser drops everything it kept from the desk: cached pages with personal data included.
    response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@bp.route("/setup", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def setup():
    token = request.form.get("t") if request.method == "POST" else request.args.get("t")
    row = find_setup_token(token)
    if row is None:
        return render_template("staff/setup_invalid.html"), 404
    secret = enrolment_secret(row)
    username = row.staff.username
    form = SetupForm(username=username)
    if form.validate_on_submit():
        step = match_totp(secret, form.code.data)
        if step is not None:
            complete_setup(row, form.password.data, secret, step)
            flash(_("All set. Sign in with your new password and a new code from the app."))
            return redirect(url_for("staff.login"), code=303)
        form.code.errors = [
            _(
                "The code did not fit. Check that the phone's time is right and type the "
                "code the app shows now."
            )
        ]
    status = 422 if request.method == "POST" else 200
    return render_template(
        "staff/setup.html",
        form=form,
        username=username,
        qr=enrolment_qr(secret, username),
        secret=grouped_secret(secret),
        expires_at=row.expires_at,
        token=token,
    ), status


@bp.errorhandler(429)
def too_many_attempts(error):
    security_event("staff_login_locked", endpoint=request.endpoint)
    return render_template("staff/too_many.html"), 429


def after_expired_form():
    """Where a staff form with an old or missing token starts again (errors.register_expiry_redirect)."""
    if request.endpoint == "staff.setup":
        return url_for("staff.setup", t=request.form.get("t", ""))
    if request.endpoint in PUBLIC_ENDPOINTS:
        return request.path
    if request.view_args and "application_id" in request.view_args:
        return url_for("staff.detail", application_id=request.view_args["application_id"])
    return url_for("staff.desk")


# ---------------------------------------------------------------- the desk


def _filters():
    form = FilterForm(formdata=request.args)
    return form, form.chosen(form.status), form.chosen(form.help), form.chosen(form.kind)


@bp.get("/", endpoint="desk")
def desk_page():
    form, status, help_code, kind = _filters()
    page = db.paginate(
        desk.desk_query(status, help_code, kind),
        page=form.page_number(),
        per_page=current_app.config["STAFF_PAGE_SIZE"],
        error_out=False,
        count=True,
    )
    counts = dict(
        db.session.execute(select(Application.status, func.count()).group_by(Application.status)).all()
    )
    filters = {"status": status, "help": help_code, "kind": kind}
    today, answer_days = today_local(), current_app.config["APPLY_ANSWER_WORKING_DAYS"]
    calendar = working_days.calendar()
    return render_template(
        "staff/desk.html",
        form=form,
        page=page,
        counts=counts,
        filters=filters,
        statuses=STATUSES,
        applicants=APPLICANTS,
        help_labels=desk.help_labels,
        about=desk.about,
        about_link=desk.about_link,
        label=desk.label,
        waiting=lambda application: desk.waiting(application, today, answer_days, calendar),
        contact_action=desk.contact_action,
        contact_methods=CONTACT_METHODS,
        reach_via=REACH_VIA,
        districts=DISTRICTS,
    )


def _application_or_404(application_id):
    return db.get_or_404(Application, application_id)


def _render_detail(application, note_form=None, status=200, survey_link=None):
    history = (
        db.session.execute(
            select(AuditEvent)
            .where(
                AuditEvent.object_type == "application",
                AuditEvent.object_id == application.id,
                AuditEvent.action == "status_changed",
            )
            .order_by(AuditEvent.created_at)
        )
        .scalars()
        .all()
    )
    assign_form = AssignForm(colleague=str(application.assigned_staff_id or ""))
    assign_form.colleague.choices = _colleague_choices()
    return render_template(
        "staff/detail.html",
        application=application,
        assign_form=assign_form,
        status_form=StatusForm(status=application.status),
        note_form=note_form or NoteForm(),
        history=history,
        label=desk.label,
        help_labels=desk.help_labels,
        about=desk.about,
        about_link=desk.about_link,
        statuses=STATUSES,
        applicants=APPLICANTS,
        contact_methods=CONTACT_METHODS,
        times=CONVENIENT_TIMES,
        districts=DISTRICTS,
        reach_via=REACH_VIA,
        consent_title=desk.consent_title,
        survey_link=survey_link,
        survey_qr=feedback_widgets.qr_inline_svg(survey_link) if survey_link else None,
    ), status


@bp.get("/zayavki/<int:application_id>")
def detail(application_id):
    application = _application_or_404(application_id)
    record(g.staff, "application_viewed", "application", application.id)
    return _render_detail(application)


@bp.post("/zayavki/<int:application_id>/status")
def change_status(application_id):
    application = _application_or_404(application_id)
    form = StatusForm()
    if application.purged_at is not None:
        flash(_("This request's personal data has been deleted; its status can no longer change."))
    elif form.validate_on_submit():
        if desk.change_status(application, form.status.data, g.staff, now_utc()):
            flash(_("Status saved: %(status)s.", status=desk.label(STATUSES, form.status.data)))
            if form.status.data == desk.SURVEY_STATUS:
                # Answered in place, not redirected: the link is on this one page and nowhere else.
                token = desk.offer_survey(application, form.served_via.data, g.staff)
                link = feedback_widgets.canonical_url(url_for("feedback.survey", token=token, lang_code="ru"))
                return _render_detail(application, survey_link=link)
    else:
        flash(_("Choose a status from the list."))
    return redirect(url_for("staff.detail", application_id=application.id), code=303)


def _colleague_choices():
    active = db.session.execute(select(StaffUser).filter_by(is_active=True).order_by(StaffUser.username))
    return [("", _("Nobody yet"))] + [(str(user.id), user.username) for user in active.scalars()]


@bp.post("/zayavki/<int:application_id>/assign")
def assign(application_id):
    application = _application_or_404(application_id)
    form = AssignForm()
    form.colleague.choices = _colleague_choices()
    if form.validate_on_submit():
        colleague = db.session.get(StaffUser, int(form.colleague.data)) if form.colleague.data else None
        if desk.assign(application, colleague, g.staff):
            flash(_("Saved: %(name)s handles it.", name=colleague.username) if colleague
                  else _("Saved: nobody handles it yet."))
    else:
        flash(_("Choose a colleague from the list."))
    return redirect(url_for("staff.detail", application_id=application.id), code=303)


@bp.post("/zayavki/<int:application_id>/notes")
def add_note(application_id):
    application = _application_or_404(application_id)
    if application.purged_at is not None:
        flash(_("This request's personal data has been deleted; notes can no longer be added."))
        return redirect(url_for("staff.detail", application_id=application.id), code=303)
    form = NoteForm()
    if not form.validate_on_submit():
        return _render_detail(application, note_form=form, status=422)
    desk.add_note(application, form.text.data, g.staff, now_utc())
    flash(_("Note saved."))
    return redirect(url_for("staff.detail", application_id=application.id) + "#notes", code=303)


@bp.get("/export.csv")
def export():
    _form, status, help_code, kind = _filters()
    applications = db.session.execute(desk.desk_query(status, help_code, kind)).scalars().all()
    body = desk.export_csv(applications)
    record(
        g.staff,
        "export",
        detail=f"rows={len(applications)}; status={status or 'any'}; help={help_code or 'any'}"
        + (f"; kind={kind}" if kind else ""),
    )
    response = Response(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    day = now_utc().strftime("%Y-%m-%d")
    response.headers["Content-Disposition"] = f'attachment; filename="zayavki-{day}.csv"'
    return response
