"""`flask demo load|clear` (the demo employer cards, then every other area's samples) and
`flask employers purge|stale`."""
import click
from flask import current_app
from flask.cli import AppGroup

from portal.employers.cards import purge_contacts, staff_groups
from portal.employers.demo import clear_demo, load_demo
from portal.employers.search import refresh_search

demo_cli = AppGroup("demo", help="Demo employer cards for development and tests (never in production).")
employers_cli = AppGroup("employers", help="The friendly-employers directory.")


def _refuse_in_production():
    from portal.config import is_production
    if is_production(current_app):
        click.echo("Демо-данные в рабочем режиме (PORTAL_ENV=production) не загружаются и не удаляются.",
                   err=True)
        raise SystemExit(1)


@demo_cli.command("load")
def demo_load_command():
    """Load the demo employer cards, each named «Пример: …» and marked as an example."""
    _refuse_in_production()
    count = load_demo()
    from portal.cli import run_demo_sets  # other areas' samples (the places directory)
    others = run_demo_sets(current_app, "load")
    refresh_search()
    click.echo(f"Загружено демо-карточек работодателей: {count}. Убрать: flask demo clear")
    for name, loaded in others:
        click.echo(f"Загружено примеров ({name}): {loaded}.")


@demo_cli.command("clear")
def demo_clear_command():
    """Delete the demo employer cards."""
    _refuse_in_production()
    count = clear_demo()
    from portal.cli import run_demo_sets
    others = run_demo_sets(current_app, "clear")
    refresh_search()
    click.echo(f"Удалено демо-карточек: {count}.")
    for name, removed in others:
        click.echo(f"Удалено примеров ({name}): {removed}.")


@employers_cli.command("purge")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Erase contacts of cards hidden more than this many days ago "
                   "(default: EMPLOYER_CONTACT_RETENTION_DAYS, 30).")
def purge_command(days):
    """Erase the representatives' contacts of long-hidden cards. Safe to run again; run it daily."""
    if days is None:
        days = int(current_app.config["EMPLOYER_CONTACT_RETENTION_DAYS"])
    count = purge_contacts(days)
    click.echo(f"Удалены контактные данные работодателей, скрытых более {days} дн. назад: {count}.")


@employers_cli.command("stale")
def stale_command():
    """List cards that dropped off the public list because their confirmation is too old."""
    stale = staff_groups()["stale"]
    for card in stale:
        click.echo(f"{card.id}\t{card.confirmed_at:%d.%m.%Y}\t{card.name}")
    click.echo(f"Нужно подтвердить заново: {len(stale)}.")


def init_app(app):
    app.cli.add_command(demo_cli)
    app.cli.add_command(employers_cli)
