from oauth2_provider.oauth2_validators import OAuth2Validator

VERIFIED = "verified"  # the group of provider users whose e-mail the provider has verified


class EmailClaims(OAuth2Validator):
    """The `email` scope's claims: the user's address and whether the provider verified it."""

    def get_additional_claims(self, request):
        return {
            "email": request.user.email,
            "email_verified": request.user.groups.filter(name=VERIFIED).exists(),
        }
