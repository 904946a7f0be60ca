"""The demo union as plain data: a union of municipalities modelled on the Trakya union (Thrace, Türkiye).

Places, programmes and people are realistic but the people, e-mail addresses (all under example.org),
call references and proposals are invented. Dates are relative to the moment of loading, so the demo
always has open, closing-soon and closed calls. `demo/loader.py` reads this module and writes everything
through the services; nothing here touches the database.

Proposal stories are lists of steps, each a tuple `(action, username, data)`:

- a lifecycle transition name (`start_consultation`, `submit`, ...) runs `perform_transition` as that
  user with that data; `"call"` names a call key below;
- `consultation`, `comment`, `update`, `reuse`, `open_review`, `assign`, `accept`, `decline`, `review`,
  `close_review` call the services of the same names.

`before` runs while the call is open; `after` runs once the funder's calendar has moved on (closed calls'
deadlines in the past), so decisions and expiry come after the deadline, as they do in life.
"""

from dataclasses import dataclass
from datetime import date

PASSWORD = "demo12345"
UNION = "Trakya Belediyeler Birliği"
# The demo counts as loaded when this user exists with this e-mail (see loader.is_loaded).
MARKER_USERNAME = "koordinator"
MARKER_EMAIL = "koordinator@example.org"


@dataclass(frozen=True)
class Ago:
    """A moment this long before the load."""

    days: int = 0
    hours: int = 0


@dataclass(frozen=True)
class BeforeDeadline:
    """A moment this long before the call's (final) deadline."""

    days: int = 0
    hours: int = 0


@dataclass(frozen=True)
class FromNow:
    days: int = 0
    hours: int = 0


def _since(years: int, month: int = 1, day: int = 1) -> date:
    return date(date.today().year - years, month, day)


# --- the member registry -----------------------------------------------------------------------------
# (key, name, province, district, kind, population, membership status, membership date)
MUNICIPALITIES = [
    (
        "tekirdag",
        "Tekirdağ Büyükşehir Belediyesi",
        "Tekirdağ",
        "",
        "metropolitan",
        1_167_059,
        "member",
        date(2014, 4, 22),
    ),
    (
        "suleymanpasa",
        "Süleymanpaşa Belediyesi",
        "Tekirdağ",
        "Süleymanpaşa",
        "district",
        226_101,
        "member",
        date(2014, 6, 3),
    ),
    ("corlu", "Çorlu Belediyesi", "Tekirdağ", "Çorlu", "district", 292_276, "member", date(2009, 2, 11)),
    (
        "cerkezkoy",
        "Çerkezköy Belediyesi",
        "Tekirdağ",
        "Çerkezköy",
        "district",
        204_183,
        "member",
        date(2011, 9, 7),
    ),
    ("ergene", "Ergene Belediyesi", "Tekirdağ", "Ergene", "district", 68_940, "non_member", None),
    (
        "malkara",
        "Malkara Belediyesi",
        "Tekirdağ",
        "Malkara",
        "district",
        51_887,
        "resigned",
        date(2022, 12, 31),
    ),
    ("edirne", "Edirne Belediyesi", "Edirne", "Merkez", "provincial", 187_452, "member", date(2008, 5, 14)),
    ("kesan", "Keşan Belediyesi", "Edirne", "Keşan", "district", 84_271, "member", date(2010, 3, 2)),
    (
        "uzunkopru",
        "Uzunköprü Belediyesi",
        "Edirne",
        "Uzunköprü",
        "district",
        61_355,
        "member",
        date(2012, 10, 19),
    ),
    ("enez", "Enez Belediyesi", "Edirne", "Enez", "district", 10_918, "member", date(2016, 7, 1)),
    ("ipsala", "İpsala Belediyesi", "Edirne", "İpsala", "district", 26_832, "non_member", None),
    (
        "kirklareli",
        "Kırklareli Belediyesi",
        "Kırklareli",
        "Merkez",
        "provincial",
        83_412,
        "member",
        date(2008, 5, 14),
    ),
    (
        "luleburgaz",
        "Lüleburgaz Belediyesi",
        "Kırklareli",
        "Lüleburgaz",
        "district",
        157_963,
        "member",
        date(2009, 11, 25),
    ),
    (
        "babaeski",
        "Babaeski Belediyesi",
        "Kırklareli",
        "Babaeski",
        "district",
        49_105,
        "member",
        date(2013, 1, 16),
    ),
    ("vize", "Vize Belediyesi", "Kırklareli", "Vize", "district", 27_614, "member", date(2015, 4, 8)),
    ("kiyikoy", "Kıyıköy Belediyesi", "Kırklareli", "Vize", "town", 2_031, "member", date(2017, 9, 12)),
]

# (key, name, kind, country, city)
ORGANISATIONS = [
    ("haskovo", "Haskovo Municipality", "municipality", "BG", "Haskovo"),
    ("kardzhali", "Kardzhali Municipality", "municipality", "BG", "Kardzhali"),
    ("alexandroupolis", "Municipality of Alexandroupolis", "municipality", "GR", "Alexandroupolis"),
    ("trakya_uni", "Trakya Üniversitesi", "university", "TR", "Edirne"),
    ("nku", "Tekirdağ Namık Kemal Üniversitesi", "university", "TR", "Tekirdağ"),
    ("ngo", "Trakya Kıyı ve Doğa Gönüllüleri Derneği", "ngo", "TR", "Kırklareli"),
    ("tka", "Trakya Kalkınma Ajansı", "development_agency", "TR", "Tekirdağ"),
]

