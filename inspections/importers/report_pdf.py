"""Read an Ofsted report on a council's children's services from its PDF.

parse_report() returns what the report prints (ILACS 2018- or SIF 2013-17) and saves nothing. A file that is
not such a report, or cannot be read, raises ReportError with one line the person importing it can act on.
"""

import datetime
import io
import logging
import re
import warnings
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pypdf import PasswordType, PdfReader

from inspections.dates import format_date, iso
from inspections.frameworks import Area, EventType, Framework, Grade, grade_label

MAX_PAGES = 200  # the most pages a report may have, unless settings.REPORT_UPLOAD_MAX_PAGES says otherwise


def max_pages():
    from django.conf import settings  # noqa: PLC0415

    return getattr(settings, "REPORT_UPLOAD_MAX_PAGES", MAX_PAGES) if settings.configured else MAX_PAGES


class ReportError(Exception):
    """Why a file cannot be read as an Ofsted report, in one line."""


WHAT_NEEDS_TO_IMPROVE = "what_needs_to_improve"  # the values of Finding.Kind, which this module may not import
AREA_FOR_PRIORITY_ACTION = "area_for_priority_action"
STRENGTH = "strength"


@dataclass(frozen=True)
class ImprovementPoint:
    """One point under "What needs to improve" (ILACS), "Recommendations" or "Areas for improvement" (SIF), under
    "Priority and immediate action" / "Areas for priority action" (kind AREA_FOR_PRIORITY_ACTION), or under "The
    local authority has the following strengths" / "The LSCB's strengths" (SIF, kind STRENGTH)."""

    text: str
    area: str = ""  # an Area value where the report ties the point to one (the LSCB's recommendations)
    kind: str = WHAT_NEEDS_TO_IMPROVE
    page: int | None = None  # the PDF page (from 1) where the point starts


