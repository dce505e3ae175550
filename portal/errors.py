"""Friendly error pages in plain Russian (or the interface language of the path), never a traceback, and the
app-wide answer to a failed CSRF check: a form registered with `register_form_recovery` comes back with the
person's input and a fresh token, so pressing «Send» once more works; a blueprint registered with
`register_expiry_redirect` (the staff pages) sends the person back to a fresh page with one plain line."""
import logging
import secrets
import traceback

from flask import current_app, flash, g, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from portal.database import StorageUnavailable
from portal.extensions import db
from portal.i18n import lang_from_path
from portal.logs import scrub_request_line, security_event

log = logging.getLogger("portal.errors")

# What the person reads for each status: a title and one line of what to do (errors/message.html).
MESSAGES = {
    404: (_l("Page not found"), _l("Maybe the link is old or has a typo. It is not your fault.")),
    429: (_l("Too many requests in a row"), _l("Please wait a minute and try again. Nothing is broken.")),
    503: (_l("Not saved just now"), _l("Our server could not save it. Please try again in a minute.")),
}


def render_message(title, lead, status, secondary=False):
    if not getattr(g, "lang_code", None):
        g.lang_code = lang_from_path(request.path)
    return render_template("errors/message.html", title=title, lead=lead, secondary=secondary), status


def render_error(status, error_id=None):
    if status in MESSAGES:
        return render_message(*MESSAGES[status], status)
    if not getattr(g, "lang_code", None):
        g.lang_code = lang_from_path(request.path)
    template = "errors/500.html" if status == 500 else "errors/generic.html"
    return render_template(template, status=status, error_id=error_id), status


def register_form_recovery(app, endpoint, form_class, render):
    """After a failed CSRF check on `endpoint`, show `form_class` again through `render(form, status, problem)`."""
    app.extensions.setdefault("form_recovery", {})[endpoint] = (form_class, render)


def register_expiry_redirect(app, blueprint, target):
    """After a failed CSRF check in `blueprint`, flash «the page was open too long» and redirect (303) to
    `target()`, a URL built from the request: staff forms start again from a fresh page."""
    app.extensions.setdefault("expiry_redirects", {})[blueprint] = target


def init_app(app):
    app.extensions.setdefault("form_recovery", {})
    app.extensions.setdefault("expiry_redirects", {})

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        security_event("csrf_failed", endpoint=request.endpoint, reason=error.description)
        recovery = current_app.extensions["form_recovery"].get(request.endpoint)
        if recovery is None or request.method != "POST":
            target = current_app.extensions["expiry_redirects"].get(request.blueprint)
            if target is None:
                return render_error(400)
            flash(_("The page was open too long. Please try again."))
            return redirect(target(), code=303)
        form_class, render = recovery
        form = form_class()  # with CSRF on: the page carries a fresh token bound to this session
        form.validate()
        return render(form, 400, "expired")

    @app.errorhandler(StorageUnavailable)
    @app.errorhandler(OperationalError)
    def storage_failed(error):
        """A write the database could not take (a widget, a desk action): 503 «try again», never a 500."""
        db.session.rollback()
        security_event("storage_failed", endpoint=request.endpoint, error=type(error).__name__,
                       level=logging.ERROR)
        body, status = render_error(503)
        return body, status, {"Retry-After": "60"}

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code < 400:
            return error
        response = error.get_response()
        if error.code == 429:
            security_event("rate_limited", endpoint=request.endpoint)
            response.headers.setdefault("Retry-After", "60")
        body, status = render_error(error.code)
        response.set_data(body)
        response.content_type = "text/html; charset=utf-8"
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error):
        # The id lets staff find the entry in the log. The log gets the path and the stack, never the
        # query string or the exception message: database errors quote the submitted values.
        error_id = secrets.token_hex(4)
        stack = "".join(traceback.format_tb(error.__traceback__))
        log.error("unhandled error %s on %s %s: %s\n%s", error_id, request.method,
                  scrub_request_line(" " + request.path).strip(), type(error).__name__, stack)
        return render_error(500, error_id)
