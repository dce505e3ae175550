"""An officer's referral (/zayavka/napravlenie): the prison-service officer refers a person about to be released.

It runs through the one public-form flow (portal/public_forms.submit, with the referral limit). After a send
the confirmation carries the next, empty referral with the officer's own fields filled from the stored one,
so several referrals go in a row without retyping and without any cookie beyond the CSRF session."""
import logging

from flask import Blueprint, abort, make_response, render_template, url_for
from flask_babel import gettext as _

from portal.apply.applications import store_referral
from portal.apply.forms import ReferralForm
from portal.apply.models import Application
from portal.apply.views import THROTTLE, notify
from portal.consent import consent_paragraphs, consent_version
from portal.errors import register_form_recovery
from portal.extensions import db
from portal.i18n import localized_route
from portal.public_forms import submit

bp = Blueprint("referral", __name__)
log = logging.getLogger("portal.apply")


def _render(form, status=200, problem=None, sent=None):
    form.prepare_hidden_fields()
    response = make_response(render_template("apply/referral.html", form=form, problem=problem, sent=sent),
                             status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _store(form):
    application, created = store_referral(**form.values(), consent_version=consent_version(kind="referral"))
    if created:
        log.info("referral stored: id=%s", application.id)
        notify(application)
    return application, created


@localized_route(bp, "/zayavka/napravlenie", methods=["GET", "POST"])
def form():
    form = ReferralForm()
    if form.is_submitted():
        return submit(form, throttle=THROTTLE, store=_store, render=_render, referral=True,
                      confirmation_url=lambda row, _created: url_for("referral.sent", reference=row.reference))
    return _render(form)


@localized_route(bp, "/zayavka/napravlenie/prinyato/<reference>")
def sent(reference):
    """The number of the referral just stored, and the next referral with the officer's fields kept."""
    stored = db.session.execute(
        db.select(Application).filter_by(reference=reference, applicant="prison_staff")).scalar_one_or_none()
    if stored is None or stored.release_date is None:
        abort(404)
    form = ReferralForm(formdata=None)
    form.keep_referrer(stored.referrer_name, stored.referrer_phone)
    return _render(form, sent=stored)


@localized_route(bp, "/zayavka/napravlenie/soglasie")
def consent():
    return render_template("pages/consent.html", paragraphs=consent_paragraphs(kind="referral"),
                           version=consent_version(kind="referral"),
                           title=_("Consent to the processing of data in a referral"),
                           lead="Отмечая согласие человека в направлении, вы подтверждаете, что он разрешил "
                                "обрабатывать его данные на этих условиях.")


def init_app(app):
    app.register_blueprint(bp)
    register_form_recovery(app, "referral.form", ReferralForm, _render)