@dataclass(frozen=True)
class ParsedReport:
    """What a report prints, in the project's terms (Framework, EventType, Area and Grade values)."""

    council_name: str  # as printed, e.g. "London Borough of Tower Hamlets"
    framework: str
    event_type: str
    start_date: datetime.date
    end_date: datetime.date
    published_date: datetime.date | None
    lead_inspector: str
    judgements: tuple  # of (Area value, Grade value), in the report's order
    findings: tuple  # of ImprovementPoint, in the report's order
    title: str = ""  # the report's title, as printed on page 1
    visits: tuple = ()  # (first day, last day) of each visit: two when Ofsted paused the inspection and came back
    not_judged: tuple = ()  # Area values the report's table marks "Not judged"
    warnings: tuple = ()  # what the reader noticed and a person checking the reading should know, one line each
    summary: str = ""  # the report's own summary paragraph (summary_paragraph), or "" where none was found

    def grade_for(self, area):
        return dict(self.judgements).get(area)

    @property
    def what_needs_to_improve(self):
        return tuple(point for point in self.findings if point.kind == WHAT_NEEDS_TO_IMPROVE)

    def as_data(self):
        """The reading as plain JSON data (dates as ISO text), so it can travel in a signed form field."""
        return {
            **{name: getattr(self, name) for name in ("council_name", "framework", "event_type", "lead_inspector")},
            **{name: iso(getattr(self, name)) for name in ("start_date", "end_date", "published_date")},
            "judgements": [list(pair) for pair in self.judgements],
            "findings": [[point.text, point.area, point.kind, point.page] for point in self.findings],
            "title": self.title,
            "visits": [[iso(first), iso(last)] for first, last in self.visits],
            "not_judged": list(self.not_judged),
            "warnings": list(self.warnings),
            "summary": self.summary,
        }

    @classmethod
    def from_data(cls, data):
        """The reading as_data() gave; raises ValueError on data it did not make."""
        try:
            return cls(
                **{name: str(data[name]) for name in ("council_name", "framework", "event_type", "lead_inspector")},
                start_date=datetime.date.fromisoformat(data["start_date"]),
                end_date=datetime.date.fromisoformat(data["end_date"]),
                published_date=datetime.date.fromisoformat(data["published_date"]) if data["published_date"] else None,
                judgements=tuple((str(area), str(grade)) for area, grade in data["judgements"]),
                findings=tuple(
                    ImprovementPoint(str(text), str(area), str(kind), int(page) if page is not None else None)
                    for text, area, kind, page in data["findings"]
                ),
                title=str(data["title"]),
                visits=tuple(tuple(map(datetime.date.fromisoformat, visit)) for visit in data["visits"]),
                not_judged=tuple(map(str, data["not_judged"])),
                warnings=tuple(map(str, data["warnings"])),
                summary=str(data["summary"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"not a report reading: {error}") from None


def parse_report(source):
    """Read a report from a path, bytes or a file-like object."""
    pages = read_pages(source)
    head = " ".join(line for page in pages[:2] for line in page)
    framework, kind, title = identify(head)
    lines = Lines(pages)
    warnings = []
    visits = inspection_visits(lines)
    start_date, end_date = visits[0][0], visits[-1][1]
    if start_date == end_date:
        warnings.append(f"The report prints one inspection date ({format_date(start_date)}), not a range.")
    if len(visits) > 1:
        warnings.append("The inspection was split into visits: " + "; ".join(f"{a} to {b}" for a, b in visits) + ".")
    judgements, not_judged = read_judgements(framework, kind, lines)
    if not_judged:
        warnings.append("Not judged: " + ", ".join(Area(area).label for area in not_judged) + ".")
    inspector = lead_inspector(lines)
    if not inspector:
        warnings.append("The report names no lead inspector.")
    if kind == EventType.LOOKED_AFTER_INSPECTION:
        findings = looked_after_points(lines)
    else:
        findings = improvement_points(framework, kind, lines)
    if not findings:
        warnings.append("No points to improve or for priority action were found.")
    return ParsedReport(
        council_name=council_name(head, title),
        framework=framework,
        event_type=kind or ilacs_event_type(visits),
        start_date=start_date,
        end_date=end_date,
        published_date=published_date(head),
        lead_inspector=inspector,
        judgements=tuple(judgements),
        findings=tuple(findings),
        title=re.sub(r"\s+", " ", title[0]).strip(),
        visits=tuple(visits),
        not_judged=tuple(not_judged),
        warnings=tuple(warnings),
        summary=summary_paragraph(framework, lines),
    )


class Lines(list):
    """The report's lines in reading order, each knowing its page (from 1)."""

    def __init__(self, pages):
        super().__init__(line for page in pages for line in page)
        self.pages = [number for number, page in enumerate(pages, start=1) for _ in page]

    def page_of(self, index):
        return self.pages[index] if 0 <= index < len(self.pages) else None


# Reading the PDF ---------------------------------------------------------------------------------------------


def read_pages(source):
    """Each page's lines, tidied, without running headers, page numbers and footnotes."""
    data = read_bytes(source)
    check_is_pdf(data)
    pages = [[tidy(line) for line in text.splitlines()] for text in page_texts(data)]
    pages = [[line for line in page if line] for page in pages]
    if not any(pages):
        raise ReportError("The PDF has no text to read (perhaps it is a scan): import the report Ofsted published.")
    running = running_lines(pages)
    # Page 1 has no running header, and its title may read exactly like the header of the pages after it.
    return [
        split_glued_headings(strip_footnotes(strip_furniture(page, running if number else set())))
        for number, page in enumerate(pages)
    ]


def read_bytes(source):
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, (str, Path)):
        try:
            return Path(source).read_bytes()
        except OSError as error:
            raise ReportError(f"Cannot open {source}: {error.strerror or error}.") from None
    if hasattr(source, "read"):
        if hasattr(source, "seek"):
            source.seek(0)
        data = source.read()
        if isinstance(data, str):
            raise ReportError("This is a text file, not a PDF.")
        return bytes(data)
    raise ReportError("Give a PDF file, its path or its contents.")


def check_is_pdf(data):
    if not data.strip():
        raise ReportError("The file is empty.")
    head = data[:1024]
    if b"%PDF-" in head:
        return
    if re.search(rb"<!doctype html|<html|<head|<body", head, re.I):
        if re.search(rb"<title>\s*Report not found", data[:4096], re.I):
            raise ReportError(
                "This is Ofsted's web page “Report not found”, saved under a PDF name: Ofsted no longer publishes "
                "this report."
            )
        raise ReportError("This is a web page (HTML) saved under a PDF name, not a PDF: download the report again.")
    raise ReportError("This is not a PDF file.")


@contextmanager
def quiet_pypdf():
    """pypdf logs every repair it makes to a damaged file; the caller gets one ReportError instead."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def page_texts(data):
    with quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                unlock(reader)
            # Reports run to a few dozen pages; a file of thousands is not one, and reading it would tie the
            # server up. Counted before any page's text is read.
            limit = max_pages()
            if len(reader.pages) > limit:
                raise ReportError(f"The PDF has {len(reader.pages)} pages; a report has at most {limit}.")
            texts = {}

            def text(number):
                if number not in texts:
                    texts[number] = reader.pages[number].extract_text() or ""
                return texts[number]

            for number in pages_to_read(len(reader.pages), text):
                text(number)
            return [texts.get(number, "") for number in range(len(reader.pages))]
        except ReportError:
            raise
        except Exception as error:  # pypdf raises many kinds for damaged files; none may escape
            raise ReportError(f"The PDF is damaged and cannot be read ({first_line(error)}).") from None


# Reading a page's text is most of the time a report takes, and most pages of a report are prose the reader
# does not use. It reads the first pages, then only as far as it needs: an ILACS report to just past its "What
# needs to improve" list (page 2 or 3); a SIF report all but the long sections its table of contents places (the
# inspection findings, the meaning of the judgements), each checked by its heading where the contents say it
# starts. Anything else, or a check that fails, is read whole.
FIRST_PAGES = 6
SKIPPED_SECTIONS = re.compile(
    r"^(?:inspection judgements? about the (?:local authority|lscb)|inspection findings|the experiences and progress"
    r"|leadership management and governance|what the inspection judgements mean)"
)


def pages_to_read(count, text):
    """The page numbers (from 0) whose text the reader uses; text(number) extracts a page."""
    def lines(number):
        return [tidy(line) for line in text(number).splitlines()]

    first = range(min(count, FIRST_PAGES))
    head = " ".join(line for number in first[:2] for line in lines(number))[:400]
    if SIF_TITLE.search(head):
        skipped = sif_pages_to_skip([lines(number) for number in first], count, text)
        return [number for number in range(count) if number not in skipped]
    if ILACS_TITLE.search(head):
        for number in first:
            if any(findings_heading(line) for line in lines(number)):
                return range(min(count, max(4, number + 3)))
    return range(count)


def sif_pages_to_skip(first, count, text):
    """Page numbers (from 0) inside the long sections a SIF report's table of contents lists; none without one."""
    found = next(
        ((page, index) for page in first for index, line in enumerate(page) if re.fullmatch(r"Contents", line, re.I)),
        None,
    )
    if found is None:
        return set()
    contents_page, at = found
    entries = contents_entries(contents_page[at + 1 :])
    skipped = set()
    for index, (heading, start) in enumerate(entries):
        if not SKIPPED_SECTIONS.match(heading):
            continue
        following = next((later for _, later in entries[index + 1 :] if later > start), None)
        if following is None or not 1 < start < following <= count:
            return set()
        # The section's first page (read, as it may hold the end of the section before) must carry its heading.
        if heading not in heading_key(text(start - 1)):  # a heading may wrap over several lines
            return set()
        skipped.update(range(start, following - 1))  # pages after its first, before the next section's
    return skipped


def contents_entries(lines):
    """(heading key, printed page) for each entry of a table of contents; a heading may wrap over two lines."""
    entries, pending = [], ""
    for line in lines:
        if entry := re.fullmatch(r"(.*?)\s*(\d{1,3})", line):
            key = heading_key(f"{pending} {entry[1]}")
            if key:
                entries.append((key, int(entry[2])))
            pending = ""
        else:
            pending = f"{pending} {line}".strip()
    return entries


def unlock(reader):
    """Open a PDF encrypted only against editing (no password to read it); refuse one that needs a password."""
    try:
        unlocked = reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except Exception:
        unlocked = False
    if not unlocked:
        raise ReportError("The PDF is password-protected: import an unprotected copy of the report.")


def first_line(error):
    text = str(error).strip().splitlines()
    return (text[0][:100] if text else type(error).__name__).rstrip(".")


def tidy(line):
    line = line.replace("\u00ad", "").replace("\u00a0", " ").replace("\ufb01", "fi").replace("\ufb02", "fl")
    return re.sub(r"\s+", " ", line).strip()


def furniture_key(line):
    # Running headers differ from page to page only by the page number at their end.
    return re.sub(r"\s*\d+$", "", line).lower()


def running_lines(pages):
    """Lines repeated at the top or bottom of most pages: the report's running header and footer."""
    pages = [page for page in pages if page]  # pages left unread (see pages_to_read) say nothing
    if len(pages) < 4:
        return set()
    counts = Counter()
    for page in pages[1:]:
        counts.update({furniture_key(line) for line in page[:3] + page[-3:]})
    threshold = max(3, (len(pages) - 1) // 2)
    return {key for key, count in counts.items() if key and count >= threshold}


def strip_furniture(page, running):
    def is_furniture(line):
        return line.isdigit() or furniture_key(line) in running

    start, end = 0, len(page)
    while start < end and is_furniture(page[start]):
        start += 1
    while end > start and is_furniture(page[end - 1]):
        end -= 1
    return page[start:end]


def strip_footnotes(page):
    """Drop footnotes from a page's foot: a line "1 The ..." whose marker sits on a word above ("improve?1")."""
    for index in range(max(1, len(page) - 12), len(page)):
        match = re.match(r"(\d{1,2}) [A-Z‘“'\"]", page[index])
        above = " ".join(page[:index])
        if match and re.search(rf"[A-Za-z?)’'.,]{match[1]}(?!\d)", above):
            return page[:index]
    return page


def split_glued_headings(page):
    """A findings heading that a PDF's text runs onto the end of the line above ("...missing from home and care.
    Areas for improvement", Calderdale 2015) goes on a line of its own, once where the page prints it again below."""
    lines = []
    for index, line in enumerate(page):
        glued = re.match(r"(.*[.?])\s+([A-Z][^.?]{5,80})$", line)
        if glued and findings_heading(glued[2]):
            lines.append(glued[1])
            if index + 1 < len(page) and page[index + 1] == glued[2]:
                continue
            line = glued[2]
        lines.append(line)
    return lines


def join_lines(lines):
    """One text from wrapped lines, keeping the hyphens of words broken at a hyphen (multi-agency)."""
    text = ""
    for line in lines:
        if re.search(r"[A-Za-z]-$", text) and not re.match(r"(and|or|to)\b", line):
            text += line
        else:
            text = f"{text} {line}" if text else line
    return text.strip()


# What the report is --------------------------------------------------------------------------------------------

# "Inspection of Bury local authority children's services"; "Inspection of Bradford Children and Families Trust"
# (a trust runs the council's services); 2018-19: the council's name above "Inspection of (local authority)
# children's (social care) services".
ILACS_TITLE = re.compile(
    r"Inspection of (?:(?:the )?(?P<name>(?!local authority\b)[^.:]{2,80}?) (?:local authority )?children[’'`]?s"
    r" services|(?P<trust>[^.:]{2,40}? Children(?:[’'`]?s)?(?: and Families| Services)? Trust)"
    r"|(?:local authority )?children[’'`]?s (?:social care )?services)",
    re.I,
)
# SIF inspections and re-inspections ("Re-inspection", "Reinspection") share the title.
SIF_TITLE = re.compile(r"inspection of services for children in need of help and protection", re.I)
LSCB_REVIEW = re.compile(r"Review of the effectiveness of the Local Safeguarding Children\s+Board", re.I)

# An inspection of looked after children's services alone (2013, before the single framework).
LOOKED_AFTER_TITLE = re.compile(r"^(?:\S+ )?Inspection of looked after children\s+services", re.I)

OTHER_DOCUMENTS = (
    (r"\bfocused visit\b", "This is a focused visit letter, not an inspection report: focused visits are not graded."),
    (
        r"\bmonitoring visit\b",
        "This is a monitoring visit letter, not an inspection report: monitoring visits are not graded.",
    ),
    (r"\bassurance visit\b", "This is an assurance visit letter (2020), not a graded inspection report."),
    (
        r"\bjoint targeted area inspection\b",
        "This is a joint targeted area inspection (JTAI) letter, not a graded inspection report.",
    ),
    (
        r"inspection of safeguarding and looked after children services|unannounced inspection of .{0,40}referral",
        "This is a report under Ofsted's 2009-12 frameworks, which this importer does not read: enter it by hand.",
    ),
    (
        r"children[’'`]?s home|\bschool\b|\bcollege\b|\bnursery\b|childminder|fostering agency|adoption agency",
        "This is an Ofsted report on a provider (a school, children's home or similar), "
        "not on a council's children's services.",
    ),
)


def identify(head):
    """(framework, event type, title match) of a report on a council's children's services, from its title at
    the top of page 1. The event type is None where the dates decide it (ILACS)."""
    title = head[:400]
    if match := SIF_TITLE.search(title):
        return Framework.SIF, EventType.FULL_INSPECTION, match
    if match := LSCB_REVIEW.search(title):
        # The review of a board on its own, under the single framework's section on boards.
        return Framework.SIF, EventType.LSCB_REVIEW, match
    if match := LOOKED_AFTER_TITLE.search(title.strip()):
        return Framework.LOOKED_AFTER_CHILDREN, EventType.LOOKED_AFTER_INSPECTION, match
    if match := ILACS_TITLE.search(title):
        return Framework.ILACS, None, match
    for pattern, message in OTHER_DOCUMENTS:
        if re.search(pattern, head[:1500], re.I):
            raise ReportError(message)
    raise ReportError("This PDF is not an Ofsted inspection report on a council's children's services.")


def council_name(head, title):
    """The name in the title ("Inspection of Bury local authority ..."), else the line above the title ("Surrey
    Safeguarding Children Board" above a board's review), else the text between the title and the dates ("Kent
    County Council" below a 2013 inspection's title)."""
    if name := title.groupdict().get("name"):
        return clean_council_name(name)
    if trust := title.groupdict().get("trust"):
        # The council whose services the trust runs: "Bradford Children and Families Trust" -> "Bradford".
        return clean_council_name(re.sub(r"\s+Children\S*(?: and Families| Services)? Trust$", "", trust, flags=re.I))
    before_title = head[: title.start()]
    if not before_title.strip():
        after_title = re.split(r"Inspection dates?|Reporting inspector|Lead inspector", head[title.end() :], flags=re.I)
        before_title = after_title[0] if len(after_title) > 1 else ""
    if not before_title.strip():
        raise ReportError("The council's name cannot be read from the report's title page.")
    return clean_council_name(before_title)


def clean_council_name(name):
    name = re.sub(r"\s+", " ", name).strip(" ,")
    name = re.sub(r"(?<=[A-Za-z])\d$", "", name)  # a footnote marker stuck to the name
    name = re.sub(r"\s+Children[’'`]?s Services$", "", name, flags=re.I)  # "Medway Children's Services"
    name = re.sub(r"\s+(?:Local\s+)?Safeguarding Children Board$", "", name, flags=re.I)  # "Surrey Safeguarding ..."
    return re.sub(r"^the ", "", name, flags=re.I)


def ilacs_event_type(visits):
    """ILACS reports do not name their kind: a short inspection is one week on site, a standard one two. An
    inspection Ofsted split (paused, then resumed to gather more evidence) is judged by the visit it was planned
    as, the first: the days added later do not make a short one standard."""
    start_date, end_date = visits[0]
    if (end_date - start_date).days <= 7:
        return EventType.SHORT_INSPECTION
    return EventType.STANDARD_INSPECTION


# Dates ------------------------------------------------------------------------------------------------------------

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# A line that is only a date range, like the running header "11 to 15 November 2024 2" (page 2).
DATE_RANGE = re.compile(
    rf"{DAY}\s*(?:{MONTH})?\s*(?:\d{{4}})?\s*(?:to|until|and|[-–—‑−])\s*"
    rf"{DAY}\s+{MONTH}\s*,?\s*\d{{4}}(?:\s+\d{{1,3}})?",
    re.I,
)
ONE_DATE = re.compile(rf"(?P<d>{DAY})\s+(?P<m>{MONTH})\s*,?\s*(?P<y>\d{{4}})", re.I)


DAY_PRINTED = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:\s+(?P<m>{MONTH}))?(?:\s*,?\s+(?P<y>\d{{4}})(?!\d))?", re.I
)


