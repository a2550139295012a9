from oauth2_provider.oauth2_validators import OAuth2Validator

from .models import Claims


class ClaimsValidator(OAuth2Validator):
    """django-oauth-toolkit's validator, with each user's claims from `Claims` in the ID token
    and the userinfo answer."""

    # Every claim whatever the scopes: `amr` has no scope of its own.
    oidc_claim_scope = None

    def get_additional_claims(self, request):
        user = request.user
        claims = Claims.objects.filter(user=user).first() or Claims(user=user)
        data = {"email": user.email, "name": claims.name or user.get_full_name()}
        if claims.email_verified is not None:
            data["email_verified"] = claims.email_verified
        if claims.amr:
            data["amr"] = claims.amr.split(",")
        return data
