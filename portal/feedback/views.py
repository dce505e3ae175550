"""Public feedback widgets (useful?, share counter), the after-service question /opros/<token>, the QR code
and the printable leaflet.

The widgets are cookieless, so they carry no CSRF token: they accept only same-origin posts instead
(`Sec-Fetch-Site: same-origin`, else an `Origin` equal to this site), and are listed in CSRF_EXEMPT_VIEWS.
Every answer works as a plain form post with a redirect; feedback.js only answers in place. The survey page
/opros/<token> follows the same rule: no token, no cookie, same-origin posts only.
"""

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.errors import render_error, render_message
from portal.extensions import csrf, limiter
from portal.feedback import survey as survey_answers
from portal.feedback import widgets as feedback
from portal.guides.content import get_library
from portal.i18n import current_lang, localized_route
from portal.security import same_origin

bp = Blueprint("feedback", __name__)

# The only views in the whole app that skip the CSRF token; tests/feedback compares this with Flask-WTF.
CSRF_EXEMPT_VIEWS = ("vote", "comment", "survey", "loyalty_retired", "share")

# The fields each widget accepts; anything else is refused with 400 (no mass assignment, no friend's contact).
FIELDS = {
    "vote": {"page", "answer"},
    "comment": {"page", "t", "text"},
    "survey": {"score", "improve"},
    "loyalty_retired": {"asked_on", "score"},
    "share": {"page", "channel"},
}


def _widget_limit():
    return current_app.config["FEEDBACK_RATE_LIMIT"]


@bp.before_request
def only_same_origin_posts():
    if request.method == "POST":
        if not same_origin(request.headers, request.host_url, current_app.config["SITE_URL"]):
            abort(403)
        allowed = FIELDS.get(request.endpoint.rsplit(".", 1)[-1], set())
        if set(request.args) - allowed or set(request.form) - allowed or request.files:
            abort(400)


def _wants_json():
    return request.accept_mimetypes.best == "application/json"


def _field(name):
    """A submitted value from the form body, or the query string (the share ping carries no form)."""
    value = request.form.get(name)
    return request.args.get(name) if value is None else value


def _fragment(template, status=200, **context):
    """For feedback.js: the piece of page that replaces the widget, as JSON."""
    return jsonify(html=render_template(template, **context)), status


def _back_link(path):
    """A link back to the page the visitor came from, only when it is one of ours."""
    return path if feedback.resolve_page(path) else None


# ---------------------------------------------------------------- «была ли эта страница полезной?»

@localized_route(bp, "/otzyv", methods=["POST"])
@limiter.limit(_widget_limit)
def vote():
    page = _field("page") or ""
    neutral = feedback.resolve_guide(page)
    answer = _field("answer")
    if neutral is None or answer not in ("yes", "no"):
        abort(400)
    row_id = feedback.record_vote(neutral, answer == "yes")
    if answer == "yes":
        if _wants_json():
            return _fragment("feedback/_thanks.html", kind="vote")
        return redirect(url_for("feedback.thanks", page=page), code=303)
    token = feedback.comment_token(row_id)
    if _wants_json():
        return _fragment("feedback/_comment_form.html", page=page, token=token, text="", error=None)
    return redirect(url_for("feedback.followup", page=page, t=token), code=303)


@localized_route(bp, "/otzyv/spasibo")
def thanks():
    kind = request.args.get("kind", "vote")
    return render_template("feedback/thanks.html", back=_back_link(request.args.get("page", "")),
                           kind=kind if kind in ("vote", "comment") else "vote")


@localized_route(bp, "/otzyv/chto-ne-tak")
def followup():
    page = request.args.get("page", "")
    return render_template("feedback/followup.html", page=page, back=_back_link(page),
                           token=request.args.get("t", ""), text="", error=None)


@localized_route(bp, "/otzyv/kommentariy", methods=["POST"])
@limiter.limit(_widget_limit)
def comment():
    page = _field("page") or ""
    token = _field("t") or ""
    text = _field("text") or ""
    limit = current_app.config["FEEDBACK_COMMENT_MAX"]
    error = None
    if len(text) > limit:
        error = "too_long"
    elif not feedback.attach_comment(token, text):
        error = "expired"
    if error:
        if _wants_json():
            return _fragment("feedback/_comment_form.html", status=422, page=page, token=token, text=text,
                             error=error)
        return render_template("feedback/followup.html", page=page, back=_back_link(page), token=token,
                               text=text, error=error), 422
    if _wants_json():
        return _fragment("feedback/_thanks.html", kind="comment")
    return redirect(url_for("feedback.thanks", page=page, kind="comment"), code=303)


# ---------------------------------------------------------------- the 0–10 question after the service

