"""The smaller holes of the security review (issue 12 item 5), each with its test."""
import pytest

from portal.text import clean_text, is_plain_email
from tests.helpers.apply import VALID, hidden_fields


def multipart_with_a_file(client, url, field, extra):
    page = client.get(url)
    data = {**hidden_fields(page.get_data(as_text=True)), **extra}
    boundary = "B0undary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
             for k, values in data.items() for v in (values if isinstance(values, list) else [values])]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="../../x.sh"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\necho hi\r\n")
    body = "".join(parts) + f"--{boundary}--\r\n"
    return client.post(url, data=body.encode(), content_type=f"multipart/form-data; boundary={boundary}")


@pytest.mark.parametrize("url,field", [("/zayavka", "comment"), ("/zayavka", "name"), ("/staff/login", "username"),
                                       ("/staff/login", "password")])
def test_a_file_part_in_a_text_field_is_a_400_not_a_500(app, client, url, field, caplog):
    caplog.set_level("INFO")
    extra = {k: v for k, v in VALID.items() if k != field} if url == "/zayavka" else {"username": "anna"}
    response = multipart_with_a_file(client, url, field, extra)
    assert response.status_code == 400
    assert any("file_part_refused" in record.getMessage() for record in caplog.records)


def test_a_query_the_parser_cannot_take_finds_nothing_instead_of_search_is_down(client):
    for query in ["NOT NOT NOT", "AND OR NOT", "(NOT"]:
        html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
        assert "временно недоступен" not in html, query


@pytest.mark.parametrize("url", ["/plan/itog?released=recent&situation=health", "/plan/posobie/itog?worked=no",
                                 "/plan", "/plan/posobie"])
def test_plan_pages_with_answers_in_the_url_are_never_cached(client, url):
    assert client.get(url).headers["Cache-Control"] == "no-store"


def test_bidi_isolates_and_overrides_are_removed_from_free_text():
    assert clean_text("до\u2066\u2067\u2068\u2069после \u202eи\u200b") == "допосле и"


@pytest.mark.parametrize("address,plain", [
    ("hr@romashka.ru", True), ("ivan.petrov+job@mail.example.ru", True),
    ("hr?cc=spy%40evil.example&subject=x@example.ru", False), ("a=b@example.ru", False),
    ("javascript:alert(1)//@example.ru", False), ("hr@example", False), ("x@-bad.ru", False)])
def test_mailto_is_built_only_from_a_strict_address(address, plain):
    assert is_plain_email(address) is plain
