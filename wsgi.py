"""Entry point for `flask --app wsgi` and gunicorn (`gunicorn wsgi:app`)."""
import sys

from portal import ConfigError, create_app
from portal.guides.content import ContentError

try:
    app = create_app()
except (ContentError, ConfigError) as error:
    # A plain message naming the file and field (or setting) instead of a traceback.
    sys.exit(f"Сайт не запущен:\n{error}")
