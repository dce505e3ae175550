"""The application form (/zayavka), its confirmation, the consent and the privacy policy."""
import logging

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError

from portal.applications import HELP_KINDS, StorageUnavailable, store_application
from portal.consent import consent_paragraphs, consent_version, operator_details
from portal.extensions import db, limiter
from portal.forms import ApplicationForm
from portal.i18n import localized_route
from portal.models import Application

bp = Blueprint("apply", __name__)
log = logging.getLogger("portal.apply")


def _apply_limit():
    return current_app.config["APPLY_RATE_LIMIT"]


def _global_limit():
    return current_app.config["APPLY_GLOBAL_RATE_LIMIT"]


def _render_form(form, status=200, problem=None):
    """The form page; on every error the person's input is shown back to them, escaped."""
    form.prepare_hidden_fields()
    response = make_response(render_template("apply/form.html", form=form, problem=problem), status)
    response.headers["Cache-Control"] = "no-store"
    return response


@localized_route(bp, "/zayavka", methods=["GET", "POST"])
@limiter.limit(_apply_limit, methods=["POST"])
@limiter.limit(_global_limit, methods=["POST"], key_func=lambda: "all-clients")
def form():
    form = ApplicationForm()
    if request.method == "GET":
        wanted = [code for code in request.args.getlist("help") if code in HELP_KINDS]
        if wanted:
            form.help_needed.data = wanted
        return _render_form(form)
    if not form.validate_on_submit():
        log.info("application form rejected: fields=%s", ",".join(sorted(form.errors)))
        return _render_form(form, status=422)
    if form.is_bot():
        log.info("application form: bot check triggered, nothing stored")
        return redirect(url_for("apply.received"), code=303)
    try:
        application, created = store_application(form, consent_version())
    except StorageUnavailable as error:
        log.error("application not stored: %s", error)
        return _render_form(form, status=503, problem="storage")
    if created:
        log.info("application stored: id=%s", application.id)
        _notify(application)
    return redirect(url_for("apply.done", reference=application.reference), code=303)


def _notify(application):
    try:
        from portal.notify import notify_new_application
    except ImportError:
        return
    notify_new_application(current_app._get_current_object(), application)


@localized_route(bp, "/zayavka/prinyata/<reference>")
def done(reference):
    found = db.session.execute(db.select(Application.id).filter_by(reference=reference)).scalar_one_or_none()
    if found is None:
        abort(404)
    return render_template("apply/done.html", reference=reference)


@localized_route(bp, "/zayavka/prinyata")
def received():
    """What a bot (or a form sent impossibly fast) sees: thanks, without a reference number."""
    return render_template("apply/done.html", reference=None)


@localized_route(bp, "/soglasie")
def consent():
    return render_template("pages/consent.html", paragraphs=consent_paragraphs(), version=consent_version())


@localized_route(bp, "/privacy")
def privacy():
    return render_template("pages/privacy.html", operator=operator_details(current_app.config))


@bp.app_errorhandler(CSRFError)
def csrf_expired(error):
    """An expired or missing token on the form: show it again with the input kept, never lose it."""
    if request.endpoint == "apply.form":
        form = ApplicationForm(meta={"csrf": False})
        form.validate()
        return _render_form(form, status=400, problem="expired")
    from portal.views.errors import render_error
    return render_error(400)


@bp.errorhandler(429)
def too_many(error):
    if request.endpoint == "apply.form" and request.method == "POST":
        form = ApplicationForm(meta={"csrf": False})
        return _render_form(form, status=429, problem="rate")
    from portal.views.errors import render_error
    return render_error(429)
