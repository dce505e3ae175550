"""Friendly error pages in plain Russian (or the interface language of the path), never a traceback."""
import logging
import secrets
import traceback

from flask import g, render_template, request
from werkzeug.exceptions import HTTPException

from portal.i18n import lang_from_path

log = logging.getLogger("portal.errors")

TEMPLATES = {404: "errors/404.html", 500: "errors/500.html"}


def render_error(status, error_id=None):
    if not getattr(g, "lang_code", None):
        g.lang_code = lang_from_path(request.path)
    template = TEMPLATES.get(status, "errors/generic.html")
    return render_template(template, status=status, error_id=error_id), status


def init_app(app):
    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code < 400:
            return error
        response = error.get_response()
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
        log.error("unhandled error %s on %s %s: %s\n%s", error_id, request.method, request.path,
                  type(error).__name__, stack)
        return render_error(500, error_id)
