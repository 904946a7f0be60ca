"""The second Interreg IPA call, decided after its deadline: awarded, on the reserve list, rejected (and
reused for the third call), ineligible, and one that expired unsubmitted."""

from demo.data.moments import Ago, BeforeDeadline
from demo.data.people import K

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
                    "held": Ago(days=760),
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
                    "decided_on": Ago(days=540),
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
            (
                "put_on_reserve",
                K,
                {"funder_feedback": "Reserve list, position 4. Score 78/100.", "decided_on": Ago(days=540)},
            ),
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
                    "the Bulgarian partner's role is unclear.",
                    "decided_on": Ago(days=540),
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
                    "by the legal representative.",
                    # the eligibility check comes weeks before the evaluation's results
                    "decided_on": Ago(days=640),
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
]
