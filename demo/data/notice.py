"""The demo union's privacy notice (aydınlatma metni), in two versions: the second adds the retention
periods."""


def _paragraphs(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


NOTICE_TR = _paragraphs(
    ("Veri sorumlusu: Trakya Belediyeler Birliği, AB Proje Ofisi."),
    (
        "Hangi verileri işliyoruz: adınız, e-posta adresiniz, çalıştığınız belediye veya kurum ve "
        "göreviniz; hazırladığınız veya değerlendirdiğiniz proje önerileri, yorumlarınız, yüklediğiniz "
        "belgeler; eğitim ve etkinlik kayıtlarınız ve sertifikalarınız; oturum açma kayıtlarınız ve "
        "hizmetteki işlemleriniz."
    ),
    (
        "Neden: üye belediyelerin AB ve ulusal hibe başvurularını hazırlamak, değerlendirmek ve sunmak; "
        "eğitimler düzenlemek; Birlik meclisine sonuçları raporlamak; hizmetin güvenliğini sağlamak. "
        "Hukuki sebepler: KVKK madde 5/2 (c) sözleşmenin ifası, (ç) hukuki yükümlülük ve (f) meşru "
        "menfaat."
    ),
    (
        "Kimlerle paylaşıyoruz: başvurduğunuz hibe programının yürütücüsü (Avrupa Komisyonu, ulusal "
        "ajanslar) ve projenin ortakları; yurt dışındaki ortaklara aktarım, KVKK madde 9 uyarınca "
        "projenin yürütülmesi için yapılır."
    ),
    (
        "Haklarınız (KVKK madde 11): verilerinizin işlenip işlenmediğini öğrenme, bir kopyasını alma "
        "(Hesabım > Verilerim), düzeltilmesini ve silinmesini isteme, itiraz etme. Başvurularınızı "
        "kvkk@trakyabirlik.example adresine yazabilirsiniz; 30 gün içinde yanıtlanır."
    ),
)

NOTICE_EN = _paragraphs(
    ("Data controller: the Union of Thrace Municipalities, EU Project Office."),
    (
        "What we process: your name, e-mail address, the municipality or organisation you work for and "
        "your role; the proposals you prepare or review, your comments and the documents you upload; your "
        "registrations for trainings and events and your certificates; your sign-ins and what you do in "
        "the service."
    ),
    (
        "Why: to prepare, review and submit the member municipalities' applications for EU and national "
        "grants; to run trainings; to report results to the Union's council; to keep the service secure. "
        "Legal grounds: KVKK article 5(2)(c) performance of a contract, (ç) a legal obligation and (f) "
        "legitimate interest."
    ),
    (
        "Who we share it with: the body running the grant programme you apply to (the European "
        "Commission, national agencies) and the project's partners; transfers to partners abroad are made "
        "under KVKK article 9, to carry out the project."
    ),
    (
        "Your rights (KVKK article 11): to learn whether your data is processed, to receive a copy "
        "(Account > Your data), to ask for it to be corrected or erased, and to object. Write to "
        "kvkk@trakyabirlik.example; we answer within 30 days."
    ),
)

_RETENTION_TR = _paragraphs(
    (
        "Ne kadar saklıyoruz: bildirimler 12 ay, oturum açma ve dosya indirme kayıtları 24 ay, hibe "
        "almadan sona eren önerilerin yorum ve danışma notları 5 yıl saklanır; ardından her gece çalışan "
        "bir işle silinir veya anonimleştirilir. Hibe alan projelerin kayıtları, hibe verenin denetimleri "
        "için karar tarihinden itibaren 5 yıl saklanır."
    ),
)

_RETENTION_EN = _paragraphs(
    (
        "How long we keep it: notifications for 12 months, sign-in and download records for 24 months, "
        "the comments and consultation notes of proposals that ended without an award for 5 years; then a "
        "nightly job deletes or anonymises them. The records of awarded projects are kept for 5 years "
        "after the decision, for the funder's audits."
    ),
)
RETENTION_TR = "\n\n" + _RETENTION_TR
RETENTION_EN = "\n\n" + _RETENTION_EN

# The person who has not yet read the second version: they are asked at their next sign-in.
PENDING = "hakem.erdem"
