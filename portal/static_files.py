"""Fingerprinted static URLs (`?v=<hash>`) served with a year-long cache; the favicon."""
import hashlib
from functools import lru_cache
from pathlib import Path

from flask import redirect, request, url_for

YEAR = 365 * 24 * 3600


@lru_cache(maxsize=256)
def _fingerprint(path):
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    except OSError:
        return None


def init_app(app):
    static_dir = Path(app.static_folder)

    @app.url_defaults
    def add_fingerprint(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = _fingerprint(str(static_dir / values["filename"]))
            if version:
                values["v"] = version

    default_max_age = app.get_send_file_max_age

    def send_file_max_age(filename):
        # A fingerprinted URL never changes content, so browsers may keep it for a year.
        if request.args.get("v"):
            return YEAR
        return default_max_age(filename)

    app.get_send_file_max_age = send_file_max_age

    @app.route("/favicon.ico")
    def favicon():
        return redirect(url_for("static", filename="favicon.svg"), code=301)
