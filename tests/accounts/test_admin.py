import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)


def test_every_model_of_ours_is_in_the_admin():
    from django.apps import apps

    ours = [
        m
        for app in ("accounts", "mentorship", "matching")
        for m in apps.get_app_config(app).get_models()
    ]
    inlined = {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    assert ours, "expected models in our apps"
    for model in ours:
        assert model in admin.site._registry or model in inlined, model


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_each_admin_list_loads_and_searches(client, staff, with_mfa, model):
    with_mfa(staff)
    client.force_login(staff)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    assert client.get(url).status_code == 200
    if admin.site._registry[model].search_fields:
        assert client.get(url, {"q": "example"}).status_code == 200
