"""Friendly employers: the public directory, the employer sign-up, reports and the staff review.

- models.py: the cards, their sign-ups (the employer's contact) and «информация устарела» reports
- cards.py: the cards, their public life, sign-up, reports, staff changes, retention
- search.py: the public cards as search documents, rebuilding the index after a change
- cli.py: `flask employers purge|stale`, `flask demo load|clear`
- forms.py: the sign-up and report forms
- demo.py: the sample cards, marked «Пример», and loading and clearing them
- views.py: the public and staff pages
"""


def init_app(app):
    from portal.employers import cli, search, views

    views.init_app(app)
    search.init_app(app)
    cli.init_app(app)
