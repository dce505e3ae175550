"""Configuration defaults; each is overridable by a `PORTAL_<NAME>` environment variable.

`load(app, test_config)` reads them, then the environment, then the test values, and refuses to start in
production with an unsafe or incomplete configuration (`ConfigError`). Only UPPERCASE names are settings.
"""
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

# "development" runs with zero configuration; "production" refuses unsafe settings at start-up.
ENV = "development"

# None: generated once into the instance folder in development, required from the environment in production.
SECRET_KEY = None
SECRET_KEY_MIN_LENGTH = 32  # characters; ≥ 32 random bytes as ASVS 5 asks

CONTENT_DIR = str(PACKAGE_DIR / "content")
MIGRATIONS_DIR = str(PACKAGE_DIR / "migrations")

# «Судимость и работа» (/proverka-sudimosti, docs/conviction-check.md): the rules file, and where «Выйти»
# sends a person reading on a shared phone (a plain navigation with no referrer; our page loads nothing).
CONVICTION_RULES_FILE = str(PACKAGE_DIR / "content" / "conviction.yaml")
CONVICTION_EXIT_URL = "https://ya.ru/"

# Any SQLAlchemy URL; empty means SQLite in the instance folder (one host only: see docs/deploy.md).
DATABASE_URL = ""
SQLITE_BUSY_TIMEOUT = 5.0  # seconds a write waits for another writer before the person is told to retry
SEARCH_INDEX_DIR = str(PROJECT_DIR / "search_index")

# Search (portal/search/, docs/search.md).
SEARCH_BUILD_ON_START = True  # build the index at start-up when missing, corrupt or older than the content
SEARCH_BUILD_LOCK_TIMEOUT = 120  # seconds a starting worker waits while another one builds the index
SEARCH_KEEP_BUILDS = 1  # previous index builds kept next to the published one, for rollback
SEARCH_SYNONYMS_FILE = ""  # empty: synonyms.yaml in CONTENT_DIR
SEARCH_RESULTS_PER_PAGE = 10  # results per page; capped at 20 whatever is configured
SEARCH_MAX_QUERY_CHARS = 200  # longer queries are cut, never rejected
SEARCH_MAX_QUERY_TERMS = 20  # words beyond this are dropped: each word costs a term lookup per field
SEARCH_TIME_LIMIT = 0.5  # seconds one Whoosh search may run before the results found so far are shown
SEARCH_CACHE_SIZE = 256  # recent result pages kept per worker, keyed by normalised query and index build
SEARCH_SUGGEST_LIMIT = 6  # autocomplete entries
# Shown when a search is empty or finds nothing: the guides people need most.
SEARCH_POPULAR_GUIDES = ["kuda-idti/pervye-30-dney", "posobie/kto-poluchaet", "posobie/kak-vstat-na-uchet",
                         "rabota/gde-iskat", "dokumenty/vosstanovit-pasport", "sudimost/zakrytye-professii"]
SEARCH_STATS_ENABLED = True  # anonymous count per normalised query per day (portal/search/stats.py)
SEARCH_STATS_MIN_COUNT = 3  # staff see a query only once it was searched on this many different days
SEARCH_STATS_KEEP_DAYS = 90  # statistics older than this are deleted
# Counts are added up in each worker and written together at most this many seconds later (or once this
# many different queries wait): one commit per search was the search page's largest cost. 0: at once.
SEARCH_STATS_FLUSH_SECONDS = 10
SEARCH_STATS_FLUSH_ROWS = 200
SEARCH_PAGE_CACHE_SECONDS = 60  # a finished result page is reused this long (portal/page_cache.py)

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

# The personal-data operator named in the consent and the privacy policy. Not in the sourced facts:
# the centre sets them; production refuses to start while any is empty.
OPERATOR_NAME = "ОКУ ЦЗН г. Челябинска"
OPERATOR_ADDRESS = ""
OPERATOR_EMAIL = ""
OPERATOR_PHONE = ""

