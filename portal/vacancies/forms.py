"""The search page's filters, read from the query string: a GET form without CSRF, so a result is a link.

Every value is checked here; a wrong one is dropped with a friendly message and never reaches the database.
The URL contract (docs/vacancies.md): q, salary_from, day, housing, no_experience, no_medbook, part_time,
rayon (a district with a point in district_centres.yaml) or tochka (a point the visitor pasted, «55.16, 61.40»)
and km, sort=new|pay|near, page, inn (an employer's ИНН), and closed=<ban ids of conviction.yaml,
comma-separated> from the conviction check.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField

from portal.public_forms import choices
from portal.search.analysis import sanitize_query
from portal.vacancies import nearby
from portal.vacancies.search import Query

SORTS = {"new": _l("Newest first"), "pay": _l("Highest pay first")}
NEAR_SORT = {"near": _l("Closest first")}  # kept only when a district or a point is chosen
MAX_SALARY = 10_000_000
MAX_POINT_TEXT = 500  # a pasted map link with its tail; the coordinates are near its start


class VacancyFilterForm(FlaskForm):
    """The filters of /vakansii."""

    class Meta:
        csrf = False

    q = StringField(_l("Job or words"), description=_l("For example: welder, loader, shift work with housing"))
    salary_from = StringField(_l("Pay from, ₽ a month"))
    day = BooleanField(_l("Day shifts only"))
    housing = BooleanField(_l("With housing"))
    no_experience = BooleanField(_l("No experience needed"))
    no_medbook = BooleanField(_l("No medical book needed"))
    part_time = BooleanField(_l("Part-time or temporary"))
    sort = SelectField(_l("Order"), choices=choices({**SORTS, **NEAR_SORT}), default="new", validate_choice=False)
    rayon = SelectField(_l("Close to a district"), default="", validate_choice=False,
                        description=_l("Measured from the district's centre in a straight line."))
    tochka = StringField(_l("Or your own point"),
                         description=_l("In a map app, press and hold your finger on the place: two numbers "
                                        "appear, for example 55.16, 61.40. Copy them here. We round the point "
                                        "to about a kilometre and keep nothing."))
    km = SelectField(_l("How far"), default=str(nearby.DEFAULT_RADIUS_KM), validate_choice=False,
                     choices=choices({str(km): _l("up to %(km)d km", km=km) for km in nearby.RADII_KM}))

    def __init__(self, *args, centres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.centres = centres or {}
        self.rayon.choices = choices({"": _l("Anywhere"), **nearby.district_names(self.centres)})

    def _near(self, problems):
        """The district's point or the visitor's own (which wins when both are given), or None."""
        point = None
        if (self.tochka.data or "").strip():
            point = nearby.parse_point(self.tochka.data[:MAX_POINT_TEXT])
            if point is None:
                problems.append(_l("We could not read the point. Paste two numbers from a map app, for example "
                                   "55.16, 61.40 (a place in Chelyabinsk oblast)."))
            else:
                self.tochka.data = point.as_text()
        if self.rayon.data:
            centre = self.centres.get(self.rayon.data)
            if centre is None:
                problems.append(_l("We have no point for that district, so we show vacancies everywhere."))
                self.rayon.data = ""
            elif point is not None:
                problems.append(_l("We measured from your point, not from the district."))
                self.rayon.data = ""
            else:
                point = centre
        return point

    def to_query(self, args, known_bans):
        """(Query, [problems]): the checked search, and a friendly message for each value left out."""
        problems = []
        text, shortened = sanitize_query(self.q.data or "")
        if shortened:
            problems.append(_l("The query was too long, so we searched for its beginning."))
        salary = None
        raw_salary = (self.salary_from.data or "").replace(" ", "").replace("\xa0", "")
        if raw_salary:
            if raw_salary.isdigit() and 0 < int(raw_salary) <= MAX_SALARY:
                salary = int(raw_salary)
            else:
                problems.append(_l("Write the pay as a number of roubles, for example 40000."))
                self.salary_from.data = ""
        near, radius = self._near(problems), nearby.DEFAULT_RADIUS_KM
        if near is not None:
            if self.km.data.isdigit() and int(self.km.data) in nearby.RADII_KM:
                radius = int(self.km.data)
            else:
                self.km.data = str(radius)
        sort = self.sort.data if self.sort.data in SORTS or (self.sort.data in NEAR_SORT and near) else "new"
        if self.sort.data in NEAR_SORT and near is None:
            problems.append(_l("To show the closest first, choose a district or paste your point."))
            self.sort.data = sort
        closed = []
        for part in (args.get("closed") or "").split(","):
            part = part.strip()
            if part in known_bans and part not in closed:
                closed.append(part)
            elif part:
                problems.append(_l("We did not recognise part of the link from the conviction check, so we "
                                   "ignored it."))
        try:
            page = max(1, min(int(args.get("page", "1")), 1000))
        except ValueError:
            page = 1
        inn = (args.get("inn") or "").strip()
        if inn and not (inn.isdigit() and len(inn) in (10, 12)):
            problems.append(_l("The employer's INN in the link is wrong, so we show every employer."))
            inn = ""
        query = Query(text=text, employer_inn=inn or None,
                      salary_from=salary, day_shift=bool(self.day.data), housing=bool(self.housing.data),
                      no_experience=bool(self.no_experience.data), no_medical_book=bool(self.no_medbook.data),
                      part_time=bool(self.part_time.data), closed=tuple(closed), sort=sort, page=page,
                      near=near, radius_km=radius)
        return query, list(dict.fromkeys(problems))


def link_args(query):
    """The query string of a search, for shareable links and paging (only what is set)."""
    args = {}
    if query.text:
        args["q"] = query.text
    if query.salary_from:
        args["salary_from"] = query.salary_from
    for name, value in (("day", query.day_shift), ("housing", query.housing),
                        ("no_experience", query.no_experience), ("no_medbook", query.no_medical_book),
                        ("part_time", query.part_time)):
        if value:
            args[name] = "y"
    if query.sort != "new":
        args["sort"] = query.sort
    if query.closed:
        args["closed"] = ",".join(query.closed)
    if query.employer_inn:
        args["inn"] = query.employer_inn
    if isinstance(query.near, nearby.Point):
        args["tochka"] = query.near.as_text()
    elif query.near is not None:
        args["rayon"] = query.near.district
    if query.near is not None:
        args["km"] = query.radius_km
    return args
