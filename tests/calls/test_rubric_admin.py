"""The office admin sets how a rubric judges disagreement, and a round opened later uses it."""

from decimal import Decimal

import pytest

from grants_office.calls.models import DisagreementRule, Rubric

pytestmark = pytest.mark.django_db


def test_the_admin_shows_and_saves_the_disagreement_rule_and_gap(admin_client):
    html = admin_client.get("/admin/calls/rubric/add/").content.decode()
    assert 'name="disagreement_rule"' in html and 'name="disagreement_gap"' in html
    data = {
        "name": "Kalkınma Ajansı 100 puan",
        "overall_threshold": "65",
        "disagreement_rule": DisagreementRule.TOTALS,
        "disagreement_gap": "15",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
    }
    response = admin_client.post("/admin/calls/rubric/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rubric = Rubric.objects.get(name="Kalkınma Ajansı 100 puan")
    assert (rubric.disagreement_rule, rubric.disagreement_gap) == ("totals", Decimal(15))
    listing = admin_client.get("/admin/calls/rubric/").content.decode()
    assert "On totals" in listing


def test_the_admin_refuses_a_gap_of_zero(admin_client):
    data = {
        "name": "Bad gap",
        "disagreement_rule": DisagreementRule.PER_CRITERION,
        "disagreement_gap": "0",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
    }
    response = admin_client.post("/admin/calls/rubric/add/", data)
    assert response.status_code == 200 and not Rubric.objects.filter(name="Bad gap").exists()