def parse_visits(text):
    """Each visit's (first day, last day): one for "11 to 15 November 2024", two for "5 to 9 December 2022 and 14
    to 15 February 2023" (an inspection paused and resumed); None without a range."""
    text = numeric_dates_in_words(text)
    parts = re.split(r"\s+and\s+(?=\d)", text)
    if len(parts) > 1:
        # A part printed without its year ("10 to 14 October and 24 to 28 October 2022") takes the next one's.
        years = [re.search(r"\d{4}", part) for part in parts]
        completed = [
            part if years[index] else f"{part} {next((y[0] for y in years[index:] if y), '')}"
            for index, part in enumerate(parts)
        ]
        visits = [one_range(part) for part in completed]
        if all(visits):
            return sorted(visits)
    visit = one_range(text)
    return [visit] if visit else None


def one_range(text):
    days = list(DAY_PRINTED.finditer(text))
    complete = [index for index, day in enumerate(days) if day["m"] and day["y"]]
    if not complete or complete[-1] == 0:
        return None
    first, last = days[0], days[complete[-1]]
    # A first day printed without its month or year ("11 to 15 November 2024") takes the next ones printed.
    month = next(day["m"] for day in days if day["m"])
    year = first["y"] or next(day["y"] for day in days if day["y"])
    start, end = make_date(first["d"], month, year), make_date(last["d"], last["m"], last["y"])
    if start > end and not first["y"]:
        start = start.replace(year=start.year - 1)  # "30 December to 10 January 2020"
    # One visit lasts at most a few weeks: a longer span is two dates that are not one range.
    if start > end or (end - start).days > 60:
        return None
    return start, end


