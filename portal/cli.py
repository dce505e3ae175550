"""Shared commands: `flask translate extract|update|compile`, `flask demo load|clear` and the registries
through which areas add their sample data and their rules-file checks (`flask content check` is the guides')."""
import subprocess
import sys
from pathlib import Path

import click
from flask import current_app, has_app_context
from flask.cli import AppGroup

translate_cli = AppGroup("translate", help="Interface translations (wraps pybabel).")
demo_cli = AppGroup("demo", help="Every area's sample data, marked as examples, for development and tests "
                   "(never in production).")

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
PROJECT = Path(__file__).resolve().parent.parent


def register_content_check(app, check):
    """Let an area add its rules file to `flask content check`: `check(content_dir, guide_keys, echo)` prints
    its problems or a summary and returns True when the file is valid."""
    app.extensions.setdefault("content_checks", []).append(check)


def content_checks():
    """The checks the areas registered; none outside an app (a bare guide check)."""
    return list(current_app.extensions.get("content_checks", ())) if has_app_context() else []


def _pybabel(*args):
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=PROJECT)


def extract_messages(pot_file=TRANSLATIONS / "messages.pot"):
    """Collect interface strings into a .pot file (portal/translations/messages.pot by default)."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "--no-location", "--sort-output",
             "--omit-header", "-o", str(pot_file), "portal")


@translate_cli.command("extract")
def translate_extract():
    """Collect interface strings into portal/translations/messages.pot."""
    extract_messages()


@translate_cli.command("update")
def translate_update():
    """Extract, then merge new strings into every language's messages.po."""
    extract_messages()
    _pybabel("update", "-i", str(TRANSLATIONS / "messages.pot"), "-d", str(TRANSLATIONS),
             "--no-fuzzy-matching")


@translate_cli.command("compile")
def translate_compile():
    """Compile messages.po into the .mo files the app reads (never committed)."""
    # --use-fuzzy only because a catalogue saved without its header reads as fuzzy; no entry is ever
    # fuzzy here (update runs with --no-fuzzy-matching, and a test fails on a fuzzy entry).
    _pybabel("compile", "--use-fuzzy", "-d", str(TRANSLATIONS), "--statistics")


def register_demo_set(app, name, load, clear, refresh=None):
    """Let an area add its sample data to `flask demo load|clear` (load/clear return how many rows);
    `refresh()` runs after either, e.g. to rebuild the search documents that show the samples."""
    app.extensions.setdefault("demo_sets", []).append((name, load, clear, refresh))


def run_demo_sets(app, action):
    """Run every registered area's `load` or `clear` (then its `refresh`); returns [(name, count)]."""
    done = []
    for name, load, clear, refresh in app.extensions.get("demo_sets", ()):
        done.append((name, (load if action == "load" else clear)()))
        if refresh is not None:
            refresh()
    return done


def _refuse_in_production():
    from portal.config import is_production
    if is_production(current_app):
        click.echo("Демо-данные в рабочем режиме (PORTAL_ENV=production) не загружаются и не удаляются.",
                   err=True)
        raise SystemExit(1)


@demo_cli.command("load")
def demo_load_command():
    """Load every registered area's samples (employer cards, places, vacancies), each marked «Пример»."""
    _refuse_in_production()
    for name, loaded in run_demo_sets(current_app, "load"):
        click.echo(f"Загружено примеров ({name}): {loaded}.")
    click.echo("Убрать: flask demo clear")


@demo_cli.command("clear")
def demo_clear_command():
    """Delete every area's samples; rows the centre entered are never touched."""
    _refuse_in_production()
    for name, removed in run_demo_sets(current_app, "clear"):
        click.echo(f"Удалено примеров ({name}): {removed}.")


def init_app(app):
    app.cli.add_command(translate_cli)
    app.cli.add_command(demo_cli)
