"""The personal-data section of the demo: answered requests, so /account/data/ and the office's person
pages show exports to download and an erasure. A team lead downloads their own data; an expert asked the
office for theirs, and the coordinator prepared it from the expert's page (a read, in the trail). A
former Çorlu team member, who wrote on a proposal and was mentioned, asked to be erased: the admin did,
and he is a pseudonym everywhere. Sign-ins of two years ago were destroyed by last night's retention run
(the destruction log), and more have come due since (what the next run does)."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessLog
from django.contrib.auth.hashers import make_password

from demo import data
from demo.data import notice
from demo.loader.shared import Demo, User
from grants_office.members.models import TeamMembership, UserProfile
from privacy import conf, retention, services
from privacy.models import NoticeAcceptance, PrivacyNotice
from workflows.discussion import services as discussion
from workflows.models import Proposal

ERASED_REASON = "KVKK-2026-03: e-posta ile silme talebi (Çorlu Belediyesi'nden ayrıldı)."


def _answered(requester, subject) -> None:
    export = services.request_export(requester, subject)
    services.build_export(export.pk)  # now, not after the load's commit: the demo shows it ready


def personal_data(demo: Demo) -> None:
    office = demo.users[data.K]
    lead, expert = demo.users.get("suleymanpasa.lider"), demo.users.get("hakem.aydemir")
    if lead is not None:
        _answered(lead, lead)
    if expert is not None:
        services.record_person_read(office, expert)
        _answered(office, expert)
    _notice(demo)
    if "corlu.lider" in demo.users:
        erased(demo)
    _retention(demo)


def _former_member(demo: Demo) -> User:
    """Orhan Yıldız, on Çorlu's team until he left; he wrote on a proposal and the lead answered him."""
    person = User.objects.create(
        username="corlu.eski",
        first_name="Orhan",
        last_name="Yıldız",
        email="corlu.eski@example.org",
        password=make_password(None),
    )
    UserProfile.objects.create(user=person, language="tr")
    corlu = demo.party("corlu")
    TeamMembership.objects.create(
        user=person, municipality=corlu, role=TeamMembership.Role.MEMBER, starts_on=data.TEAMS_SINCE
    )
    proposal = Proposal.objects.alive().filter(lead=corlu).order_by("pk").first()
    if proposal is not None:
        comment = discussion.post_comment(
            proposal,
            person,
            body="Personel giderlerini kontrol ettim; bütçe tablosu güncel.",
            visibility="shared",
        )
        discussion.post_comment(
            proposal,
            demo.users["corlu.lider"],
            body="Teşekkürler @corlu.eski; Orhan Yıldız'ın notlarını bütçeye ekledim.",
            parent=comment,
        )
    return person


def erased(demo: Demo) -> None:
    person = _former_member(demo)
    services.erase_person(demo.users["admin"], person, ERASED_REASON)


def _sign_ins(demo: Demo, months: int, days: int) -> None:
    """Sign-ins of the office and a lead, `months` and `days` ago, as django-axes records them."""
    at = retention.months_before(demo.now, months) - timedelta(days=days)
    for username in (data.K, "suleymanpasa.lider"):
        if username in demo.users:
            log = AccessLog.objects.create(
                username=username,
                ip_address="192.0.2.10",
                user_agent="Mozilla/5.0 (X11; Linux) Firefox/115.0",
            )
            AccessLog.objects.filter(pk=log.pk).update(attempt_time=at)


def _retention(demo: Demo) -> None:
    """Last night's run destroyed old sign-ins; two more have come due since."""
    months = conf.retention_months("sign_ins")
    for days in (30, 90, 200):
        _sign_ins(demo, months, days)
    services.apply_retention(now=demo.now - timedelta(hours=10))
    _sign_ins(demo, months, 1)
    for days in (0, 3):
        _sign_ins(demo, 0, days)  # and the recent ones, kept


def _notice(demo: Demo) -> None:
    """Version 1 a year ago, accepted by everyone; version 2 (the retention periods) last week, accepted
    by everyone but one expert, who reads it at their next sign-in."""
    admin = demo.users["admin"]
    first = services.publish_notice(admin, notice.NOTICE_TR, notice.NOTICE_EN)
    second = services.publish_notice(
        admin, notice.NOTICE_TR + notice.RETENTION_TR, notice.NOTICE_EN + notice.RETENTION_EN
    )
    PrivacyNotice.objects.filter(pk=first.pk).update(published_at=demo.now - timedelta(days=365))
    PrivacyNotice.objects.filter(pk=second.pk).update(published_at=demo.now - timedelta(days=7))
    NoticeAcceptance.objects.bulk_create(
        [
            NoticeAcceptance(user=user, notice=first, accepted_at=demo.now - timedelta(days=300))
            for user in demo.users.values()
        ]
        + [
            NoticeAcceptance(user=user, notice=second, accepted_at=demo.now - timedelta(days=3))
            for username, user in demo.users.items()
            if username != notice.PENDING
        ]
    )
