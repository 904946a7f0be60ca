"""The member registry: the union's municipalities (members, a non-member, one that resigned) and the
partners abroad and at home."""

from datetime import date

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
    # not yet a partner of any proposal: the one partner search and the partner request find
    ("svilengrad", "Svilengrad Municipality", "municipality", "BG", "Svilengrad"),
    ("yambol", "Yambol Municipality", "municipality", "BG", "Yambol"),
    # the networks the union belongs to
    ("uclg_mewa", "UCLG-MEWA", "other", "TR", "İstanbul"),
    ("cemr", "Council of European Municipalities and Regions (CEMR)", "other", "BE", "Brussels"),
]
