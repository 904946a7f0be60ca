"""The office's reference data: themes, funding programmes and the rubrics reviewers score against."""

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
