"""The places directory: the public pages /kuda-obratitsya (by need, a district filter as a GET form, a
page and a print view per place) and the staff pages /staff/mesta (closed by `require_staff`, CSRF on
every POST, every change in the audit trail). Thin views over portal/places/directory.py."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.clock import now_local
from portal.extensions import db
from portal.i18n import localized_route
from portal.places import directory
from portal.places.forms import PlaceForm
from portal.places.models import Place
from portal.staff.auth import require_staff
from portal.text import DISTRICTS

bp = Blueprint("places", __name__)
staff_bp = Blueprint("places_staff", __name__, url_prefix="/staff/mesta")
staff_bp.before_request(require_staff)

ACTION_LABELS = {
    "place_created": _l("place added"), "place_edited": _l("changed"), "place_confirmed": _l("confirmed"),
    "place_hidden": _l("hidden"), "place_shown": _l("shown again"), "place_import": _l("imported"),
}


def _choice(value, allowed):
    """A GET parameter when it is one of `allowed`, else None: an unknown value is ignored, never an error."""
    return value if value in allowed else None


@localized_route(bp, "/kuda-obratitsya")
def directory_page():
    district = _choice(request.args.get("rayon", ""), DISTRICTS)
    need = _choice(request.args.get("nuzhno", ""), directory.NEEDS)
    groups = directory.places_by_need(district=district, need=need)
    moment = now_local()
    return render_template("places/directory.html", groups=groups, district=district, need=need,
                           districts=DISTRICTS, needs=directory.NEEDS, moment=moment,
                           any_place=bool(directory.public_places()))


def _place_page(place_id, template):
    place = directory.public_place(place_id)
    if place is None:
        abort(404)
    moment = now_local()
    return render_template(template, place=place, moment=moment, status=directory.open_status(place, moment),
                           rows=directory.hours_rows(place, moment), phones=directory.phone_list(place.phones),
                           stale=directory.is_stale(place))


@localized_route(bp, "/kuda-obratitsya/<int:place_id>")
def place_page(place_id):
    return _place_page(place_id, "places/place.html")


@localized_route(bp, "/kuda-obratitsya/<int:place_id>/pechat")
def place_print(place_id):
    return _place_page(place_id, "places/print.html")


# ---------------------------------------------------------------- staff

def _history(place):
    return db.session.execute(
        select(AuditEvent).where(AuditEvent.object_type == "place", AuditEvent.object_id == place.id)
        .order_by(AuditEvent.created_at, AuditEvent.id)).scalars().all()


def _form_data(place):
    return {name: getattr(place, name) for name in PlaceForm.value_names()}


def _render_place(place, form=None, status=200):
    return render_template("places/staff_place.html", place=place, form=form or PlaceForm(data=_form_data(place)),
                           history=_history(place) if place else [], action_labels=ACTION_LABELS,
                           stale=directory.is_stale(place) if place else False), status


def _changed():
    """Pages that show places (the help box on every cached page, guides) must show the change."""
    from portal.places import refresh_public_pages
    refresh_public_pages()


@staff_bp.get("", endpoint="index")
def staff_index():
    return render_template("places/staff_list.html", groups=directory.staff_groups(),
                           stale_days=directory.stale_days())


@staff_bp.route("/new", methods=["GET", "POST"], endpoint="new")
def staff_new():
    form = PlaceForm()
    if request.method == "POST":
        if form.validate_on_submit():
            place = directory.create_place(form.values, g.staff)
            _changed()
            flash(_("Place added and confirmed today."))
            return redirect(url_for("places_staff.place", place_id=place.id), code=303)
        return render_template("places/staff_place.html", place=None, form=form, history=[],
                               action_labels=ACTION_LABELS, stale=False), 422
    return render_template("places/staff_place.html", place=None, form=form, history=[],
                           action_labels=ACTION_LABELS, stale=False)


@staff_bp.get("/<int:place_id>", endpoint="place")
def staff_place(place_id):
    return _render_place(db.get_or_404(Place, place_id))


@staff_bp.post("/<int:place_id>", endpoint="edit")
def staff_edit(place_id):
    place = db.get_or_404(Place, place_id)
    form = PlaceForm()
    if not form.validate_on_submit():
        return _render_place(place, form=form, status=422)
    if directory.update_place(place, form.values, g.staff):
        _changed()
        flash(_("Saved."))
    else:
        flash(_("Nothing changed."))
    return redirect(url_for("places_staff.place", place_id=place.id), code=303)


@staff_bp.post("/<int:place_id>/confirm", endpoint="confirm")
def staff_confirm(place_id):
    place = db.get_or_404(Place, place_id)
    directory.confirm_place(place, g.staff)
    _changed()
    flash(_("Confirmed today."))
    return redirect(url_for("places_staff.place", place_id=place.id), code=303)


@staff_bp.post("/<int:place_id>/hide", endpoint="hide")
def staff_hide(place_id):
    place = db.get_or_404(Place, place_id)
    hide = request.form.get("hide", "1") != "0"
    directory.set_hidden(place, hide, g.staff)
    _changed()
    flash(_("The place is hidden from the public pages.") if hide else _("The place is public again."))
    return redirect(url_for("places_staff.place", place_id=place.id), code=303)


def after_expired_form():
    place_id = (request.view_args or {}).get("place_id")
    return url_for("places_staff.place", place_id=place_id) if place_id else url_for("places_staff.index")
