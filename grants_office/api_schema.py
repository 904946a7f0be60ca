"""The OpenAPI schema's settings (drf-spectacular's SPECTACULAR_SETTINGS, named in grants_office.settings):
a static table, the same in every mode."""

SPECTACULAR_SETTINGS = {
    "TITLE": "Grants office API",
    "DESCRIPTION": "Calls, proposals, documents and expert review of a union's EU project office.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Three models have a "kind": give each choice set its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "MunicipalityKindEnum": "grants_office.members.models.Municipality.Kind",
        "OrganisationKindEnum": "grants_office.members.models.Organisation.Kind",
        "ProgrammeKindEnum": "grants_office.calls.models.FundingProgramme.Kind",
        "DocumentKindEnum": "grants_office.calls.models.DocumentKind",
        "CurrencyEnum": "grants_office.calls.models.Currency",
        # an exchange rate's currency: every one but EUR, the currency of the totals
        "RatedCurrencyEnum": "reports.models.RATED_CURRENCIES",
        # the proposal's states, shared by the list and the detail components
        "ProposalStateEnum": "workflows.states.State",
        "NotificationChannelEnum": "notifications.kinds.Channel",
        "RoundStateEnum": ["open", "closed"],
        "ReviewStateEnum": ["draft", "submitted"],
        "ReviewProgressEnum": ["not_started", "draft", "submitted"],
        "PartnerRoleEnum": "workflows.models.ProposalPartner.Role",
        "PartnerRequestStateEnum": "cooperation.models.PartnerRequest.State",
        "PartnerResponseStateEnum": "cooperation.models.PartnerResponse.State",
        "CooperationKindEnum": "cooperation.models.Cooperation.Kind",
        "ProvinceEnum": "grants_office.members.provinces.PROVINCE_CHOICES",
        "EventStateEnum": "events.states.EventState",
        "RegistrationStateEnum": "events.states.RegistrationState",
        "EventKindEnum": "events.models.Event.Kind",
        "EventAudienceEnum": "events.models.Event.Audience",
    },
    # An honest schema (issue 12, scope 8): every operation declares the error answers it can give, with
    # the one error body (grants_office/core/schema.py); it documents Idempotency-Key on unsafe operations,
    # and 412 and ETag where If-Match is taken. The error bodies run first (each operation's own statuses,
    # and the `Error` component the two header hooks refer to) and again last (the 400 of the headers
    # those hooks add).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "grants_office.core.schema.declare_error_responses",
        "grants_office.core.idempotency.document_idempotency_key",
        "grants_office.core.concurrency.document_preconditions",
        "grants_office.core.schema.declare_error_responses",
    ],
}
