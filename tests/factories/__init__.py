"""Factories for real objects, one module per app; tests build exactly the world they need.

The one import is `from tests.factories import X`: every factory and builder is named here.
"""

from tests.factories.calls import (
    CallFactory,
    ChecklistItemFactory,
    CriterionFactory,
    ProgrammeFactory,
    RubricFactory,
    ThemeFactory,
    full_call,
)
from tests.factories.cooperation import (
    CallEligibilityFactory,
    CooperationFactory,
    PartnerProfileFactory,
    PartnerRequestFactory,
    PartnerResponseFactory,
)
from tests.factories.documents import (
    DocumentFactory,
    DocumentVersionFactory,
    LibrarySetFactory,
    ProposalSetFactory,
)
from tests.factories.events import (
    AttendanceFactory,
    CertificateFactory,
    EventFactory,
    RegistrationFactory,
    SessionFactory,
)
from tests.factories.members import (
    PASSWORD,
    ExpertProfileFactory,
    MunicipalityFactory,
    OrganisationFactory,
    TeamMembershipFactory,
    UserFactory,
    UserProfileFactory,
    office_admin,
    office_staff,
)
from tests.factories.notifications import NotificationFactory, PreferenceFactory
from tests.factories.reports import ExchangeRateFactory, counted_proposal
from tests.factories.review import (
    ExpertFactory,
    accepted,
    agency_rubric,
    expert,
    proposal_set_with_version,
    submitted,
)
from tests.factories.workflows import ProposalFactory

__all__ = [
    "PASSWORD",
    "AttendanceFactory",
    "CallEligibilityFactory",
    "CallFactory",
    "CertificateFactory",
    "ChecklistItemFactory",
    "CooperationFactory",
    "CriterionFactory",
    "DocumentFactory",
    "DocumentVersionFactory",
    "EventFactory",
    "ExchangeRateFactory",
    "ExpertFactory",
    "ExpertProfileFactory",
    "LibrarySetFactory",
    "MunicipalityFactory",
    "NotificationFactory",
    "OrganisationFactory",
    "PartnerProfileFactory",
    "PartnerRequestFactory",
    "PartnerResponseFactory",
    "PreferenceFactory",
    "ProgrammeFactory",
    "ProposalFactory",
    "ProposalSetFactory",
    "RegistrationFactory",
    "RubricFactory",
    "SessionFactory",
    "TeamMembershipFactory",
    "ThemeFactory",
    "UserFactory",
    "UserProfileFactory",
    "accepted",
    "agency_rubric",
    "counted_proposal",
    "expert",
    "full_call",
    "office_admin",
    "office_staff",
    "proposal_set_with_version",
    "submitted",
]
