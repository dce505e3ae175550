"""Interface language: Russian at the root, other languages under /<lang>/; no cookie is ever set."""
from flask import g, request, url_for
from flask_babel import format_date

from portal.extensions import babel

DEFAULT_LANG = "ru"
EXTRA_LANGS = ("en",)


def localized_route(bp, rule, **options):
    """Register a view at `rule` (Russian) and at `/<lang>rule` for every other interface language."""
    def decorator(view):
        bp.add_url_rule(rule, view_func=view, defaults={"lang_code": DEFAULT_LANG}, **options)
        bp.add_url_rule(f"/<any({', '.join(EXTRA_LANGS)}):lang_code>{rule}", view_func=view, **options)
        return view
    return decorator


def current_lang():
    return getattr(g, "lang_code", None) or lang_from_path(request.path if request else "/")


def lang_from_path(path):
    """The interface language a path belongs to (used for pages that matched no route, e.g. 404)."""
    first = path.strip("/").split("/", 1)[0]
    return first if first in EXTRA_LANGS else DEFAULT_LANG


def url_for_lang(lang):
    """The current page in another interface language, or that language's home page."""
    if request.endpoint and request.url_rule and "lang_code" in request.url_rule.arguments | set(
            request.url_rule.defaults or {}):
        args = dict(request.view_args or {})
        args["lang_code"] = lang
        return url_for(request.endpoint, **args)
    return url_for("guides.home", lang_code=lang)


def human_date(value):
    """«12 ноября 2026» in Russian, "12 November 2026" in English."""
    return format_date(value, format="d MMMM y")


def init_app(app):
    babel.init_app(app, locale_selector=current_lang)

    @app.url_value_preprocessor
    def pull_lang_code(endpoint, values):
        if values and "lang_code" in values:
            g.lang_code = values.pop("lang_code")

    @app.url_defaults
    def add_lang_code(endpoint, values):
        if "lang_code" in values or not endpoint or endpoint == "static":
            return
        if app.url_map.is_endpoint_expecting(endpoint, "lang_code"):
            values["lang_code"] = current_lang()

    app.jinja_env.globals.update(current_lang=current_lang, url_for_lang=url_for_lang)
    app.jinja_env.filters["human_date"] = human_date
