"""The README's demo logins work with the demo password, on the demo province built once for
this package (tests/demo/conftest.py), not on a province loaded again for one login test."""

import pytest

README_LOGINS = ["noivu", "noivu2", "lanhdao", "truong.stp", "cv.stp", "truong.xdongson"]


@pytest.mark.parametrize("username", README_LOGINS)
def test_a_readme_login_signs_in_with_the_demo_password(
    db, demo_province, client, settings, username
):
    response = client.post(
        "/dang-nhap/", {"username": username, "password": settings.DEMO_PASSWORD}
    )

    assert response.status_code == 302, response.content[:300]
    start = client.get("/", follow=True)  # each role's start page
    assert start.status_code == 200
    assert "/dang-nhap/" not in start.redirect_chain[-1][0]
