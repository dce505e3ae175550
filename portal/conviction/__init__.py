"""«Судимость и работа»: when a conviction is expunged and which work the law keeps closed. Stores nothing.

- rules.py: loading and checking conviction.yaml, answering a set of answers
- views.py: the questions and the answer page
"""


def init_app(app):
    from portal.cli import register_content_check
    from portal.conviction import rules, views

    views.init_app(app)
    register_content_check(app, rules.check_rules_file)
