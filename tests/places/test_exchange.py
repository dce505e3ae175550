"""`flask places import FILE` / `export`: YAML and CSV round trips, every bad row named by line and field,
nothing half-imported; the samples of `flask demo load` are marked, never exported, refused in production."""
from datetime import date

from sqlalchemy import func, select

from portal.extensions import db
from portal.places.models import Place
from tests.helpers.app import make_app
from tests.helpers.places import add_place

GOOD_YAML = """\
- kind: centre
  name: Отдел на Образцовой
  district: tsentralny
  address: ул. Образцовая, 1
  phones:
    - +7 351 111-22-33 — приём
    - +7 351 111-22-34 — директор
  hours_mon: 9:00-13:00, 14:00-18:00
  hours_fri: 9-16.45
  what_to_bring: Паспорт
  is_main: true
  confirmed_on: 2026-12-01
  confirmed_by: anna
- kind: shelter
  name: Ночлег
  address: ул. Ночная, 2
  hours_sun: круглосуточно
"""


def places(app):
    with app.app_context():
        return db.session.execute(select(Place).order_by(Place.id)).scalars().all()


def count(app):
    with app.app_context():
        return db.session.execute(select(func.count(Place.id))).scalar()


def test_a_yaml_file_is_imported_and_exported_the_same_way_back(app, runner, tmp_path):
    source = tmp_path / "places.yaml"
    source.write_text(GOOD_YAML, encoding="utf-8")
    result = runner.invoke(args=["places", "import", str(source)])
    assert result.exit_code == 0, result.output
    assert "новых мест 2" in result.output
    first, second = places(app)
    assert first.phones == "+7 351 111-22-33 — приём\n+7 351 111-22-34 — директор"
    assert (first.hours_fri, first.is_main, first.confirmed_on) == ("9:00-16:45", True, date(2026, 12, 1))
    assert second.confirmed_on is None and second.hours_sun == "круглосуточно"
    exported = tmp_path / "out.yaml"
    assert runner.invoke(args=["places", "export", str(exported)]).exit_code == 0
    (tmp_path / "other").mkdir()
    other = make_app(tmp_path / "other", SEARCH_BUILD_ON_START=False)
    assert other.test_cli_runner().invoke(args=["places", "import", str(exported)]).exit_code == 0
    again = tmp_path / "again.yaml"
    other.test_cli_runner().invoke(args=["places", "export", str(again)])
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")


def test_a_csv_export_imports_back_into_the_same_rows(app, runner, tmp_path):
    add_place(app, what_to_bring="Паспорт;\n«СНИЛС», если есть", note='кавычки " и запятые, да')
    add_place(app, kind="mfc", name="МФЦ", district=None, hidden=True, confirmed_on=None)
    exported = tmp_path / "places.csv"
    assert runner.invoke(args=["places", "export", str(exported)]).exit_code == 0
    assert exported.read_bytes().startswith("\ufeff".encode())  # Excel reads it as UTF-8
    (tmp_path / "other").mkdir()
    other = make_app(tmp_path / "other", SEARCH_BUILD_ON_START=False)
    result = other.test_cli_runner().invoke(args=["places", "import", str(exported)])
    assert result.exit_code == 0, result.output
    columns = ("kind", "name", "district", "address", "phones", "hours_mon", "what_to_bring", "note", "hidden",
               "confirmed_on", "confirmed_by", "is_main")
    assert [[getattr(p, c) for c in columns] for p in places(other)] == \
           [[getattr(p, c) for c in columns] for p in places(app)]


def test_importing_an_export_again_updates_the_places_instead_of_doubling_them(app, runner, tmp_path):
    add_place(app)
    exported = tmp_path / "places.yaml"
    runner.invoke(args=["places", "export", str(exported)])
    exported.write_text(exported.read_text(encoding="utf-8").replace("ул. Тестовая, 5", "ул. Новая, 7"),
                        encoding="utf-8")
    result = runner.invoke(args=["places", "import", str(exported)])
    assert "новых мест 0, обновлено 1" in result.output
    assert [p.address for p in places(app)] == ["ул. Новая, 7"]


def test_bad_rows_are_each_named_by_line_and_field_and_nothing_is_imported(app, runner, tmp_path):
    bad = GOOD_YAML + """\
- kind: castle
  name: Замок
  address: ул. Замковая
  hours_tue: с утра
  colour: red
"""
    source = tmp_path / "bad.yaml"
    source.write_text(bad, encoding="utf-8")
    result = runner.invoke(args=["places", "import", str(source)])
    assert result.exit_code == 1
    assert "Ничего не загружено" in result.output
    assert "строка 18, поле «kind»" in result.output
    assert "строка 21, поле «hours_tue»: Не получается прочитать «с утра»" in result.output
    assert "строка 22, поле «colour»: такого поля нет" in result.output
    assert count(app) == 0


def test_a_bad_csv_row_is_named_by_its_line_in_the_file(app, runner, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("kind;name;address;hours_mon;confirmed_on\n"
                      "centre;Отдел;ул. 1;9-18;2026-12-01\n"
                      'mfc;"МФЦ\nна двух строках";ул. 2;9-18;01.12.2026\n'
                      "legal_aid;Юрист;;9-18;вчера\n", encoding="utf-8")
    result = runner.invoke(args=["places", "import", str(source)])
    assert result.exit_code == 1
    assert "строка 5, поле «address»: Заполните это поле." in result.output
    assert "строка 5, поле «confirmed_on»" in result.output
    assert count(app) == 0


def test_files_that_cannot_be_read_are_refused_with_a_message(app, runner, tmp_path):
    for name, content in (("a.yaml", "- kind: [unclosed\n"), ("b.yaml", "kind: centre\n"),
                          ("c.csv", "kind,planet\ncentre,Mars\n")):
        source = tmp_path / name
        source.write_text(content, encoding="utf-8")
        result = runner.invoke(args=["places", "import", str(source)])
        assert result.exit_code == 1 and "строка" in result.output, (name, result.output)
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("kind,name\ncentre,Отдел\n".encode("cp1251"))
    result = runner.invoke(args=["places", "import", str(latin1)])
    assert result.exit_code == 1 and "UTF-8" in result.output
    assert count(app) == 0


def test_demo_load_adds_marked_samples_that_are_never_exported(app, runner, client):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0 and "Загружено примеров (места)" in result.output
    loaded = places(app)
    assert loaded and all(p.is_demo and p.name.startswith("Пример: ") and p.address.startswith("Пример: ")
                          for p in loaded)
    assert all("000-00" in (p.phones or "") for p in loaded)  # no real number
    html = client.get("/kuda-obratitsya").get_data(as_text=True)
    assert html.count('class="badge"') >= len(loaded)
    assert runner.invoke(args=["places", "export"]).output.strip() == "[]"
    runner.invoke(args=["demo", "load"])
    assert count(app) == len(loaded)
    assert runner.invoke(args=["demo", "clear"]).exit_code == 0
    assert count(app) == 0


def test_demo_places_are_refused_in_production(tmp_path):
    from tests.helpers.app import production_config
    app = make_app(tmp_path, **production_config())
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 1 and count(app) == 0
