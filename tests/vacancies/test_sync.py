"""The real sync code over real HTTP against the fake API: exact counts, quirks survived, nothing personal."""
import io
import json

from sqlalchemy import select

from portal.extensions import db
from portal.vacancies import cli, store
from portal.vacancies.demo import envelope
from portal.vacancies.models import Vacancy, VacancySync
from portal.vacancies.sync import ApiClient, PageError, lenient_json

UNIQUE = 250  # records_with_quirks(): 250 distinct cards, 2 more API records are duplicates


def _sync(app):
    with app.app_context():
        row = cli.run_sync(app.config)
        return {k: getattr(row, k) for k in ("status", "added", "updated", "closed", "records", "pages",
                                             "pages_total", "errors")}


def test_complete_sync_counts_exactly_and_survives_every_quirk(vacancy_app, fake_api):
    fake_api.transient_500[1] = 1
    fake_api.slow[2] = 1
    fake_api.broken_escape.add(1)
    result = _sync(vacancy_app)
    assert result == {"status": "complete", "added": UNIQUE, "updated": 0, "closed": 0, "records": 252,
                      "pages": 3, "pages_total": 3, "errors": 0}
    with vacancy_app.app_context():
        assert db.session.execute(select(db.func.count()).select_from(Vacancy)).scalar() == UNIQUE
        folded = db.session.execute(select(Vacancy).where(Vacancy.duplicates == 1)).scalars().all()
        assert len(folded) == 2
        html = db.session.execute(select(Vacancy).where(Vacancy.duty.like("%Звонить%"))).scalar_one()
        assert html.duty == "Сварка труб .\nЗвонить: [контакт — на trudvsem.ru], [контакт — на trudvsem.ru]"
        bare = db.session.execute(select(Vacancy).where(Vacancy.address == "Челябинская область, г Копейск")
                                  ).scalar_one()
        assert (bare.lat, bare.lng, bare.salary_min, bare.salary_max) == (None, None, None, None)
        broken = db.session.execute(select(Vacancy).where(Vacancy.requirements.like("C:%"))).scalar_one()
        assert broken.requirements.startswith("C:\\ \\: ")  # the invalid escape read as a backslash


def test_no_personal_data_is_stored(vacancy_app):
    _sync(vacancy_app)
    with vacancy_app.app_context():
        dump = json.dumps([[str(v) for v in row] for row in db.session.execute(select(Vacancy.__table__)).all()],
                          ensure_ascii=False)
    for personal in ("Пример Контакт", "+7 000 000-00-00", "hr@example.invalid", "hr@example.org", "345-67-89"):
        assert personal not in dump
    assert not {"contact_person", "contact_list", "email", "phone"} & set(Vacancy.__table__.columns.keys())


def test_rerun_changes_nothing(vacancy_app):
    _sync(vacancy_app)
    again = _sync(vacancy_app)
    assert (again["status"], again["added"], again["updated"], again["closed"]) == ("complete", 0, 0, 0)


def test_changed_and_vanished_vacancies_are_updated_and_closed_not_deleted(vacancy_app, fake_api):
    _sync(vacancy_app)
    gone = fake_api.records[:5]
    fake_api.records = fake_api.records[5:]
    for record in fake_api.records[:3]:
        record["salary_min"] = 123456
    result = _sync(vacancy_app)
    assert (result["added"], result["updated"], result["closed"]) == (0, 3, 5)
    with vacancy_app.app_context():
        closed = db.session.execute(select(Vacancy).where(Vacancy.status == "closed")).scalars().all()
        assert sorted(v.api_id for v in closed) == sorted(r["id"] for r in gone)
        assert all(v.closed_at is not None for v in closed)
    fake_api.records = gone + fake_api.records
    back = _sync(vacancy_app)
    assert (back["added"], back["updated"], back["closed"]) == (0, 5, 0)  # reopened, same cards


def test_a_failed_page_makes_the_sync_partial_and_closes_nothing(vacancy_app, fake_api):
    _sync(vacancy_app)
    fake_api.records = fake_api.records[:-30]
    fake_api.always_500.add(1)
    result = _sync(vacancy_app)
    assert (result["status"], result["closed"], result["errors"]) == ("partial", 0, 1)
    with vacancy_app.app_context():
        assert db.session.execute(select(db.func.count()).where(Vacancy.status == "closed")).scalar() == 0


