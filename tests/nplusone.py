"""An N+1 guard for page renders, with django-zeal: a GET that loads a relation row by row from one line
of code (two or more times) raises `zeal.NPlusOneError` and fails the test.

The two-size query counts (tests/querycount.py) prove a page does not grow with the rows its test
varies; this catches a relation read per row in any page any test renders, with any two rows. Writes are
left out: a POST may rightly repeat a query per item it saves or per condition it checks.
"""

from zeal import zeal_context

MIDDLEWARE = "tests.nplusone.watch_reads"


def watch_reads(get_response):
    def middleware(request):
        if request.method not in ("GET", "HEAD"):
            return get_response(request)
        with zeal_context():
            return get_response(request)

    return middleware
