"""The places directory «Куда обратиться сегодня»: offices, shelters and services the centre keeps current.

- models.py: the Place table (hours as one text per weekday)
- hours.py: reading hours, «открыто сейчас / откроется в 9:00» in Chelyabinsk time
- directory.py: kinds and needs, public and stale places, the centre's contacts, audited staff changes
- exchange.py: the YAML/CSV import and export, all rows or none
- demo.py: the sample places of `flask demo load`, each named «Пример: …»
- forms.py, views.py: the staff form; the public pages /kuda-obratitsya and the staff pages /staff/mesta
- search.py: the directory and each public place as documents of the site search
- cli.py: `flask places import FILE`, `flask places export`, `flask places stale`
"""
from flask import current_app

from portal.errors import register_expiry_redirect
from portal.places import models  # noqa: F401  (the table must be in db.metadata when the app is built)


def refresh_public_pages():
    """After a change: cached pages (help box, guides naming a kind of place) must show it, in every worker."""
    from portal.places import search

    search.rebuild_index(current_app._get_current_object())
    cache = current_app.extensions.get("page_cache")
    if cache is not None:
        cache.invalidate()


def _template_helpers():
    from portal.places import directory

    return {"centre_contacts": directory.centre_contacts, "places_of_kind": directory.places_of_kind,
            "place_kind_label": directory.kind_label, "place_district_label": directory.district_label,
            "place_open_status": directory.open_status, "place_hours_summary": directory.hours_summary,
            "place_phones": directory.phone_list, "place_is_stale": directory.is_stale}


def _check_guide_kinds(app):
    """A guide naming a kind of place that does not exist fails at start-up, naming the file."""
    from portal.guides.content import ContentError
    from portal.places.directory import KINDS

    library = app.extensions.get("content")
    guides = list(library.guides.values()) + list(library.translations.values()) if library else []
    problems = [f"{guide.path.name}: places: неизвестный вид места «{kind}» (есть: {', '.join(KINDS)})"
                for guide in guides for kind in guide.places if kind not in KINDS]
    if problems:
        raise ContentError(problems)


def _stale_reminder():
    from flask import url_for
    from flask_babel import gettext as _

    from portal.places import directory
    from portal.staff.menu import Reminder

    return Reminder(_("Places not confirmed for more than %(days)d days", days=directory.stale_days()),
                    len(directory.stale_places()), url_for("places_staff.index", _anchor="stale"))


def init_app(app):
    """The public and staff pages, template helpers for other pages, and `flask places`."""
    from flask_babel import lazy_gettext as _l

    from portal.places import cli, search, views
    from portal.staff.menu import register_reminder, register_staff_page

    _check_guide_kinds(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.staff_bp)
    register_staff_page(app, "places_staff.index", _l("Places"))
    register_reminder(app, _stale_reminder)
    register_expiry_redirect(app, views.staff_bp.name, views.after_expired_form)
    # Globals, not a context processor: macros imported without context (the help box) see them too.
    app.jinja_env.globals.update(_template_helpers())
    search.init_app(app)
    cli.init_app(app)
