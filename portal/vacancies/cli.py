"""`flask vacancies sync [--from-file PATH]` and `flask vacancies status`: thin commands over sync.py and store.py.

On a terminal the sync draws one progress line (pages done of the total, rate, time left); otherwise (cron)
it writes plain log lines, one per ten pages, so the nightly mail stays readable."""
import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup

from portal.clock import now_utc
from portal.vacancies import store, sync
from portal.vacancies.models import VacancySync

vacancies_cli = AppGroup("vacancies", help="Vacancies of «Работа России» (trudvsem.ru).")


class Progress:
    """Pages done of the total, the rate and the time left: redrawn on a TTY, logged every 10 pages otherwise."""

    def __init__(self, stream=None, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.clock = clock
        self.started = clock()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.last_logged = 0

    def line(self, fetched):
        elapsed = max(self.clock() - self.started, 1e-6)
        rate = fetched.pages / elapsed
        left = max(fetched.pages_total - fetched.pages, 0)
        eta = f"{left / rate:.0f} с" if rate > 0 else "—"
        return (f"страниц {fetched.pages} из {fetched.pages_total}, {rate:.2f} стр/с, "
                f"осталось ≈ {eta}, ошибок {len(fetched.errors)}")

    def __call__(self, fetched):
        if self.tty:
            self.stream.write("\r" + self.line(fetched) + "\033[K")
            self.stream.flush()
        elif fetched.pages - self.last_logged >= 10 or fetched.pages == fetched.pages_total:
            self.last_logged = fetched.pages
            self.stream.write(self.line(fetched) + "\n")

    def done(self):
        if self.tty:
            self.stream.write("\n")


def client_from_config(config):
    return sync.ApiClient(config["VACANCY_API_URL"], config["VACANCY_REGION"],
                          timeout=float(config["VACANCY_SYNC_TIMEOUT"]),
                          retries=int(config["VACANCY_SYNC_RETRIES"]),
                          backoff=float(config["VACANCY_SYNC_BACKOFF"]),
                          workers=int(config["VACANCY_SYNC_WORKERS"]))


def run_sync(config, from_file=None, progress=None):
    """Fetch (from the API or saved files) and store; returns the VacancySync row."""
    log_row = VacancySync(source="file" if from_file else "api", started_at=now_utc())
    if from_file:
        fetched = sync.fetch_from_files(from_file)
    else:
        fetched = client_from_config(config).fetch_region(shards=config["VACANCY_SYNC_SHARDS"], progress=progress)
    return store.apply(fetched, log_row.source, sync=log_row)


def report_line(row):
    return (f"Синхронизация {row.status}: страниц {row.pages} из {row.pages_total}, записей {row.records} "
            f"(API сообщает {row.total_reported}), добавлено {row.added}, обновлено {row.updated}, "
            f"закрыто {row.closed}, ошибок {row.errors}.")


@vacancies_cli.command("sync")
@click.option("--from-file", "from_file", type=click.Path(exists=True), default=None,
              help="Import saved API pages (a folder of *.json or one file) instead of the internet.")
def sync_command(from_file):
    """Load the region's vacancies; a complete run closes the ones the API no longer lists. Exit 1 unless complete."""
    progress = Progress()
    row = run_sync(current_app.config, from_file=from_file, progress=progress)
    progress.done()
    click.echo(report_line(row))
    if row.error_text:
        click.echo(row.error_text, err=True)
    if row.status != "complete":
        click.echo("Неполная синхронизация: ни одна вакансия не закрыта.", err=True)
        raise SystemExit(1)


@vacancies_cli.command("status")
def status_command():
    """The last syncs, newest first."""
    for row in store.recent_syncs(10):
        click.echo(f"{row.started_at:%d.%m.%Y %H:%M} {row.source:<5} " + report_line(row))
