"""The admin lists no one's equality answers or outcome survey answers."""

from django.contrib import admin

from monitoring.models import EqualityAnswers, OutcomeSurvey


def test_neither_model_is_registered_in_the_admin():
    assert not admin.site.is_registered(EqualityAnswers)
    assert not admin.site.is_registered(OutcomeSurvey)


def test_the_admin_has_no_page_for_them(sign_in, mentee):
    EqualityAnswers.objects.create(user=mentee, sex="female")
    browser = sign_in("staff")
    assert browser.get("/admin/monitoring/equalityanswers/").status_code == 404
    assert browser.get("/admin/monitoring/outcomesurvey/").status_code == 404
    index = browser.get("/admin/").content.decode()
    assert "Equality answers" not in index
