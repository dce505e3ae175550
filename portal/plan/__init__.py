"""«Мой план» and «Положено ли мне пособие»: questions, then steps in order, from plan.yaml.

- rules.py: the rules' data classes, the steps and the benefit outcome for a set of answers
- loading.py: reading and checking plan.yaml (`load_rules`, `check_rules`)
- views.py: the questionnaires, the plan and its print version
"""
from pathlib import Path


def init_app(app):
    """Load plan.yaml from the content folder; a content folder without it simply has no «Мой план»."""
    from portal.cli import register_content_check
    from portal.plan import loading, rules, views
    from portal.search import tools as search_tools

    register_content_check(app, loading.check_rules)
    path = Path(app.config["CONTENT_DIR"]) / rules.RULES_FILE
    app.extensions["plan"] = None
    if not path.exists():
        return
    app.extensions["plan"] = loading.load_rules(path, app.extensions["content"].guides)
    app.register_blueprint(views.bp)
    app.jinja_env.globals["plan_question_count"] = lambda: len(app.extensions["plan"].flows["plan"])
    search_tools.register(app, "plan", "plan.questionnaire", "Мой план после освобождения",
                          ["что делать после освобождения", "план после освобождения", "с чего начать",
                           "пошаговый план", "мой план"],
                          "Несколько вопросов — и шаги по порядку: документы, жильё, учёт, пособие, работа.")
    search_tools.register(app, "benefit", "plan.benefit", "Положено ли мне пособие по безработице",
                          ["положено ли мне пособие", "пособие по безработице", "проверить пособие",
                           "дадут ли пособие", "получу ли пособие", "пособие после освобождения"],
                          "Проверьте за пять вопросов, платят ли вам пособие по безработице.")
