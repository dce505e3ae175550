"""Vacancies of «Работа России» in Chelyabinsk oblast: synced nightly, searchable, aware of the conviction.

Modules: `models.py` (the vacancy and sync-log tables), `sync.py` (the API client over HTTP and saved files),
`records.py` (one API record → card values, no personal data), `classify.py` (conviction ban groups from
portal/content/vacancy_rules.yaml), `store.py` (fold, upsert, close, log), `search.py` (the search seam),
`forms.py` (the URL filters), `views.py` (/vakansii, the card, the staff sync log), `demo.py` (the marked
sample for `flask demo load`), `cli.py` (`flask vacancies sync|status`). docs/vacancies.md has the URL contract.
"""


def init_app(app):
    """The rules (validated now: a bad file stops the app), tables, pages and commands."""
    from portal.vacancies import classify, cli, demo, models, nearby, views  # noqa: F401 (models: the tables)

    app.extensions["vacancy_rules"] = classify.load_rules()
    app.extensions["district_centres"] = nearby.centres_for(app)
    views.init_app(app)
    app.cli.add_command(cli.vacancies_cli)
    demo.register_demo(app)