# Applications: personal data of closed requests is removed after this many days (ст. 21 152-ФЗ).
APPLICATION_RETENTION_DAYS = 30
APPLY_MIN_FILL_SECONDS = 3  # faster than a person can fill the form (from its first render): asked to send again
FORM_START_MAX_AGE = 24 * 3600  # seconds a public form's signed start time stays valid
# Only stored requests count (a typing mistake costs nothing; portal/public_forms.py).
APPLY_RATE_LIMIT = "5 per hour"  # per anonymous client, for oneself
APPLY_REFERRAL_RATE_LIMIT = "30 per hour"  # per client for a relative, an officer or an NGO sending for others
APPLY_GLOBAL_RATE_LIMIT = "500 per hour"  # all clients together; beyond it every client gets the surge limit
APPLY_SURGE_RATE_LIMIT = "1 per hour"  # per client during a surge: slower, never closed
APPLY_COMMENT_MAX = 1000  # characters
# The confirmation promises contact within this many working days; the desk marks requests waiting longer.
APPLY_ANSWER_WORKING_DAYS = 2
# Public holidays and moved days off, with their sources (portal/working_days.py).
HOLIDAYS_FILE = str(PACKAGE_DIR / "content" / "holidays.yaml")

# The staff desk (portal/staff/auth.py, docs/staff.md).
STAFF_IDLE_MINUTES = 30  # a staff session ends after this long without a request (ASVS 4 3.3.2)
STAFF_ABSOLUTE_HOURS = 12  # and this long after sign-in, however active
STAFF_CODE_MINUTES = 5  # time to type the app code after the password step
STAFF_SETUP_HOURS = 24  # a setup link from `flask staff create|reset-password` works this long, once
STAFF_LOGIN_RATE_LIMIT = "5 per minute"  # sign-in and code POSTs per anonymous client
# Failed sign-in and code POSTs per account *and address*: a delay that grows (a minute, a quarter of an hour,
# an hour) and never locks the owner out from another address; `flask staff unlock` clears it at once.
STAFF_ACCOUNT_RATE_LIMIT = "3 per minute; 6 per 15 minutes; 10 per hour"
STAFF_TOTP_ISSUER = "CZN Chelyabinsk"  # the name shown in the authenticator app (ASCII: some apps garble UTF-8)
STAFF_PAGE_SIZE = 25  # requests per desk page

# Optional e-mail notice «new request N» (portal/apply/notify.py): off while SMTP_HOST is empty.
SMTP_HOST = ""
SMTP_PORT = 587
SMTP_STARTTLS = True
SMTP_USERNAME = ""
SMTP_PASSWORD = ""
SMTP_FROM = ""
SMTP_TO = ""  # one address or several separated by commas
SMTP_TIMEOUT = 5  # seconds
SMTP_IN_BACKGROUND = True  # send from a thread: a slow mail server never delays the person's confirmation

# Anonymous feedback, sharing, the leaflet and the staff dashboard (portal/feedback/widgets.py, docs/feedback.md).
FEEDBACK_RATE_LIMIT = "30 per hour"  # per anonymous client and widget endpoint
FEEDBACK_COMMENT_MAX = 500  # characters of a «Нет» comment, after masking
FEEDBACK_COMMENT_WINDOW = 3600  # seconds after «Нет» during which a comment can be added to that answer
# The 0–10 question after the service (portal/feedback/survey.py): below this many answers in the period the
# dashboard shows the raw counts only, since an NPS of a handful of answers says nothing.
SURVEY_NPS_MIN_ANSWERS = 20
# A survey link works for at least this many days: one handed out in a month stops working once that month
# ended more than SURVEY_LINK_DAYS ago, and `flask survey purge` deletes such unused invitations.
SURVEY_LINK_DAYS = 60
LEAFLET_GUIDES = ["kuda-idti/pervye-30-dney", "posobie/kto-poluchaet", "dokumenty/spisok-dokumentov",
                  "sudimost/zakrytye-professii", "rabota/gde-iskat", "kuda-idti/probaciya"]
