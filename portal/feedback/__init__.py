"""The anonymous widgets: «посоветовать другу», «было ли полезно», the leaflet; no IP, no cookie.

- models.py: the anonymous tables (page answers, share counts, 0–10 answers)
- widgets.py: counting, share links, QR codes, small-number suppression, the widgets' figures
- views.py: the cookieless POSTs and the leaflet
"""


def init_app(app):
    from portal.feedback import views

    views.init_app(app)
