"""The application form (/zayavka), its confirmation, the consent and the privacy policy."""
import logging

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for

from portal import working_days
from portal.apply import subjects
from portal.apply.applications import HELP_KINDS, store_application
from portal.apply.confirmation import DOCUMENTS_GUIDE, DOCUMENTS_TO_BRING, next_steps
from portal.apply.forms import ApplicationForm
from portal.apply.models import Application
from portal.consent import consent_paragraphs, consent_version, operator_details
from portal.errors import register_form_recovery
from portal.extensions import db
from portal.i18n import localized_route
from portal.public_forms import Throttle, is_referral, submit

bp = Blueprint("apply", __name__)
log = logging.getLogger("portal.apply")


THROTTLE = Throttle(kind="apply", client="APPLY_RATE_LIMIT", referral="APPLY_REFERRAL_RATE_LIMIT",
                    global_="APPLY_GLOBAL_RATE_LIMIT", surge="APPLY_SURGE_RATE_LIMIT")


def _render_form(form, status=200, problem=None):
    """The form page; on every error the person's input is shown back to them, escaped."""
    form.prepare_hidden_fields()
    response = make_response(render_template("apply/form.html", form=form, problem=problem,
                                             subject=form.subject(), subject_label=subjects.label), status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _store(form):
    application, created = store_application(**form.values(), consent_version=consent_version())
    if created:
        log.info("application stored: id=%s", application.id)
        notify(application)
    return application, created


@localized_route(bp, "/zayavka", methods=["GET", "POST"])
def form():
    form = ApplicationForm()
    if request.method == "GET":
        wanted = [code for code in request.args.getlist("help") if code in HELP_KINDS]
        if wanted:
            form.help_needed.data = wanted
        subject = subjects.from_args(request.args)
        form.about.data = subject.token if subject else ""
        return _render_form(form)
    return submit(form, throttle=THROTTLE, store=_store, render=_render_form, referral=is_referral(),
                  confirmation_url=lambda application, _created: url_for("apply.done",
                                                                         reference=application.reference))


def notify(application):
    try:
        from portal.apply.notify import notify_new_application
    except ImportError:
        return
    notify_new_application(current_app._get_current_object(), application)


@localized_route(bp, "/zayavka/prinyata/<reference>")
def done(reference):
    """The confirmation exists only for a stored request, and always shows its number."""
    found = db.session.execute(db.select(Application).filter_by(reference=reference)).scalar_one_or_none()
    if found is None:
        abort(404)
    steps = next_steps(found, current_app.config["APPLY_ANSWER_WORKING_DAYS"], working_days.calendar())
    response = make_response(render_template("apply/done.html", reference=reference, steps=steps,
                                             documents=DOCUMENTS_TO_BRING, documents_guide=DOCUMENTS_GUIDE))
    response.headers["Cache-Control"] = "no-store"
    return response


@localized_route(bp, "/zayavka/prinyata")
def received():
    """No confirmation without a number: an old bookmark of this address goes back to the form."""
    return redirect(url_for("apply.form"), code=303)


@localized_route(bp, "/soglasie")
def consent():
    return render_template("pages/consent.html", paragraphs=consent_paragraphs(), version=consent_version())


@localized_route(bp, "/privacy")
def privacy():
    return render_template("pages/privacy.html", operator=operator_details(current_app.config))


def init_app(app):
    app.register_blueprint(bp)
    # An expired or missing token: the form again with the input kept and a fresh token, so it sends.
    register_form_recovery(app, "apply.form", ApplicationForm, _render_form)
