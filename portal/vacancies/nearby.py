"""«Рядом с районом»: the district points the vacancy search measures from, and the distance arithmetic.

The points are data (portal/content/district_centres.yaml, `VACANCY_DISTRICT_CENTRES_FILE`), each with its
source and the day it was checked; a wrong file stops the app naming the district and the field. Distances
are straight lines on an equirectangular approximation: within a city of 40 km it is off by well under 1 %,
and it is plain arithmetic that SQLite and PostgreSQL both evaluate in the query.
"""
import math
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