LEAFLET_MAX_GUIDES = 6  # QR codes that still fit one A4 sheet
DASHBOARD_DEFAULT_DAYS = 30
DASHBOARD_MAX_DAYS = 731  # two years; longer periods are refused
DASHBOARD_MIN_CELL = 5  # counts of people's requests below this are shown as «<5» (security item 31)

# Friendly employers (/rabotodateli, portal/employers/cards.py, docs/employers.md).
EMPLOYER_CONFIRMATION_MONTHS = 6  # a card not re-confirmed by the centre for this long leaves the public list
EMPLOYER_CONTACT_RETENTION_DAYS = 30  # days after a card is hidden until its representative's contacts go
EMPLOYER_SIGNUP_RATE_LIMIT = "5 per hour"  # sign-up posts per anonymous client
EMPLOYER_SIGNUP_GLOBAL_RATE_LIMIT = "100 per hour"  # all clients together; beyond it the surge limit applies
EMPLOYER_SIGNUP_SURGE_RATE_LIMIT = "1 per hour"  # per client during a surge
EMPLOYER_REPORT_RATE_LIMIT = "20 per hour"  # «информация устарела» taps per anonymous client

# The places directory (/kuda-obratitsya, portal/places/, docs/places.md): a place not confirmed by the centre
# for this many days shows «сведения могли устареть» and is listed for staff to re-check.
PLACES_STALE_DAYS = 90

LANGUAGES = ["ru", "en"]
BABEL_DEFAULT_LOCALE = "ru"
BABEL_DEFAULT_TIMEZONE = "Asia/Yekaterinburg"  # Chelyabinsk time, UTC+5

# Plain-language targets checked by `flask content check` (see docs/writing-guides.md).
CONTENT_MAX_AVG_SENTENCE_WORDS = 15
CONTENT_MAX_SENTENCE_WORDS = 30
CONTENT_MIN_READABILITY = 50  # Oborneva's Flesch reading ease; 50 and above reads "easy" for Russian
CONTENT_TOC_MIN_HEADINGS = 3  # a table of contents is shown from this many ## headings

# Rate limits: memory:// is per process, so more than one worker needs Redis (redis://127.0.0.1:6379).
WORKERS = 1  # how many processes serve the app; must match gunicorn's workers
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True  # a Redis outage must not take the application form down
RATELIMIT_HEADERS_ENABLED = True
RATELIMIT_KEY_PREFIX = "portal"

SEARCH_RATE_LIMIT = "120 per minute"  # per client: generous, a phone network shares one address
LOG_LEVEL = "INFO"  # the app's JSON lines to stderr (portal/logs.py)
# Host names the app answers to (Flask refuses others with 400): PORTAL_TRUSTED_HOSTS='["example.ru"]'. In
# production, when unset: SITE_URL's host plus localhost for the balancer's probes; in development any host.
TRUSTED_HOSTS = None
MAX_CONTENT_LENGTH = 64 * 1024  # bytes; no form here needs more

# Reverse proxy: how many proxies in front set X-Forwarded-For (nginx alone: 1). 0 trusts no such header;
# then every visitor shares the proxy's address and per-client rate limits count everyone together.
PROXY_FIX_X_FOR = 0

# Finished public pages kept in memory per worker (portal/page_cache.py): guides, sections, home, and
# search result pages for SEARCH_PAGE_CACHE_SECONDS. Off in debug mode.
PAGE_CACHE_ENABLED = True
PAGE_CACHE_MAX_PAGES = 1024  # content pages × compressions; never evicted (there are about 100 pages)
PAGE_CACHE_MAX_SHORT = 512  # short-lived pages (search results), least recently used evicted
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

COMPRESS_MIMETYPES = ["text/html", "text/css", "text/xml", "application/xml", "application/json",
                      "text/plain", "image/svg+xml", "application/javascript"]
COMPRESS_ALGORITHM = ["br", "gzip"]
COMPRESS_MIN_SIZE = 500  # bytes; smaller bodies grow when compressed

