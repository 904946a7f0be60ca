"""A person's saved views of the proposals table: a name and the table's query string."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedFilter(models.Model):
    """One saved view of `/proposals/table/`. `query` is the table's query string, normalised by its form
    (only known parameters, no page), so a saved view opens as the same link wherever it is used."""

    # A page lists them all; more than this is a list nobody reads (`services.save_filter` refuses).
    LIMIT_PER_PERSON = 50

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_filters",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.TextField(_("query"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["user", "name", "id"]
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="unique_saved_filter_name")]

    def __str__(self):
        return self.name