# --- calls ---------------------------------------------------------------------------------------------
# (code, English, Turkish)
THEMES = [
    ("climate-adaptation", "Climate adaptation", "İklim değişikliğine uyum"),
    ("water-flood-risk", "Water and flood risk management", "Su ve taşkın riski yönetimi"),
    ("circular-economy", "Circular economy and waste", "Döngüsel ekonomi ve atık yönetimi"),
    ("energy-efficiency", "Energy efficiency and renewables", "Enerji verimliliği ve yenilenebilir enerji"),
    ("sustainable-tourism", "Sustainable and cultural tourism", "Sürdürülebilir ve kültürel turizm"),
    ("cultural-heritage", "Cultural heritage", "Kültürel miras"),
    ("social-inclusion", "Social inclusion", "Sosyal içerme"),
    ("youth-education", "Youth and education", "Gençlik ve eğitim"),
    ("smart-mobility", "Clean and smart mobility", "Temiz ve akıllı ulaşım"),
    ("rural-development", "Rural and agricultural development", "Kırsal ve tarımsal kalkınma"),
    ("digital-services", "Digital public services", "Dijital kamu hizmetleri"),
]

# (key, name, short name, funder, kind, description)
PROGRAMMES = [
    (
        "ipa",
        "Interreg VI-A IPA Bulgaria–Türkiye 2021–2027",
        "Interreg IPA BG-TR",
        "European Union (Interreg IPA CBC; managing authority in Bulgaria)",
        "eu",
        "Cross-border cooperation between Haskovo, Yambol, Burgas and Edirne, Kırklareli.",
    ),
    (
        "horizon",
        "Horizon Europe",
        "Horizon Europe",
        "European Commission",
        "eu",
        "The EU's research and innovation programme; Türkiye takes part as an associated country.",
    ),
    (
        "life",
        "LIFE Programme for the Environment and Climate Action",
        "LIFE",
        "European Commission (CINEA)",
        "eu",
        "Nature, circular economy, climate mitigation and adaptation, clean energy transition.",
    ),
    (
        "erasmus",
        "Erasmus+",
        "Erasmus+",
        "European Commission (Türkiye Ulusal Ajansı)",
        "eu",
        "Cooperation partnerships in youth, adult education and training.",
    ),
    (
        "tka",
        "Trakya Kalkınma Ajansı Mali Destek Programları",
        "TRAKYAKA MDP",
        "Trakya Kalkınma Ajansı",
        "national",
        "The development agency's yearly financial support programmes for the TR21 region.",
    ),
    (
        "ilbank",
        "İLBANK Belediye Altyapı ve Çevre Kredileri",
        "İLBANK",
        "İller Bankası A.Ş.",
        "national",
        "Grant-backed loans for municipal infrastructure and environment investments.",
    ),
]

EU_CRITERIA = [
    ("excellence", "Excellence", "Clarity of objectives, soundness of the concept and methodology."),
    ("impact", "Impact", "Expected outcomes, dissemination, exploitation and communication."),
    (
        "implementation",
        "Quality and efficiency of the implementation",
        "Work plan, resources, consortium and management.",
    ),
]
# (name, description, overall threshold, office default, disagreement rule and gap (a third assessor
#  when...), criteria: (code, title, description, min, max, step, threshold, weight))
RUBRICS = [
    (
        "Ofis ön değerlendirmesi (AB usulü 0–5)",
        "The office's own pre-submission review when the call has no rubric: "
        "the EU scale, 0–5 in half points.",
        10,
        True,
        ("per_criterion", 2),  # any criterion 2 points apart on 0–5
        [(code, title, text, 0, 5, "0.5", 3, 1) for code, title, text in EU_CRITERIA],
    ),
    (
        "Horizon Europe / LIFE (0–5, threshold 3 and 10)",
        "The European Commission's standard award criteria for research, innovation and LIFE projects.",
        10,
        False,
        ("per_criterion", 2),
        [(code, title, text, 0, 5, "0.5", 3, 1) for code, title, text in EU_CRITERIA],
    ),
    (
        "Trakya Kalkınma Ajansı 100 puan",
        "The development agency's 100-point evaluation grid; the pass mark is 65.",
        65,
        False,
        ("totals", 15),  # KAYS practice: totals 15 points apart, or on both sides of 65
        [
            ("ilgililik", "Programın amaç ve önceliklerine uygunluk", "", 0, 25, "1", None, 1),
            ("yontem", "Yöntem ve faaliyetlerin tutarlılığı", "", 0, 25, "1", None, 1),
            ("surdurulebilirlik", "Sürdürülebilirlik ve etki", "", 0, 20, "1", None, 1),
            ("butce", "Bütçe ve maliyet etkinliği", "", 0, 15, "1", None, 1),
            ("kapasite", "Başvuru sahibi ve ortakların kapasitesi", "", 0, 15, "1", 5, 1),
        ],
    ),
]

_EU_CHECKLIST = [
    ("application_form", True, "Submitted through the funder's portal."),
    ("budget", True, ""),
    ("work_plan", True, "Gantt chart and work packages."),
    ("partner_declaration", True, "Signed by every partner's legal representative."),
    ("letter_of_support", False, ""),
    ("annex", False, "CVs of key staff."),
]
_TKA_CHECKLIST = [
    ("application_form", True, "KAYS başvuru formu çıktısı, imzalı."),
    ("budget", True, "Ek-C bütçe ve bütçe gerekçesi."),
    ("letter_of_support", True, "Belediye meclis kararı (eş finansman)."),
    ("partner_declaration", False, "Ortaklık beyannamesi, varsa."),
    ("annex", False, "Teklifler, fizibilite."),
]