NUMERIC_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/])")


def numeric_dates_in_words(text):
    """"12/09/2016" (day first, as Ofsted prints) as "12 September 2016"."""

    def in_words(match):
        day, month, year = (int(part) for part in match.groups())
        if not 1 <= month <= 12:
            return match[0]
        year += 2000 if year < 100 else 0
        return f"{day} {datetime.date(2000, month, 1):%B} {year}"

    return NUMERIC_DATE.sub(in_words, text)


def make_date(day, month, year):
    try:
        return datetime.date(int(year), MONTHS[month.lower().rstrip(".")], int(day))
    except (ValueError, KeyError):
        raise ReportError(f"The report prints an impossible date ({day} {month} {year}).") from None


def inspection_visits(lines):
    """The on-site dates, from the "Inspection dates:" line, else from a line that is only a date range: a list of
    (first day, last day), one per visit. A report that prints one date is taken as a visit of one day."""
    for index, line in enumerate(lines[:80]):
        if labelled := re.match(r"Inspection dates?\s*:?\s*(.*)$", line, re.I):
            printed = labelled[1]
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if not re.search(r"\d{4}$", printed) and re.match(rf"(?:\d|{MONTH})", following, re.I):
                printed += " " + following  # the dates wrapped onto the next line
            printed = re.split(r"lead inspector|published", printed, flags=re.I)[0]
            if visits := parse_visits(printed):
                return visits
            if single := ONE_DATE.fullmatch(numeric_dates_in_words(printed).strip(" .")):
                date = make_date(re.match(r"\d+", single["d"])[0], single["m"], single["y"])
                return [(date, date)]
    for line in lines[:80]:
        if DATE_RANGE.fullmatch(line) and (visits := parse_visits(line)):
            return visits
    raise ReportError("The inspection dates cannot be read from the report.")


def published_date(head):
    match = re.search(rf"published\s*:?\s*({ONE_DATE.pattern})", numeric_dates_in_words(head), re.I)
    return make_date(re.match(r"\d+", match["d"])[0], match["m"], match["y"]) if match else None


# Lead inspector ---------------------------------------------------------------------------------------------

INSPECTOR_ROLE = re.compile(
    r"\s*(?:,|\(|\b(?:Her|His) Majesty|\b(?:Senior |Deputy )?HMI\b|\bSHMI\b|\bSCRI\b|\bRI\b|\bAI\b|\bOI\b"
    r"|\bOfsted Inspector\b|\bSocial Care Regulatory Inspector\b).*$"
)


NAME = r"[A-ZÀ-Þ][\w’'.-]*(?:\s+(?:[A-ZÀ-Þ][\w’'.-]*|de|van|von|le|la|du))*"


def lead_inspector(lines):
    """The lead inspector's name, without the title that follows it, from the report's own "Lead inspector:" line
    (page 1, or the list of the inspection team; "Reporting inspector" in 2013): never from prose that mentions
    the lead inspector."""
    for index, line in enumerate(lines):
        match = re.match(r"(?:Lead (?:social care )?|Reporting )inspectors?(?: on site)?\s*(:)?\s*(.*)$", line, re.I)
        if not match:
            continue
        named = match[2] or (lines[index + 1] if index + 1 < len(lines) and match[1] else "")
        name = INSPECTOR_ROLE.sub("", named).strip(" .,")
        # Without a colon the line must be nothing but a name ("Lead inspector Jane Smith HMI").
        if re.fullmatch(NAME, name) and len(name.split()) <= 5:
            return name
    return ""


