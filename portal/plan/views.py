"""«Мой план» pages: one question per screen, the plan and the benefit check.

Every answer lives in the page address (GET forms), so nothing is stored and a plan can be bookmarked or
sent. Bad or tampered addresses ask the question again with a plain message; they never raise.
"""
import re

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from portal.guides.content import get_library
from portal.i18n import current_lang, localized_route
from portal.plan.rules import (
    benefit_check,
    build_plan,
    facts_for,
    first_missing,
    get_rules,
    help_codes,
    ordered_answers,
    place_steps,
    plan_stages,
    read_answers,
)

bp = Blueprint("plan", __name__)


@bp.after_request
def never_cache(response):
    # The answers (health, housing, release date) are in the URL of every plan page: no browser or proxy
    # may keep them (review F-17).
    response.headers["Cache-Control"] = "no-store"
    return response


# flow -> (endpoint that asks, endpoint that answers, name shown above the question)
FLOWS = {
    "plan": ("plan.questionnaire", "plan.result", _l("My plan")),
    "benefit": ("plan.benefit", "plan.benefit_result", _l("Benefit check")),
}
ERRORS = {
    "missing": _l("Choose one answer to go on."),
    "invalid": _l("We did not understand the answer in the link. Please choose again."),
    "incomplete": _l("Some answers are missing from the link. Please answer this question."),
}
STEP_RE = re.compile(r"^\d{1,2}$", re.ASCII)


@localized_route(bp, "/plan")
def questionnaire():
    return _ask("plan")


@localized_route(bp, "/plan/posobie")
def benefit():
    return _ask("benefit")


@localized_route(bp, "/plan/itog")
def result():
    rules, answers, problem = _complete_answers("plan")
    if problem:
        return problem
    steps = build_plan(answers, rules)
    benefit_answers = {q: answers[q] for q in rules.flows["benefit"] if q in answers}
    return render_template(
        "plan/result.html", rules=rules, steps=steps, stages=plan_stages(steps), help=help_codes(steps),
        place_steps=place_steps(steps),
        facts=facts_for(rules, [f for step in steps for f in step.facts]),
        guides=_guide_links(rules, [k for s in steps for k in (s.rule.guide, s.rule.where_guide) if k]),
        summary=_summary(rules, "plan", answers), canonical=_canonical("plan.result", answers, rules, "plan"),
        change_url=url_for("plan.questionnaire", step=1, **ordered_answers(rules, "plan", answers)),
        benefit_url=url_for("plan.benefit", **benefit_answers),
        untranslated=not all(step.translated(current_lang()) for step in steps))


@localized_route(bp, "/plan/posobie/itog")
def benefit_result():
    rules, answers, problem = _complete_answers("benefit")
    if problem:
        return problem
    checked = benefit_check(answers, rules)
    plan_answers = {q: answers[q] for q in rules.flows["plan"] if q in answers}
    return render_template(
        "plan/benefit.html", rules=rules, result=checked, facts=facts_for(rules, checked.facts),
        guides=_guide_links(rules, [n.guide for n in checked.next_steps if n.guide]),
        summary=_summary(rules, "benefit", answers),
        canonical=_canonical("plan.benefit_result", answers, rules, "benefit"),
        change_url=url_for("plan.benefit", step=1, **ordered_answers(rules, "benefit", answers)),
        plan_url=url_for("plan.questionnaire", **plan_answers))


def _ask(flow):
    """Show the question the address asks for, or the first one still unanswered."""
    rules = get_rules()
    answers, invalid = read_answers(rules, flow, request.args)
    missing = first_missing(rules, flow, answers)
    total = len(rules.flows[flow])
    raw_step = request.args.get("step", "")
    step = int(raw_step) if STEP_RE.match(raw_step) and 1 <= int(raw_step) <= total else None
    if step is None and missing is None:
        return redirect(url_for(FLOWS[flow][1], **ordered_answers(rules, flow, answers)))
    if step is None:
        index, error = missing, None
    elif missing is not None and missing < step - 1:
        index, error = missing, "missing"  # the form was sent without choosing, or the address was cut
    else:
        index, error = step - 1, None
    if rules.flows[flow][index] in invalid:
        error = "invalid"
    return _question_page(rules, flow, answers, index, error)


def _complete_answers(flow):
    """(rules, answers, None) when every question has a valid answer, else the question page to show."""
    rules = get_rules()
    answers, invalid = read_answers(rules, flow, request.args)
    missing = first_missing(rules, flow, answers)
    if missing is None:
        return rules, answers, None
    error = "invalid" if rules.flows[flow][missing] in invalid else "incomplete"
    return rules, answers, _question_page(rules, flow, answers, missing, error)


def _question_page(rules, flow, answers, index, error):
    ask_endpoint, result_endpoint, flow_name = FLOWS[flow]
    question = rules.flow_questions(flow)[index]
    total = len(rules.flows[flow])
    ordered = ordered_answers(rules, flow, answers)
    last = index == total - 1
    hidden = {q: a for q, a in ordered.items() if q != question.id}
    if not last:
        hidden["step"] = index + 2
    back_url = url_for(ask_endpoint, step=index, **ordered) if index else url_for("guides.home")
    return render_template(
        "plan/question.html", question=question, number=index + 1, total=total, flow_name=flow_name,
        selected=answers.get(question.id), error=ERRORS.get(error), hidden=hidden, back_url=back_url,
        action=url_for(result_endpoint if last else ask_endpoint), noindex=bool(request.args))


def _summary(rules, flow, answers):
    """[(question, answer code, change link)] for the «your answers» list."""
    ask_endpoint = FLOWS[flow][0]
    ordered = ordered_answers(rules, flow, answers)
    return [(question, answers[question.id], url_for(ask_endpoint, step=number, **ordered))
            for number, question in enumerate(rules.flow_questions(flow), 1)]


def _canonical(endpoint, answers, rules, flow):
    """The plan's public address with its answers in question order: the link to share or bookmark."""
    site = current_app.config["SITE_URL"].rstrip("/")
    return site + url_for(endpoint, **ordered_answers(rules, flow, answers))


def _guide_links(rules, keys):
    """{guide key: (title in the interface language, url)} for the guides a page links to."""
    library, lang = get_library(), current_lang()
    links = {}
    for key in dict.fromkeys(keys):
        guide, _fallback = library.guide(key, lang)
        links[key] = (guide.title, url_for("guides.guide", section_slug=guide.section, slug=guide.slug))
    return links
