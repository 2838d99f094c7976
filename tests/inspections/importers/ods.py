"""Write minimal OpenDocument spreadsheets for the importers' tests (zipfile + content.xml)."""

import datetime
import zipfile
from xml.sax.saxutils import escape, quoteattr

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet>
"""
TAIL = "</office:spreadsheet></office:body></office:document-content>\n"


def _cell(value):
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, datetime.date):
        iso = value.isoformat() if not isinstance(value, datetime.datetime) else value.date().isoformat()
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{iso}T00:00:00">'
            f"<text:p>{value:%d/%m/%Y}</text:p></table:table-cell>"
        )
    if isinstance(value, (int, float)):
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    text = str(value)
    return (
        f'<table:table-cell office:value-type="string" office:string-value={quoteattr(text)}>'
        f"<text:p>{escape(text)}</text:p></table:table-cell>"
    )


def write_ods(path, sheets):
    """sheets: {sheet name: [row, ...]}, a row a list of str, int, float, date or None."""
    parts = [HEAD]
    for name, rows in sheets.items():
        parts.append(f"<table:table table:name={quoteattr(name)}>")
        for row in rows:
            parts.append("<table:table-row>" + "".join(_cell(value) for value in row) + "</table:table-row>")
        parts.append("</table:table>")
    parts.append(TAIL)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", "".join(parts), compress_type=zipfile.ZIP_DEFLATED)
    return path


GRADE_HEADERS = [
    "Overall effectiveness",
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
]
HISTORY_HEADER = [
    "Web link",
    "Local authority area code",
    "Local authority name",
    "Local authority status",
    "Ofsted region",
    "Inspection date",
    "Publication date",
    "Inspection type",
    *GRADE_HEADERS,
]
IN_YEAR_HEADER = [
    "Web link",
    "Local authority area code",
    "Local authority name",
    "Region",
    "Inspection/Visit date",
    "Publication date",
    "Inspection/Visit type",
    *GRADE_HEADERS,
    "Visit Theme",
]
LATEST_HEADER = [
    "Web link",
    "Local authority area code",
    "Local authority name",
    "Ofsted region",
    "Inspection date",
    "Publication date",
    *GRADE_HEADERS,
]


def table(title, header, rows):
    """A sheet as Ofsted lays it out: title in A1, a note in A2, the table from A3."""
    return [[title], ["This worksheet contains one table. This table begins in cell A3."], header, *rows]


def history_row(code, name, start, published, kind, grades, status="Current", region="London"):
    return ["Ofsted Local Authority Webpage", code, name, status, region, start, published, kind, *grades]


def in_year_row(code, name, start, published, kind, grades=("",) * 5, theme="", region="London"):
    return ["Ofsted Local Authority Webpage", code, name, region, start, published, kind, *grades, theme]


def latest_row(code, name, start, published, grades, region="London"):
    return ["Ofsted Local Authority Webpage", code, name, region, start, published, *grades]


def outcomes_ods(path, history=(), in_year=(), latest=(), sheets=("history", "in_year", "latest")):
    """An outcomes spreadsheet laid out as Ofsted publishes it, with the given rows."""
    content = {"Cover": [["Local authority inspection outcomes as at 31 March 2025"], ["Published on:", "25/09/2025"]]}
    if "latest" in sheets:
        content["Inspections_as_at_31_March"] = table("Latest", LATEST_HEADER, list(latest))
    if "in_year" in sheets:
        content["In-year_inspections"] = table("In-year", IN_YEAR_HEADER, list(in_year))
    if "history" in sheets:
        content["ILACS_inspection_history"] = table("History", HISTORY_HEADER, list(history))
    return write_ods(path, content)