# Judgements -------------------------------------------------------------------------------------------------------

GRADE = r"outstanding|good|requires?\s+improvement(?:\s+to\s+be\s+good)?|inadequate"
NOT_JUDGED = "not judged"
# In a table, "to be good" (or "be good", after "Requires improvement to") may be parted from its "Requires
# improvement" by the wording beside it. An area the inspection did not judge reads "Not judged".
TABLE_GRADE = rf"to\s+be\s+good|be\s+good|not\s+judged|{GRADE}"

# Longest wording first, so "children in care and care leavers" is not read as "children in care".
AREA_WORDINGS = (
    (r"children\s+in\s+care\s+and\s+care\s+leavers", Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS),
    (r"children\s+in\s+care", Area.CHILDREN_IN_CARE),
    (r"(?:children\s+)?care\s+leavers", Area.CARE_LEAVERS),
    (r"impact\s+of\s+leaders", Area.LEADERSHIP),
    (r"children\s+who\s+need\s+help\s+and\s+protection", Area.HELP_AND_PROTECTION),
    (r"overall\s+effectiveness", Area.OVERALL_EFFECTIVENESS),
    (r"children\s+looked\s+after\s+and\s+achieving\s+permanence", Area.LOOKED_AFTER_AND_PERMANENCE),
    (r"adoption\s+performance", Area.ADOPTION),
    (r"leadership,?\s+management\s+and\s+governance", Area.LEADERSHIP),
)
# An area's row starts at its preamble: a PDF may print the grade beside the first line of a wrapped wording.
PREAMBLE = r"(?:(?:the\s+)?experiences\s+and\s+progress\s+of\s+|the\s+)?"
AREA_PATTERN = re.compile(
    "|".join(f"(?P<a{index}>{PREAMBLE}{wording})" for index, (wording, _) in enumerate(AREA_WORDINGS))
)

# Every word of the judgement table, so the table ends at the first line with any other word.
TABLE_WORDS = frozenset(
    """the impact of leaders on social work practice with children and families experiences progress who need
    help protection in care leavers overall effectiveness outstanding good requires require improvement to be
    inadequate judgement judgements grade grades looked after achieving permanence adoption performance leadership
    management governance not judged""".split()
)

ILACS_AREAS_BEFORE_2023 = {Area.LEADERSHIP, Area.HELP_AND_PROTECTION, Area.CHILDREN_IN_CARE_AND_CARE_LEAVERS}
ILACS_AREAS_FROM_2023 = {Area.LEADERSHIP, Area.HELP_AND_PROTECTION, Area.CHILDREN_IN_CARE, Area.CARE_LEAVERS}
SIF_TABLE_AREAS = {
    Area.HELP_AND_PROTECTION,
    Area.LOOKED_AFTER_AND_PERMANENCE,
    Area.ADOPTION,
    Area.CARE_LEAVERS,
    Area.LEADERSHIP,
}


def grade_value(words):
    words = re.sub(r"\s+", " ", words.lower())
    if words.startswith("requir"):
        return Grade.REQUIRES_IMPROVEMENT
    if words == NOT_JUDGED:
        return NOT_JUDGED
    return Grade(words)


def read_judgements(framework, kind, lines):
    """(judgements as (area, grade) pairs, areas the report marks "Not judged")."""
    if kind == EventType.LSCB_REVIEW:
        if lscb := lscb_grade(lines):
            return [(Area.LSCB, lscb)], []
        raise ReportError("The review's judgement on the Local Safeguarding Children Board cannot be read.")
    if kind == EventType.LOOKED_AFTER_INSPECTION:
        return looked_after_judgements(lines), []
    table = judgement_table(lines)
    if framework == Framework.ILACS:
        found = set(dict(table))
        if found - {Area.OVERALL_EFFECTIVENESS} not in (ILACS_AREAS_BEFORE_2023, ILACS_AREAS_FROM_2023):
            raise unreadable_judgements(table)
        return graded(table), not_judged(table)
    if {area for area, _ in table} != SIF_TABLE_AREAS:
        raise unreadable_judgements(table)
    judgements = [(Area.OVERALL_EFFECTIVENESS, sif_overall_grade(lines)), *graded(table)]
    lscb = lscb_grade(lines)
    if lscb:
        judgements.append((Area.LSCB, lscb))
    elif LSCB_REVIEW.search(" ".join(lines[:40])):
        raise ReportError("The report includes a review of the LSCB, but its judgement cannot be read.")
    return judgements, not_judged(table)


# The 2013 reports' "Record of main findings": "Overall effectiveness Adequate", "Capacity to improve Good"
# (Medway adds "Grade 4"), on the 2009-12 scale.
RECORD_OF_MAIN_FINDINGS = re.compile(r"Record of main findings", re.I)
GRADE_2009 = r"(outstanding|good|adequate|inadequate)\b"
LOOKED_AFTER_ROWS = (
    (re.compile(rf"Overall effectiveness\s+{GRADE_2009}", re.I), Area.LOOKED_AFTER_OVERALL),
    (re.compile(rf"Capacity (?:to|for) improve(?:ment)?\s+{GRADE_2009}", re.I), Area.LOOKED_AFTER_CAPACITY),
)


def looked_after_judgements(lines):
    """Overall effectiveness and capacity to improve of looked after children's services, from the record of main
    findings at the end of a 2013 report."""
    start = next((i for i in range(len(lines) - 1, -1, -1) if RECORD_OF_MAIN_FINDINGS.fullmatch(lines[i])), None)
    if start is None:
        raise ReportError("The report's record of main findings cannot be found.")
    record = " ".join(lines[start : start + 20])
    judgements = []
    for pattern, area in LOOKED_AFTER_ROWS:
        if match := pattern.search(record):
            judgements.append((area, Grade(match[1].lower())))
    if not judgements or judgements[0][0] != Area.LOOKED_AFTER_OVERALL:
        raise ReportError("The overall effectiveness in the report's record of main findings cannot be read.")
    return judgements


def graded(table):
    return [(area, grade) for area, grade in table if grade != NOT_JUDGED]


