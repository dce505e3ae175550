"""The staff desk: sign-in, the requests, the figures; closed to everyone else.

- auth.py: accounts, passwords, sign-in throttling, `flask staff …`
- forms.py: the sign-in and desk forms
- desk.py: the queue of requests, statuses, CSV export
- retention.py: `flask requests purge` (personal data kept only as long as the consent says)
- figures.py: the service figures of the dashboard
- views.py, dashboard.py: the pages
"""


def init_app(app):
    from portal.staff import auth, dashboard, retention, views

    auth.init_app(app)
    retention.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(dashboard.bp)
