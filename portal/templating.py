"""Template globals shared by every page; areas add their own (the guides: `canonical_url`, `content_sections`)."""
from flask import current_app
from flask_babel import format_date

from portal.text import is_plain_email


def has_endpoint(name):
    """Whether an area is installed, so shared templates link only to pages that exist."""
    return name in current_app.view_functions


def field_attrs(field, **attributes):
    """HTML attributes for a form field: the given ones that are set, plus aria-describedby/aria-invalid.
    WTForms would print a None value as the text "None", so unset ones are left out."""
    attrs = {name: value for name, value in attributes.items() if value is not None}
    described = [f"{field.id}-hint"] if field.description else []
    if field.errors:
        described.append(f"{field.id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return attrs


def long_date(value):
    """«8 декабря 2026, вторник»: a date a person can check against a calendar without doubt."""
    return format_date(value, "d MMMM y, EEEE") if value else ""


def init_app(app):
    # Indentation whitespace is bytes on a slow phone line.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.tests["plain_email"] = is_plain_email
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.globals.update(
        has_endpoint=has_endpoint,
        field_attrs=field_attrs,
    )
