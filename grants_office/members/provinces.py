"""Türkiye's 81 provinces by their official names, and a Turkish-aware way to match typed names."""

import unicodedata

PROVINCES = (
    "Adana",
    "Adıyaman",
    "Afyonkarahisar",
    "Ağrı",
    "Amasya",
    "Ankara",
    "Antalya",
    "Artvin",
    "Aydın",
    "Balıkesir",
    "Bilecik",
    "Bingöl",
    "Bitlis",
    "Bolu",
    "Burdur",
    "Bursa",
    "Çanakkale",
    "Çankırı",
    "Çorum",
    "Denizli",
    "Diyarbakır",
    "Edirne",
    "Elazığ",
    "Erzincan",
    "Erzurum",
    "Eskişehir",
    "Gaziantep",
    "Giresun",
    "Gümüşhane",
    "Hakkari",
    "Hatay",
    "Isparta",
    "Mersin",
    "İstanbul",
    "İzmir",
    "Kars",
    "Kastamonu",
    "Kayseri",
    "Kırklareli",
    "Kırşehir",
    "Kocaeli",
    "Konya",
    "Kütahya",
    "Malatya",
    "Manisa",
    "Kahramanmaraş",
    "Mardin",
    "Muğla",
    "Muş",
    "Nevşehir",
    "Niğde",
    "Ordu",
    "Rize",
    "Sakarya",
    "Samsun",
    "Siirt",
    "Sinop",
    "Sivas",
    "Tekirdağ",
    "Tokat",
    "Trabzon",
    "Tunceli",
    "Şanlıurfa",
    "Uşak",
    "Van",
    "Yozgat",
    "Zonguldak",
    "Aksaray",
    "Bayburt",
    "Karaman",
    "Kırıkkale",
    "Batman",
    "Şırnak",
    "Bartın",
    "Ardahan",
    "Iğdır",
    "Yalova",
    "Karabük",
    "Kilis",
    "Osmaniye",
    "Düzce",
)


def turkish_fold(text: str) -> str:
    """Case-fold with Turkish dotted and dotless i, so 'TEKİRDAĞ', 'tekirdağ' and 'Tekirdağ' meet."""
    return text.strip().replace("I", "ı").replace("İ", "i").lower()


def ascii_fold(text: str) -> str:
    """`turkish_fold` without the Turkish letters, so 'Tekirdag' typed on an English keyboard meets too.

    Also collapses runs of white space and drops combining marks, which decomposed (NFD) text from some
    spreadsheet exports carries.
    """
    decomposed = unicodedata.normalize("NFKD", turkish_fold(text))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).replace("ı", "i")
    return " ".join(plain.split())


# The Turkish alphabet: ç after c, ğ after g, ı before i, ö after o, ş after s, ü after u (code points put
# every Turkish letter after z, and the databases' collations differ between installs).
TURKISH_ALPHABET = "abcçdefgğhıijklmnoöpqrsştuüvwxyz"
_POSITION = {letter: index for index, letter in enumerate(TURKISH_ALPHABET)}


def turkish_key(text: str) -> tuple:
    """A sort key for names in Turkish order: spaces, digits and signs first, then the letters."""
    key = []
    for char in turkish_fold(text or ""):
        if char in _POSITION:
            key.append((1, _POSITION[char]))
        else:
            key.append((0 if ord(char) < 128 else 2, ord(char)))
    return tuple(key)


PROVINCE_CHOICES = [(name, name) for name in sorted(PROVINCES, key=turkish_key)]
_BY_FOLDED = {turkish_fold(name): name for name in PROVINCES}
# Old or everyday names still seen in lists kept by hand.
_ALIASES = {"icel": "Mersin", "afyon": "Afyonkarahisar", "k.maras": "Kahramanmaraş", "maras": "Kahramanmaraş"}
_BY_ASCII = {ascii_fold(name): name for name in PROVINCES} | _ALIASES


def match_province(text: str) -> str | None:
    """The official province name for a typed one ('TEKİRDAĞ', 'Tekirdag', 'tekirdağ '), or None."""
    if not text:
        return None
    return _BY_FOLDED.get(turkish_fold(text)) or _BY_ASCII.get(ascii_fold(text))
