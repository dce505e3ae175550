"""`flask content check` and `flask translate extract|update|compile`: thin commands over plain functions."""
import subprocess
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from portal.content import ContentError, glossary_warnings, lint_library, load_library, readability_label

content_cli = AppGroup("content", help="Check the guides.")
translate_cli = AppGroup("translate", help="Interface translations (wraps pybabel).")

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
PROJECT = Path(__file__).resolve().parent.parent


def check_content(content_dir, config, echo=print):
    """Validate and lint every guide; print a per-guide report; return True when everything passes."""
    try:
        library = load_library(content_dir)
    except ContentError as error:
        echo("Ошибки в материалах:")
        for problem in error.problems:
            echo(f"  ✗ {problem}")
        return False
    reports = lint_library(library, config)
    echo(f"{'материал':<46} {'предл.':>6} {'ср.':>5} {'макс.':>5} {'удобочит.':>10}")
    for report in reports:
        mark = "✓" if report.passed else "✗"
        name = report.key + ("" if report.lang == "ru" else f" [{report.lang}]")
        echo(f"{mark} {name:<44} {report.sentences:>6} {report.avg_sentence:>5} {report.longest:>5} "
             f"{report.score:>6} {readability_label(report.score)}")
        for problem in report.problems:
            echo(f"    ✗ {problem}")
    for warning in glossary_warnings(library):  # a warning, not a failure: the page still works
        echo(f"  ⚠ {warning}")
    failed = [r for r in reports if not r.passed]
    echo(f"Материалов: {len(library.guides)} (+ переводов: {len(library.translations)}); "
         f"не прошли проверку языка: {len(failed)}.")
    from portal.plan import check_rules
    return check_rules(content_dir, library.guides, echo) and not failed


@content_cli.command("check")
@click.option("--content-dir", type=click.Path(file_okay=False), default=None,
              help="Check another content folder (default: the site's own).")
def content_check_command(content_dir):
    """Validate front matter and links, and lint plain language; exit 1 on any problem."""
    folder = content_dir or current_app.config["CONTENT_DIR"]
    if not check_content(folder, current_app.config, echo=click.echo):
        sys.exit(1)


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


def register_demo_set(app, name, load, clear):
    """Let an area add its sample data to `flask demo load|clear` (load/clear return how many rows)."""
    app.extensions.setdefault("demo_sets", []).append((name, load, clear))


def run_demo_sets(app, action):
    """Run every registered area's `load` or `clear`; returns [(name, count)]."""
    done = []
    for name, load, clear in app.extensions.get("demo_sets", ()):
        done.append((name, (load if action == "load" else clear)()))
    return done


def init_app(app):
    app.cli.add_command(content_cli)
    app.cli.add_command(translate_cli)
