"""Template globals shared by every page."""
from flask import current_app

from portal.content import get_library
from portal.views.guides import canonical_url


def has_endpoint(name):
    """Whether an area is installed, so shared templates link only to pages that exist."""
    return name in current_app.view_functions


def init_app(app):
    # Indentation whitespace is bytes on a slow phone line.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(
        canonical_url=canonical_url,
        has_endpoint=has_endpoint,
        content_sections=lambda: get_library().ordered_sections(),
    )
