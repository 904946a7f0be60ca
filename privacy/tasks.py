"""Thin Celery wrappers around the privacy services."""

from celery import shared_task

from privacy import services


@shared_task(name="privacy.build_data_export", acks_late=True)
def build_data_export(export_id: int) -> int | None:
    try:
        export = services.build_export(export_id)
    except Exception as error:
        services.record_failure(export_id, error)
        raise
    return export.pk if export else None


@shared_task(name="privacy.tend_data_exports", acks_late=True)
def tend_data_exports() -> dict:
    return services.tend_exports()


@shared_task(name="privacy.apply_retention", acks_late=True)
def apply_retention() -> int:
    return services.apply_retention().rows
