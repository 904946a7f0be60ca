"""The kinds of notification: what each says, who it is for, and how it is delivered by default.

Titles and bodies are %-format strings marked for translation; `render` fills them in the recipient's
language and time zone. A kind is a stable identifier stored on each row and in preferences.

Signal contract
---------------
`notifications.receivers` listens to domain signals; nobody calls notifications directly. Every signal is
sent inside the transaction of the change, with `sender` the model class; the receiver writes an outbox
row in that transaction and the relay builds the events after commit (notifications/outbox.py). Signals
in use today (model arguments are stored by reference and read again by the relay):

- workflows.signals.proposal_transitioned(proposal, transition, source, target, by, comment)
- workflows.signals.proposal_created(proposal, by)
- workflows.signals.consultation_scheduled(consultation, by)   consultation.proposal, .held_at,
  .office_experts, .team_participants
- documents.signals.version_created(version, by)               version.document, .number, .uploaded_by;
  the proposal is `getattr(set, "proposal", None)` of the version's document set

Signals of the expert review and discussion work (workflows.signals):

- reviewer_assigned(assignment, by)
      assignment.reviewer (user), assignment.proposal, assignment.due_at -> REVIEW_ASSIGNED to the reviewer
- assignment_transitioned(assignment, transition, source, target, by, comment)
      target "accepted" -> ASSIGNMENT_ACCEPTED, "declined" -> ASSIGNMENT_DECLINED,
      "submitted" -> REVIEW_SUBMITTED, each to the proposal's coordinator (or the office if none)
- all_reviews_in(review_round)                  review_round.proposal -> ALL_REVIEWS_IN to the coordinator
- comment_posted(comment, by)
      comment.proposal, comment.visibility ("shared" / "internal"), comment.body
      shared -> COMMENT_SHARED to the team and the coordinator, less those mentioned; internal: nobody
- comment_mentioned(comment, user, by)          one per mentioned person -> MENTION (access checked again)

`review_submitted` and `review_round_closed` are not listened to: the submit arrives as an assignment
transition, and closing a round moves the proposal back to drafting, which is a proposal transition.

Signals of cooperation (cooperation.signals); these events are about no proposal, so each names its
recipients by a rule of its own (`Event.url`, see `selectors.who_may_be_told`) and links to the request's
page (`/partners/requests/<id>/`):

- partner_response_received(response, by)      response.request.municipality -> PARTNER_RESPONSE_RECEIVED
      to that municipality's team today (the responder left out)
- partner_response_decided(response, by, reason="")   response.state "accepted" ->
      PARTNER_RESPONSE_ACCEPTED, "declined" -> PARTNER_RESPONSE_DECLINED (with the reason), to
      response.responder
- partner_request_closed(partner_request, by)  by None (it closed itself after its date) ->
      PARTNER_REQUEST_CLOSED to partner_request.created_by; closed by a person: nobody

Call watch (`notifications.call_watch`, the weekly task `notifications.send_call_watch`): CALL_WATCH,
one notification per team member listing the new calls their municipality may lead; each call goes out
once per municipality (`cooperation.CallMatchNotice`).

Signals of events (events.signals), about no proposal, built in notifications/event_notices.py and
linking to the event's page; nobody hears of their own doing, inactive people of nothing:

- registration_created(registration, by)   by registration.state: EVENT_REGISTERED (confirmed),
      EVENT_WAITLISTED (with the position) or EVENT_PENDING (the office approves) to registration.person
- registration_confirmed(registration, by)   off the waiting list or approved -> EVENT_PROMOTED;
  registration_refused(registration, by, reason) -> EVENT_REFUSED (the reason as the comment);
  registration_cancelled(registration, by) -> EVENT_REGISTRATION_CANCELLED; each to the person
- registration_moved(registration, by)     registration.moved_to -> EVENT_MOVED to its person
- event_changed(event, by, changes)        changes: names of fields -> EVENT_CHANGED, and
  event_cancelled(event, by, reason) -> EVENT_CANCELLED, each to every live registration's person
- certificate_issued(certificate, by)      -> CERTIFICATE_ISSUED to the holder, linking /certificates/

The export of a person's data (privacy, above notifications, calls `services.notify` once the ZIP is
written): DATA_EXPORT_READY to whoever asked for it, linking to the download while it lasts.

Reminder kinds come from the scan (`notifications.reminders.SOURCES`): CALL_DEADLINE (30, 14, 7, 1 days
before), REVIEW_DUE to the reviewer (3 and 1 days before), REVIEW_OVERDUE to the coordinator (once
per due date) and EVENT_REMINDER the day before an event to everyone confirmed (once per start).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app only")
    EMAIL = "email", _("In the app and by e-mail")
    DIGEST = "digest", _("In the app and in the daily digest")
    OFF = "off", _("Off")


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise
    title: Promise
    body: Promise
    default: str = Channel.EMAIL
    # Appended to the body when the context carries a non-empty "comment".
    comment: Promise | None = None


PROPOSAL_TRANSITIONED = "proposal_transitioned"
PROPOSAL_CREATED = "proposal_created"
CONSULTATION_SCHEDULED = "consultation_scheduled"
DOCUMENT_VERSION_CREATED = "document_version_created"
CALL_DEADLINE = "call_deadline_approaching"
REVIEW_ASSIGNED = "review_assigned"
ASSIGNMENT_ACCEPTED = "review_assignment_accepted"
ASSIGNMENT_DECLINED = "review_assignment_declined"
REVIEW_SUBMITTED = "review_submitted"
ALL_REVIEWS_IN = "all_reviews_in"
REVIEW_DUE = "review_due_approaching"
REVIEW_OVERDUE = "review_overdue"
COMMENT_SHARED = "comment_shared"
MENTION = "comment_mention"
CALL_WATCH = "call_watch"
PARTNER_RESPONSE_RECEIVED = "partner_response_received"
PARTNER_RESPONSE_ACCEPTED = "partner_response_accepted"
PARTNER_RESPONSE_DECLINED = "partner_response_declined"
PARTNER_REQUEST_CLOSED = "partner_request_closed"
EVENT_REGISTERED = "event_registration_confirmed"
EVENT_WAITLISTED = "event_waitlisted"
EVENT_PENDING = "event_registration_pending"
EVENT_PROMOTED = "event_registration_promoted"
EVENT_REFUSED = "event_registration_refused"
EVENT_REGISTRATION_CANCELLED = "event_registration_cancelled"
EVENT_MOVED = "event_registration_moved"
EVENT_CHANGED = "event_changed"
EVENT_CANCELLED = "event_cancelled"
EVENT_REMINDER = "event_reminder"
CERTIFICATE_ISSUED = "certificate_issued"
DATA_EXPORT_READY = "data_export_ready"
# Context values rendered as numbers, so that ngettext picks the plural from them.
NUMBERS = ("days", "count")

_COMMENT = _("Comment: %(comment)s")
_REASON = _("Reason: %(comment)s")
# Most event notices close with when and where; format_lazy keeps the body lazy (a lazy string + another
# is fixed in the language active at import), so each recipient reads it in their own.
_WHEN = _("When: %(when)s\nWhere: %(place)s")


def _then_when(text: Promise) -> Promise:
    return format_lazy("{}\n\n{}", text, _WHEN)


EVENT_KINDS = [
    Kind(
        EVENT_REGISTERED,
        _("Your place at an event is confirmed"),
        _("Registered: %(event)s"),
        _then_when(_("%(actor)s registered you for “%(event)s”: your place is confirmed.")),
    ),
    Kind(
        EVENT_WAITLISTED,
        _("You are on the waiting list of an event"),
        _("Waiting list: %(event)s"),
        _then_when(_("%(actor)s registered you for “%(event)s”: number %(position)s on the waiting list.")),
    ),
    Kind(
        EVENT_PENDING,
        _("Your registration waits for approval by the office"),
        _("Waiting for approval: %(event)s"),
        _then_when(_("%(actor)s registered you for “%(event)s”; the office will decide on it.")),
    ),
    Kind(
        EVENT_PROMOTED,
        _("A place at an event became yours"),
        _("Your place is confirmed: %(event)s"),
        _then_when(_("Your place at “%(event)s” is confirmed.")),
    ),
    Kind(
        EVENT_REFUSED,
        _("Your registration was refused"),
        _("Registration refused: %(event)s"),
        _("The office refused your registration for “%(event)s”."),
        comment=_REASON,
    ),
    Kind(
        EVENT_REGISTRATION_CANCELLED,
        _("Someone cancelled your registration"),
        _("Registration cancelled: %(event)s"),
        _("%(actor)s cancelled your registration for “%(event)s”."),
    ),
    Kind(
        EVENT_MOVED,
        _("You were moved to another event"),
        _("Moved to %(event)s"),
        _then_when(_("%(actor)s moved you from “%(from_event)s” to “%(event)s”: %(state)s.")),
    ),
    Kind(
        EVENT_CHANGED,
        _("An event you are registered for changed"),
        _("Changed: %(event)s"),
        _then_when(_("%(actor)s changed “%(event)s”: %(changes)s.")),
    ),
    Kind(
        EVENT_CANCELLED,
        _("An event you are registered for was cancelled"),
        _("Cancelled: %(event)s"),
        _("“%(event)s”, planned for %(when)s, is cancelled."),
        comment=_REASON,
    ),
    Kind(
        EVENT_REMINDER,
        _("The day before an event"),
        _("Tomorrow: %(event)s"),
        _("Tomorrow: “%(event)s” at %(when)s in %(place)s."),
    ),
    Kind(
        CERTIFICATE_ISSUED,
        _("Your participation certificate"),
        _("Certificate: %(event)s"),
        _("Your certificate for “%(event)s” is in “My certificates”; anyone can check it at %(verify)s"),
    ),
]

KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in [
        Kind(
            PROPOSAL_TRANSITIONED,
            _("A proposal moved on"),
            _("%(proposal)s: %(target)s"),
            _("%(actor)s moved “%(proposal)s” from “%(source)s” to “%(target)s”."),
            comment=_COMMENT,
        ),
        Kind(
            PROPOSAL_CREATED,
            _("A new idea was registered"),
            _("New idea: %(proposal)s"),
            _("%(actor)s registered the idea “%(proposal)s” for %(municipality)s."),
        ),
        Kind(
            CONSULTATION_SCHEDULED,
            _("A consultation was scheduled"),
            _("Consultation on %(proposal)s"),
            _("A consultation on “%(proposal)s” is scheduled for %(held_at)s."),
        ),
        Kind(
            DOCUMENT_VERSION_CREATED,
            _("A new document version"),
            _("%(proposal)s: new version of %(document)s"),
            _("%(actor)s uploaded version %(number)s of “%(document)s” for “%(proposal)s”."),
            default=Channel.DIGEST,
        ),
        Kind(
            CALL_DEADLINE,
            _("A call deadline is approaching"),
            ngettext_lazy(
                "%(proposal)s: the call deadline is in %(days)s day",
                "%(proposal)s: the call deadline is in %(days)s days",
                "days",
            ),
            _(
                "The call %(call)s closes on %(deadline)s your time (%(funder_deadline)s, the funder's time)."
                " “%(proposal)s” is %(state)s."
            ),
        ),
        Kind(
            REVIEW_ASSIGNED,
            _("You were asked to review"),
            _("Review requested: %(proposal)s"),
            _(
                "You are invited to review “%(proposal)s”. Please accept or decline;"
                " the review is due on %(due)s."
            ),
        ),
        Kind(
            ASSIGNMENT_ACCEPTED,
            _("A reviewer accepted"),
            _("%(reviewer)s accepted to review %(proposal)s"),
            _("%(reviewer)s accepted the review of “%(proposal)s”, due on %(due)s."),
            default=Channel.IN_APP,
        ),
        Kind(
            ASSIGNMENT_DECLINED,
            _("A reviewer declined"),
            _("%(reviewer)s declined to review %(proposal)s"),
            _("%(reviewer)s declined the review of “%(proposal)s”. Another reviewer may be needed."),
            comment=_COMMENT,
        ),
        Kind(
            REVIEW_SUBMITTED,
            _("A review was submitted"),
            _("%(reviewer)s submitted a review of %(proposal)s"),
            _("%(reviewer)s submitted the review of “%(proposal)s”."),
            default=Channel.IN_APP,
        ),
        Kind(
            ALL_REVIEWS_IN,
            _("All reviews are in"),
            _("All reviews are in: %(proposal)s"),
            _("Every reviewer has submitted a review of “%(proposal)s”. The round can be closed."),
        ),
        Kind(
            REVIEW_DUE,
            _("A review is due soon"),
            ngettext_lazy(
                "Your review of %(proposal)s is due in %(days)s day",
                "Your review of %(proposal)s is due in %(days)s days",
                "days",
            ),
            _("Your review of “%(proposal)s” is due on %(due)s."),
        ),
        Kind(
            REVIEW_OVERDUE,
            _("A review is overdue"),
            _("Review overdue: %(proposal)s"),
            _("%(reviewer)s has not submitted the review of “%(proposal)s”, due on %(due)s."),
        ),
        Kind(
            COMMENT_SHARED,
            _("A comment was shared with the team"),
            _("New comment on %(proposal)s"),
            _("%(actor)s wrote on “%(proposal)s”: %(excerpt)s"),
        ),
        Kind(
            MENTION,
            _("You were mentioned"),
            _("%(actor)s mentioned you on %(proposal)s"),
            _("%(actor)s wrote on “%(proposal)s”: %(excerpt)s"),
        ),
        Kind(
            CALL_WATCH,
            _("New calls your municipality may lead (weekly)"),
            ngettext_lazy(
                "Call watch: %(count)s new call for %(municipality)s",
                "Call watch: %(count)s new calls for %(municipality)s",
                "count",
            ),
            _("Calls that %(municipality)s may lead, the best match first:\n\n%(calls)s"),
        ),
        Kind(
            PARTNER_RESPONSE_RECEIVED,
            _("An answer to your partner request"),
            _("New answer to “%(request)s”"),
            _("%(actor)s answered “%(request)s” for %(party)s: %(excerpt)s"),
        ),
        Kind(
            PARTNER_RESPONSE_ACCEPTED,
            _("Your answer to a partner request was accepted"),
            _("Accepted: your answer to “%(request)s”"),
            _("%(municipality)s accepted the answer of %(party)s to “%(request)s”."),
        ),
        Kind(
            PARTNER_RESPONSE_DECLINED,
            _("Your answer to a partner request was declined"),
            _("Declined: your answer to “%(request)s”"),
            _("%(municipality)s declined the answer of %(party)s to “%(request)s”."),
            comment=_COMMENT,
        ),
        Kind(
            PARTNER_REQUEST_CLOSED,
            _("Your partner request closed after its date"),
            _("Closed: “%(request)s”"),
            ngettext_lazy(
                "“%(request)s” closed after its answer date, %(answer_by)s, with %(count)s answer.",
                "“%(request)s” closed after its answer date, %(answer_by)s, with %(count)s answers.",
                "count",
            ),
        ),
        *EVENT_KINDS,
        Kind(
            DATA_EXPORT_READY,
            _("An export of personal data is ready"),
            _("Personal data of %(person)s: ready to download"),
            _(
                "The export of the data held about %(person)s, asked for on %(requested)s, is ready. "
                "It can be downloaded until %(until)s; then it is deleted."
            ),
        ),
    ]
}


def get(code: str) -> Kind:
    return KINDS[code]


def default_channel(code: str) -> str:
    return KINDS[code].default
