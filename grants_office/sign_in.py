"""The settings of signing in (docs/privacy.md "Signing in"), read from the environment: the backends,
django-axes' lockout, the password-reset limits and the second factor (grants_office/identity/)."""

from datetime import timedelta

from grants_office.env import env, env_bool

__all__ = [
    "AUTHENTICATION_BACKENDS",
    "AXES_CLIENT_IP_CALLABLE",
    "AXES_COOLOFF_TIME",
    "AXES_FAILURE_LIMIT",
    "AXES_HANDLER",
    "AXES_LOCKOUT_CALLABLE",
    "AXES_LOCKOUT_PARAMETERS",
    "AXES_RESET_ON_SUCCESS",
    "LOGIN_REDIRECT_URL",
    "LOGIN_URL",
    "LOGOUT_REDIRECT_URL",
    "OTP_ADMIN_HIDE_SENSITIVE_DATA",
    "OTP_TOTP_ISSUER",
    "PASSWORD_RESET_LIMIT_PER_CLIENT_PER_HOUR",
    "PASSWORD_RESET_LIMIT_PER_HOUR",
    "TWO_FACTOR_PENDING_SECONDS",
    "TWO_FACTOR_RECOVERY_CODES",
    "TWO_FACTOR_REQUIRED_FOR_OFFICE",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes' backend comes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "grants_office.identity.oidc.SingleSignOnBackend",  # single sign-on: answers only its callback
]

# django-axes locks the web sign-in and the token endpoint after AXES_FAILURE_LIMIT failures for one user
# name (from any address) and, separately, from one address (for any user names), for the cool-off; a
# success forgives that account's failures. The office admin unlocks in the admin ("Access attempts").
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "grants_office.core.security.client_ip"
AXES_LOCKOUT_CALLABLE = "grants_office.core.security.lockout_response"
AXES_HANDLER = "grants_office.core.security.SignInAttempts"
# Password-reset mails an hour, per recipient address and per client address (over it: nothing sent,
# the same "sent" page shown).
PASSWORD_RESET_LIMIT_PER_HOUR = int(env("PASSWORD_RESET_LIMIT_PER_HOUR", "3"))
PASSWORD_RESET_LIMIT_PER_CLIENT_PER_HOUR = int(env("PASSWORD_RESET_LIMIT_PER_CLIENT_PER_HOUR", "10"))

# The second factor (django-otp): office staff and admins must have one (they read every proposal);
# anyone else may turn it on. TWO_FACTOR_REQUIRED_FOR_OFFICE=false only for a deployment whose office
# signs in through a directory that asks for its own second factor.
TWO_FACTOR_REQUIRED_FOR_OFFICE = env_bool("TWO_FACTOR_REQUIRED_FOR_OFFICE", default=True)
# The name an authenticator app shows beside the account.
OTP_TOTP_ISSUER = env("TWO_FACTOR_ISSUER", "EU Project Office")
# Seconds between the right password and the code before the password must be given again.
TWO_FACTOR_PENDING_SECONDS = int(env("TWO_FACTOR_PENDING_SECONDS", "300"))
TWO_FACTOR_RECOVERY_CODES = 10  # each works once
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows an authenticator's key
