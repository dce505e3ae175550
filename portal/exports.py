"""The one CSV policy of every export (requests, employers, figures): what Excel opens safely.

UTF-8 with a BOM so Excel picks the encoding for Cyrillic, «;» as Russian regional settings expect, CRLF
lines, and every cell that starts like a formula (= + - @ tab CR) neutralised with a leading apostrophe —
except a plain number such as «-20» (an NPS), which stays a number (security item 19).
"""
import csv
import io
import re

from flask import current_app

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER_RE = re.compile(r"^-?\d+(?:[.,]\d+)?$")
CSV_DELIMITER = ";"  # what Excel with Russian regional settings expects (the list separator there is «;»)


def csv_cell(value):
    """A cell a spreadsheet will not run as a formula; None is empty and numbers stay numbers."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) and not NUMBER_RE.match(text) else text


def csv_text(header, rows):
    """The whole file as text: a BOM, the header, then the rows, every cell through `csv_cell`."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in ([header] if header is not None else []) + list(rows):
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()


def csv_bytes(rows):
    """Rows (the first one being the header) as the UTF-8 bytes of a download."""
    return csv_text(None, rows).encode("utf-8")


def suppress_small(count, minimum=None):
    """A count of people as it may leave the desk (exports, the dashboard's request counts, security item 31):
    1 to minimum−1 reads «<minimum» (DASHBOARD_MIN_CELL, 5); nobody (0) and larger counts stay exact."""
    minimum = minimum or current_app.config["DASHBOARD_MIN_CELL"]
    return f"<{minimum}" if 0 < count < minimum else str(count)
