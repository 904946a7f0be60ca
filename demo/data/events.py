"""Capacity building: a three-day project camp held last month (attendance per day, certificates), a
programme meeting with the agency's experts where two proposals were discussed, an upcoming
project-manager training for members without a project team (full, with a waiting list), an online info
session open for registration, and a draft info day."""

from demo.data.moments import Ago, FromNow

# Members with staff of their own who prepare proposals; the rest have none (the training's audience).
PROJECT_TEAMS = ["suleymanpasa", "corlu", "edirne", "tekirdag", "luleburgaz", "kesan", "kirklareli"]

# Each event: `start` and `days` (one session a day from `hours`), the fields of the form, then who
# registers (username, by username), and for held events who was present on which days.
EVENTS = [
    {
        "key": "camp",
        "kind": "project_camp",
        "title_tr": "AB Proje Hazırlama Kampı: Interreg IPA Bulgaristan–Türkiye",
        "title_en": "EU proposal-writing camp: Interreg IPA Bulgaria–Türkiye",
        "description_tr": (
            "Üç günlük kamp: çağrı belgesi, mantıksal çerçeve, bütçe ve ortaklık. "
            "Her katılımcı kendi proje fikrini başvuru taslağına dönüştürür."
        ),
        "description_en": (
            "A three-day camp: the call, the logical framework, the budget and the partnership. "
            "Each participant turns their own idea into a draft application."
        ),
        "programmes": ["ipa"],
        "themes": ["cultural-heritage", "sustainable-tourism"],
        "place": "Kıyıköy Kültür Merkezi, Vize / Kırklareli",
        "capacity": 20,
        "seats_per_municipality": 3,
        "trains_project_managers": True,
        "trainers": ["hakem.polat", "hakem.aydemir"],
        "agenda": (
            "1. gün: Çağrı ve uygunluk\n2. gün: Mantıksal çerçeve ve faaliyetler\n"
            "3. gün: Bütçe, ortaklık ve sunum"
        ),
        "start": Ago(days=40),
        "days": 3,
        "hours": ("09:00", "17:00"),
        "held": True,
        "registrations": [
            ("suleymanpasa.uye", "suleymanpasa.lider"),
            ("corlu.uye", "corlu.uye"),
            ("edirne.uye", "edirne.lider"),
            ("kesan.lider", "kesan.lider"),
            ("luleburgaz.lider", "luleburgaz.lider"),
            ("vize.personel", "vize.personel"),
            ("kiyikoy.personel", "kiyikoy.personel"),
            ("enez.personel", "enez.personel"),
        ],
        # username -> the days present (1-based); the camp needs 80 %: three days of three
        "present": {
            "suleymanpasa.uye": [1, 2, 3],
            "corlu.uye": [1, 2, 3],
            "edirne.uye": [1, 2, 3],
            "kesan.lider": [1, 2, 3],
            "luleburgaz.lider": [1, 2, 3],
            "vize.personel": [1, 2, 3],
            "kiyikoy.personel": [1, 2],
            "enez.personel": [1, 2, 3],
        },
    },
    {
        "key": "programme_meeting",
        "kind": "programme_meeting",
        "title_tr": "Interreg IPA Bulgaristan–Türkiye 3. çağrı: program uzmanlarıyla toplantı",
        "title_en": "Interreg IPA Bulgaria–Türkiye call 3: meeting with the programme's experts",
        "description_tr": "Ortak sekretaryanın uzmanlarıyla üyelerin 3. çağrı fikirleri tek tek görüşülür.",
        "description_en": "The joint secretariat's experts go through each member's idea for call 3.",
        "programmes": ["ipa"],
        "themes": ["cultural-heritage", "water-flood-risk"],
        "place": "Birlik toplantı salonu, Edirne",
        "capacity": 30,
        "trainers": ["hakem.polat"],
        "start": Ago(days=12),
        "days": 1,
        "hours": ("10:00", "13:00"),
        "held": True,
        "registrations": [("edirne.lider", "edirne.lider"), ("kesan.lider", "kesan.lider")],
        "present": {"edirne.lider": [1], "kesan.lider": [1]},
        # the proposals discussed: each gets a consultation held at the meeting
        "discussed": [
            (
                "edirne_ipa3",
                "Çarşı esnafının katılımı güçlü; Haskovo tarafının bütçesi netleşmeli.",
                "Ortak bütçe tablosu.",
            ),
            (
                "yesil2",
                "Değerlendirme raporunun eleştirileri pilot alanlarla karşılanıyor.",
                "Haskovo ile pilot alan seçimi.",
            ),
        ],
    },
    {
        "key": "pm_training",
        "kind": "training",
        "title_tr": "Proje yöneticisi eğitimi: proje ekibi olmayan belediyeler için",
        "title_en": "Project-manager training for members without a project team",
        "description_tr": "AB ve ulusal hibelerde proje döngüsü, başvuru ve raporlama; iki gün.",
        "description_en": "The project cycle, applications and reports under EU and national grants.",
        "programmes": ["ipa", "tka"],
        "themes": [],
        "place": "Birlik eğitim salonu, Edirne",
        "capacity": 2,
        "seats_per_municipality": 1,
        "audience": "without_project_team",
        "trains_project_managers": True,
        "trainers": ["hakem.aydemir"],
        "start": FromNow(days=18),
        "days": 2,
        "hours": ("09:30", "16:30"),
        "registrations": [
            ("vize.personel", "vize.personel"),
            ("kiyikoy.personel", "kiyikoy.personel"),
            ("enez.personel", "enez.personel"),
        ],
    },
    {
        "key": "life_info",
        "kind": "online_session",
        "title_tr": "LIFE 2027 çağrıları bilgilendirme oturumu (çevrim içi)",
        "title_en": "LIFE 2027 calls: online info session",
        "description_tr": "Yeni LIFE çağrılarının öncelikleri ve takvimi.",
        "description_en": "The priorities and calendar of the new LIFE calls.",
        "programmes": ["life"],
        "themes": ["climate-adaptation"],
        "online_url": "https://meet.example.org/life-2027",
        "capacity": None,
        "start": FromNow(days=9),
        "days": 1,
        "hours": ("14:00", "15:30"),
        "registrations": [("suleymanpasa.lider", "suleymanpasa.lider"), ("corlu.lider", "corlu.lider")],
    },
    {
        "key": "info_day",
        "kind": "info_day",
        "title_tr": "Erasmus+ gençlik projeleri bilgi günü",
        "title_en": "Erasmus+ youth projects info day",
        "programmes": ["erasmus"],
        "themes": ["youth-education"],
        "place": "Lüleburgaz Kültür Merkezi",
        "capacity": 60,
        "start": FromNow(days=45),
        "days": 1,
        "hours": ("10:00", "16:00"),
        "draft": True,
        "registrations": [],
    },
]
