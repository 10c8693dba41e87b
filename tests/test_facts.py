"""Request facts: header lookup and content type as the classifier and inspectors read them."""

import pytest

from socialguard.facts import RequestFacts


@pytest.mark.parametrize(
    "headers, ctype",
    [
        ((("content-type", "application/json; charset=utf-8"),), "application/json"),
        ((("content-type", " Multipart/Form-Data; boundary=x"),), "multipart/form-data"),
        ((), ""),
    ],
)
def test_content_type(headers, ctype):
    assert RequestFacts("POST", "x.com", "/", headers=headers).content_type == ctype


def test_header_returns_first_value():
    f = RequestFacts("GET", "x.com", "/", headers=(("a", "1"), ("a", "2")))
    assert f.header("a") == "1" and f.header("b") is None