def not_judged(table):
    return [area for area, grade in table if grade == NOT_JUDGED]


def unreadable_judgements(table):
    read = ", ".join(f"{Area(area).label}: {grade_label(grade)}" for area, grade in table) or "none"
    return ReportError(f"The report's judgement table cannot be read (read {read}).")


def is_table_line(line):
    words = re.findall(r"[a-z]+", re.sub(r"\d+(?:\.\d+)*\.?", " ", line.lower()))
    return bool(words) and all(word in TABLE_WORDS for word in words)


def judgement_table(lines):
    """(area, grade) pairs from the first run of table lines holding three or more judgements."""
    return judgement_table_and_end(lines)[0]


def judgement_table_and_end(lines):
    """The judgement table's (area, grade) pairs and the index of the line after it; ([], None) without one.

    The run starts after the inspection dates, so the title ("...help and protection, children looked after and
    care leavers") is not read as the table.
    """
    start = next((i + 1 for i, line in enumerate(lines[:80]) if re.match(r"Inspection dates?\b", line, re.I)), 0)
    run = []
    for index, line in enumerate(lines[start : start + 120] + [""], start=start):
        if line and is_table_line(line):
            run.append(line)
            continue
        pairs = pair_areas_with_grades(" ".join(run))
        if len(pairs) >= 3:
            return pairs, index
        run = []
    return [], None


def pair_areas_with_grades(text):
    """Each grade belongs to the last area named before it, wherever the PDF breaks the table's lines."""
    text = text.lower()
    grades = []
    for match in re.finditer(TABLE_GRADE, text):
        # Blank each grade out so an area's wording split by it ("help and Good protection") still reads.
        text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
        if not match[0].startswith(("to", "be")):
            grades.append((match.start(), grade_value(match[0])))
    areas = [(match.start(), area_of(match)) for match in AREA_PATTERN.finditer(text)]
    if areas and grades and len(grades) == len(areas) and grades[0][0] > areas[-1][0]:
        # The PDF gave the table column by column: all the wordings, then all the grades.
        return [(area, grade) for (_, area), (_, grade) in zip(areas, grades)]
    pairs = {}
    for position, grade in grades:
        named_before = [area for start, area in areas if start < position]
        if not named_before:
            continue
        area = named_before[-1]
        if area in pairs:
            return []  # two grades for one area: not a table this reader understands
        pairs[area] = grade
    if len(pairs) != len({area for _, area in areas}):
        return []
    return list(pairs.items())


def area_of(match):
    index = int(match.lastgroup[1:])
    return AREA_WORDINGS[index][1]


# "Children's services in Bury are good", "... in Luton require(s) improvement (to be good)", "The overall
# judgement is (that children's services are) inadequate".
SIF_OVERALL = re.compile(
    r"(?:Children[’'`]?s services in .{2,80}? (?:are |is )?"
    r"|The overall judgement is (?:that )?(?:(?:the )?children[’'`]?s services? (?:are |is )?)?)"
    rf"({GRADE})",
    re.I,
)


def sif_overall_grade(lines):
    match = SIF_OVERALL.search(" ".join(lines[:60]))
    if not match:
        raise ReportError("The report's overall judgement (\"Children's services in ... are ...\") cannot be read.")
    return grade_value(match[1])


# The board's own judgement, at the start of a line however it is worded: "The Local Safeguarding Children Board
# is good", "The effectiveness of the LSCB is inadequate", "The Anytown Safeguarding Children Board (LSCB)
# requires improvement", "The Local Safeguarding Children is inadequate" (sic).
LSCB_JUDGEMENT = re.compile(
    r"^(?:\d+\.\s+)?(?:The\s+)?(?:effectiveness\s+of\s+(?:the\s+)?)?"
    r"(?:(?:[A-Z][\w’'-]*\s+){0,4}?(?:Local\s+)?Safeguarding\s+Children(?:[’']s)?(?:\s+Board)?(?:\s*\(LSCB\))?"
    r"|LSCB)"
    rf"\s+(?:is\s+|are\s+)?(?:judged\s+to\s+be\s+)?((?i:{GRADE}))\b",
    re.M,
)


def lscb_grade(lines):
    """The LSCB's grade: the first statement of it, reading lines joined so a statement may wrap."""
    match = LSCB_JUDGEMENT.search("\n".join(lines))
    return grade_value(match[1]) if match else None


# What needs to improve, recommendations, areas for priority action ------------------------------------------------

BULLET = re.compile(r"^[\u2022\u2023\u2043\u25a0-\u25ff\ue000-\uf8ff]\s*")
SUB_BULLET = re.compile(r"^(?:[−–—‑-]|o)\s+")
NUMBER = re.compile(r"^\d{1,3}\.\s+")
MARKERS = (NUMBER, BULLET, SUB_BULLET)
# Case matters: a wrapped line may begin "the impact of leaders", a heading begins "The impact of leaders".
SECTION_ENDS = re.compile(
    r"^(?:The experiences and progress|The impact of leaders|Overall effectiveness|Information about"
    r"|Summary for children|Inspection findings|Executive summary|Summary of findings"
    r"|Progress since the last inspection|Inspection judgements? about|What the inspection judgements mean"
    r"|The inspection team|Review of the effectiveness)"
    rf"|:\s*(?i:{GRADE})\s*$",
)
# In a numbered list a heading like these starts the report's next section, not a group of its points
# ("Key strengths and weaknesses of the LSCB" after the board's areas for improvement, 2014).
NEXT_SECTION = re.compile(
    r"\b(?:strengths|weaknesses|key findings|summary|judgements?|progress since|information about|executive)\b", re.I
)
# The headings Ofsted has put findings under, in any case, with a trailing "?", colon or footnote marker: ILACS
# "What needs to improve"; SIF "What does the local authority (the LSCB) need to improve?", "Recommendations",
# "Areas for improvement"; "Priority and immediate action" / "Areas for priority action"; and SIF's strengths, "The
# local authority has the following strengths" / "The local authority's strengths" / "The LSCB's strengths".
# "Key strengths and weaknesses of the LSCB" heads a discussion of both, not a list of strengths: it is no heading.
FINDINGS_HEADINGS = (
    (
        r"what needs to improve(?: in this local authority)?|what does the (?P<who>[\w ]{2,40}?) need to improve"
        r"|recommendations|areas for improvement",
        WHAT_NEEDS_TO_IMPROVE,
    ),
    (r"priority and immediate action|areas? for priority action|immediate action|priority actions?", AREA_FOR_PRIORITY_ACTION),
    (r"the (?P<who>[\w ]{2,40}?)(?:[’'`]s strengths| has the following strengths)", STRENGTH),
)
# What a report prints under a heading when it has nothing to list there: "The inspection did not find any areas
# for priority and immediate action.", "There are no areas of priority action.", "No areas were identified for
# immediate improvement." It says the list is empty; it is no finding.
NONE_STATEMENT = re.compile(
    r"(?:The inspection did not (?:find|identify)|There (?:are|were) no|No)\b[^.]{0,60}?"
    r"\b(?:areas?|recommendations?|actions?|priorit\w*)\b[^.]{0,60}\.?",
    re.I,
)
LSCB_MARKER = re.compile(
    r"^(?:Section \d+:\s*)?(?:The\s+)?(?:effectiveness\s+of\s+(?:the\s+)?)?(?:[A-Z][\w’'-]*\s+){0,3}?"
    r"(?:Local\s+Safeguarding\s+Children|Safeguarding\s+Children(?:[’']s)?\s+Board|LSCB\b)"
    r"|^Review of the effectiveness of the Local Safeguarding"
)