@localized_route(bp, "/opros/<token>", methods=["GET", "POST"])
@limiter.limit(_widget_limit, methods=["POST"])
def survey(token):
    """The single-use question a clerk hands out after closing a request (portal/feedback/survey.py)."""
    if survey_answers.find_invitation(token) is None:
        return _survey_gone()
    form = survey_answers.SurveyForm()
    if request.method == "POST":
        if not form.validate():
            return render_template("feedback/survey.html", form=form, token=token), 422
        if not survey_answers.record_answer(token, survey_answers.parse_score(form.score.data),
                                            form.improve.data):
            return _survey_gone()
        return redirect(url_for("feedback.survey_thanks"), code=303)
    return render_template("feedback/survey.html", form=form, token=token)


def _survey_gone():
    return render_message(_("This link has already been used or is out of date"),
                          _("Thank you for dropping by!"), 404, secondary=True)


@localized_route(bp, "/ocenka", methods=["POST"])
def loyalty_retired():
    """The 0–10 question guide pages used to ask. A page kept in a browser's cache may still send it: the
    answer is not stored (it came from a reader, not from a person the centre served)."""
    return render_message(_("Thank you!"), _("This question is now asked only after a visit to the centre."),
                          410, secondary=True)


@localized_route(bp, "/opros/spasibo")
def survey_thanks():
    return render_template("feedback/thanks.html", back=None, kind="survey")


# ---------------------------------------------------------------- «посоветовать другу»

@bp.route("/share", methods=["POST"])
@limiter.limit(_widget_limit)
def share():
    """Count one share: the `ping` of a share link (sent without JavaScript) or the copy button.

    The visitor's browser goes straight to the messenger; this only adds one to (page, channel, day).
    """
    neutral = feedback.resolve_page(_field("page") or "")
    channel = _field("channel")
    if neutral is None or channel not in feedback.SHARE_CHANNELS:
        abort(400)
    feedback.record_share(neutral, channel)
    return "", 204


@localized_route(bp, "/qr")
def qr_page():
    # Without a page: the QR code of the home page, the address most worth passing on.
    page = request.args.get("page") or url_for("guides.home")
    neutral = feedback.resolve_page(page)
    if neutral is None:
        abort(404)
    return render_template("feedback/qr.html", page=page, url=feedback.canonical_url(page),
                           title=feedback.page_title(neutral, current_lang()))


@bp.route("/qr.svg")
def qr_image():
    page = request.args.get("page", "")
    if feedback.resolve_page(page) is None:
        abort(404)
    svg = feedback.qr_svg(feedback.canonical_url(page))
    response = current_app.response_class(svg, mimetype="image/svg+xml")
    # The picture depends only on SITE_URL and the page; `v` in its URL changes with SITE_URL.
    response.headers["Cache-Control"] = "public, max-age=31536000"
    return response


# ---------------------------------------------------------------- leaflet for prison-service staff

@localized_route(bp, "/listovka")
def leaflet():
    library = get_library()
    lang = current_lang()
    most = current_app.config["LEAFLET_MAX_GUIDES"]
    asked = [key for key in dict.fromkeys(request.args.getlist("g")) if key in library.guides]
    too_many = len(asked) > most
    keys = (asked or [k for k in current_app.config["LEAFLET_GUIDES"] if k in library.guides])[:most]
    chosen = [library.guide(key, lang)[0] for key in keys]
    sections = [(section, [library.guide(g.key, lang)[0] for g in library.section_guides(section.slug)])
                for section in library.ordered_sections()]
    site = current_app.config["SITE_URL"].rstrip("/")
    return render_template("feedback/leaflet.html", chosen=chosen, selected=set(asked or keys),
                           sections=sections, too_many=too_many, asked_count=len(asked), most=most,
                           site_short=site.split("://", 1)[-1])


# ---------------------------------------------------------------- errors

@bp.errorhandler(429)
def too_many(error):
    if _wants_json():
        return jsonify(error="rate"), 429
    return render_message(_("Too many answers in a row"),
                          _("Please try again in an hour. Your earlier answers have been counted."), 429,
                          secondary=True)


@bp.errorhandler(400)
def bad_request(error):
    if _wants_json():
        return jsonify(error="bad"), 400
    return render_error(400)


def init_app(app):
    """Register the public blueprint, the CSRF exemptions and template helpers."""
    app.register_blueprint(bp)
    for name in CSRF_EXEMPT_VIEWS:
        csrf.exempt(f"{__name__}.{name}")
    app.jinja_env.globals.update(
        share_links=feedback.share_links,
        feedback_canonical_url=feedback.canonical_url,
        qr_version=feedback.qr_version,
        share_label=lambda channel: feedback.CHANNEL_LABELS.get(channel, channel),
        served_via_label=lambda code: survey_answers.SERVED_VIA.get(code, code),
    )