# Vacancies from «Работа России» open data (portal/vacancies/sync.py, ../shared/vacancies-api.md).
VACANCY_API_URL = "https://opendata.trudvsem.ru/api/v1"
VACANCY_REGION = "7400000000000"  # Челябинская область (vacancies-api.md §1.6)
VACANCY_SYNC_WORKERS = 4  # parallel requests; 8 measured safe by public clients
VACANCY_SYNC_TIMEOUT = 60  # seconds per request; the API answers in 5–11 s
VACANCY_SYNC_RETRIES = 3  # extra attempts per page
VACANCY_SYNC_BACKOFF = 2.0  # seconds before the first retry, doubled each time
# The district points of «Рядом с районом» (portal/vacancies/nearby.py); empty: portal/content/district_centres.yaml.
VACANCY_DISTRICT_CENTRES_FILE = ""
VACANCY_DEMO_CENTRES = True  # development only: marked sample points while the file above has none
# Word queries that reach records past the 10 000-record depth cap of the region query.
VACANCY_SYNC_SHARDS = ["рабочий", "водитель", "продавец", "менеджер", "специалист", "инженер", "оператор", "мастер",
                       "врач", "медицинская сестра", "учитель", "повар", "слесарь", "электрик", "уборщик", "бухгалтер",
                       "кладовщик", "грузчик", "сварщик", "охранник", "машинист", "токарь", "монтажник",
                       "воспитатель"]


class ConfigError(RuntimeError):
    """The app refuses to start with this configuration."""


def load(app, test_config=None):
    """Defaults, then PORTAL_* environment variables, then `test_config`; then the production checks."""
    app.config.from_object(sys.modules[__name__])
    app.config.from_prefixed_env("PORTAL")
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _configure_secret_key(app)
    _configure_production(app)


def is_production(app):
    return str(app.config.get("ENV", "development")).lower() == "production"


def _configure_secret_key(app):
    """Development gets a key generated once into the instance folder; production must bring its own."""
    key = app.config.get("SECRET_KEY")
    if key:
        if is_production(app) and (len(str(key)) < app.config["SECRET_KEY_MIN_LENGTH"]
                                   or "change" in str(key).lower() or "example" in str(key).lower()):
            raise ConfigError("PORTAL_SECRET_KEY is too short or an example value: give 32+ random characters")
        return
    if is_production(app):
        raise ConfigError("PORTAL_SECRET_KEY is required in production (32+ random characters)")
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _configure_production(app):
    if is_production(app):
        app.config["DEBUG"] = False
        app.debug = False
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["SESSION_COOKIE_NAME"] = "__Host-session"
        app.config["PREFERRED_URL_SCHEME"] = "https"
        if not app.config.get("TRUSTED_HOSTS"):
            app.config["TRUSTED_HOSTS"] = [urlsplit(app.config["SITE_URL"]).hostname, "localhost", "127.0.0.1"]
        missing = [k for k in ("OPERATOR_NAME", "OPERATOR_ADDRESS", "OPERATOR_EMAIL", "OPERATOR_PHONE")
                   if not str(app.config.get(k) or "").strip()]
        if missing:
            raise ConfigError("The consent names the operator: set " + ", ".join(f"PORTAL_{k}" for k in missing))
        # Every page's help box, the leaflet and the printed plan tell people how to reach the centre, and
        # half of them come in person: a public site without the centre's phone and address is a dead end.
        missing = [k for k in ("CENTRE_PHONE", "CENTRE_ADDRESS") if not str(app.config.get(k) or "").strip()]
        if missing:
            raise ConfigError("Pages tell people how to reach the centre: set "
                              + ", ".join(f"PORTAL_{k}" for k in missing))
        if int(app.config.get("WORKERS", 1)) > 1 and str(app.config["RATELIMIT_STORAGE_URI"]).startswith("memory"):
            raise ConfigError("PORTAL_WORKERS > 1 needs shared rate-limit storage: set PORTAL_RATELIMIT_STORAGE_URI "
                              "to redis://…")