def findings_heading(line):
    """(kind, names the LSCB) when the line is a heading findings are listed under, else None."""
    # A heading starts with a capital; "... the panel's recommendations." ends a sentence of prose.
    if len(line) > 80 or not line[:1].isupper():
        return None
    for pattern, kind in FINDINGS_HEADINGS:
        if match := re.fullmatch(rf"(?:{pattern})\s*[?:]?\s*\d?", line, re.I):
            who = (match.groupdict().get("who") or "").lower()
            return kind, bool(re.search(r"lscb|board|safeguarding", who))
    return None


def improvement_points(framework, event_type, lines):
    """Every point under the report's findings headings, each with its kind, area and page.

    A SIF report lists the council's recommendations, then, in its review of the Local Safeguarding Children
    Board, the board's: those are tied to the LSCB, by their heading ("What does the LSCB need to improve?") or
    by following the start of the review. A review of the board on its own lists only the board's.
    """
    contents = contents_headings(lines)
    points, previous_end, listed = [], None, set()
    index = 0
    while index < len(lines):
        heading = findings_heading(lines[index])
        if heading is None or (contents and contents[0] <= index <= contents[1]):
            index += 1
            continue
        kind, names_lscb = heading
        # Only a later list can be the board's: the first is the council's unless its heading names the board.
        lscb = event_type == EventType.LSCB_REVIEW or framework == Framework.SIF and (
            names_lscb
            or (previous_end is not None and any(LSCB_MARKER.match(lines[i]) for i in range(previous_end, index)))
        )
        area = Area.LSCB if lscb else ""
        block, end = points_under(lines, index, kind, area, contents)
        # A report lists the council's points once and the board's once (and the strengths of each once); a
        # heading further on (a stray "Recommendations" left in a later page's text) would read the findings'
        # prose as points.
        if block and (area, kind == STRENGTH) not in listed:
            points += block
            listed.add((area, kind == STRENGTH))
        previous_end = index = max(end, index + 1)
    return points


# A 2013 report's areas for improvement: a numbered paragraph introduces them, then each timescale heads a
# bulleted list ("Immediately:", "Within three months:"); the last list ends at the next section's heading.
TIMESCALE = re.compile(r"(?:Immediately|Within (?:[\w-]+ )+(?:months?|weeks?|days?))\s*:?", re.I)
GRADE_LINE = re.compile(r"Grade \d\b")


def looked_after_points(lines):
    """The bulleted points under a 2013 report's "Areas for improvement", each with its page."""
    contents = contents_headings(lines)
    after_contents = contents[1] + 1 if contents else 0
    heading = next(
        (i for i in range(after_contents, len(lines)) if re.fullmatch(r"Areas for improvement", lines[i], re.I)), None
    )
    if heading is None:
        return []
    section_keys = [heading_key(text) for text in contents[2]] if contents else []
    items, in_list = [], False
    for index in range(heading + 1, min(len(lines), heading + 200)):
        line = lines[index]
        if TIMESCALE.fullmatch(line):
            in_list = True
        elif match := BULLET.match(line):
            if in_list:
                items.append(([[line[match.end() :]]], lines.page_of(index)))
        elif in_list and items and (NUMBER.match(line) or GRADE_LINE.match(line) or starts_section(line, section_keys)):
            break
        elif in_list and items:
            items[-1][0][-1].append(line)
    return [ImprovementPoint(point_text(parts), "", WHAT_NEEDS_TO_IMPROVE, page) for parts, page in items]


def starts_section(line, section_keys):
    """Whether a line is a contents heading, or its first line where it wraps ("Outcomes for looked after
    children and young" of "... and young people")."""
    key = heading_key(line)
    return (
        line[:1].isupper()
        and len(key.split()) >= 2
        and any(section == key or section.startswith(key + " ") for section in section_keys)
    )


def contents_headings(lines):
    """(first, last line index, headings) of a SIF report's table of contents, whose headings end sections."""
    start = next((i for i, line in enumerate(lines[:200]) if re.fullmatch(r"Contents", line, re.I)), None)
    if start is None:
        return None
    end = start + 1
    while end < len(lines) and lines.page_of(end) == lines.page_of(start):
        end += 1
    return start, end - 1, {heading for heading, _ in contents_entries(lines[start + 1 : end])}


def heading_key(text):
    return re.sub(r"[^a-z]+", " ", text.lower()).strip()


def ends_section(line, contents):
    if SECTION_ENDS.search(line):
        return True
    # A heading starts with a capital: a wrapped line "recommendations." ends a sentence (Milton Keynes 2016).
    return bool(
        contents
        and len(line) < 100
        and line[:1].isupper()
        and heading_key(line) in contents[2]
        and not findings_heading(line)
    )


