"""The discussion on the proposal page: threads, posting, replying, editing and resolving.

Thin: reads through `discussion.selectors`, writes through `discussion.services` (`perform`), who may
do what from `discussion.permissions`. Each request finds the proposal (or the comment) among those the
person sees once, asks their role on it once and passes both on, to the service and to the section it
answers with. Every action answers the section again: htmx swaps it in place (400 with the errors next
to the text, 409 with the reason), a browser without JavaScript gets a redirect or a page; `NotFound`
is the 404 page (`DomainErrorMiddleware`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from documents import selectors as document_selectors
from grants_office.core import concurrency
from grants_office.core.errors import NotFound, PreconditionFailed
from grants_office.core.pages import Outcome, perform
from workflows import sections
from workflows.discussion import permissions as can
from workflows.discussion import selectors, services
from workflows.discussion.forms import CommentTextForm
from workflows.discussion.models import Visibility
from workflows.discussion.rendering import render as render_body
from workflows.roles import Role

NEW = "new"


@dataclass
class Draft:
    """What the person typed into one form of the section, and what was wrong with it."""

    form: str  # "new", "reply-<thread id>" or "edit-<comment id>"
    body: str = ""
    visibility: str = ""
    version: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

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


def _prepare(threads: list, user, allowed: set[str]) -> None:
    """What each thread's forms offer (a reply keeps its thread's audience where it may) and what this
    person may do with each comment, its text rendered with the mentions they may see."""
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


def section(
    request,
    proposal,
    *,
    role: Role | None = None,
    draft: Draft | None = None,
    problem=None,
    notice: str = "",
    focus: int | None = None,
) -> dict:
    """The context of the discussion section: threads this person may read and the forms they may use.
    `proposal` is one they see (found through `proposals_visible_to`); `role` theirs on it, when the
    request has asked it already."""
    user = request.user
    role = role or selectors.role_of_viewer(user, proposal)
    allowed = can.allowed_visibilities(role)
    threads = list(selectors.threads(user, proposal, role=role))
    _prepare(threads, user, allowed)
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


def _refused(request, proposal, outcome: Outcome, draft: Draft, *, role: Role):
    """A write the service refused: 400 with its errors next to what was typed, 409 with the reason."""
    if outcome.status == 400:
        draft.errors = outcome.problem.fields or {"__all__": [outcome.problem.message]}
        return _answer(request, proposal, status=400, draft=draft, role=role)
    return _answer(request, proposal, status=outcome.status, problem=outcome.problem, role=role)


def _posted(request, proposal, role: Role) -> tuple[Draft, dict]:
    """What was typed into the new-comment or a reply form, with the errors of its text and ids (in
    `draft.errors`), and the service's arguments: the thread replied to and the version it is about,
    each one the person may read."""
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
            parent = selectors.reply_target(request.user, proposal, role, parent_id)
        except NotFound:
            errors.setdefault("parent", []).append(_("There is no such comment."))
    if version_id:
        try:
            version = selectors.version_on(request.user, proposal, version_id)
        except NotFound:
            errors.setdefault("version", []).append(_("There is no such document version."))
    draft.errors = errors
    body, visibility = data.get("body", ""), data.get("visibility") or None
    return draft, {"body": body, "visibility": visibility, "parent": parent, "version": version}


@login_required
@require_http_methods(["GET", "POST"])
def comments(request, pk):
    """GET the section (htmx refresh); POST a comment, or a reply when `parent` is given."""
    proposal = _proposal(request, pk)
    if request.method == "GET":
        if not request.htmx:
            return redirect(reverse("workflows:proposal", args=[proposal.pk]) + "#comments")
        return _answer(request, proposal)
    role = selectors.role_of_viewer(request.user, proposal)
    draft, values = _posted(request, proposal, role)
    if draft.errors:
        return _answer(request, proposal, status=400, draft=draft, anchor="comment-form", role=role)
    outcome = perform(None, services.post_comment, proposal, request.user, role=role, **values)
    if not outcome.ok:
        return _refused(request, proposal, outcome, draft, role=role)
    comment = outcome.result
    notice = _("Your reply is posted.") if values["parent"] else _("Your comment is posted.")
    return _answer(
        request, proposal, notice=notice, anchor=f"comment-{comment.pk}", focus=comment.pk, role=role
    )


def _comment_and_role(request, pk):
    """The comment if this person may read it (else 404), its proposal and their role on it."""
    comment = selectors.comment_for(request.user, pk)
    return comment, comment.proposal, selectors.role_of_viewer(request.user, comment.proposal)


@login_required
@require_POST
def edit(request, pk):
    """The author changes the text within the edit window; the earlier text is kept (admin history)."""
    comment, proposal, role = _comment_and_role(request, pk)
    body = request.POST.get("body", "")
    draft = Draft(form=f"edit-{comment.pk}", body=body, errors=CommentTextForm({"body": body}).problems())
    if draft.errors:
        return _answer(request, proposal, status=400, draft=draft, role=role)
    precondition = concurrency.from_form(request.POST.get(concurrency.FORM_FIELD))
    try:
        outcome = perform(
            None,
            services.edit_comment,
            comment,
            request.user,
            body=body,
            precondition=precondition,
            role=role,
        )
    except PreconditionFailed as error:
        # Changed in another tab or window since this page was rendered: the section shows the current
        # text with what they typed still in the form (and the current version, so saving again is a
        # deliberate choice to replace it).
        return _answer(request, proposal, status=409, draft=draft, problem=error, role=role)
    if not outcome.ok:
        return _refused(request, proposal, outcome, draft, role=role)
    return _answer(
        request,
        proposal,
        notice=_("The comment is changed."),
        anchor=f"comment-{comment.pk}",
        focus=comment.pk,
        role=role,
    )


@login_required
@require_POST
def resolve(request, pk):
    """Mark a comment resolved, or reopen it (`resolved=false`): the office and the author."""
    comment, proposal, role = _comment_and_role(request, pk)
    value = request.POST.get("resolved", "true").strip().lower()
    if value not in {"true", "false"}:
        draft = Draft(form=f"resolve-{comment.pk}", errors={"__all__": [_("Give true or false.")]})
        return _answer(request, proposal, status=400, draft=draft, role=role)
    resolved = value == "true"
    outcome = perform(None, services.resolve_comment, comment, request.user, resolved=resolved, role=role)
    if not outcome.ok:
        return _refused(request, proposal, outcome, Draft(form=f"resolve-{comment.pk}"), role=role)
    notice = _("The comment is marked resolved.") if resolved else _("The comment is open again.")
    return _answer(
        request, proposal, notice=notice, anchor=f"comment-{comment.pk}", focus=comment.pk, role=role
    )
