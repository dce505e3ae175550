"""The arithmetic behind the dashboard: NPS, small-count suppression, chart bars and the CSV format."""
import csv
import io

import pytest

from portal.exports import csv_bytes, csv_cell
from portal.exports import suppress_small as suppress
from portal.feedback.widgets import nps, nps_interval
from portal.staff.overview import CHART_BAR_MAX, chart_bars


@pytest.mark.parametrize(("scores", "total", "promoters", "passives", "detractors", "score"), [
    ([10, 10, 9, 8, 7, 0], 6, 3, 2, 1, 33.3),
    ([9, 10], 2, 2, 0, 0, 100.0),
    ([0, 6, 3], 3, 0, 0, 3, -100.0),
    ([7, 8, 7, 8], 4, 0, 4, 0, 0.0),
    ([10, 6], 2, 1, 0, 1, 0.0),
    ([10, 10, 10, 0, 7, 7, 7, 7], 8, 3, 4, 1, 25.0),
    ([9] * 7 + [5], 8, 7, 0, 1, 75.0),
    ([9] * 1 + [0] * 7, 8, 1, 0, 7, -75.0),
    (list(range(11)), 11, 2, 2, 7, -45.5),   # −45.45… rounds half away from zero
    ([10] * 3 + [0] * 4 + [8] * 1, 8, 3, 1, 4, -12.5),
])
def test_nps_is_percent_promoters_minus_percent_detractors(scores, total, promoters, passives, detractors,
                                                           score):
    distribution = {}
    for s in scores:
        distribution[s] = distribution.get(s, 0) + 1
    result = nps(distribution)
    assert (result.total, result.promoters, result.passives, result.detractors) == (
        total, promoters, passives, detractors)
    assert result.score == score


def test_nps_of_nobody_is_none():
    assert nps({}) is None
    assert nps(dict.fromkeys(range(11), 0)) is None


@pytest.mark.parametrize(("count", "shown"), [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (17, "17")])
def test_small_counts_of_requests_are_suppressed(app, count, shown):
    with app.app_context():
        assert suppress(count) == shown


def test_a_suppressed_bar_has_no_length_that_would_give_the_number_away(app):
    with app.app_context():
        bars = chart_bars([("W1", 3), ("W2", 10), ("W3", 20), ("W4", 1)], suppressed=True)
    assert [(b["width"], b["display"]) for b in bars] == [
        (0, "<5"), (150, "10"), (CHART_BAR_MAX, "20"), (0, "<5")]


def test_unsuppressed_bars_scale_to_the_largest_value(app):
    with app.app_context():
        bars = chart_bars([("a", 0), ("b", 1), ("c", 4)])
    assert [b["width"] for b in bars] == [0, 75, 300]
    assert [b["display"] for b in bars] == ["0", "1", "4"]


@pytest.mark.parametrize(("value", "cell"), [
    ('=HYPERLINK("x")', "'=HYPERLINK(\"x\")"), ("+7 999", "'+7 999"), ("@cmd", "'@cmd"), ("-20", "-20"),
    ("-12,5", "-12,5"), ("<5", "<5"), ("/posobie/kto-poluchaet", "/posobie/kto-poluchaet"),
])
def test_csv_cells_never_start_a_formula(value, cell):
    assert csv_cell(value) == cell


def test_csv_is_utf8_with_bom_and_semicolons():
    body = csv_bytes([["Раздел", "Значение"], ["Поделились; ВКонтакте", 3]])
    assert body.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert parsed == [["Раздел", "Значение"], ["Поделились; ВКонтакте", "3"]]


@pytest.mark.parametrize(("promoters", "passives", "detractors", "low", "high"), [
    # p = 0.5, d = 0.25, n = 20: var = (0.75 − 0.0625) / 20 = 0.034375, half = 196 · 0.18540 = 36.34
    (10, 5, 5, 25 - 36.3, 25 + 36.3),
    (20, 0, 0, 100.0, 100.0),       # nobody but promoters: no spread, and never above 100
    (0, 0, 20, -100.0, -100.0),
    (1, 0, 1, -100.0, 100.0),       # 0 ± 138.6, clipped to −100…100
    (0, 20, 0, 0.0, 0.0),
])
def test_nps_interval_is_nps_plus_minus_1_96_standard_errors_clipped(promoters, passives, detractors, low,
                                                                      high):
    result = nps({10: promoters, 8: passives, 3: detractors})
    assert nps_interval(result) == (round(low, 1), round(high, 1))


def test_nps_interval_by_hand_for_a_lopsided_sample():
    # 15 promoters, 3 passives, 2 detractors: p = .75, d = .1, NPS 65; var = (.85 − .4225) / 20 = .021375
    result = nps({9: 15, 7: 3, 0: 2})
    half = 1.96 * 100 * 0.021375 ** 0.5  # 28.66
    assert nps_interval(result) == (round(65 - half, 1), round(65 + half, 1)) == (36.3, 93.7)