# References and titles take `{year}` / `{yy}` of the call's deadline, so they stay plausible whenever the
# demo is loaded. Deadlines: days from the load day, at a time of day in the funder's zone.
# `walk_deadline_in_days`: a closed call is open (that far ahead) while its proposals are walked, then
# its deadline moves to the past — the funder's calendar moving on, not a change of anyone's history.
CALLS = [
    {
        "key": "ipa3",
        "programme": "ipa",
        "reference": "IPA-BGTR-{year}-03",
        "title": "Third call for proposals: a greener and more resilient border region",
        "opens_in_days": -40,
        "deadline_in_days": 45,
        "deadline_time": "17:00",
        "deadline_timezone": "Europe/Brussels",
        "grant": (50_000, 600_000),
        "currency": "EUR",
        "cofinancing_rate": 85,
        "themes": ["climate-adaptation", "water-flood-risk", "sustainable-tourism", "cultural-heritage"],
        "eligibility": "Public bodies in Edirne and Kırklareli (TR) and Haskovo, Yambol, Burgas (BG); at "
        "least one partner from each side of the border.",
        "checklist": _EU_CHECKLIST,
        "rubric": None,
    },
    {
        "key": "ipa2",
        "programme": "ipa",
        "reference": "IPA-BGTR-{year}-02",
        "title": "Second call for proposals: people-to-people and environment",
        "opens_in_days": -330,
        "deadline_in_days": -200,
        "walk_deadline_in_days": 20,
        "deadline_time": "17:00",
        "deadline_timezone": "Europe/Brussels",
        "grant": (50_000, 500_000),
        "currency": "EUR",
        "cofinancing_rate": 85,
        "themes": ["water-flood-risk", "cultural-heritage", "social-inclusion", "sustainable-tourism"],
        "eligibility": "Public bodies and NGOs of the eligible border area; "
        "cross-border partnership required.",
        "checklist": _EU_CHECKLIST,
        "rubric": None,
    },
    {
        "key": "horizon_miss",
        "programme": "horizon",
        "reference": "HORIZON-MISS-{year}-CLIMA-01-04",
        "title": "Regional resilience pathways for climate adaptation (two-stage)",
        "opens_in_days": -150,
        "deadline_in_days": -35,
        "walk_deadline_in_days": 15,
        "deadline_time": "17:00",
        "deadline_timezone": "Europe/Brussels",
        "two_stage": True,
        "stage2_deadline_in_days": 110,  # the full proposal, same time of day
        "grant": (2_000_000, 6_000_000),
        "currency": "EUR",
        "cofinancing_rate": 100,
        "themes": ["climate-adaptation", "water-flood-risk", "digital-services"],
        "eligibility": "Consortia of at least three legal entities from three Member States or associated "
        "countries. The deadline shown is the first stage's.",
        "checklist": [
            ("application_form", True, "Part A and a 10-page Part B for stage 1."),
            ("partner_declaration", True, ""),
        ],
        "rubric": "Horizon Europe / LIFE (0–5, threshold 3 and 10)",
    },
    {
        "key": "life_cca",
        "programme": "life",
        "reference": "LIFE-{year}-SAP-CLIMA-CCA",
        "title": "LIFE Climate Change Adaptation – Standard Action Projects",
        "opens_in_days": -70,
        "deadline_in_days": 5,
        "deadline_time": "17:00",
        "deadline_timezone": "Europe/Brussels",
        "grant": (500_000, 5_000_000),
        "currency": "EUR",
        "cofinancing_rate": 60,
        "themes": ["climate-adaptation", "water-flood-risk", "energy-efficiency"],
        "eligibility": "Legal entities established in the EU or in a country associated to LIFE.",
        "checklist": _EU_CHECKLIST,
        "rubric": "Horizon Europe / LIFE (0–5, threshold 3 and 10)",
    },
    {
        "key": "erasmus",
        "programme": "erasmus",
        "reference": "ERASMUS-{year}-KA220-YOU",
        "title": "Cooperation partnerships in youth (KA220-YOU)",
        "opens_in_days": -20,
        "deadline_in_days": 75,
        "deadline_time": "12:00",
        "deadline_timezone": "Europe/Brussels",
        "grant": (120_000, 400_000),
        "currency": "EUR",
        "cofinancing_rate": 100,
        "themes": ["youth-education", "social-inclusion", "digital-services"],
        "eligibility": "At least three organisations from three programme countries; submitted to the "
        "Turkish National Agency.",
        "checklist": [
            ("application_form", True, ""),
            ("partner_declaration", True, "Mandates."),
            ("annex", False, ""),
        ],
        "rubric": None,
    },
    {
        "key": "tka2027",
        "programme": "tka",
        "reference": "TR21/{yy}/SKD",
        "title": "{year} Sosyal Kalkınma Mali Destek Programı",
        "opens_in_days": -25,
        "deadline_in_days": 30,
        "deadline_time": "18:00",
        "deadline_timezone": "Europe/Istanbul",
        "grant": (500_000, 4_000_000),
        "currency": "TRY",
        "cofinancing_rate": 75,
        "themes": ["social-inclusion", "youth-education", "rural-development"],
        "eligibility": "Belediyeler, belediye birlikleri, üniversiteler ve dernekler (TR21 Trakya Bölgesi).",
        "checklist": _TKA_CHECKLIST,
        "rubric": "Trakya Kalkınma Ajansı 100 puan",
    },
    {
        "key": "tka2026",
        "programme": "tka",
        "reference": "TR21/{yy}/YDP",
        "title": "{year} Yeşil Dönüşüm Mali Destek Programı",
        "opens_in_days": -300,
        "deadline_in_days": -240,
        "walk_deadline_in_days": 10,
        "deadline_time": "18:00",
        "deadline_timezone": "Europe/Istanbul",
        "grant": (1_000_000, 6_000_000),
        "currency": "TRY",
        "cofinancing_rate": 70,
        "themes": ["energy-efficiency", "circular-economy", "rural-development"],
        "eligibility": "Belediyeler ve bağlı kuruluşları, OSB'ler, kamu kurumları (TR21 Trakya Bölgesi).",
        "checklist": _TKA_CHECKLIST,
        "rubric": "Trakya Kalkınma Ajansı 100 puan",
    },
    {
        "key": "horizon_cl6",
        "programme": "horizon",
        "reference": "HORIZON-CL6-{year}-CIRCBIO-02",
        "title": "Circular cities and regions: municipal bio-waste valorisation",
        "opens_in_days": 20,
        "deadline_in_days": 140,
        "deadline_time": "17:00",
        "deadline_timezone": "Europe/Brussels",
        "grant": (3_000_000, 5_000_000),
        "currency": "EUR",
        "cofinancing_rate": 100,
        "themes": ["circular-economy", "rural-development"],
        "eligibility": "Opens soon. Consortia of at least three entities from three Member States or "
        "associated countries.",
        "checklist": [("application_form", True, ""), ("partner_declaration", True, "")],
        "rubric": "Horizon Europe / LIFE (0–5, threshold 3 and 10)",
    },
]

