"""Keep every party's partner profile and its search document in step with what they are built from,
whatever writes it (services, the admin, a shell): connected in `CooperationConfig.ready`.

`bulk_create` sends no signal: those paths call `search_documents.ensure_profiles()` after them."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from cooperation.models import PartnerProfile
from cooperation.search_documents import FUNDED, document_text, ensure_profiles, rebuild_documents
from grants_office.calls.models import Theme
from grants_office.members import signals as member_signals
from grants_office.members.models import Municipality, Organisation
from workflows.models import Proposal, ProposalPartner


def party_saved(sender, instance, created, raw=False, **kwargs):
    if raw:  # fixtures bring their own profiles
        return
    field = "municipality" if sender is Municipality else "organisation"
    if created:
        profile = PartnerProfile(**{field: instance})
        profile.search_document = document_text(profile, (), ())
        PartnerProfile.objects.bulk_create([profile])  # its document is complete: no rebuild to send
        return
    rebuild_documents(PartnerProfile.objects.filter(**{field: instance}).values_list("pk", flat=True))


def profile_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        rebuild_documents([instance.pk])


def profile_themes_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        rebuild_documents([instance.pk])
    elif pk_set:  # theme.partner_profiles.add(...)
        rebuild_documents(pk_set)


def theme_saved(sender, instance, created, raw=False, **kwargs):
    if not (raw or created):
        rebuild_documents(instance.partner_profiles.values_list("pk", flat=True))


def proposal_saved(sender, instance, raw=False, **kwargs):
    """A funded proposal's title belongs to its parties' documents (the award, a later edit, a soft
    delete); no other proposal costs a query here."""
    if raw or instance.state != FUNDED:
        return
    partners = ProposalPartner.objects.filter(proposal=instance)
    profiles = PartnerProfile.objects.filter(municipality_id=instance.lead_id)
    profiles |= PartnerProfile.objects.filter(municipality_id__in=partners.values("municipality_id"))
    profiles |= PartnerProfile.objects.filter(organisation_id__in=partners.values("organisation_id"))
    rebuild_documents(profiles.values_list("pk", flat=True))


def _funded(partner: ProposalPartner) -> bool:
    if ProposalPartner._meta.get_field("proposal").is_cached(partner):
        return partner.proposal.state == FUNDED
    # e.g. deleted with its proposal: ask the database, the row may be gone
    return Proposal.objects.filter(pk=partner.proposal_id, state=FUNDED).exists()


def partner_changed(sender, instance, raw=False, **kwargs):
    """A party added to or removed from a funded proposal (the services build partners with their
    proposal, so asking its state costs no query)."""
    if raw or not _funded(instance):
        return
    party = {"municipality_id": instance.municipality_id, "organisation_id": instance.organisation_id}
    rebuild_documents(PartnerProfile.objects.filter(**party).values_list("pk", flat=True))


def municipalities_imported(sender, municipalities, **kwargs):
    """The member import writes with bulk_create and bulk_update: new ones get their profiles, changed
    ones their documents."""
    ensure_profiles()
    rebuild_documents(
        PartnerProfile.objects.filter(municipality__in=[m.pk for m in municipalities]).values_list(
            "pk", flat=True
        )
    )


def connect() -> None:
    for party in (Municipality, Organisation):
        post_save.connect(party_saved, sender=party, dispatch_uid=f"partner_profile_of_{party.__name__}")
    post_save.connect(profile_saved, sender=PartnerProfile, dispatch_uid="partner_profile_saved")
    m2m_changed.connect(
        profile_themes_changed, sender=PartnerProfile.themes.through, dispatch_uid="partner_profile_themes"
    )
    post_save.connect(theme_saved, sender=Theme, dispatch_uid="partner_profile_theme_renamed")
    post_save.connect(proposal_saved, sender=Proposal, dispatch_uid="partner_profile_past_project")
    post_save.connect(partner_changed, sender=ProposalPartner, dispatch_uid="partner_profile_partner_saved")
    post_delete.connect(partner_changed, sender=ProposalPartner, dispatch_uid="partner_profile_partner_gone")
    member_signals.municipalities_imported.connect(
        municipalities_imported, dispatch_uid="partner_profiles_import"
    )
