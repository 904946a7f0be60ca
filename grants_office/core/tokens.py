"""API tokens (django-rest-knox): issued within the per-user cap, revoked by their holder, and revoked all
at once whenever the account's password changes or the account is deactivated.

The revocation is one pair of receivers on the user model (connected in CoreConfig.ready), so every path
is covered: the web password reset and change, the admin, `manage.py changepassword`, a shell's
`set_password()` + `save()`, an import, deactivation in the admin or a service.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from knox import auth
from knox.models import AuthToken
from knox.settings import knox_settings
from knox.signals import token_expired

from grants_office.core import audit


def issue(user) -> tuple[AuthToken, str]:
    """A new token for `user`; the raw token is returned once and only its digest is stored.

    Expired tokens are purged first; at REST_KNOX["TOKEN_LIMIT_PER_USER"] the oldest tokens are revoked
    so that the new one fits: a user never holds more than the cap, and the newest sign-ins always work
    (knox's own login view refuses the new one instead, which locks out a user whose scripts leaked
    tokens until they expire)."""
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    with transaction.atomic():
        # two sign-ins of one account at once must not both keep the cap's last place
        get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
        held = AuthToken.objects.filter(user=user)
        held.filter(expiry__lte=timezone.now()).delete()
        if limit is not None:
            surplus = held.count() - limit + 1
            if surplus > 0:
                oldest = list(held.order_by("created", "digest").values_list("digest", flat=True)[:surplus])
                AuthToken.objects.filter(digest__in=oldest).delete()
        return AuthToken.objects.create(user, knox_settings.TOKEN_TTL)


class TokenAuthentication(auth.TokenAuthentication):
    """knox's, without its sweep of the holder's other tokens on every request (a query and an object per
    token, on the path of every API call; issue 18). The presented token is still refused, and deleted,
    once expired; the others are deleted when the holder signs in again (`issue`) and every hour
    (`delete_expired`). The audit trail's entries of the request are the token holder's from here on."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            audit.attribute_to(result[0])
        return result

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is None or auth_token.expiry >= timezone.now():
            return False
        username = auth_token.user.get_username()
        auth_token.delete()
        token_expired.send(sender=type(self), username=username, source="auth_token")
        return True


def delete_expired(now=None) -> int:
    """Every token past its expiry; how many."""
    count, _ = AuthToken.objects.filter(expiry__lt=now or timezone.now()).delete()
    return count


def revoke(token: AuthToken) -> None:
    """Sign out of one token (the one the request came with)."""
    AuthToken.objects.filter(digest=token.digest).delete()


def revoke_all(user) -> int:
    """Sign out of every token of `user`; how many there were."""
    count, _ = AuthToken.objects.filter(user=user).delete()
    return count


def _is_rehash(stored: str, new: str) -> bool:
    """Whether `new` is Django re-hashing the same password with the current hasher at sign-in (after an
    upgrade changes the hasher or its work factor): no reason to sign anyone out."""
    try:
        before, after = identify_hasher(stored), identify_hasher(new)
    except ValueError:
        return False
    preferred = get_hasher("default")
    if after.algorithm != preferred.algorithm or preferred.must_update(new):
        return False
    return before.algorithm != preferred.algorithm or preferred.must_update(stored)


def _sign_in_changed(stored: dict, user, update_fields) -> bool:
    if stored["is_active"] and not user.is_active:
        return True
    if stored["password"] == user.password:
        return False
    # Django's re-hash at sign-in saves only the password and has forgotten the raw one
    # (AbstractBaseUser.check_password's setter); set_password() leaves it on the instance until saved.
    rehash_shaped = (
        user._password is None and update_fields is not None and set(update_fields) == {"password"}
    )
    return not (rehash_shaped and _is_rehash(stored["password"], user.password))


def note_sign_in_change(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save: compare the stored password hash and is_active with what is about to be saved."""
    instance._revoke_tokens = False
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # e.g. last_login at each sign-in: no query
    stored = sender._default_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if stored is not None:
        instance._revoke_tokens = _sign_in_changed(stored, instance, update_fields)


def revoke_on_sign_in_change(sender, instance, raw=False, **kwargs):
    """post_save: in the same transaction as the save, so a password change never commits without it."""
    if getattr(instance, "_revoke_tokens", False):
        instance._revoke_tokens = False
        revoke_all(instance)


def connect() -> None:
    """Called from CoreConfig.ready(), when the user model is known."""
    user_model = get_user_model()
    pre_save.connect(note_sign_in_change, sender=user_model, dispatch_uid="core.tokens.note")
    post_save.connect(revoke_on_sign_in_change, sender=user_model, dispatch_uid="core.tokens.revoke")
