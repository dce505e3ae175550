"""The anonymous widgets: «посоветовать другу», «было ли полезно», the leaflet; no IP, no cookie.

- widgets.py: counting, share links, QR codes, small-number suppression
- views.py: the cookieless POSTs and the leaflet
"""


def init_app(app):
    from portal.feedback import views

    views.init_app(app)
