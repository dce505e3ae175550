"""«Рядом с районом» and «своя точка»: the points the vacancy search measures from, and the distance arithmetic.

A search measures from a district's point or from a point the visitor pastes (coordinates from a map app or a
map link), rounded to about a kilometre. The district points are data (portal/content/district_centres.yaml,
`VACANCY_DISTRICT_CENTRES_FILE`), each with its source and the day it was checked; a wrong file stops the app
naming the district and the field. Distances are straight lines on an equirectangular approximation: within a
city of 40 km it is off by well under 1 %, and it is plain arithmetic that SQLite and PostgreSQL both evaluate
in the query.
"""
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from portal.config import is_production
from portal.text import DISTRICTS
from portal.yaml_files import load_yaml_file

CENTRES_FILE = Path(__file__).resolve().parent.parent / "content" / "district_centres.yaml"
DEMO_CENTRES_FILE = Path(__file__).resolve().parent / "demo_district_centres.yaml"  # development only
KM_PER_DEGREE = 111.2
RADII_KM = (3, 5, 10, 20)
DEFAULT_RADIUS_KM = 5
# Chelyabinsk with its outskirts: a point outside is a typo (a swapped lat/lng, a dropped digit).
CITY_BOX = {"lat": (54.9, 55.4), "lng": (61.0, 61.8)}
# Chelyabinsk oblast, where every vacancy is. The two ranges do not overlap, so a pasted pair reads one way
# only, whichever order it comes in (map apps write «55.16, 61.40», many map links «61.40,55.16»).
REGION_BOX = {"lat": (51.8, 56.5), "lng": (57.0, 63.6)}
POINT_DECIMALS = 2  # 0.01° is about 1.1 km north–south and 0.6 km east–west here
_DEGREES = re.compile(r"(?<![\d.])(\d{2})[.,](\d+)")


class CentresError(ValueError):
    """district_centres.yaml is wrong; the message names the file, the district and the field."""


@dataclass(frozen=True)
class Centre:
    district: str
    name: str
    lat: float
    lng: float
    source: str
    checked: date
    is_demo: bool = False


@dataclass(frozen=True)
class Point:
    """A point the visitor chose, rounded to about a kilometre, so that the link a person shares or keeps in
    the browser's history does not pin a home. It is read from the URL and never stored."""
    lat: float
    lng: float

    def as_text(self):
        return f"{self.lat:.{POINT_DECIMALS}f}, {self.lng:.{POINT_DECIMALS}f}"


def point_at(lat, lng):
    """The rounded Point at (lat, lng), or None outside Chelyabinsk oblast."""
    (lat_low, lat_high), (lng_low, lng_high) = REGION_BOX["lat"], REGION_BOX["lng"]
    if not (lat_low <= lat <= lat_high and lng_low <= lng <= lng_high):
        return None
    return Point(round(lat, POINT_DECIMALS), round(lng, POINT_DECIMALS))


def parse_point(text):
    """The Point in pasted text: «55.160523, 61.402554», «55,16 61,40», a map link with the two numbers in
    either order; the first neighbouring pair of decimal numbers inside Chelyabinsk oblast. None if none is."""
    numbers = [float(f"{whole}.{fraction}") for whole, fraction in _DEGREES.findall(text or "")]
    for first, second in zip(numbers, numbers[1:], strict=False):
        point = point_at(first, second) or point_at(second, first)
        if point is not None:
            return point
    return None


def load_centres(path):
    """{district code: Centre} from the file; raises CentresError listing every problem."""
    try:
        data = load_yaml_file(path) or {}
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise CentresError(f"{path}: не читается: {error}") from error
    raw = data.get("centres") if isinstance(data, dict) else None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise CentresError(f"{path}: centres: ожидается словарь «район: точка»")
    problems, centres = [], {}
    is_demo = bool(data.get("demo")) if isinstance(data, dict) else False
    for district, item in raw.items():
        where = f"{Path(path).name}: centres → {district}"
        if district not in DISTRICTS:
            problems.append(f"{where}: неизвестный район (есть: {', '.join(DISTRICTS)})")
            continue
        if not isinstance(item, dict):
            problems.append(f"{where}: ожидается словарь с полями name, lat, lng, source, checked")
            continue
        unknown = set(item) - {"name", "lat", "lng", "source", "checked"}
        if unknown:
            problems.append(f"{where}: неизвестное поле «{sorted(unknown)[0]}» (опечатка?)")
        values = {}
        for axis in ("lat", "lng"):
            value = item.get(axis)
            low, high = CITY_BOX[axis]
            if not isinstance(value, int | float) or isinstance(value, bool) or not low <= value <= high:
                problems.append(f"{where}: поле «{axis}»: число от {low} до {high} (точка в Челябинске)")
            values[axis] = value
        source = item.get("source")
        if not isinstance(source, str) or urlsplit(source).scheme != "https" or not urlsplit(source).netloc:
            problems.append(f"{where}: поле «source»: нужна ссылка https:// на источник координат")
        checked = item.get("checked")
        if not isinstance(checked, date):
            problems.append(f"{where}: поле «checked»: дата проверки, например 2026-12-01")
        name = item.get("name") or str(DISTRICTS[district])
        if not any(p.startswith(where) for p in problems):
            centres[district] = Centre(district, str(name), float(values["lat"]), float(values["lng"]),
                                       source, checked, is_demo)
    if problems:
        raise CentresError("\n".join(problems))
    return centres


def centres_for(app):
    """The points the app measures from: the configured file; in development, when it has none, the marked
    sample points (so the filter can be tried on the demo vacancies). Production never gets a sample."""
    centres = load_centres(app.config["VACANCY_DISTRICT_CENTRES_FILE"] or CENTRES_FILE)
    if not centres and not is_production(app) and app.config.get("VACANCY_DEMO_CENTRES", True):
        centres = load_centres(DEMO_CENTRES_FILE)
    return centres


def district_names(centres):
    """{district code: its name} of the districts a search can measure from, in the file's order."""
    return {code: DISTRICTS[code] for code in centres}


def box(centre, km):
    """(lat_low, lat_high, lng_low, lng_high) around a centre: the cheap first cut of the query."""
    dlat = km / KM_PER_DEGREE
    dlng = km / (KM_PER_DEGREE * math.cos(math.radians(centre.lat)))
    return centre.lat - dlat, centre.lat + dlat, centre.lng - dlng, centre.lng + dlng


def squared_km(lat, lng, centre):
    """The squared distance in km² from a centre to (lat, lng); works on numbers and on SQL columns alike."""
    scale = math.cos(math.radians(centre.lat))
    return ((lat - centre.lat) * KM_PER_DEGREE) * ((lat - centre.lat) * KM_PER_DEGREE) + \
        ((lng - centre.lng) * KM_PER_DEGREE * scale) * ((lng - centre.lng) * KM_PER_DEGREE * scale)


def distance_km(lat, lng, centre):
    return math.sqrt(squared_km(lat, lng, centre))
