"""`manage.py import_municipalities`: real files in every encoding Excel writes, all or nothing."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from grants_office.members.imports import ImportRejected, import_municipalities
from grants_office.members.models import Municipality
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

ENGLISH = """name,province,district,kind,population,membership_status,membership_date,contact_email
Süleymanpaşa,Tekirdağ,Süleymanpaşa,district,220000,member,2014-03-01,proje@suleymanpasa.bel.tr
Keşan,Edirne,Keşan,district,80000,non_member,,
Tekirdağ Büyükşehir,Tekirdağ,,metropolitan,1142451,member,2014-04-01,abig@tekirdag.bel.tr
"""

TURKISH = """Ad;İl;İlçe;Tür;Nüfus;Üyelik Durumu;Üyelik Tarihi;E-posta
Lüleburgaz;KIRKLARELİ;Lüleburgaz;ilçe;157.000;üye;15.06.2012;bilgi@luleburgaz.bel.tr
Kırklareli;kirklareli;;il;85.000;Üye değil;;
Kumbağ;TEKIRDAG;Süleymanpaşa;belde;2.500;ayrıldı;01.01.2020;
"""


def write(tmp_path, text: str, encoding: str = "utf-8", name: str = "municipalities.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(path, *args):
    """Run the command; its stdout, stderr and the CommandError it raised (or None)."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_municipalities", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def registry() -> list[tuple]:
    return list(
        Municipality.objects.order_by("province", "name").values_list(
            "name", "province", "district", "kind", "population", "membership_status", "membership_date"
        )
    )


# Good files --------------------------------------------------------------------------------------------


def test_import_creates_municipalities_from_an_english_utf8_file(tmp_path):
    out, err, error = run(write(tmp_path, ENGLISH))

    assert error is None, err
    assert "Created 3, updated 0, unchanged 0." in out
    assert registry() == [
        ("Keşan", "Edirne", "Keşan", "district", 80_000, "non_member", None),
        ("Süleymanpaşa", "Tekirdağ", "Süleymanpaşa", "district", 220_000, "member", date(2014, 3, 1)),
        ("Tekirdağ Büyükşehir", "Tekirdağ", "", "metropolitan", 1_142_451, "member", date(2014, 4, 1)),
    ]
    assert Municipality.objects.get(name="Süleymanpaşa").contact_email == "proje@suleymanpasa.bel.tr"


def test_import_reads_turkish_headers_windows_1254_and_semicolons(tmp_path):
    path = write(tmp_path, TURKISH, encoding="cp1254")
    assert "ı".encode("cp1254") in path.read_bytes()  # really a Windows-1254 file, not UTF-8

    out, err, error = run(path)

    assert error is None, err
    assert "Created 3" in out
    assert registry() == [
        ("Kırklareli", "Kırklareli", "", "provincial", 85_000, "non_member", None),
        ("Lüleburgaz", "Kırklareli", "Lüleburgaz", "district", 157_000, "member", date(2012, 6, 15)),
        ("Kumbağ", "Tekirdağ", "Süleymanpaşa", "town", 2_500, "resigned", date(2020, 1, 1)),
    ]


