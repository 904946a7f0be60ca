"""Horizon Europe and LIFE: invited to stage 2, reviewed and ready days before the deadline, submitted
early, drafting with documents missing, withdrawn."""

from demo.data.moments import Ago, BeforeDeadline, FromNow
from demo.data.people import K

PROPOSALS = [
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
            (
                "invite_to_stage2",
                K,
                {
                    "funder_feedback": "Stage 1 passed: 4.5 / 4.0 (threshold 4 each).",
                    "decided_on": Ago(days=20),
                },
            ),
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
]
