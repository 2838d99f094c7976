"""Long runs show their progress on a terminal; summaries say what was done."""

import io
from io import StringIO

from django.core.management import call_command

from importing.files import ImportSummary, Progress

from .conftest import HISTORY_CSV


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_on_a_terminal():
    stream = Terminal()
    progress = Progress(500, "Reports", stream, interval=0)
    for _ in range(500):
        progress.advance()
    progress.done()
    text = stream.getvalue()
    assert "\rReports: 1/500 (0%)" in text
    assert "\rReports: 500/500 (100%)" in text
    assert text.endswith("Reports: 500/500 done\n")


def test_no_progress_when_not_a_terminal_or_a_short_run():
    for stream, total in ((io.StringIO(), 500), (Terminal(), 10)):
        progress = Progress(total, "Reports", stream, interval=0)
        for _ in range(total):
            progress.advance()
        progress.done()
        assert stream.getvalue() == ""


def test_command_progress_flag(councils):
    out, err = StringIO(), StringIO()
    call_command("import_ofsted_outcomes", str(HISTORY_CSV), "--progress", stdout=out, stderr=err)
    assert "Reports from ilacs_inspection_history.csv: 497/497 done" in err.getvalue()
    assert "Summary for ilacs_inspection_history.csv:" in out.getvalue()
    err = StringIO()
    call_command("import_ofsted_outcomes", str(HISTORY_CSV), "--no-progress", stdout=StringIO(), stderr=err)
    assert err.getvalue() == ""


def test_summary_text():
    summary = ImportSummary("data/file.csv")
    summary.count_created("inspections", 3)
    summary.count_unchanged("inspections", 2)
    summary.skip("council not known", "line 4: 999 Nowhere")
    summary.skip("council not known", "line 5: 998 Elsewhere")
    summary.conflict("Tower Hamlets: kept the database's.")
    text = str(summary)
    assert "Summary for file.csv:" in text
    assert "created:   3 inspections" in text
    assert "updated:   nothing" in text
    assert "unchanged: 2 inspections" in text
    assert "2 council not known (e.g. line 4: 999 Nowhere; line 5: 998 Elsewhere)" in text
    assert "conflicts: 1" in text and "- Tower Hamlets: kept the database's." in text
    assert "Nothing changed" not in text
    assert "Nothing changed" in str(ImportSummary("x.csv"))
