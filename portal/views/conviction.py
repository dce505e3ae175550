"""«Судимость и работа» (/proverka-sudimosti): one question per screen, then the answer page.

The answers live only in the URL. Nothing is stored, no cookie is set, nothing about the answers is
logged (this module logs nothing at all), and every response carries `Cache-Control: no-store`.
The forms are GET forms, so the flow needs no JavaScript and no CSRF token (and so no session cookie).
"""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.clock import today_local
from portal.conviction import (
    ADULT,
    CATEGORY_IDS,
    EARLIEST_DATE,
    MINOR,
    PRISON,
    UNKNOWN,
    answers_from,
    assess_all,
    expungement,
    latest_date,
    load_rules,
    next_question,
)
from portal.i18n import current_lang, localized_route

bp = Blueprint("conviction", __name__)


def get_rules():
    return current_app.extensions["conviction_rules"]



@bp.after_request
def never_cache(response):
    # The page shows what a person answered about their conviction: no browser or proxy may keep it.
    response.headers["Cache-Control"] = "no-store"
    return response


@localized_route(bp, "/proverka-sudimosti")
def questions():
    rules = get_rules()
    step = next_question(request.args, rules, today_local())
    if step.current is None:
        return redirect(url_for("conviction.answer", **step.answers()), code=303)
    position = step.needed.index(step.current)
    kept = {field: value for field, value in step.values.items()
            if field in step.needed and field != step.current}
    if position:
        answered = {field: value for field, value in step.values.items() if field in step.needed}
        back = url_for("conviction.questions", vopros=step.needed[position - 1], **answered)
    else:
        back = url_for("guides.section", section_slug="sudimost")
    problem = step.problems.get(step.current)
    return render_template(
        "conviction/question.html", rules=rules, step=step, field=step.current, number=position + 1,
        options=_options(rules, step.current),
        total=len(step.needed), kept=kept, back=back, problem=problem,
        value=step.raw.get(step.current, "") if problem else step.values.get(step.current, ""),
        has_answers=bool(request.args), earliest=EARLIEST_DATE, latest=latest_date(today_local()),
        unknown=UNKNOWN, minor=MINOR, adult=ADULT, prison=PRISON,
    ), 422 if problem else 200


@localized_route(bp, "/proverka-sudimosti/otvet")
def answer():
    rules = get_rules()
    now = today_local()
    step = next_question(request.args, rules, now)
    if step.current is not None:
        # Incomplete or mistyped: back to the question, keeping what was sent so it can be shown and fixed.
        return redirect(url_for("conviction.questions", **step.raw), code=303)
    answers = answers_from(step.values)
    outcome = expungement(rules, answers, now)
    jobs = assess_all(rules, answers.kind, answers.category, expunged=outcome.expunged)
    query = step.answers()
    labels = {c.id: c.label(current_lang()) for c in rules.categories}
    return render_template(
        "conviction/answer.html", rules=rules, answers=answers, outcome=outcome, today=now,
        closed=[a for a in jobs if a.status not in ("open", "lifted")],
        lifted=[a for a in jobs if a.status == "lifted"],
        open_bans=[a for a in jobs if a.status == "open"],
        kind=rules.kind(answers.kind), query=query,
        category_label={c.id: c for c in rules.categories}, categories=CATEGORY_IDS,
        sentence={s.id: s for s in rules.sentences}[answers.sentence],
        change_url=url_for("conviction.questions", vopros="vid", **query),
        back=url_for("conviction.questions", vopros=step.needed[-1], **query),
        sources=_sources(rules, answers, jobs), unknown=UNKNOWN, prison=PRISON,
        category_names=lambda ids: ", ".join(labels[i].lower() for i in ids),
    )


def _options(rules, field):
    """(value, label, hint) for each answer of a choice question; legal terms come from the rules file."""
    lang = current_lang()
    if field == "vid":
        return [(kind.id, kind.label(lang), _chapters(rules, kind)) for kind in rules.kinds]
    if field == "tyazhest":
        return [(c.id, c.label(lang), "") for c in rules.categories] + [
            (UNKNOWN, _("I don't know"), _("We will show the date for each category."))]
    if field == "nakazanie":
        parole = _("If you were released on parole, choose this.")
        return [(s.id, s.label(lang), parole if s.id == PRISON else "") for s in rules.sentences]
    if field == "vozrast":
        return [(MINOR, _("Under 18"), ""), (ADULT, _("18 or older"), "")]
    if field == "do2013":
        return [("da", _("Yes, before 3 August 2013"), ""), ("net", _("No, on 3 August 2013 or later"), ""),
                (UNKNOWN, _("I don't know"), _("We will show both dates."))]
    return []


def _chapters(rules, kind):
    """The Criminal Code chapters behind a kind of crime, as the hint under its answer."""
    if not kind.groups:
        return ""
    names = ", ".join(
        _("«%(name)s», chapter %(number)s", name=rules.groups[g].name, number=rules.groups[g].chapter)
        if rules.groups[g].chapter else f"«{rules.groups[g].name}»" for g in kind.groups)
    return ngettext("Criminal Code chapter: %(names)s", "Criminal Code chapters: %(names)s",
                    len(kind.groups), names=names)


def _sources(rules, answers, jobs):
    """The sources of every rule the answer page shows, each once, in the order they appear."""
    rules_shown = [rules.expungement, rules.minors if answers.minor else None, rules.change, rules.parole,
                   rules.automatic, rules.court, rules.effect]
    for assessment in jobs:
        rules_shown.append(assessment.ban.rule)
        if assessment.ban.exception and assessment.status != "open":
            rules_shown.append(assessment.ban.exception.rule)
    rules_shown += [rule for _id, rule in rules.employer]
    seen, sources = set(), []
    for rule in filter(None, rules_shown):
        for source in rule.sources:
            if source not in seen:
                seen.add(source)
                sources.append(source)
    return sources


def init_app(app):
    """Load and validate the rules once (a bad file stops the app, naming file and field); add the pages."""
    app.extensions["conviction_rules"] = load_rules(app.config["CONVICTION_RULES_FILE"])
    app.register_blueprint(bp)
    from portal import search_tools
    search_tools.register(app, "conviction", "conviction.questions", "Проверка судимости и работы",
                          ["проверить судимость", "когда погасится судимость", "погашение судимости",
                           "какая работа закрыта", "судимость и работа", "снятие судимости"],
                          "Когда погасится судимость и какая работа для вас открыта. Мы ничего не сохраняем.")
