"""`flask places import FILE`, `flask places export [FILE]` and `flask places stale`: thin commands over
portal/places/exchange.py and directory.py. The sample places join `flask demo load|clear`."""
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from portal.places import demo, directory, exchange

places_cli = AppGroup("places", help="The places directory «Куда обратиться сегодня».")


def _format(path, fmt):
    if fmt:
        return fmt
    return "csv" if str(path).lower().endswith(".csv") else "yaml"


@places_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["yaml", "csv"]), default=None,
              help="Default: from the file name (.csv is CSV, anything else YAML).")
def import_command(file, fmt):
    """Load places from FILE: every row is checked first; with any problem nothing is written."""
    try:
        text = Path(file).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        click.echo("Файл не в кодировке UTF-8: сохраните его как «CSV UTF-8» или YAML в UTF-8.", err=True)
        sys.exit(1)
    try:
        added, updated = exchange.import_text(text, _format(file, fmt))
    except exchange.ImportRefused as refused:
        click.echo(f"Ничего не загружено. Исправьте файл {file}:", err=True)
        for problem in refused.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(1)
    from portal.places import refresh_public_pages
    refresh_public_pages()
    click.echo(f"Загружено: новых мест {added}, обновлено {updated}.")


@places_cli.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, writable=True))
@click.option("--format", "fmt", type=click.Choice(["yaml", "csv"]), default=None,
              help="Default: from the file name, YAML when printing.")
def export_command(file, fmt):
    """Write the centre's places (never the samples) to FILE, or print them."""
    text = exchange.export_text(_format(file or "", fmt))
    if file:
        Path(file).write_text(text, encoding="utf-8")
        click.echo(f"Места записаны в {file}.")
    else:
        click.echo(text, nl=False)


@places_cli.command("stale")
def stale_command():
    """List the public places whose confirmation is older than PLACES_STALE_DAYS."""
    places = directory.stale_places()
    for place in places:
        when = place.confirmed_on.strftime("%d.%m.%Y") if place.confirmed_on else "никогда"
        click.echo(f"{place.id}\t{when}\t{place.name}")
    click.echo(f"Проверить: {len(places)}.")


def init_app(app):
    from portal.cli import register_demo_set
    from portal.places import refresh_public_pages

    app.cli.add_command(places_cli)
    register_demo_set(app, "места", demo.load_demo, demo.clear_demo, refresh=refresh_public_pages)