# --- people --------------------------------------------------------------------------------------------
# `role` is what the login table shows; `office`: "admin" / "staff"; `team`: (party key, lead/member);
# `look_at`: what to try as this person.
USERS = [
    {
        "username": "admin",
        "first_name": "Selin",
        "last_name": "Aydın",
        "office": "admin",
        "superuser": True,
        "role": "office admin (superuser)",
        "look_at": "/admin/: registry, calls, rubrics, checklists",
    },
    {
        "username": "koordinator",
        "first_name": "Murat",
        "last_name": "Demirci",
        "office": "staff",
        "role": "office coordinator",
        "look_at": "every proposal, the pipeline, deadlines",
    },
    {
        "username": "suleymanpasa.lider",
        "first_name": "Elif",
        "last_name": "Kaya",
        "team": ("suleymanpasa", "lead"),
        "role": "team lead, Süleymanpaşa",
        "look_at": "own proposals; a LIFE proposal ready days before the deadline",
    },
    {
        "username": "suleymanpasa.uye",
        "first_name": "Burak",
        "last_name": "Şahin",
        "team": ("suleymanpasa", "member"),
        "role": "team member, Süleymanpaşa",
        "look_at": "shared comments",
    },
    {
        "username": "corlu.lider",
        "first_name": "Hakan",
        "last_name": "Çelik",
        "team": ("corlu", "lead"),
        "role": "team lead, Çorlu",
        "look_at": "a draft blocked by missing documents",
    },
    {
        "username": "corlu.uye",
        "first_name": "Zeynep",
        "last_name": "Arslan",
        "team": ("corlu", "member"),
        "role": "team member, Çorlu",
        "look_at": "the same proposals as the lead, fewer actions",
    },
    {
        "username": "edirne.lider",
        "first_name": "Gülşen",
        "last_name": "Öztürk",
        "team": ("edirne", "lead"),
        "role": "team lead, Edirne",
        "look_at": "an awarded Interreg project; a new idea in consultation",
    },
    {
        "username": "edirne.uye",
        "first_name": "Emre",
        "last_name": "Koç",
        "team": ("edirne", "member"),
        "role": "team member, Edirne",
        "look_at": "consultation notes and agreed actions",
    },
    {
        "username": "tekirdag.lider",
        "first_name": "Özlem",
        "last_name": "Kurt",
        "team": ("tekirdag", "lead"),
        "role": "team lead, Tekirdağ BŞB",
        "look_at": "a Horizon proposal invited to stage 2",
    },
    {
        "username": "luleburgaz.lider",
        "first_name": "Serkan",
        "last_name": "Yıldız",
        "team": ("luleburgaz", "lead"),
        "role": "team lead, Lüleburgaz",
        "look_at": "a submitted LIFE proposal (resubmission still possible)",
    },
    {
        "username": "kesan.lider",
        "first_name": "Deniz",
        "last_name": "Aksoy",
        "team": ("kesan", "lead"),
        "role": "team lead, Keşan",
        "look_at": "a proposal on the reserve list",
    },
    {
        "username": "kirklareli.lider",
        "first_name": "Tuba",
        "last_name": "Erdoğan",
        "team": ("kirklareli", "lead"),
        "role": "team lead, Kırklareli",
        "look_at": "a proposal in expert review",
    },
    {
        "username": "hakem.aydemir",
        "first_name": "Necla",
        "last_name": "Aydemir",
        "expert": {
            "title": "Prof. Dr.",
            "organisation": "trakya_uni",
            "board": True,
            "themes": ["water-flood-risk", "climate-adaptation", "rural-development"],
            "bio": "Trakya Üniversitesi Mühendislik Fakültesi; Meriç-Ergene havzasında taşkın riski.",
        },
        "role": "expert reviewer (scientific board)",
        "look_at": "consultations attended, a declined invitation",
    },
    {
        "username": "hakem.erdem",
        "first_name": "Kemal",
        "last_name": "Erdem",
        "expert": {
            "title": "Doç. Dr.",
            "organisation": "nku",
            "board": True,
            "themes": ["energy-efficiency", "circular-economy", "social-inclusion", "youth-education"],
            "bio": "Tekirdağ Namık Kemal Üniversitesi; enerji ekonomisi ve yerel kalkınma.",
        },
        "role": "expert reviewer (scientific board)",
        "look_at": "an invitation waiting for a decision",
    },
    {
        "username": "hakem.polat",
        "first_name": "Seda",
        "last_name": "Polat",
        "expert": {
            "title": "Dr.",
            "municipality": "tekirdag",
            "board": False,
            "themes": ["sustainable-tourism", "cultural-heritage", "social-inclusion", "climate-adaptation"],
            "bio": "Bağımsız AB proje uzmanı; kültürel miras ve turizm projeleri.",
        },
        "role": "external expert reviewer",
        "look_at": "submitted reviews, conflicts of interest",
    },
    {
        "username": "haskovo.ortak",
        "first_name": "Maria",
        "last_name": "Dimitrova",
        "team": ("haskovo", "lead"),
        "language": "en",
        "time_zone": "Europe/Sofia",
        "role": "partner contact, Haskovo (BG)",
        "look_at": "only the proposals Haskovo is a partner in",
    },
]
TEAMS_SINCE = _since(2, 9, 1)

