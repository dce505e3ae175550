"""Vacancy pages (filled in below)."""


def init_app(app):
    pass
