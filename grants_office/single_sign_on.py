"""The settings of single sign-on (OpenID Connect through mozilla-django-oidc; grants_office/identity/oidc.py,
docs/privacy.md), read from the environment. Off unless OIDC_RP_CLIENT_ID and the provider's endpoints are set
(the JWKS endpoint too for RS*/ES* signatures): then the sign-in page offers "Sign in with
OIDC_PROVIDER_NAME" beside the password. The address to register at the provider is <site>/oidc/callback/."""

from django.utils.translation import gettext_lazy as _

from grants_office.env import env

SETTINGS = {
    "OIDC_RP_CLIENT_ID": env("OIDC_RP_CLIENT_ID"),
    "OIDC_RP_CLIENT_SECRET": env("OIDC_RP_CLIENT_SECRET"),
    "OIDC_OP_AUTHORIZATION_ENDPOINT": env("OIDC_OP_AUTHORIZATION_ENDPOINT"),
    "OIDC_OP_TOKEN_ENDPOINT": env("OIDC_OP_TOKEN_ENDPOINT"),
    "OIDC_OP_USER_ENDPOINT": env("OIDC_OP_USER_ENDPOINT"),
    "OIDC_OP_JWKS_ENDPOINT": env("OIDC_OP_JWKS_ENDPOINT"),
    "OIDC_RP_SIGN_ALGO": env("OIDC_RP_SIGN_ALGO", "RS256"),
    # the button's "Sign in with …", e.g. "the union's directory"
    "OIDC_PROVIDER_NAME": env("OIDC_PROVIDER_NAME") or _("your organisation's account"),
    # Fixed: only the e-mail is asked for; state, nonce and PKCE guard every sign-in; nobody is ever
    # created here and the provider's tokens are not kept.
    "OIDC_RP_SCOPES": "openid email",
    "OIDC_USE_NONCE": True,
    "OIDC_USE_PKCE": True,
    "OIDC_PKCE_CODE_CHALLENGE_METHOD": "S256",
    "OIDC_CREATE_USER": False,
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,
    # a provider that does not answer refuses the sign-in within seconds instead of holding a web worker
    "OIDC_TIMEOUT": float(env("OIDC_TIMEOUT", "5")),
}
