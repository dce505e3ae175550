"""«Судимость и работа»: when a conviction is expunged and which work the law keeps closed. Stores nothing.

- rules.py: the rules file's data classes and constants, dating an expungement (УК РФ ст. 86, 95)
- loading.py: reading and checking conviction.yaml (`load_rules`, `check_rules_file`)
- bans.py: which work stays closed for one conviction
- questions.py: the screens, reading a query string into answers, the next question
- views.py: the questions and the answer page
"""


def init_app(app):
    from portal.cli import register_content_check
    from portal.conviction import loading, views

    views.init_app(app)
    register_content_check(app, loading.check_rules_file)
