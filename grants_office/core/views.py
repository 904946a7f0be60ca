"""The frame of the web pages: home (sends each person to their own start page), sign-in, language."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from grants_office.core import profiles
from grants_office.members.permissions import is_office_staff


@login_required
def home(request):
    """The office starts on the pipeline board, everyone else on their own proposals."""
    return redirect("workflows:board" if is_office_staff(request.user) else "workflows:mine")


@require_POST
def set_language(request):
    """Django's language switch (session cookie) that also keeps the choice on the person's profile."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        profiles.remember_language(request.user, language)
    return response


class LoginView(auth_views.LoginView):
    template_name = "core/auth/login.html"
    redirect_authenticated_user = True


AUTH_TEMPLATES = {
    "password_reset": {
        "template_name": "core/auth/password_reset_form.html",
        "email_template_name": "core/auth/password_reset_email.txt",
        "subject_template_name": "core/auth/password_reset_subject.txt",
    },
    "password_reset_done": {"template_name": "core/auth/password_reset_done.html"},
    "password_reset_confirm": {"template_name": "core/auth/password_reset_confirm.html"},
    "password_reset_complete": {"template_name": "core/auth/password_reset_complete.html"},
}
