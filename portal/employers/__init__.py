"""Friendly employers: the public directory, the employer sign-up, reports and the staff review.

- models.py: the cards, their sign-ups (the employer's contact) and «информация устарела» reports
- cards.py: the cards, their public life, search documents, `flask employers|demo`
- forms.py: the sign-up and report forms
- demo.py: the sample cards, marked «Пример»
- views.py: the public and staff pages
"""


def init_app(app):
    from portal.employers import views

    views.init_app(app)
