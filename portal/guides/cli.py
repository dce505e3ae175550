"""`flask content check`: every guide, the glossary and every rules file an area registered."""
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from portal.cli import content_checks
from portal.guides.content import ContentError, glossary_warnings, load_library
from portal.guides.lint import lint_library, readability_label

content_cli = AppGroup("content", help="Check the guides.")


def check_content(content_dir, config, echo=print):
    """Validate and lint every guide, then run the areas' rules checks; True when everything passes."""
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
    rules_valid = [check(content_dir, library.guides, echo) for check in content_checks()]
    return all(rules_valid) and not failed


@content_cli.command("check")
@click.option("--content-dir", type=click.Path(file_okay=False), default=None,
              help="Check another content folder (default: the site's own).")
def content_check_command(content_dir):
    """Validate front matter, links and rules files, and lint plain language; exit 1 on any problem."""
    folder = content_dir or current_app.config["CONTENT_DIR"]
    if not check_content(folder, current_app.config, echo=click.echo):
        sys.exit(1)


def init_app(app):
    app.cli.add_command(content_cli)
