"""The process, tuned once the app is loaded (the gunicorn worker in `grants_office/wsgi.py`, the bench).

A list of 100 proposals builds tens of thousands of objects; with CPython's default thresholds the
collector ran every 700 allocations and now and then walked the whole heap, Django and every import
included: pauses of 70–78 ms in a 100-row request (issue 18). What startup made lives as long as the
process, so it is moved out of the collector's sight (`gc.freeze`), and the young generation is
collected less often; cycles are still collected.
"""

import gc

THRESHOLDS = (50_000, 20, 100)


def settle() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
