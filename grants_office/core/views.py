"""Password reset pages (signing in: `grants_office/identity/views.py`; the frame's other pages, home,
language and account, are the person's own: `grants_office/members/views.py`)."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from grants_office.core import security


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, sending at most PASSWORD_RESET_LIMIT_PER_HOUR mails to one address and
    PASSWORD_RESET_LIMIT_PER_CLIENT_PER_HOUR from one client address an hour. Over a limit nothing is sent
    and the person sees the same "sent" page: the page never tells whether an account exists."""

    def form_valid(self, form):
        if security.reset_mail_allowed(self.request, form.cleaned_data["email"]):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


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
