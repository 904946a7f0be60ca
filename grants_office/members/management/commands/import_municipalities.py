from argparse import RawDescriptionHelpFormatter

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from grants_office.members.imports import ImportRejected, import_municipalities

HELP = """Import municipalities from a CSV file, all or nothing.

Every row is checked first; if any row is wrong, each bad row is printed with its line number (the
header is line 1) and nothing is written. A row whose province and name match a municipality already
in the registry (ignoring case and Turkish letters) updates it; the others are created.

The file: UTF-8 (with or without BOM) or Windows-1254 (Excel's Turkish CSV), separated by ; or , and
a header line naming the columns in English or Turkish, in any order:

  name / ad                           required
  province / il                       required; 'Tekirdağ', 'TEKİRDAĞ' and 'Tekirdag' all match
  kind / tür                          required; metropolitan/büyükşehir, provincial/il,
                                      district/ilçe, town/belde
  district / ilçe                     optional
  population / nüfus                  optional; a whole number, 12345 or 12.345
  membership_status / üyelik_durumu   optional (new rows: member); member/üye,
                                      non_member/üye değil, resigned/ayrıldı
  membership_date / üyelik_tarihi     optional; YYYY-MM-DD or DD.MM.YYYY
  contact_email / e_posta             optional; an e-mail address

An optional column that is present but empty on a row clears that value. Other columns are ignored
and named in the output. See docs/import.md."""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the CSV file"))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("check the file and report, without writing anything")
        )

    def handle(self, *args, file, dry_run, **options):
        try:
            result = import_municipalities(file, dry_run=dry_run)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error}
            ) from error
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            raise CommandError(rejected.message) from rejected
        if result.ignored_columns:
            self.stderr.write(
                _("Ignored columns: %(columns)s") % {"columns": ", ".join(result.ignored_columns)}
            )
        counts = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        if dry_run:
            message = _(
                "Dry run, nothing written: would create %(created)d, update %(updated)d, "
                "leave %(unchanged)d unchanged."
            )
        else:
            message = _("Created %(created)d, updated %(updated)d, unchanged %(unchanged)d.")
        self.stdout.write(self.style.SUCCESS(message % counts))
