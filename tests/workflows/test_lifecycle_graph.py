"""`manage.py lifecycle_graph` prints the machine from the code: every step with who may run it."""

import io

from django.core.management import call_command

from workflows import lifecycle


def test_the_table_names_who_runs_every_step():
    out = io.StringIO()
    call_command("lifecycle_graph", "--format", "table", stdout=out)
    rows = [line for line in out.getvalue().splitlines() if line.startswith("| `")]
    assert len(rows) == sum(1 for _ in lifecycle.all_transitions())
    assert not [row for row in rows if "| ? |" in row or "(?)" in row]
    assert "| `expire` | drafting | expired | system | deadline_not_passed |" in rows
    assert "| `submit` | ready | submitted | office or team lead |" in " ".join(rows)
    assert any(row.startswith("| `start_review` |") and "through the review round" in row for row in rows)
