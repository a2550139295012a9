"""A real OpenID Connect provider for the SSO tests: django-oauth-toolkit in a tiny Django
project of its own (settings.py), run as a subprocess on a loopback port by
tests/browser/test_sso.py. Its users' claims (email, email_verified, amr) are rows of
`Claims`, which the tests write with `manage.py add_oidc_user`."""
