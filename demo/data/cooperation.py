"""Cooperation: each call's eligibility rules, the parties' cooperation profiles (a member's themes are
what call watch matches), the union's agreements and networks, and an open partner request."""

from datetime import date

_BORDER = ["Edirne", "Kırklareli"]
_TR21 = ["Edirne", "Kırklareli", "Tekirdağ"]

# call key -> CallEligibility fields (calls without an entry keep the standing rule: members lead)
CALL_RULES = {
    "ipa3": {
        "lead_provinces": _BORDER,
        "partner_countries": ["TR", "BG"],
        "min_partners": 1,
        "min_eu_partners": 1,
    },
    "ipa2": {"lead_provinces": _BORDER, "partner_countries": ["TR", "BG"]},
    "horizon_miss": {"min_partners": 2, "min_eu_partners": 1},
    "horizon_cl6": {"min_partners": 2, "min_eu_partners": 1},
    "erasmus": {"min_partners": 2, "min_eu_partners": 1},
    "tka2027": {"lead_provinces": _TR21, "partner_countries": ["TR"]},
    "tka2026": {"lead_provinces": _TR21, "partner_countries": ["TR"]},
}

# party key -> profile (themes are codes of demo.data.reference.THEMES)
PROFILES = {
    "corlu": {
        "themes": ["circular-economy", "energy-efficiency", "smart-mobility", "youth-education"],
        "priorities": "Sanayi atıklarının geri kazanımı, belediye binalarında enerji verimliliği, "
        "bisiklet yolları ve gençlik merkezleri.",
        "languages": ["tr", "en"],
        "contact_name": "Deniz Aydın",
    },
    "suleymanpasa": {
        "themes": ["sustainable-tourism", "cultural-heritage", "climate-adaptation"],
        "priorities": "Kıyı turizmi, tarihi çarşının yenilenmesi, sahil şeridinde taşkın önlemleri.",
        "languages": ["tr", "en"],
    },
    "edirne": {
        "themes": ["cultural-heritage", "sustainable-tourism", "water-flood-risk"],
        "priorities": "Meriç ve Tunca taşkınları, Selimiye çevresinde kültür rotaları.",
        "languages": ["tr", "en", "bg"],
        "pic": "912345678",
    },
    "kirklareli": {
        "themes": ["rural-development", "sustainable-tourism", "climate-adaptation"],
        "priorities": "Istrancalar'da kırsal turizm ve orman yangını önleme.",
        "languages": ["tr", "en"],
    },
    "luleburgaz": {
        "themes": ["climate-adaptation", "smart-mobility", "energy-efficiency"],
        "priorities": "İklim eylem planı, toplu taşıma, güneş enerjisi.",
        "languages": ["tr", "en"],
    },
    "haskovo": {
        "themes": ["cultural-heritage", "sustainable-tourism", "water-flood-risk"],
        "description": "Regional centre of South-Central Bulgaria; experienced lead partner of Interreg "
        "IPA Bulgaria–Türkiye projects on flood risk and cultural routes.",
        "languages": ["bg", "en", "tr"],
        "pic": "948123456",
        "contact_name": "Maria Dimitrova",
    },
    "kardzhali": {
        "themes": ["rural-development", "cultural-heritage"],
        "description": "Municipality in the Eastern Rhodopes; rural tourism and heritage sites.",
        "languages": ["bg", "en", "tr"],
        "pic": "948765432",
    },
    "svilengrad": {
        "themes": ["water-flood-risk", "cultural-heritage", "sustainable-tourism"],
        "description": "Border municipality on the Maritsa (Meriç) river, 20 km from Edirne: flood early "
        "warning, its old market street and the Mustafa Pasha bridge; looking for Turkish partners.",
        "languages": ["bg", "en"],
        "pic": "949001122",
        "contact_name": "Georgi Petrov",
    },
    "yambol": {
        "themes": ["youth-education", "digital-services", "sustainable-tourism"],
        "description": "District centre on the Tundzha (Tunca) river; digital services for citizens and "
        "youth exchanges.",
        "languages": ["bg", "en"],
        "pic": "949334455",
    },
    "alexandroupolis": {
        "themes": ["climate-adaptation", "sustainable-tourism", "smart-mobility"],
        "description": "Port city of Evros; coastal adaptation and sustainable mobility.",
        "languages": ["el", "en"],
        "pic": "947112233",
    },
    "trakya_uni": {
        "themes": ["cultural-heritage", "water-flood-risk", "rural-development", "youth-education"],
        "description": "Public university in Edirne; hydrology and heritage research groups.",
        "languages": ["tr", "en", "bg"],
        "pic": "998877665",
    },
}

# (kind, title, municipality keys, organisation keys, union-wide, signed on, scope)
COOPERATIONS = [
    (
        "sister_city",
        "Edirne – Haskovo kardeş şehir protokolü",
        ["edirne"],
        ["haskovo"],
        False,
        date(2004, 6, 18),
        "Kültür, turizm, gençlik değişimleri ve sınır ötesi ortak projeler.",
    ),
    (
        "sister_city",
        "Kırklareli – Yambol kardeş şehir protokolü",
        ["kirklareli"],
        ["yambol"],
        False,
        date(2011, 10, 5),
        "Eğitim, spor ve belediye hizmetlerinde deneyim paylaşımı.",
    ),
    (
        "network",
        "UCLG-MEWA üyeliği",
        ["tekirdag"],
        ["uclg_mewa"],
        True,
        date(2015, 3, 1),
        "Birlik ve Tekirdağ Büyükşehir, Birleşmiş Kentler ve Yerel Yönetimler Orta Doğu ve Batı Asya "
        "Teşkilatı üyesi.",
    ),
    (
        "network",
        "CEMR ortak üyeliği",
        [],
        ["cemr"],
        True,
        date(2019, 11, 20),
        "Avrupa Belediyeler ve Bölgeler Konseyi ile işbirliği; ağ toplantılarına katılım.",
    ),
]

# An open partner request: Edirne's team seeks a second Bulgarian partner for its Interreg proposal;
# Svilengrad has answered (the requester accepts it in the walkthrough of docs/cooperation.md).
PARTNER_REQUESTS = [
    {
        "key": "bazaars",
        "municipality": "edirne",
        "by": "edirne.lider",
        "proposal": "edirne_ipa3",
        "title": "Tarihi çarşılar: ikinci bir Bulgar belediye ortağı aranıyor",
        "description": "Ali Paşa Çarşısı ile Haskovo çarşısının yanına sınırın Bulgaristan tarafından "
        "tarihi çarşısı olan bir belediye daha arıyoruz / We seek a second Bulgarian municipality with "
        "a historic market street.",
        "role_wanted": "partner",
        "countries": ["BG"],
        "kinds": ["municipality"],
        "themes": ["cultural-heritage", "sustainable-tourism"],
        "answer_in_days": 20,
        "responses": [
            (
                "svilengrad",
                "svilengrad.ortak",
                "Svilengrad restores its old market street by the Mustafa Pasha bridge and would gladly "
                "join.",
            ),
        ],
    },
]
