"""The anonymous widgets: «посоветовать другу», «было ли полезно», the leaflet; no IP, no cookie.

- models.py: the anonymous tables (page answers, share counts, 0–10 answers)
- widgets.py: counting, share links, QR codes, the widgets' figures
- survey.py: the single-use 0–10 question after the service, its expiry and its figures
- views.py: the cookieless POSTs and the leaflet
- cli.py: `flask survey purge`
"""


def init_app(app):
    from portal.feedback import cli, views

    views.init_app(app)
    cli.init_app(app)
