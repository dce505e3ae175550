"""The application form /zayavka and the officers' referral form: the one path to a person.

- models.py: the Application and ApplicationNote tables (the one home of a visitor's personal data)
- applications.py: the choices, cleaning and storing a request, idempotently, with its number
- forms.py: the two forms, every field checked with a plain message
- confirmation.py: the page that exists only for a stored request
- notify.py: the new-request notice to the centre
- views.py, referral.py: the pages
"""


def init_app(app):
    from portal.apply import referral, views

    views.init_app(app)
    referral.init_app(app)
