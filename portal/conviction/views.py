"""«Судимость и работа» (/proverka-sudimosti): one question per screen, then the answer page.

Nothing is stored, no cookie is set, nothing about the answers is logged (this module logs nothing at
all), and every response carries `Cache-Control: no-store`. The forms are GET forms, so the flow needs
no JavaScript and no CSRF token (and so no session cookie). With JavaScript, static/conviction.js fetches
each next screen and swaps it in, so the answers never reach the address bar or the Back history
(docs/conviction-check.md, «Privacy»).
"""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from portal.clock import today_local
from portal.conviction.bans import assess_all, summary
from portal.conviction.loading import load_rules
from portal.conviction.questions import EARLIEST_DATE, answers_from, latest_date, next_question, screen_params
from portal.conviction.rules import (
    ADULT,
    CATEGORY_IDS,
    MINOR,
    NO,
    PRISON,
    SOURCE_TYPES,
    SUSPENDED,
    UNKNOWN,
    YES,
    expungement,
)
from portal.guides.content import get_library
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
    today = today_local()
    step = next_question(request.args, rules, today)
    if step.current is None:
        return redirect(url_for("conviction.answer", **step.answers()), code=303)
    position = step.needed.index(step.current)
    answered = {param: step.values[param] for screen in step.needed for param in screen_params(screen)
                if param in step.values}
    current_params = screen_params(step.current)
    kept = {param: value for param, value in answered.items() if param not in current_params}
    if position:
        back = url_for("conviction.questions", vopros=step.needed[position - 1], **answered)
    else:
        back = url_for("guides.section", section_slug="sudimost")
    problem = step.problems.get(step.current)
    shown = {param: (step.raw.get(param, "") if problem else step.values.get(param, ""))
             for param in current_params}
    return render_template(
        "conviction/question.html", rules=rules, step=step, field=step.current, number=position + 1,
        options=_options(rules, step.current), total=len(step.needed), kept=kept, back=back, problem=problem,
        value=shown.get(step.current, ""), shown=shown, has_answers=bool(request.args), earliest=EARLIEST_DATE,
        latest=latest_date(today), today=today, unknown=UNKNOWN, prison=PRISON, suspended=SUSPENDED, yes=YES,
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
    forever, until, maybe, lifted = summary(jobs)
    query = step.answers()
    labels = {c.id: c.label(current_lang()) for c in rules.categories}
    return render_template(
        "conviction/answer.html", rules=rules, answers=answers, outcome=outcome, today=now,
        closed=[a for a in jobs if a.status not in ("open", "lifted")],
        open_bans=[a for a in jobs if a.status == "open"],
        forever=forever, until=until, maybe=maybe, lifted=lifted,
        kind=rules.kind(answers.kind), query=query,
        category_label={c.id: c for c in rules.categories}, categories=CATEGORY_IDS,
        sentence={s.id: s for s in rules.sentences}[answers.sentence],
        change_url=url_for("conviction.questions", vopros="vid", **query),
        back=url_for("conviction.questions", vopros=step.needed[-1], **query),
        source_groups=_source_groups(_sources(rules, answers, outcome, jobs, step.needed)),
        obligations_guide=_guide(rules, "obligations"),
        unknown=UNKNOWN, prison=PRISON, suspended=SUSPENDED, yes=YES, no=NO,
        category_names=lambda ids: ", ".join(labels[i].lower() for i in ids),
        shorts=_shorts,
    )


def _shorts(assessments):
    """The bans' short names for a sentence of the short answer; marked Russian on another interface."""
    if current_lang() == "ru":
        return "; ".join(a.ban.short for a in assessments)
    return Markup("; ").join(Markup('<span lang="ru">{}</span>').format(a.ban.short) for a in assessments)


def _guide(rules, purpose):
    """The first guide of `guides.<purpose>` in the rules file that the library has, or None."""
    library = get_library()
    for key in rules.guides.get(purpose, ()):
        if key in library.guides:
            section, slug = key.split("/")
            return library.guides[key], url_for("guides.guide", section_slug=section, slug=slug)
    return None


def _options(rules, field):
    """(value, label, hint) for each answer of a choice question; legal terms come from the rules file."""
    lang = current_lang()
    if field == "vid":
        return [(kind.id, kind.label(lang), _chapters(rules, kind)) for kind in rules.kinds]
    if field == "tyazhest":
        return [(c.id, c.label(lang), "") for c in rules.categories] + [
            (UNKNOWN, _("I don't know"), _("We will show the date for each category."))]
    if field == "nakazanie":
        hints = {PRISON: _("Also if you were released on parole, or the suspended sentence was cancelled."),
                 SUSPENDED: _("The sentence said «условно» and you did not go to a colony.")}
        return [(s.id, s.label(lang), hints.get(s.id, "")) for s in rules.sentences]
    if field == "vozrast":
        return [(MINOR, _("Under 18"), ""), (ADULT, _("18 or older"), "")]
    if field == "zamena":
        return [(NO, _("No"), _("You served the term to the end or were released on parole.")),
                (YES, _("Yes, it was replaced by a milder punishment"),
                 _("For example, by forced labour or restricted freedom.")),
                (UNKNOWN, _("I don't know"), "")]
    if field == "dop":
        return [(NO, _("No"), ""), (YES, _("Yes"), ""), (UNKNOWN, _("I don't know"), "")]
    if field == "do2013":
        return [(YES, _("Yes, before 3 August 2013"), ""), (NO, _("No, on 3 August 2013 or later"), ""),
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


def _sources(rules, answers, outcome, jobs, asked):
    """The sources of every rule the answer page shows, each once, in the order they appear."""
    explained = rules.explained
    shown = [rules.expungement, rules.minors if answers.minor else None,
             *(rules.conditions[c] for c in outcome.conditions),
             explained["change"] if outcome.old_law or "do2013" in asked else None,
             explained["parole"] if answers.sentence == PRISON else None,
             explained["replacement"] if answers.sentence == PRISON else None,
             explained["suspended"] if answers.sentence == SUSPENDED else None,
             explained["additional"], rules.court_ban if answers.additional != NO else None,
             explained["automatic"], explained["court"], explained["effect"], rules.chapters]
    for assessment in jobs:
        shown.append(assessment.ban.rule)
        if assessment.ban.exception and assessment.status != "open":
            shown.append(assessment.ban.exception.rule)
    shown += [rule for _id, rule in rules.employer]
    shown.append(rules.obligations)
    seen, sources = set(), []
    for rule in filter(None, shown):
        for source in rule.sources:
            if source not in seen:
                seen.add(source)
                sources.append(source)
    return sources


def _source_groups(sources):
    """[(type, [source, ...]), ...] in SOURCE_TYPES order (official texts first), empty groups left out."""
    return [(kind, [s for s in sources if s.type == kind]) for kind in SOURCE_TYPES
            if any(s.type == kind for s in sources)]


def init_app(app):
    """Load and validate the rules once (a bad file stops the app, naming file and field); add the pages."""
    app.extensions["conviction_rules"] = load_rules(app.config["CONVICTION_RULES_FILE"])
    app.register_blueprint(bp)
    from portal.search import tools as search_tools
    search_tools.register(app, "conviction", "conviction.questions", "Проверка судимости и работы",
                          ["проверить судимость", "когда погасится судимость", "погашение судимости",
                           "какая работа закрыта", "судимость и работа", "снятие судимости"],
                          "Когда погасится судимость и какая работа для вас открыта. Мы ничего не сохраняем.")