def test_import_reads_utf8_with_bom(tmp_path):
    path = write(tmp_path, TURKISH, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    _out, err, error = run(path)

    assert error is None, err
    assert Municipality.objects.count() == 3


def test_import_reads_crlf_line_ends_and_quoted_fields(tmp_path):
    text = (
        'name,province,kind,district\r\n"Kapaklı, merkez",Tekirdağ,district,"Kapaklı"\r\n'
        "Ergene,Tekirdağ,ilçe,\r\n"
    )

    _out, err, error = run(write(tmp_path, text))

    assert error is None, err
    assert sorted(Municipality.objects.values_list("name", flat=True)) == ["Ergene", "Kapaklı, merkez"]


def test_import_without_optional_columns_makes_members(tmp_path):
    _out, err, error = run(write(tmp_path, "ad,il,tür\nMalkara,Tekirdağ,ilçe\n"))

    assert error is None, err
    malkara = Municipality.objects.get()
    assert (malkara.membership_status, malkara.population, malkara.district) == ("member", None, "")


def test_import_names_ignored_columns(tmp_path):
    _out, err, error = run(write(tmp_path, "Sıra No;Ad;İl;Tür\n1;Malkara;Tekirdağ;ilçe\n"))

    assert error is None
    assert "Sıra No" in err
    assert Municipality.objects.count() == 1


# All or nothing ----------------------------------------------------------------------------------------


def test_one_bad_row_among_good_ones_imports_nothing_and_names_its_line(tmp_path):
    text = ENGLISH + "Atlantis,Atlantis,,district,1000,member,,\n"  # physical line 5

    out, err, error = run(write(tmp_path, text))

    assert error is not None
    assert "line 5:" in err
    assert "Atlantis" in err and "province" in err.lower()
    assert "line 2" not in err and "line 3" not in err and "line 4" not in err
    assert Municipality.objects.count() == 0
    assert out == ""


def test_every_bad_row_is_reported_with_all_its_reasons(tmp_path):
    text = (
        "name;province;kind;population;membership_status;membership_date;contact_email\n"
        "Good;Edirne;district;100;member;;\n"
        ";Edirne;district;;member;;\n"  # line 3: no name
        "Uzunköprü;Edirne;village;12,5;honorary;31.02.2020;not-an-address\n"  # line 4: five reasons
        "\n"  # line 5: blank, skipped
        "Havsa;Edirne;district;99999999999;;;\n"  # line 6: too large, empty status
    )

    _out, err, error = run(write(tmp_path, text))

    assert error is not None
    assert "3 rows have errors" in str(error)
    lines = err.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["line 3", "line 4", "line 6"]
    assert "name is empty" in lines[0]
    for reason in ["village", "12,5", "honorary", "31.02.2020", "not-an-address"]:
        assert reason in lines[1]
    assert "too large" in lines[2] and "membership status is empty" in lines[2]
    assert Municipality.objects.count() == 0


def test_line_numbers_are_physical_lines_when_a_quoted_field_spans_lines(tmp_path):
    text = 'name,province,kind,district\n"Two\nline name",Edirne,district,x\nBad,Nowhere,district,\n'

    _out, err, error = run(write(tmp_path, text))

    assert error is not None
    assert err.startswith("line 4:")


def test_duplicate_rows_in_the_file_are_an_error(tmp_path):
    text = "name,province,kind\nKeşan,Edirne,district\nMeriç,Edirne,district\nKEŞAN,EDİRNE,town\n"

    _out, err, error = run(write(tmp_path, text))

    assert error is not None
    assert "line 4:" in err and "line 2" in err  # the duplicate points at the first occurrence
    assert Municipality.objects.count() == 0


def test_unknown_province_spelling_variants_are_matched(tmp_path):
    text = (
        "name,province,kind\nA,Tekirdag,district\nB,TEKİRDAĞ,district\nC,tekirdağ,district\n"
        "D,İSTANBUL,district\n"
    )

    _out, err, error = run(write(tmp_path, text))

    assert error is None, err
    assert set(Municipality.objects.values_list("province", flat=True)) == {"Tekirdağ", "İstanbul"}


# Updates -----------------------------------------------------------------------------------------------


def test_a_row_matching_an_existing_municipality_updates_it(tmp_path):
    kesan = MunicipalityFactory(
        name="Keşan", province="Edirne", population=75_000, membership_status="member"
    )
    suleymanpasa = MunicipalityFactory(
        name="Süleymanpaşa",
        province="Tekirdağ",
        district="Süleymanpaşa",
        kind="district",
        population=220_000,
        membership_date=date(2014, 3, 1),
        contact_email="proje@suleymanpasa.bel.tr",
    )
    other_province = MunicipalityFactory(name="Tekirdağ Büyükşehir", province="Edirne")

    out, err, error = run(write(tmp_path, ENGLISH.replace("Keşan,Edirne", "KEŞAN,edirne")))

    assert error is None, err
    assert "Created 1, updated 1, unchanged 1." in out
    kesan.refresh_from_db()
    assert (kesan.name, kesan.population, kesan.membership_status, kesan.district) == (
        "Keşan",  # the registry keeps its spelling
        80_000,
        "non_member",
        "Keşan",
    )
    suleymanpasa.refresh_from_db()
    assert suleymanpasa.population == 220_000
    other_province.refresh_from_db()
    assert Municipality.objects.filter(name="Tekirdağ Büyükşehir").count() == 2


def test_matching_ignores_turkish_letters_in_the_name(tmp_path):
    MunicipalityFactory(name="Süleymanpaşa", province="Tekirdağ", population=1)

    out, err, error = run(
        write(tmp_path, "name,province,kind,population\nSULEYMANPASA,Tekirdag,district,2\n")
    )

    assert error is None, err
    assert "updated 1" in out
    assert list(Municipality.objects.values_list("name", "population")) == [("Süleymanpaşa", 2)]


def test_update_leaves_columns_the_file_does_not_have(tmp_path):
    MunicipalityFactory(name="Keşan", province="Edirne", population=80_000, membership_status="resigned")

    out, err, error = run(write(tmp_path, "name,province,kind\nKeşan,Edirne,district\n"))

    assert error is None, err
    assert "unchanged 1" in out
    assert Municipality.objects.get().membership_status == "resigned"


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    path = write(tmp_path, TURKISH, encoding="cp1254")
    run(path)
    before = registry()

    out, _err, error = run(path)

    assert error is None
    assert "Created 0, updated 0, unchanged 3." in out
    assert registry() == before


def test_a_bad_row_leaves_existing_municipalities_untouched(tmp_path):
    MunicipalityFactory(name="Keşan", province="Edirne", population=75_000)

    _out, _err, error = run(write(tmp_path, ENGLISH + "Bad,Edirne,castle,,,,\n"))

    assert error is not None
    assert list(Municipality.objects.values_list("name", "population")) == [("Keşan", 75_000)]


# Dry run -----------------------------------------------------------------------------------------------


def test_dry_run_reports_and_writes_nothing(tmp_path):
    MunicipalityFactory(name="Keşan", province="Edirne", population=1)

    out, err, error = run(write(tmp_path, ENGLISH), "--dry-run")

    assert error is None, err
    assert "would create 2, update 1, leave 0 unchanged" in out
    assert list(Municipality.objects.values_list("name", "population")) == [("Keşan", 1)]


def test_dry_run_reports_bad_rows_too(tmp_path):
    _out, err, error = run(write(tmp_path, ENGLISH + "X,Nowhere,district,,,,\n"), "--dry-run")

    assert error is not None
    assert "line 5:" in err


# Files that are not a municipality list ----------------------------------------------------------------


def test_empty_file_is_a_clear_error(tmp_path):
    _out, err, error = run(write(tmp_path, ""))

    assert error is not None
    assert "empty" in err
    assert Municipality.objects.count() == 0


def test_header_without_rows_is_a_clear_error(tmp_path):
    _out, err, error = run(write(tmp_path, "name,province,kind\n"))

    assert error is not None
    assert "no municipality rows" in err


def test_missing_required_column_is_named(tmp_path):
    _out, err, error = run(write(tmp_path, "name,district,kind\nKeşan,Keşan,district\n"))

    assert error is not None
    assert err.startswith("line 1:")
    assert "province (il)" in err
    assert Municipality.objects.count() == 0


def test_two_columns_for_the_same_field_are_an_error(tmp_path):
    _out, err, error = run(write(tmp_path, "name,ad,province,kind\nA,B,Edirne,district\n"))

    assert error is not None
    assert "line 1:" in err


def test_a_spreadsheet_workbook_is_refused_with_advice(tmp_path):
    path = tmp_path / "municipalities.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)

    _out, err, error = run(path)

    assert error is not None
    assert "CSV" in err


def test_undecodable_bytes_are_a_clear_error(tmp_path):
    path = tmp_path / "municipalities.csv"
    path.write_bytes(b"name,province,kind\nA\x81\x8d,Edirne,district\n")  # neither UTF-8 nor cp1254

    _out, err, error = run(path)

    assert error is not None
    assert "UTF-8" in err


def test_a_missing_file_is_a_clear_error(tmp_path):
    _out, _err, error = run(tmp_path / "nope.csv")

    assert error is not None
    assert "nope.csv" in str(error)


def test_a_row_with_more_values_than_columns_is_an_error(tmp_path):
    _out, err, error = run(write(tmp_path, "name,province,kind\nKeşan,Edirne,district,extra\n"))

    assert error is not None
    assert "line 2:" in err


# The service on its own --------------------------------------------------------------------------------


def test_service_accepts_parsed_rows_and_reports_counts():
    result = import_municipalities(
        [{"ad": "Enez", "il": "Edirne", "tür": "ilçe"}, {"ad": "İpsala", "il": "Edirne", "tür": "ilçe"}]
    )

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)


def test_service_rejection_carries_every_row_error_as_fields():
    with pytest.raises(ImportRejected) as rejected:
        import_municipalities(
            [
                {"name": "A", "province": "X", "kind": "district"},
                {"name": "B", "province": "Edirne", "kind": "?"},
            ]
        )

    assert [error.line for error in rejected.value.errors] == [2, 3]
    assert set(rejected.value.fields) == {"line 2", "line 3"}
    assert rejected.value.status == 400
