from django.contrib.auth import login
from django.http import HttpResponseRedirect


def finish_sign_in(request, user, *, backend: str, redirect_to: str):
    """Signs `user` in (after any second factor) and answers where they go next."""
    login(request, user, backend=backend)
    return HttpResponseRedirect(redirect_to)
