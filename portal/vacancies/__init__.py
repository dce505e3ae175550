"""Vacancies of «Работа России» in Chelyabinsk oblast: synced nightly, searchable, aware of the conviction.

Modules: `models.py` (the vacancy and sync-log tables), `sync.py` (the API client over HTTP and saved files),
`records.py` (one API record → card values, no personal data), `classify.py` (conviction ban groups from
portal/content/vacancy_rules.yaml), `store.py` (fold, upsert, close, log), `search.py` (the search seam),
`forms.py` (the URL filters), `views.py` (/vakansii, the card, the staff sync log), `demo.py` (the marked
sample for `flask demo load`), `cli.py` (`flask vacancies sync|status`). docs/vacancies.md has the URL contract.
"""

DEFAULTS = {
    "VACANCY_API_URL": "https://opendata.trudvsem.ru/api/v1",
    "VACANCY_REGION": "7400000000000",      # Челябинская область (vacancies-api.md §1.6)
    "VACANCY_SYNC_WORKERS": 4,              # parallel requests; 8 measured safe by public clients
    "VACANCY_SYNC_TIMEOUT": 60,             # seconds per request; the API answers in 5–11 s
    "VACANCY_SYNC_RETRIES": 3,              # extra attempts per page
    "VACANCY_SYNC_BACKOFF": 2.0,            # seconds before the first retry, doubled each time
    # Word queries that reach records past the 10 000-record depth cap of the region query.
    "VACANCY_SYNC_SHARDS": ["рабочий", "водитель", "продавец", "менеджер", "специалист", "инженер",
                            "оператор", "мастер", "врач", "медицинская сестра", "учитель", "повар",
                            "слесарь", "электрик", "уборщик", "бухгалтер", "кладовщик", "грузчик",
                            "сварщик", "охранник", "машинист", "токарь", "монтажник", "воспитатель"],
}


def init_app(app):
    """Config defaults, the rules (validated now: a bad file stops the app), tables, pages and commands."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    from portal.vacancies import classify, cli, demo, models, views  # noqa: F401 (models: db.metadata sees them)
    app.extensions["vacancy_rules"] = classify.load_rules()
    views.init_app(app)
    app.cli.add_command(cli.vacancies_cli)
    demo.register_demo(app)