def test_an_empty_page_inside_the_range_closes_nothing(vacancy_app, fake_api):
    _sync(vacancy_app)
    fake_api.empty.add(2)
    result = _sync(vacancy_app)
    assert (result["status"], result["closed"]) == ("partial", 0)


def test_api_down_is_a_failed_sync(vacancy_app, fake_api):
    fake_api.always_500.add(0)
    result = _sync(vacancy_app)
    assert (result["status"], result["added"], result["closed"]) == ("failed", 0, 0)


def test_a_500_past_the_last_page_is_the_end_not_an_error(fake_api):
    client = ApiClient(fake_api.url, "7400000000000", timeout=2, retries=2, backoff=0.01)
    assert client.get_page(7, last_page=2) == ([], None)
    assert len(fake_api.requests) == 1  # not retried
    try:
        client.get_page(7)
    except PageError as error:
        assert "HTTP 500" in str(error)
    else:
        raise AssertionError("a 500 inside the known range must be an error")


def test_parallel_requests_stay_bounded(fake_api):
    fake_api.records = fake_api.records * 4  # 10 pages
    for number, record in enumerate(fake_api.records):
        record = dict(record)
        record["id"] = f"{number:08d}"
        fake_api.records[number] = record
    fake_api.delay = 0.05
    fetched = ApiClient(fake_api.url, "7400000000000", timeout=5, workers=3).fetch_region()
    assert fetched.complete and fetched.pages == 11
    assert 1 < fake_api.max_in_flight <= 3
    assert all("limit=100" in path for path in fake_api.requests)
    assert sorted(int(p.split("offset=")[1].split("&")[0]) for p in fake_api.requests) == list(range(11))


def test_the_depth_cap_is_reached_through_word_shards(fake_api):
    fake_api.cap_pages = 2  # pretend a query only reaches 200 records
    client = ApiClient(fake_api.url, "7400000000000", timeout=5, depth_cap=200)
    without = client.fetch_region()
    assert not without.complete and "получено 200 из 252" in without.errors[0]
    titles = sorted({r["job-name"].split()[0].casefold() for r in fake_api.records})
    shards = [t for t in titles]
    with_shards = ApiClient(fake_api.url, "7400000000000", timeout=5, depth_cap=200).fetch_region(shards=shards)
    assert with_shards.complete, with_shards.errors


def test_lenient_json_reads_invalid_escapes_as_backslashes():
    raw = '{"a": "C:\\\\ \\: x \\u0041 \\n"}'
    assert lenient_json(raw.encode()) == {"a": "C:\\ \\: x A \n"}


def test_from_file_imports_saved_pages(tmp_path, runner, app):
    from tests.helpers.vacancies import records_with_quirks
    records = records_with_quirks()
    folder = tmp_path / "pages"
    folder.mkdir()
    for page in range(3):
        (folder / f"page-{page:03d}.json").write_text(
            json.dumps(envelope(records[page * 100:(page + 1) * 100], total=len(records)), ensure_ascii=False))
    result = runner.invoke(args=["vacancies", "sync", "--from-file", str(folder)])
    assert result.exit_code == 0, result.output
    assert "добавлено 250, обновлено 0, закрыто 0" in result.output
    (folder / "page-002.json").unlink()
    result = runner.invoke(args=["vacancies", "sync", "--from-file", str(folder)])
    assert result.exit_code == 1
    assert "закрыто 0" in result.output and "ни одна вакансия не закрыта" in result.output
    with app.app_context():
        assert [r.source for r in store.recent_syncs()] == ["file", "file"]
        assert db.session.execute(select(VacancySync.status).order_by(VacancySync.id)).scalars().all() == \
            ["complete", "partial"]


def test_progress_redraws_on_a_terminal_and_logs_lines_otherwise():
    from portal.vacancies.sync import Fetched

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    ticks = iter(range(100))
    terminal, pipe = Terminal(), io.StringIO()
    on_tty = cli.Progress(terminal, clock=lambda: next(ticks))
    plain = cli.Progress(pipe, clock=lambda: next(ticks))
    for done in range(1, 21):
        on_tty(Fetched(pages=done, pages_total=20))
        plain(Fetched(pages=done, pages_total=20))
    assert terminal.getvalue().count("\r") == 20 and "\n" not in terminal.getvalue()
    lines = pipe.getvalue().splitlines()
    assert len(lines) == 2 and lines[-1].startswith("страниц 20 из 20")
    assert "\r" not in pipe.getvalue()