# --- proposals -----------------------------------------------------------------------------------------
K = "koordinator"

PROPOSALS = [
    {
        "key": "meric",
        "by": "edirne.lider",
        "lead": "edirne",
        "title": "Meriç Nehri sınır ötesi taşkın erken uyarı sistemi",
        "acronym": "MERIC-FLOOD",
        "summary": "Edirne ve Haskovo arasında ortak sensör ağı, taşkın tahmin modeli ve halkı "
        "uyaran mobil uygulama.",
        "requested_amount": 425_000,
        "total_budget": 500_000,
        "currency": "EUR",
        "partners": [("haskovo", "lead_partner"), ("trakya_uni", "partner")],
        "before": [
            (
                "start_consultation",
                K,
                {"comment": "Interreg IPA 2. çağrıya çok uygun; ön görüşme planlayalım."},
            ),
            (
                "consultation",
                K,
                {
                    "held": Ago(days=260),
                    "experts": ["hakem.aydemir"],
                    "team": ["edirne.lider", "edirne.uye"],
                    "notes": "Haskovo ile ortak veri paylaşım protokolü şart.",
                    "actions": "Haskovo'dan niyet mektubu; DSİ ile görüşme.",
                },
            ),
            ("start_drafting", K, {"call": "ipa2", "comment": "Taslak yazımına başlanabilir."}),
            ("upload", "edirne.uye", {"kind": "budget", "note": "İlk taslak; ortak payları eklendi."}),
            (
                "comment",
                "edirne.lider",
                {"body": "Bütçe taslağını yükledik, ortak payları kontrol eder misiniz @koordinator?"},
            ),
            (
                "comment",
                K,
                {"body": "Personel maliyetleri %20 sınırını aşıyor; düzeltelim.", "visibility": "shared"},
            ),
            (
                "upload",
                "edirne.lider",
                {"kind": "budget", "note": "Personel maliyetleri %20 sınırına indirildi."},
            ),
            ("mark_ready", K, {"comment": "Ofis onayı verildi."}),
            (
                "submit",
                "edirne.lider",
                {
                    "funder_reference": "BGTR2-0117",
                    "submitted_at": BeforeDeadline(days=3),
                    "note": "JEMS gönderim onayı alındı.",
                },
            ),
            ("upload", "edirne.lider", {"kind": "funder_receipt", "note": "JEMS gönderim onayı."}),
        ],
        "after": [
            (
                "award",
                K,
                {
                    "awarded_amount": "418500.00",
                    "funder_feedback": "Ranked 3rd of 64. Budget reduced by 6,500 EUR (equipment).",
                },
            ),
            ("upload", K, {"kind": "evaluation_report", "note": "Ortak sekreteryanın değerlendirme özeti."}),
        ],
    },
    {
        "key": "rotalar",
        "by": "kesan.lider",
        "lead": "kesan",
        "title": "Trakya-Rodop kültür rotaları: sınırın iki yakasında ortak miras",
        "acronym": "THRACE-ROUTES",
        "summary": "Keşan ve Kardzhali arasında kültür rotası, dijital rehber ve yerel rehber eğitimi.",
        "requested_amount": 212_500,
        "total_budget": 250_000,
        "currency": "EUR",
        "partners": [("kardzhali", "partner"), ("enez", "associated")],
        "before": [
            ("start_consultation", K, {}),
            ("start_drafting", K, {"call": "ipa2"}),
            ("mark_ready", K, {}),
            (
                "submit",
                "kesan.lider",
                {"funder_reference": "BGTR2-0142", "submitted_at": BeforeDeadline(days=1)},
            ),
        ],
        "after": [
            ("put_on_reserve", K, {"funder_feedback": "Reserve list, position 4. Score 78/100."}),
        ],
    },
    {
        "key": "yesil",
        "by": K,
        "lead": "uzunkopru",
        "title": "Ergene kıyısında yeşil koridor ve yağmur suyu yönetimi",
        "acronym": "GREEN-ERGENE",
        "summary": "Kent içi dere yatağında doğa temelli çözümler ve yağmur suyu hasadı.",
        "requested_amount": 340_000,
        "total_budget": 400_000,
        "currency": "EUR",
        "partners": [("haskovo", "partner")],
        "before": [
            ("start_consultation", K, {"comment": "Proje ekibi olmayan üyemiz için ofis yürütüyor."}),
            ("start_drafting", K, {"call": "ipa2"}),
            ("mark_ready", K, {}),
            ("submit", K, {"funder_reference": "BGTR2-0098", "submitted_at": BeforeDeadline(days=2)}),
        ],
        "after": [
            (
                "reject",
                K,
                {
                    "funder_feedback": "Score 61/100 (threshold 65). Weak cross-border impact; "
                    "the Bulgarian partner's role is unclear."
                },
            ),
            ("upload", K, {"kind": "evaluation_report", "note": "61/100; sınır ötesi etki zayıf bulundu."}),
            (
                "comment",
                K,
                {
                    "body": "Değerlendirme raporundaki eleştirileri 3. çağrı için ele alalım.",
                    "visibility": "shared",
                },
            ),
            (
                "reuse",
                K,
                {
                    "as": "yesil2",
                    "changes": {
                        "call": "ipa3",
                        "summary": "2. çağrıda reddedilen başvurunun, değerlendirme raporu dikkate "
                        "alınarak Haskovo ile ortak pilot alanlarla yeniden ele alınışı.",
                    },
                },
            ),
        ],
    },
    {
        "key": "engelsiz",
        "by": K,
        "lead": "babaeski",
        "title": "Engelsiz Babaeski: erişilebilir kent merkezi",
        "acronym": "ACCESS-BB",
        "summary": "Kent merkezinde erişilebilirlik düzenlemeleri ve engelli bireyler için hizmet noktası.",
        "requested_amount": 170_000,
        "total_budget": 200_000,
        "currency": "EUR",
        "partners": [("kardzhali", "partner")],
        "before": [
            ("start_consultation", K, {}),
            ("start_drafting", K, {"call": "ipa2"}),
            ("mark_ready", K, {}),
            ("submit", K, {"funder_reference": "BGTR2-0131", "submitted_at": BeforeDeadline(hours=5)}),
        ],
        "after": [
            (
                "declare_ineligible",
                K,
                {
                    "funder_feedback": "The partner declaration of Kardzhali was not signed "
                    "by the legal representative."
                },
            ),
        ],
    },
    {
        "key": "vize",
        "by": K,
        "lead": "vize",
        "title": "Istranca köylerinde kırsal turizm ve yerel ürün pazarı",
        "acronym": "ISTRANCA",
        "summary": "Yerel üreticiler için ortak pazar yeri ve köy evlerinde konaklama standartları.",
        "requested_amount": 150_000,
        "total_budget": 180_000,
        "currency": "EUR",
        "partners": [("kiyikoy", "partner")],
        "before": [
            ("start_consultation", K, {}),
            ("start_drafting", K, {"call": "ipa2"}),
            ("comment", K, {"body": "Ortak bulunamazsa bu çağrıya yetişmeyecek.", "visibility": "internal"}),
        ],
        # No submission before the deadline: the system expires it.
        "after": [("expire", None, {})],
    },
    {
        "key": "resilient",
        "by": "tekirdag.lider",
        "lead": "tekirdag",
        "title": "Tekirdağ kıyı kuşağı için iklim dirençliliği yol haritası",
        "acronym": "RESILIENT-TEKIRDAG",
        "summary": "Marmara kıyısında deniz seviyesi yükselmesi, kuraklık ve sıcak hava dalgaları için "
        "bölgesel uyum planı ve pilot uygulamalar.",
        "requested_amount": 4_200_000,
        "total_budget": 4_200_000,
        "currency": "EUR",
        "partners": [("nku", "partner"), ("alexandroupolis", "partner"), ("suleymanpasa", "associated")],
        "before": [
            ("start_consultation", K, {}),
            (
                "consultation",
                K,
                {
                    "held": Ago(days=120),
                    "experts": ["hakem.polat"],
                    "team": ["tekirdag.lider"],
                    "notes": "Konsorsiyum liderliği için NKÜ ile görüşüldü.",
                    "actions": "Yunan ortak için niyet mektubu.",
                },
            ),
            ("start_drafting", K, {"call": "horizon_miss"}),
            ("mark_ready", K, {}),
            (
                "submit",
                "tekirdag.lider",
                {
                    "funder_reference": "101187342",
                    "submitted_at": BeforeDeadline(days=1),
                    "note": "Funding & Tenders Portal, stage 1.",
                },
            ),
        ],
        "after": [
            ("invite_to_stage2", K, {"funder_feedback": "Stage 1 passed: 4.5 / 4.0 (threshold 4 each)."}),
            (
                "comment",
                K,
                {
                    "body": "Tebrikler! 2. aşama tam başvuru için ekip toplantısı planlayalım "
                    "@tekirdag.lider.",
                    "visibility": "shared",
                },
            ),
        ],
    },
    {
        "key": "golge",
        "by": "suleymanpasa.lider",
        "lead": "suleymanpasa",
        "title": "Süleymanpaşa'da kentsel ısı adalarına karşı gölge ve su",
        "acronym": "COOL-SP",
        "summary": "Okul bahçeleri ve meydanlarda yeşil gölgelik, geçirgen zemin ve içme suyu noktaları.",
        "requested_amount": 1_200_000,
        "total_budget": 2_000_000,
        "currency": "EUR",
        "partners": [("trakya_uni", "partner"), ("ngo", "associated")],
        "before": [
            ("start_consultation", K, {}),
            (
                "consultation",
                K,
                {
                    "held": Ago(days=45),
                    "experts": ["hakem.aydemir"],
                    "team": ["suleymanpasa.lider", "suleymanpasa.uye"],
                    "notes": "Pilot alan olarak üç okul seçildi.",
                    "actions": "Isı haritası verisi Trakya Üniversitesi'nden.",
                },
            ),
            ("start_drafting", K, {"call": "life_cca"}),
            (
                "comment",
                "suleymanpasa.uye",
                {"body": "Çalışma planı taslağı hazır, yorumlarınızı bekliyoruz."},
            ),
            ("open_review", K, {"due": FromNow(days=3)}),
            ("assign", K, {"reviewer": "hakem.erdem"}),
            ("assign", K, {"reviewer": "hakem.polat"}),
            ("accept", "hakem.erdem", {"declaration": "Başvuru sahibi ve ortaklarla bir bağım yoktur."}),
            ("accept", "hakem.polat", {"declaration": "Çıkar çatışmam bulunmamaktadır."}),
            (
                "review",
                "hakem.erdem",
                {
                    "scores": {"excellence": "4", "impact": "3.5", "implementation": "3"},
                    "recommendation": "revise",
                    "comment": "İzleme göstergeleri ölçülebilir hale getirilmeli.",
                },
            ),
            (
                "review",
                "hakem.polat",
                {
                    "scores": {"excellence": "4.5", "impact": "4", "implementation": "3.5"},
                    "recommendation": "ready_to_submit",
                    "comment": "Güçlü bir başvuru; paydaş katılımı iyi planlanmış.",
                },
            ),
            ("close_review", K, {"feedback": "Ortalama 11,25/15. Göstergeleri netleştirip sunabilirsiniz."}),
            ("mark_ready", K, {"comment": "Hakem önerileri işlendi; gönderime hazır."}),
        ],
    },
    {
        "key": "luleburgaz",
        "by": "luleburgaz.lider",
        "lead": "luleburgaz",
        "title": "Lüleburgaz'da su kayıplarını azaltan akıllı şebeke",
        "acronym": "SMART-WATER-LB",
        "summary": "İçme suyu şebekesinde basınç yönetimi ve sızıntı tespiti ile kuraklığa uyum.",
        "requested_amount": 900_000,
        "total_budget": 1_500_000,
        "currency": "EUR",
        "partners": [("alexandroupolis", "partner")],
        "before": [
            ("start_consultation", K, {}),
            ("start_drafting", K, {"call": "life_cca"}),
            ("mark_ready", K, {}),
            (
                "submit",
                "luleburgaz.lider",
                {
                    "funder_reference": "101190455",
                    "submitted_at": Ago(days=1),
                    "note": "Erken gönderildi; son güne kadar güncellenebilir.",
                },
            ),
        ],
    },
    {
        "key": "corlu_life",
        "by": "corlu.lider",
        "lead": "corlu",
        "title": "Çorlu Deresi'nde taşkın riskine karşı doğa temelli çözümler",
        "acronym": "NBS-CORLU",
        "summary": "Dere yatağında taşkın alanı, sulak alan restorasyonu ve erken uyarı.",
        "requested_amount": 1_800_000,
        "total_budget": 3_000_000,
        "currency": "EUR",
        "partners": [("ergene", "partner")],
        "before": [
            ("start_consultation", K, {}),
            (
                "consultation",
                K,
                {
                    "held": Ago(days=30),
                    "experts": [],
                    "team": ["corlu.lider", "corlu.uye"],
                    "notes": "Ergene Belediyesi birliğe üye değil ama ortak olabilir.",
                    "actions": "Bütçe ve çalışma planı son hafta tamamlanacak.",
                },
            ),
            ("start_drafting", K, {"call": "life_cca"}),
            ("upload", "corlu.uye", {"kind": "application_form", "note": "Part A taslağı."}),
            ("upload", "corlu.uye", {"kind": "work_plan"}),
            ("comment", "corlu.uye", {"body": "Bütçe tablosu yarın yüklenecek."}),
            (
                "comment",
                K,
                {
                    "body": "Son başvuru 5 gün sonra 17:00 (Brüksel saati, İstanbul 19:00)!",
                    "visibility": "shared",
                },
            ),
        ],
    },
    {
        "key": "cerkezkoy",
        "by": K,
        "lead": "cerkezkoy",
        "title": "Çerkezköy OSB çevresinde hava kalitesi izleme ağı",
        "acronym": "AIR-CKY",
        "summary": "Sanayi bölgesi çevresinde açık veri yayınlayan hava kalitesi sensörleri.",
        "requested_amount": 660_000,  # LIFE pays at most 60 % of the total budget
        "total_budget": 1_100_000,
        "currency": "EUR",
        "partners": [],
        "before": [
            ("start_consultation", K, {}),
            ("start_drafting", K, {"call": "life_cca"}),
            (
                "withdraw",
                K,
                {"reason": "Eş finansman belediye meclisinden geçmedi; 2028 çağrısına ertelendi."},
            ),
        ],
    },
    {
        "key": "edirne_ipa3",
        "by": "edirne.uye",
        "lead": "edirne",
        "title": "Edirne ve Haskovo'da tarihi çarşıların canlandırılması",
        "acronym": "BAZAARS",
        "summary": "Ali Paşa Çarşısı ve Haskovo tarihi çarşısında esnaf ağı, restorasyon ve ortak tanıtım.",
        "requested_amount": 380_000,
        "total_budget": 450_000,
        "currency": "EUR",
        "call": "ipa3",
        "partners": [("haskovo", "partner")],
        "before": [
            ("start_consultation", K, {"comment": "3. çağrının kültürel miras önceliğine uygun."}),
            (
                "consultation",
                K,
                {
                    "held": Ago(days=6),
                    "experts": ["hakem.polat"],
                    "team": ["edirne.lider", "edirne.uye"],
                    "notes": "Esnaf odası ile ön görüşme yapıldı.",
                    "actions": "Haskovo ile çevrim içi toplantı; bütçe tavanı 450.000 EUR.",
                },
            ),
            (
                "consultation",
                K,
                {
                    "held": FromNow(days=8),
                    "experts": ["hakem.polat"],
                    "team": ["edirne.lider"],
                    "notes": "Ortaklarla ikinci görüşme (planlandı).",
                    "actions": "",
                },
            ),
            ("comment", "haskovo.ortak", {"body": "We can host the partner meeting in Haskovo next month."}),
        ],
    },
    {
        "key": "kirklareli",
        "by": "kirklareli.lider",
        "lead": "kirklareli",
        "title": "Kırklareli'nde kadın kooperatifleri için üretim ve satış merkezi",
        "acronym": "KOOP-KIRKLARELI",
        "summary": "Kadın kooperatiflerine ortak üretim atölyesi, eğitim ve çevrim içi satış desteği.",
        "requested_amount": 2_400_000,
        "total_budget": 3_200_000,
        "currency": "TRY",
        "partners": [("ngo", "partner")],
        "before": [
            ("start_consultation", K, {}),
            ("start_drafting", K, {"call": "tka2027"}),
            ("open_review", K, {"due": FromNow(days=7)}),
            ("assign", K, {"reviewer": "hakem.polat"}),
            ("assign", K, {"reviewer": "hakem.erdem"}),
            ("assign", K, {"reviewer": "hakem.aydemir"}),
            ("accept", "hakem.polat", {"declaration": "Kooperatiflerle ve başvuru sahibiyle bağım yok."}),
            (
                "review",
                "hakem.polat",
                {
                    "scores": {
                        "ilgililik": 22,
                        "yontem": 18,
                        "surdurulebilirlik": 14,
                        "butce": 11,
                        "kapasite": 10,
                    },
                    "recommendation": "revise",
                    "comment": "Satış sonrası sürdürülebilirlik planı zayıf.",
                },
            ),
            ("decline", "hakem.aydemir", {"comment": "Bu dönemde yoğunluğum nedeniyle alamıyorum."}),
        ],
    },
    {
        "key": "luleburgaz_tka",
        "by": "luleburgaz.lider",
        "lead": "luleburgaz",
        "title": "Belediye binalarında çatı üstü güneş enerjisi",
        "acronym": "GES-LB",
        "summary": "Altı belediye binasında 850 kWp çatı GES ve enerji izleme sistemi.",
        "requested_amount": 4_100_000,
        "total_budget": 5_900_000,
        "currency": "TRY",
        "partners": [],
        "before": [
            ("start_consultation", K, {}),
            ("start_drafting", K, {"call": "tka2026"}),
            ("mark_ready", K, {}),
            (
                "submit",
                "luleburgaz.lider",
                {"funder_reference": "YDP-0034", "submitted_at": BeforeDeadline(days=2)},
            ),
        ],
        "after": [
            (
                "award",
                K,
                {
                    "awarded_amount": "4100000.00",
                    "funder_feedback": "82 puan; destek sözleşmesi imzaya çağrıldı.",
                },
            ),
        ],
    },
    {
        "key": "genclik",
        "by": "suleymanpasa.uye",
        "lead": "suleymanpasa",
        "title": "Trakya'da gençler için dijital beceri kampları",
        "acronym": "DIGI-YOUTH",
        "summary": "Kıyı ilçelerinde gençlere kodlama ve medya okuryazarlığı kampları.",
        "requested_amount": 250_000,
        "total_budget": 250_000,
        "currency": "EUR",
        "call": "erasmus",
        "partners": [("alexandroupolis", "partner")],
        "before": [
            ("comment", "suleymanpasa.uye", {"body": "Yunan ortak ilgili; ofisle görüşmek isteriz."}),
        ],
    },
    {
        "key": "kiyikoy",
        "by": K,
        "lead": "kiyikoy",
        "title": "Kıyıköy balıkçı barınağında ekoturizm iskelesi",
        "acronym": "",
        "summary": "Balıkçı barınağına tekne turları için iskele ve ziyaretçi merkezi.",
        "requested_amount": None,
        "total_budget": None,
        "currency": "TRY",
        "partners": [],
        "before": [
            ("drop", K, {"reason": "Açık bir hibe programına uymuyor; İLBANK kredisi için yönlendirildi."}),
        ],
    },
    {
        # Malkara resigned from the union: only the office's recorded exception lets it lead this one.
        "key": "malkara",
        "by": K,
        "lead": "malkara",
        "lead_exception": "Birlik encümeni kararı: Malkara'nın üyeliğe yeniden katılım başvurusu sürüyor; "
        "bölgesel ortaklık için bu proje istisna olarak desteklenir.",
        "title": "Malkara kırsalında gençlere dijital beceri atölyeleri",
        "acronym": "DIJITAL-MLK",
        "summary": "Köylerdeki gençler için kodlama ve dijital pazarlama atölyeleri, mobil eğitim aracı.",
        "call": "tka2027",
        "requested_amount": 900_000,
        "total_budget": 1_200_000,
        "currency": "TRY",
        "partners": [],
        "before": [
            ("start_consultation", K, {"comment": "İstisna kaydedildi; kapsamı birlikte netleştirelim."}),
        ],
    },
    {
        "key": "corlu_circular",
        "by": "corlu.lider",
        "lead": "corlu",
        "title": "Çorlu'da organik atıktan kompost ve biyogaz",
        "acronym": "BIO-CORLU",
        "summary": "Pazar yerleri ve okullardan ayrı toplanan organik atığın değerlendirilmesi.",
        "requested_amount": None,
        "total_budget": None,
        "currency": "EUR",
        "partners": [("cerkezkoy", "partner")],
        "before": [
            (
                "start_consultation",
                K,
                {"comment": "Yakında açılacak Horizon CL6 çağrısı için değerlendirelim."},
            ),
            (
                "consultation",
                K,
                {
                    "held": FromNow(days=4),
                    "experts": ["hakem.erdem"],
                    "team": ["corlu.lider", "corlu.uye"],
                    "notes": "İlk görüşme (planlandı).",
                    "actions": "",
                },
            ),
            (
                "drop",
                K,
                {"reason": "Konsorsiyum için AB'li ortak bulunamadı; LIFE 2028'de yeniden ele alınacak."},
            ),
        ],
    },
]

# --- documents -----------------------------------------------------------------------------------------
# Before a review round opens or the office marks a proposal ready, the team has uploaded a version of
# every document its call's checklist requires (the loader does it, as the person who registered the
# proposal). The stories above add the rest with "upload" steps: drafts replaced by newer versions, a
# proposal still missing its budget, the funders' receipts and evaluation reports after submission.
# Kind -> (file name stem, extension): small generated files whose bytes are what their type says.
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
