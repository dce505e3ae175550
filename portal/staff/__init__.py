"""The staff desk: sign-in, the requests, the figures; closed to everyone else.

- models.py: staff accounts, sessions and set-up tokens
- auth.py: sessions, the two-step login, sign-in throttling, accounts and setup links
- credentials.py: passwords (argon2id, the policy) and TOTP codes
- cli.py: `flask staff …`
- forms.py: the sign-in and desk forms
- desk.py: the queue of requests, statuses, CSV export
- retention.py: `flask requests purge` (personal data kept only as long as the consent says)
- figures.py: the service figures of the dashboard
- overview.py: the dashboard's figures as one set, its bars and CSV rows
- views.py, dashboard.py: the pages
"""
from portal.errors import register_expiry_redirect


def init_app(app):
    from portal.staff import auth, dashboard, retention, views
    from portal.staff.cli import staff_cli

    auth.init_app(app)
    app.cli.add_command(staff_cli)
    retention.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(dashboard.bp)
    register_expiry_redirect(app, views.bp.name, views.after_expired_form)
