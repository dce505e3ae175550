"""portal/errors.py: one app-wide answer to a form whose token is old or missing. Public forms come back filled
(tests/test_public_forms.py); a staff form sends the person back to a fresh page with one plain line."""
import logging

import pytest

from tests.helpers.employers import add_card
from tests.helpers.places import add_place
from tests.helpers.staff import add_application


@pytest.mark.parametrize(("make", "post_url", "back_to"), [
    (add_application, "/staff/zayavki/{id}/status", "/staff/zayavki/{id}"),
    (add_card, "/staff/rabotodateli/{id}/confirm", "/staff/rabotodateli/{id}"),
    (add_place, "/staff/mesta/{id}/confirm", "/staff/mesta/{id}"),
    (None, "/staff/mesta/new", "/staff/mesta"),
])
def test_a_staff_form_without_its_token_starts_again_from_a_fresh_page(app, signed_in, caplog, make, post_url,
                                                                       back_to):
    object_id = make(app) if make else 0
    with caplog.at_level(logging.INFO, logger="portal.security"):
        response = signed_in.post(post_url.format(id=object_id), data={"status": "done"})
    assert response.status_code == 303
    assert response.location.endswith(back_to.format(id=object_id))
    assert any('"csrf_failed"' in record.getMessage() for record in caplog.records)
    fresh = signed_in.get(response.location)
    assert fresh.status_code == 200
    assert "долго" in fresh.get_data(as_text=True)

