"""Kind -> (file name stem, extension) of the documents the loader uploads.

Before a review round opens or the office marks a proposal ready, the team has uploaded a version of
every document its call's checklist requires (the loader does it, as the person who registered the
proposal). The stories add the rest with "upload" steps: drafts replaced by newer versions, a
proposal still missing its budget, the funders' receipts and evaluation reports after submission.
Small generated files whose bytes are what their type says.
"""

DOCUMENT_FILES = {
    "application_form": ("Basvuru_formu", "pdf"),
    "budget": ("Butce", "csv"),
    "work_plan": ("Calisma_plani", "pdf"),
    "letter_of_support": ("Destek_mektubu", "pdf"),
    "partner_declaration": ("Ortaklik_beyani", "pdf"),
    "annex": ("Ek", "pdf"),
    "funder_receipt": ("Gonderim_alindisi", "pdf"),
    "evaluation_report": ("Degerlendirme_raporu", "pdf"),
}
