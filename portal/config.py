"""Configuration defaults; each is overridable by a `PORTAL_<NAME>` environment variable."""
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

# "development" runs with zero configuration; "production" refuses unsafe settings at start-up.
ENV = "development"

# None: generated once into the instance folder in development, required from the environment in production.
SECRET_KEY = None
SECRET_KEY_MIN_LENGTH = 32  # characters; ≥ 32 random bytes as ASVS 5 asks

CONTENT_DIR = str(PACKAGE_DIR / "content")
MIGRATIONS_DIR = str(PACKAGE_DIR / "migrations")

# Any SQLAlchemy URL; empty means SQLite in the instance folder (one host only: see docs/deploy.md).
DATABASE_URL = ""
SEARCH_INDEX_DIR = str(PROJECT_DIR / "search_index")

# Canonical address of the site, used in sitemap.xml, OpenGraph tags and shared links.
SITE_URL = "http://127.0.0.1:5000"
SITE_NAME = "Работа после освобождения"

# The centre's contacts: not known from the sourced facts, so empty until the centre sets them.
# Pages then say how to reach the centre through the application form instead.
CENTRE_NAME = "ОКУ «Центр занятости населения города Челябинска»"
CENTRE_PHONE = ""
CENTRE_ADDRESS = ""
CENTRE_HOURS = ""
CENTRE_EMAIL = ""

LANGUAGES = ["ru", "en"]
BABEL_DEFAULT_LOCALE = "ru"
BABEL_DEFAULT_TIMEZONE = "Asia/Yekaterinburg"  # Chelyabinsk time, UTC+5

# Plain-language targets checked by `flask content check` (see docs/writing-guides.md).
CONTENT_MAX_AVG_SENTENCE_WORDS = 15
CONTENT_MAX_SENTENCE_WORDS = 30
CONTENT_MIN_READABILITY = 50  # Oborneva's Flesch reading ease; 50 and above reads "easy" for Russian
CONTENT_TOC_MIN_HEADINGS = 3  # a table of contents is shown from this many ## headings

MAX_CONTENT_LENGTH = 64 * 1024  # bytes; no form here needs more
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

COMPRESS_MIMETYPES = ["text/html", "text/css", "text/xml", "application/xml", "application/json",
                      "text/plain", "image/svg+xml", "application/javascript"]
COMPRESS_ALGORITHM = ["br", "gzip"]
COMPRESS_MIN_SIZE = 500  # bytes; smaller bodies grow when compressed
