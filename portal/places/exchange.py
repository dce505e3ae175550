"""The places file the centre keeps: export to YAML or CSV, and import it back — all rows or none.

Both formats hold the same columns (FILE_COLUMNS). An import checks every row with the staff form's own
rules (`directory.clean_values`) and reports each problem with its line and column; only a file without
a single problem is written, in one transaction, so a list is never half loaded. A row whose `id` names an
existing place updates it; any other row adds a place. Sample places («Пример») are never exported.
"""
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

import yaml
from sqlalchemy import select

from portal.audit import record
from portal.extensions import db
from portal.places import directory
from portal.places.models import WEEKDAY_COLUMNS, Place

FILE_COLUMNS = ("id", "kind", "name", "district", "address", "directions", "phones", *WEEKDAY_COLUMNS,
                "hours_note", "what_to_bring", "serves", "note", "is_main", "hidden", "confirmed_on",
                "confirmed_by")
MAX_ROWS = 2000  # far more places than a city has; a bigger file is a mistake, not a directory


@dataclass(frozen=True)
class Problem:
    line: int
    field: str
    message: str

    def __str__(self):
        where = f"строка {self.line}" + (f", поле «{self.field}»" if self.field else "")
        return f"{where}: {self.message}"


class ImportRefused(ValueError):
    """The file has problems; nothing was written."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class Row:
    line: int
    data: dict
    lines: dict  # column -> line of its value (YAML); CSV rows keep one line for all


def _yaml_rows(text):
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise ImportRefused([Problem(mark.line + 1 if mark else 1, "", "файл не читается как YAML")]) from None
    if data is None:
        return []
    if not isinstance(data, list) or root is None or not isinstance(root, yaml.SequenceNode):
        raise ImportRefused([Problem(1, "", "нужен список мест: каждое место начинается с «- »")])
    rows = []
    for node, item in zip(root.value, data, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(item, dict):
            raise ImportRefused([Problem(line, "", "место должно быть набором полей «поле: значение»")])
        lines = {}
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                lines[str(key_node.value)] = value_node.start_mark.line + 1
        rows.append(Row(line=line, data={str(k): v for k, v in item.items()}, lines=lines))
    return rows


def _csv_rows(text):
    text = text.lstrip("\ufeff")
    # Excel saves «CSV» with «;» in a Russian locale and «,» elsewhere: the header line tells which.
    header_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return []
    header = [name.strip() for name in header]
    unknown = [name for name in header if name not in FILE_COLUMNS]
    if unknown:
        raise ImportRefused([Problem(1, name, "такого поля нет") for name in unknown])
    rows, start = [], reader.line_num + 1
    for values in reader:
        if any(v.strip() for v in values):
            if len(values) > len(header):
                raise ImportRefused([Problem(start, "", "в строке больше значений, чем полей в заголовке")])
            rows.append(Row(line=start, data=dict(zip(header, values, strict=False)), lines={}))
        start = reader.line_num + 1
    return rows


def read_rows(text, fmt):
    """The file's rows ("yaml" or "csv"); raises ImportRefused when it cannot be read at all."""
    rows = _yaml_rows(text) if fmt == "yaml" else _csv_rows(text)
    if len(rows) > MAX_ROWS:
        raise ImportRefused([Problem(1, "", f"больше {MAX_ROWS} мест в одном файле")])
    return rows


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _flag(value):
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in directory.TRUE_WORDS


def _text(value):
    if value is None:
        return ""
    if isinstance(value, list):  # YAML lists of phones or documents: one per line
        return "\n".join(str(v) for v in value)
    return str(value)


def check_rows(rows):
    """[(row, values)] when every row is fine; raises ImportRefused listing every problem otherwise."""
    from flask_babel import force_locale

    problems, checked = [], []
    existing = set(db.session.execute(select(Place.id)).scalars())
    with force_locale("ru"):
        for row in rows:
            unknown = [key for key in row.data if key not in FILE_COLUMNS]
            for key in unknown:
                problems.append(Problem(row.lines.get(key, row.line), key, "такого поля нет"))
            raw = {key: _text(value) if key != "is_main" else value for key, value in row.data.items()}
            values, errors = directory.clean_values(raw)
            for column, message in errors.items():
                problems.append(Problem(row.lines.get(column, row.line), column, str(message)))
            try:
                values["confirmed_on"] = _date(row.data.get("confirmed_on"))
            except ValueError:
                problems.append(Problem(row.lines.get("confirmed_on", row.line), "confirmed_on",
                                        "дата пишется так: 2026-12-01 или 01.12.2026"))
            values["confirmed_by"] = (_text(row.data.get("confirmed_by")).strip()[:80]) or None
            values["hidden"] = _flag(row.data.get("hidden"))
            raw_id = row.data.get("id")
            values["id"] = None
            if raw_id not in (None, ""):
                try:
                    values["id"] = int(str(raw_id).strip())
                except ValueError:
                    problems.append(Problem(row.lines.get("id", row.line), "id", "номер места — целое число"))
                else:
                    if values["id"] not in existing:
                        values["id"] = None  # a place from another copy of the site: added as new
            checked.append((row, values))
    if problems:
        raise ImportRefused(sorted(problems, key=lambda problem: problem.line))
    return checked


def import_text(text, fmt, actor="cli"):
    """Check the whole file, then write it in one transaction; returns (added, updated)."""
    checked = check_rows(read_rows(text, fmt))
    added = updated = 0
    try:
        for _row, values in checked:
            place = db.session.get(Place, values["id"]) if values["id"] else None
            if place is None:
                place = Place(is_demo=False)
                db.session.add(place)
                added += 1
            else:
                updated += 1
            for column in (*directory.EDITABLE_COLUMNS, "hidden", "confirmed_on", "confirmed_by"):
                setattr(place, column, values[column])
        record(actor, "place_import", "place", detail=f"added={added}; updated={updated}")
    except Exception:
        db.session.rollback()
        raise
    return added, updated


def export_rows():
    """The real places (never the samples) as dicts of FILE_COLUMNS, in id order."""
    places = db.session.execute(select(Place).where(Place.is_demo.is_(False)).order_by(Place.id)).scalars()
    rows = []
    for place in places:
        row = {column: getattr(place, column) for column in FILE_COLUMNS}
        row["confirmed_on"] = place.confirmed_on.isoformat() if place.confirmed_on else None
        rows.append(row)
    return rows


def export_text(fmt):
    rows = export_rows()
    if fmt == "yaml":
        return yaml.safe_dump(rows, allow_unicode=True, sort_keys=False, default_flow_style=False)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FILE_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else ("да" if v is True else "" if v is False else v))
                         for k, v in row.items()})
    return "\ufeff" + buffer.getvalue()  # the BOM makes Excel read UTF-8
