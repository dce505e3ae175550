"""Vacancy pages: the search /vakansii, one vacancy /vakansii/<id>, and the staff sync log /staff/vakansii.

Thin views over search.py and store.py. The public pages set no cookie and log nothing about the visitor:
the conviction answers arrive only as ban ids in the URL (`closed=`), are used for this one response and are
never stored. They are not put in the page cache, so a sync through any instance shows on every instance.
"""
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.apply.subjects import register_subject
from portal.clock import local_date
from portal.extensions import db
from portal.i18n import localized_route
from portal.staff.auth import require_staff
from portal.staff.menu import register_staff_page
from portal.vacancies import classify, nearby, search, store
from portal.vacancies.classify import CONVICTION_FILE
from portal.vacancies.forms import SORTS, VacancyFilterForm, link_args
from portal.vacancies.models import Vacancy
from portal.yaml_files import load_yaml_file

bp = Blueprint("vacancies", __name__)
staff_bp = Blueprint("vacancies_staff", __name__, url_prefix="/staff/vakansii")
staff_bp.before_request(require_staff)


def _rules():
    return current_app.extensions["vacancy_rules"]


def ban_titles():
    """{ban id: its title in conviction.yaml}, for the «hidden for you» note."""
    cached = current_app.extensions.get("vacancy_ban_titles")
    if cached is None:
        data = load_yaml_file(CONVICTION_FILE) or {}
        cached = {ban["id"]: ban.get("title", ban["id"]) for ban in data.get("bans") or [] if isinstance(ban, dict)}
        current_app.extensions["vacancy_ban_titles"] = cached
    return cached


@localized_route(bp, "/vakansii")
def results():
    form = VacancyFilterForm(formdata=request.args, centres=current_app.extensions["district_centres"])
    query, problems = form.to_query(request.args, set(_rules().ids()))
    args = link_args(query)
    if "tochka" in args and args["tochka"] != request.args.get("tochka") and not problems:
        # A pasted map link or a precise point becomes the short, rounded link that people share and keep.
        return redirect(url_for("vacancies.results", **args, **({"page": query.page} if query.page > 1 else {})))
    result = search.search(query)
    return render_template("vacancies/search.html", form=form, query=query, result=result, problems=problems,
                           args=args, sorts=SORTS, last_sync=store.last_sync(), ban_titles=ban_titles(),
                           distance=lambda card: _distance(card, query),
                           searched=bool(request.args))


def _distance(card, query):
    """«≈ 3,2 км» from the chosen district's point or the visitor's own, or None."""
    if query.near is None or card.lat is None or card.lng is None:
        return None
    return f"≈ {nearby.distance_km(card.lat, card.lng, query.near):.1f}".replace(".", ",") + " км"


@localized_route(bp, "/vakansii/<int:vacancy_id>")
def vacancy(vacancy_id):
    card = db.session.get(Vacancy, vacancy_id)
    if card is None:
        abort(404)
    reasons = [(ban_id, classify.why_of(_rules(), ban_id), ban_titles().get(ban_id, ban_id))
               for ban_id in card.ban_ids]
    return render_template("vacancies/vacancy.html", card=card, reasons=reasons, last_sync=store.last_sync(),
                           back=request.args.get("from") == "search", near_url=_near_url(card))


def _near_url(card):
    """The search around this vacancy's own place, closest first, or None when it has no coordinates."""
    point = nearby.point_at(card.lat, card.lng) if card.lat is not None and card.lng is not None else None
    if point is None:
        return None
    return url_for("vacancies.results", tochka=point.as_text(), km=nearby.DEFAULT_RADIUS_KM, sort="near")


@staff_bp.route("/")
def sync_log():
    counts = dict(db.session.execute(select(Vacancy.status, db.func.count()).group_by(Vacancy.status)).all())
    return render_template("vacancies/staff_log.html", syncs=store.recent_syncs(30), counts=counts)


def pay_text(card):
    """«от 40 000 ₽», «40 000 – 60 000 ₽» or None."""
    def money(value):
        return f"{value:,}".replace(",", "\u00a0") + "\u00a0₽"
    if card.salary_min and card.salary_max and card.salary_max > card.salary_min:
        return f"{money(card.salary_min)} – {money(card.salary_max)}"
    if card.salary_min or card.salary_max:
        return money(card.salary_min or card.salary_max)
    return None


def place_text(card):
    """The town and street of the address, without the region (every card is in Chelyabinsk oblast)."""
    address = (card.address or "").replace("Челябинская область, ", "").replace("Челябинская обл, ", "")
    return address or None


def sync_day(row):
    """The Chelyabinsk date of a sync, for the source credit."""
    return local_date(row.finished_at) if row is not None and row.finished_at else None


def employer_vacancies(employer_id):
    """(ИНН, open cards) of a friendly employer, matched by the ИНН of its sign-up; (None, 0) without one."""
    from portal.employers.models import EmployerSignup
    inn = db.session.execute(select(EmployerSignup.inn).where(EmployerSignup.employer_id == employer_id,
                                                              EmployerSignup.inn.is_not(None))
                             .order_by(EmployerSignup.id.desc()).limit(1)).scalar()
    if not inn:
        return None, 0
    count = db.session.execute(select(db.func.count()).where(Vacancy.employer_inn == inn,
                                                             Vacancy.status == "open")).scalar()
    return inn, count


def district_choices():
    """[(district code, its name)] that «Рядом с районом» can measure from, for forms on other pages."""
    names = nearby.district_names(current_app.extensions["district_centres"])
    return [(code, str(name)) for code, name in names.items()]


def request_subject(ref):
    """A vacancy a request asks about: its title and employer, and its official card (else our page)."""
    card = db.session.get(Vacancy, int(ref))
    if card is None:
        return None
    return f"{card.title} — {card.employer_name}", card.vac_url or url_for("vacancies.vacancy", vacancy_id=card.id)


def init_app(app):
    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    register_subject(app, "vacancy", _l("Vacancy"), request_subject)
    register_staff_page(app, "vacancies_staff.sync_log", _l("Vacancies"))
    app.jinja_env.globals.update(vacancy_pay=pay_text, vacancy_place=place_text, vacancy_sync_day=sync_day,
                                 employer_vacancies=employer_vacancies, vacancy_districts=district_choices,
                                 vacancy_search_url=lambda **kw: url_for("vacancies.results", **kw))