def points_under(lines, heading, kind, area, contents):
    """The points under one heading, and the index of the line after them.

    The first kind of marker used is the points'; the next kind down marks sub-points: numbered points have
    bulleted sub-points (SIF), bulleted points have dashed ones (ILACS). In a numbered list a line between points
    that is no sentence is a sub-heading: "Areas for improvement" or "Priority and immediate action" changes the
    points' kind, an area's name ties the points below it to that area. A heading of strengths ends a list of
    things to improve, and the other way round: each is a block of its own. A statement that there is nothing to
    list ("The inspection did not find any areas for priority and immediate action.") is no point.
    """
    limit = min(len(lines), heading + 160)
    top = None
    for index in range(heading + 1, limit):
        if findings_heading(lines[index]):
            continue
        if ends_section(lines[index], contents):
            break
        if top := next((marker for marker in MARKERS if marker.match(lines[index])), None):
            break
    sub = MARKERS[MARKERS.index(top) + 1] if top in (NUMBER, BULLET) else None
    items, current_kind, current_area = [], kind, area
    index = heading + 1
    while index < limit:
        line = lines[index]
        if ends_section(line, contents):
            break
        if found := findings_heading(line):
            if (found[0] == STRENGTH) != (kind == STRENGTH):
                break  # strengths after things to improve, or the other way round: a list with its own markers
            if found[0] == current_kind and index > heading + 1 and items and top is not NUMBER:
                break  # the next list of the kind being read: a block of its own
            current_kind = found[0]
            index += 1
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if top is not None and (match := top.match(line)):
            items.append(([[line[match.end() :]]], current_kind, current_area, [lines.page_of(index)]))
        elif sub and (match := sub.match(line)) and items:
            items[-1][0].append([line[match.end() :]])
            items[-1][3].append(lines.page_of(index))
        elif items and looks_like_heading(items[-1][0][-1][-1], line, following):
            # A sub-heading goes on to more points: in a numbered list, or straight to the next bullet (Hull's
            # LSCB, 2015: "Practice and policy"). Else it starts what follows the list.
            if NEXT_SECTION.search(line) or not (top is NUMBER or top.match(following)):
                break
            current_area = sub_heading_area(line, area)
        elif items:
            items[-1][0][-1].append(line)
        elif top is None:
            items.append(([[line]], current_kind, current_area, [lines.page_of(index)]))
        index += 1
    if top is None and items:  # no markers: the one item holds every line, a point to each sentence-ending line
        (own,), point_kind, point_area, _ = items[0]
        items = regroup_pages([(parts, point_kind, point_area) for parts in paragraphs(own)], lines, heading)
    points = []
    for parts, point_kind, point_area, pages in points_of_themes(items):
        text = point_text(parts)
        if text and not NONE_STATEMENT.fullmatch(text):
            points.append(ImprovementPoint(text, point_area, point_kind, pages[0]))
    return points, index


def regroup_pages(items, lines, heading):
    """Paragraph points (no markers) each get the page their first line is on."""
    placed, search_from = [], heading + 1
    for parts, kind, area in items:
        first = parts[0][0]
        found = next((i for i in range(search_from, len(lines)) if lines[i] == first), search_from)
        placed.append((parts, kind, area, [lines.page_of(found)]))
        search_from = found + 1
    return placed


def points_of_themes(items):
    """A numbered line that only names a theme ("1. Quality and effectiveness of practice", Slough 2016), with
    bulleted sentences under it, heads those sentences: each is a point of its own, on its own page. A numbered
    point that introduces its sub-points ("Improve ... by ensuring that:") keeps them."""
    for parts, kind, area, pages in items:
        own, *subs = parts
        names_a_theme = len(own) == 1 and len(own[0]) < 100 and not re.search(r"[.,;:]$", own[0])
        if subs and names_a_theme and all(SENTENCE_END.search(sub[-1]) for sub in subs):
            yield from (([sub], kind, area, [page]) for sub, page in zip(subs, pages[1:]))
        else:
            yield parts, kind, area, pages


def sub_heading_area(line, block_area):
    """The area a sub-heading names ("Leadership, management and governance"), else the block's own."""
    if block_area:
        return block_area
    match = AREA_PATTERN.fullmatch(re.sub(r"\s+", " ", line.strip(" :")).lower())
    return area_of(match) if match else ""


def looks_like_heading(previous, line, following):
    """A line after a finished sentence that is no sentence itself: short, or followed at once by the next point
    ("Enable looked after children and young people to live in permanent homes", Rotherham 2014)."""
    if any(marker.match(line) for marker in MARKERS):
        return False
    ends_sentence = re.search(r"[.)]$", previous)
    if not (ends_sentence and line[:1].isupper() and not re.search(r"[.,;:)]$", line)):
        return False
    return len(line) < 60 or any(marker.match(following) for marker in MARKERS)


def paragraphs(section):
    items, current = [], []
    for line in section:
        current.append(line)
        if line.endswith("."):
            items.append([current])
            current = []
    if current:
        items.append([current])
    return items


def point_text(item):
    """A point's words as printed; sub-points follow it, parted by "; " where the report prints neither
    punctuation nor "and"/"or" between them (it lists them on lines of their own)."""
    own, *subs = item
    text = join_lines(own)
    for sub in subs:
        separator = " " if re.search(r"(?:[.,;:]|\b(?:and|or))$", text) else "; "
        text = f"{text}{separator}{join_lines(sub)}"
    return re.sub(r"\s+", " ", text).strip()


# The report's summary ---------------------------------------------------------------------------------------------

SUMMARY_LINES = 60  # a summary paragraph runs to a dozen lines; the block searched for its end is bounded
# A line ends a paragraph when it ends a sentence and is clearly shorter than the block's longest lines (the next
# paragraph's first word would have fitted on it). The text carries no paragraph marks, so this is the evidence.
PARAGRAPH_END_SHARE = 0.85
SENTENCE_END = re.compile(r"[.!?][’”'\")]*$")


def summary_paragraph(framework, lines):
    """The report's own summary: an ILACS report's first paragraph after the judgement table (before "What needs
    to improve"), a SIF report's first paragraph under "Executive summary". "" where it cannot be told."""
    if framework == Framework.ILACS:
        start = judgement_table_and_end(lines)[1]
    else:
        headings = (i for i, line in enumerate(lines[:200]) if re.fullmatch(r"Executive summary", line, re.I))
        start = next((i + 1 for i in headings), None)
    if start is None:
        return ""
    block = []
    for line in lines[start : start + SUMMARY_LINES]:
        if findings_heading(line) or SECTION_ENDS.search(line):
            break
        block.append(line)
    if not block:
        return ""
    longest = max(len(line) for line in block)
    for index, line in enumerate(block):
        last_before_heading = index == len(block) - 1 and len(block) < SUMMARY_LINES
        if SENTENCE_END.search(line) and (len(line) <= PARAGRAPH_END_SHARE * longest or last_before_heading):
            return join_lines(block[: index + 1])
    return ""
