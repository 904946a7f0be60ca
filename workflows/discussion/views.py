"""The discussion on the proposal page: threads, posting, replying, editing and resolving.

Thin: reads through `discussion.selectors`, writes through `discussion.services`, who may do what from
`discussion.permissions`. Every action answers the section again: htmx swaps it in place (400 with the
errors next to the text, 409 with the reason), a browser without JavaScript gets a redirect or a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from documents import selectors as document_selectors
from grants_office.core import concurrency
from grants_office.core.errors import Conflict, Invalid, NotFound, PreconditionFailed
from workflows import sections
from workflows.discussion import permissions as can
from workflows.discussion import selectors, services
from workflows.discussion.forms import CommentTextForm
from workflows.discussion.models import Visibility
from workflows.discussion.rendering import render as render_body

NEW = "new"


@dataclass
class Draft:
    """What the person typed into one form of the section, and what was wrong with it."""

    form: str  # "new", "reply-<thread id>" or "edit-<comment id>"
    body: str = ""
    visibility: str = ""
    version: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

    def errors_for(self, name: str) -> list[str]:
        return self.errors.get(name, [])

    @property
    def other_errors(self) -> list[str]:
        return [
            message
            for name, messages in self.errors.items()
            if name not in {"body", "visibility", "version"}
            for message in messages
        ]


def _proposal(request, pk):
    return sections.visible_proposal(request, pk, select_related=("document_set",))


def _visibility_options(allowed: set[str], *, thread=None) -> list[tuple[str, str]]:
    """The audiences this person may choose, in a stable order; a reply to an internal thread stays
    internal (the service says so too)."""
    options = [(value, label) for value, label in Visibility.choices if value in allowed]
    if thread is not None and thread.visibility == Visibility.INTERNAL:
        options = [(value, label) for value, label in options if value == Visibility.INTERNAL]
    return options


def section(
    request, proposal, *, draft: Draft | None = None, problem=None, notice: str = "", focus: int | None = None
) -> dict:
    """The context of the discussion section: threads this person may read and the forms they may use."""
    user = request.user
    role = can.role_on(user, proposal)
    allowed = can.allowed_visibilities(role)
    threads = list(selectors.threads(user, proposal))
    now = timezone.now()
    for thread in threads:
        thread.reply_form = f"reply-{thread.pk}"
        thread.reply_options = _visibility_options(allowed, thread=thread)
        thread.reply_default = (
            thread.visibility
            if thread.visibility in dict(thread.reply_options)
            else next(iter(dict(thread.reply_options)), "")
        )
        for comment in [thread, *thread.replies.all()]:
            mentions = comment.mentions.all()
            comment.body_html = render_body(comment.body, {m.user.username: m.user_id for m in mentions})
            comment.may_edit = comment.author_id == user.pk and now - comment.created_at <= can.EDIT_WINDOW
            comment.may_resolve = can.can_resolve(user, comment)
            comment.edit_form = f"edit-{comment.pk}"
            # the edit form carries the version it shows: saving over a newer one is refused
            comment.seen_version = services.comment_tag(comment) if comment.may_edit else ""
    options = _visibility_options(allowed)
    versions = (
        list(document_selectors.latest_versions(proposal.document_set))
        if allowed and proposal.document_set_id
        else []
    )
    return {
        "discussion": {
            "proposal": proposal,
            "threads": threads,
            "may_post": bool(allowed),
            "options": options,
            # the narrowest audience by default, as the service would choose
            "default_visibility": Visibility.INTERNAL
            if Visibility.INTERNAL in allowed
            else Visibility.SHARED,
            "versions": versions,
            "draft": draft or Draft(form=""),
            "problem": problem,
            "notice": notice,
            "focus": focus,  # the comment that keyboard focus goes to after an action
            "edit_minutes": int(can.EDIT_WINDOW.total_seconds() // 60),
        }
    }


def _answer(request, proposal, *, status=200, anchor="comments", focus=None, **kwargs):
    """htmx: the section's body (and its status line); otherwise back to the proposal page, or a page of
    its own when there is something to correct."""
    if request.htmx:
        context = section(request, proposal, focus=focus, **kwargs)
        return render(request, "workflows/discussion/swap.html", context, status=status)
    if status == 200:
        return redirect(reverse("workflows:proposal", args=[proposal.pk]) + f"#{anchor}")
    context = {"proposal": proposal, **section(request, proposal, **kwargs)}
    return render(request, "workflows/discussion/page.html", context, status=status)


def _int_or_error(value: str, name: str, message: str, errors: dict) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit():
        errors.setdefault(name, []).append(message)
        return None
    return int(value)


@login_required
@require_http_methods(["GET", "POST"])
def comments(request, pk):
    """GET the section (htmx refresh); POST a comment, or a reply when `parent` is given."""
    proposal = _proposal(request, pk)
    if request.method == "GET":
        if not request.htmx:
            return redirect(reverse("workflows:proposal", args=[proposal.pk]) + "#comments")
        return _answer(request, proposal)
    data = request.POST
    errors = CommentTextForm(data).problems()
    parent_id = _int_or_error(data.get("parent"), "parent", _("There is no such comment."), errors)
    version_id = _int_or_error(
        data.get("version"), "version", _("There is no such document version."), errors
    )
    draft = Draft(
        form=f"reply-{parent_id}" if parent_id else NEW,
        body=data.get("body", ""),
        visibility=data.get("visibility", ""),
        version=data.get("version", ""),
    )
    parent = version = None
    if parent_id:
        try:
            parent = selectors.comment_for(request.user, parent_id)
        except NotFound:
            errors.setdefault("parent", []).append(_("There is no such comment."))
    if version_id:
        try:
            version = document_selectors.version_for(request.user, version_id)
        except NotFound:
            errors.setdefault("version", []).append(_("There is no such document version."))
    if errors:
        draft.errors = errors
        return _answer(request, proposal, status=400, draft=draft, anchor="comment-form")
    try:
        comment = services.post_comment(
            proposal,
            request.user,
            body=data.get("body", ""),
            visibility=data.get("visibility") or None,
            parent=parent,
            version=version,
        )
    except Invalid as error:
        draft.errors = error.fields or {"__all__": [error.message]}
        return _answer(request, proposal, status=400, draft=draft)
    except NotFound:
        raise Http404 from None
    notice = _("Your reply is posted.") if parent else _("Your comment is posted.")
    return _answer(request, proposal, notice=notice, anchor=f"comment-{comment.pk}", focus=comment.pk)


def _comment_and_proposal(request, pk):
    try:
        comment = selectors.comment_for(request.user, pk)
    except NotFound:
        raise Http404 from None
    return comment, _proposal(request, comment.proposal_id)


@login_required
@require_POST
def edit(request, pk):
    """The author changes the text within the edit window; the earlier text is kept (admin history)."""
    comment, proposal = _comment_and_proposal(request, pk)
    body = request.POST.get("body", "")
    problems = CommentTextForm({"body": body}).problems()
    if problems:
        draft = Draft(form=f"edit-{comment.pk}", body=body, errors=problems)
        return _answer(request, proposal, status=400, draft=draft)
    try:
        services.edit_comment(
            comment,
            request.user,
            body=body,
            precondition=concurrency.from_form(request.POST.get(concurrency.FORM_FIELD)),
        )
    except PreconditionFailed as error:
        # Changed in another tab or window since this page was rendered: the section shows the current
        # text with what they typed still in the form (and the current version, so saving again is a
        # deliberate choice to replace it).
        draft = Draft(form=f"edit-{comment.pk}", body=body)
        return _answer(request, proposal, status=409, draft=draft, problem=error)
    except Invalid as error:
        draft = Draft(
            form=f"edit-{comment.pk}", body=body, errors=error.fields or {"__all__": [error.message]}
        )
        return _answer(request, proposal, status=400, draft=draft)
    except Conflict as error:
        return _answer(request, proposal, status=409, problem=error)
    except NotFound:
        raise Http404 from None
    return _answer(
        request,
        proposal,
        notice=_("The comment is changed."),
        anchor=f"comment-{comment.pk}",
        focus=comment.pk,
    )


@login_required
@require_POST
def resolve(request, pk):
    """Mark a comment resolved, or reopen it (`resolved=false`): the office and the author."""
    comment, proposal = _comment_and_proposal(request, pk)
    value = request.POST.get("resolved", "true").strip().lower()
    if value not in {"true", "false"}:
        draft = Draft(form=f"resolve-{comment.pk}", errors={"__all__": [_("Give true or false.")]})
        return _answer(request, proposal, status=400, draft=draft)
    resolved = value == "true"
    try:
        services.resolve_comment(comment, request.user, resolved=resolved)
    except Conflict as error:
        return _answer(request, proposal, status=409, problem=error)
    except NotFound:
        raise Http404 from None
    notice = _("The comment is marked resolved.") if resolved else _("The comment is open again.")
    return _answer(request, proposal, notice=notice, anchor=f"comment-{comment.pk}", focus=comment.pk)
