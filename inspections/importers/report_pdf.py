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

from inspections.frameworks import Area, EventType, Framework, Grade

MAX_PAGES = 200  # the most pages a report may have, unless settings.REPORT_UPLOAD_MAX_PAGES says otherwise


def max_pages():
    from django.conf import settings  # noqa: PLC0415

    return getattr(settings, "REPORT_UPLOAD_MAX_PAGES", MAX_PAGES) if settings.configured else MAX_PAGES


class ReportError(Exception):
    """Why a file cannot be read as an Ofsted report, in one line."""


@dataclass(frozen=True)
class ImprovementPoint:
    """One point under "What needs to improve" (ILACS) or "Recommendations" (SIF)."""

    text: str
    area: str = ""  # an Area value where the report ties the point to one (the LSCB's recommendations)


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
    what_needs_to_improve: tuple  # of ImprovementPoint, in the report's order

    def grade_for(self, area):
        return dict(self.judgements).get(area)


def parse_report(source):
    """Read a report from a path, bytes or a file-like object."""
    pages = read_pages(source)
    head = " ".join(line for page in pages[:2] for line in page)
    framework, title = identify(head)
    lines = [line for page in pages for line in page]
    start_date, end_date = inspection_dates(lines)
    judgements = read_judgements(framework, lines)
    return ParsedReport(
        council_name=council_name(head, title),
        framework=framework,
        event_type=event_type(framework, start_date, end_date, head),
        start_date=start_date,
        end_date=end_date,
        published_date=published_date(head),
        lead_inspector=lead_inspector(lines),
        judgements=tuple(judgements),
        what_needs_to_improve=tuple(improvement_points(framework, lines)),
    )


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
    return [strip_footnotes(strip_furniture(page, running if number else set())) for number, page in enumerate(pages)]


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
            return [page.extract_text() or "" for page in reader.pages]
        except ReportError:
            raise
        except Exception as error:  # pypdf raises many kinds for damaged files; none may escape
            raise ReportError(f"The PDF is damaged and cannot be read ({first_line(error)}).") from None


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

ILACS_TITLE = re.compile(
    r"Inspection of (?:(?:the )?(?P<name>[^.:]{2,80}?) (?:local authority )?children[’'`]?s services"
    r"|children[’'`]?s social care services)",
    re.I,
)
SIF_TITLE = re.compile(r"Inspection of services for children in need of help and protection", re.I)
LSCB_REVIEW = re.compile(r"Review of the effectiveness of the Local Safeguarding Children Board", re.I)

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
    """The framework of a report on a council's children's services, from its title at the top of page 1."""
    title = head[:400]
    if match := SIF_TITLE.search(title):
        return Framework.SIF, match
    if match := ILACS_TITLE.search(title):
        return Framework.ILACS, match
    for pattern, message in OTHER_DOCUMENTS:
        if re.search(pattern, head[:1500], re.I):
            raise ReportError(message)
    raise ReportError("This PDF is not an Ofsted inspection report on a council's children's services.")


def council_name(head, title):
    """The name in the title ("Inspection of Bury local authority ..."), else the line above the title."""
    if name := title.groupdict().get("name"):
        return clean_council_name(name)
    before_title = head[: title.start()]
    if not before_title.strip():
        raise ReportError("The council's name cannot be read from the report's title page.")
    return clean_council_name(before_title)


def clean_council_name(name):
    name = re.sub(r"\s+", " ", name).strip(" ,")
    name = re.sub(r"(?<=[A-Za-z])\d$", "", name)  # a footnote marker stuck to the name
    return re.sub(r"^the ", "", name, flags=re.I)


def event_type(framework, start_date, end_date, head):
    if framework == Framework.SIF:
        return EventType.FULL_INSPECTION
    if said := re.search(r"\bthis (short|standard) inspection\b", head, re.I):
        return EventType.SHORT_INSPECTION if said[1].lower() == "short" else EventType.STANDARD_INSPECTION
    # Ofsted does not print the kind: a short inspection is one week on site, a standard one two.
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


def parse_date_range(text):
    """(first day, last day) from "10 June 2019 to 21 June 2019", "11 to 15 November 2024", "30 September – 11
    October 2019", "10 to 14 October and 24 to 28 October 2022" and the like; None without a range."""
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
    if start > end or (end - start).days > 60:
        return None
    return start, end


def make_date(day, month, year):
    try:
        return datetime.date(int(year), MONTHS[month.lower().rstrip(".")], int(day))
    except (ValueError, KeyError):
        raise ReportError(f"The report prints an impossible date ({day} {month} {year}).") from None


def inspection_dates(lines):
    """The on-site dates, from the "Inspection dates:" line, else from a line that is only a date range."""
    for index, line in enumerate(lines[:80]):
        if labelled := re.match(r"Inspection dates?\s*:?\s*(.*)$", line, re.I):
            printed = labelled[1]
            following = lines[index + 1] if index + 1 < len(lines) else ""
            if not re.search(r"\d{4}$", printed) and re.match(rf"(?:\d|{MONTH})", following, re.I):
                printed += " " + following  # the dates wrapped onto the next line
            printed = re.split(r"lead inspector|published", printed, flags=re.I)[0]
            if dates := parse_date_range(printed):
                return dates
    for line in lines[:80]:
        if DATE_RANGE.fullmatch(line) and (dates := parse_date_range(line)):
            return dates
    raise ReportError("The inspection dates cannot be read from the report.")


def published_date(head):
    match = re.search(rf"published\s*:?\s*({ONE_DATE.pattern})", head, re.I)
    return make_date(re.match(r"\d+", match["d"])[0], match["m"], match["y"]) if match else None


# Lead inspector ---------------------------------------------------------------------------------------------

INSPECTOR_ROLE = re.compile(
    r"\s*(?:,|\(|\b(?:Her|His) Majesty|\b(?:Senior |Deputy )?HMI\b|\bSHMI\b|\bSCRI\b|\bRI\b|\bAI\b|\bOI\b"
    r"|\bOfsted Inspector\b|\bSocial Care Regulatory Inspector\b).*$"
)


def lead_inspector(lines):
    """The lead inspector's name, without the title that follows it."""
    for index, line in enumerate(lines):
        match = re.match(r"Lead inspectors?\s*:?\s*(.*)$", line, re.I)
        if match:
            named = match[1] or (lines[index + 1] if index + 1 < len(lines) else "")
            return INSPECTOR_ROLE.sub("", named).strip(" .,")
    return ""


# Judgements -------------------------------------------------------------------------------------------------------

GRADE = r"outstanding|good|requires?\s+improvement(?:\s+to\s+be\s+good)?|inadequate"
# In a table, "to be good" may be parted from its "Requires improvement" by the wording beside it.
TABLE_GRADE = rf"to\s+be\s+good|{GRADE}"

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
    management governance""".split()
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
    words = words.lower()
    if words.startswith("requir"):
        return Grade.REQUIRES_IMPROVEMENT
    return Grade(words)


def read_judgements(framework, lines):
    table = judgement_table(lines)
    if framework == Framework.ILACS:
        found = set(dict(table))
        if found - {Area.OVERALL_EFFECTIVENESS} not in (ILACS_AREAS_BEFORE_2023, ILACS_AREAS_FROM_2023):
            raise unreadable_judgements(table)
        return table
    if {area for area, _ in table} != SIF_TABLE_AREAS:
        raise unreadable_judgements(table)
    judgements = [(Area.OVERALL_EFFECTIVENESS, sif_overall_grade(lines)), *table]
    lscb = lscb_grade(lines)
    if lscb:
        judgements.append((Area.LSCB, lscb))
    elif LSCB_REVIEW.search(" ".join(lines[:40])):
        raise ReportError("The report includes a review of the LSCB, but its judgement cannot be read.")
    return judgements


def unreadable_judgements(table):
    read = ", ".join(f"{Area(area).label}: {Grade(grade).label}" for area, grade in table) or "none"
    return ReportError(f"The report's judgement table cannot be read (read {read}).")


def is_table_line(line):
    words = re.findall(r"[a-z]+", re.sub(r"\d+(?:\.\d+)*\.?", " ", line.lower()))
    return bool(words) and all(word in TABLE_WORDS for word in words)


def judgement_table(lines):
    """(area, grade) pairs from the first run of table lines holding three or more judgements.

    The run starts after the inspection dates, so the title ("...help and protection, children looked after and
    care leavers") is not read as the table.
    """
    start = next((i + 1 for i, line in enumerate(lines[:80]) if re.match(r"Inspection dates?\b", line, re.I)), 0)
    run = []
    for line in lines[start : start + 120] + [""]:
        if line and is_table_line(line):
            run.append(line)
            continue
        pairs = pair_areas_with_grades(" ".join(run))
        if len(pairs) >= 3:
            return pairs
        run = []
    return []


def pair_areas_with_grades(text):
    """Each grade belongs to the last area named before it, wherever the PDF breaks the table's lines."""
    text = text.lower()
    grades = []
    for match in re.finditer(TABLE_GRADE, text):
        # Blank each grade out so an area's wording split by it ("help and Good protection") still reads.
        text = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
        if not match[0].startswith("to"):
            grades.append((match.start(), grade_value(re.sub(r"\s+", " ", match[0]))))
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


def sif_overall_grade(lines):
    text = " ".join(lines[:60])
    match = re.search(rf"Children[’'`]?s services in .{{2,80}}? (?:are|is|requires?) ({GRADE})", text, re.I)
    if not match:
        raise ReportError("The report's overall judgement (\"Children's services in ... are ...\") cannot be read.")
    return grade_value(re.sub(r"\s+", " ", match[1]))


LSCB_JUDGEMENT = re.compile(
    rf"^(?:The )?(?:Local Safeguarding Children Board|LSCB) (?:\(LSCB\) )?(?:is |are )?(?:judged to be )?"
    rf"({GRADE})\s*\.?\s*$",
    re.I | re.M,
)


def lscb_grade(lines):
    match = LSCB_JUDGEMENT.search("\n".join(lines))
    return grade_value(re.sub(r"\s+", " ", match[1])) if match else None


# What needs to improve / recommendations -----------------------------------------------------------------------

BULLET = re.compile(r"^[\u2022\u2023\u2043\u25a0-\u25ff\ue000-\uf8ff]\s*")
SUB_BULLET = re.compile(r"^(?:[−–—‑-]|o)\s+")
NUMBER = re.compile(r"^\d{1,3}\.\s+")
MARKERS = (NUMBER, BULLET, SUB_BULLET)
# Case matters: a wrapped line may begin "the impact of leaders", a heading begins "The impact of leaders".
SECTION_ENDS = re.compile(
    r"^(?:The experiences and progress|The impact of leaders|Overall effectiveness|Information about"
    r"|Summary for children|Inspection findings|Executive summary)"
    rf"|:\s*(?i:{GRADE})\s*$",
)


def improvement_points(framework, lines):
    if framework == Framework.ILACS:
        heading = first_index(lines, lambda line: re.match(r"What needs to improve\b", line) and len(line) < 80)
        return points_under(lines, heading)
    heading = first_index(lines, lambda line: re.fullmatch(r"Recommendations:?", line))
    points = points_under(lines, heading)
    lscb_start = first_index(lines, lambda line: LSCB_JUDGEMENT.match(line))
    if lscb_start is not None:
        lscb_heading = first_index(lines, lambda line: re.fullmatch(r"Recommendations:?", line), after=lscb_start)
        if lscb_heading is not None and lscb_heading != heading:
            points += [ImprovementPoint(point.text, Area.LSCB) for point in points_under(lines, lscb_heading)]
    return points


def first_index(lines, test, after=0):
    return next((index for index in range(after, len(lines)) if test(lines[index])), None)


def points_under(lines, heading):
    if heading is None:
        return []
    section = section_lines(lines[heading + 1 : heading + 120])
    # The first kind of marker used is the points'; the next kind down marks sub-points: numbered points have
    # bulleted sub-points (SIF), bulleted points have dashed ones (ILACS).
    top = next((marker for line in section for marker in MARKERS if marker.match(line)), None)
    if top is None:
        items = paragraphs(section)
    else:
        below = MARKERS[MARKERS.index(top) + 1 :]
        items = marked_items(section, top, below[0] if below else None)
    texts = (point_text(item) for item in items)
    return [ImprovementPoint(text) for text in texts if text]


def marked_items(section, top, sub):
    """Each item as a list of parts: its own lines, then one list of lines per sub-point."""
    items = []
    for line in section:
        if match := top.match(line):
            items.append([[line[match.end() :]]])
        elif sub and (match := sub.match(line)) and items:
            items[-1].append([line[match.end() :]])
        elif items:
            items[-1][-1].append(line)
    return items


def section_lines(lines):
    """The lines of a list section, up to the heading that follows it."""
    section = []
    for line in lines:
        if SECTION_ENDS.search(line) or (section and looks_like_heading(section[-1], line)):
            break
        section.append(line)
    return section


def looks_like_heading(previous, line):
    if BULLET.match(line) or NUMBER.match(line) or SUB_BULLET.match(line):
        return False
    ends_sentence = re.search(r"[.)]$", previous)
    return bool(ends_sentence and len(line) < 60 and line[:1].isupper() and not re.search(r"[.,;:)]$", line))


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
    own, *subs = item
    text = join_lines(own)
    if subs:
        listed = [re.sub(r"[;,]?\s*(?:\b(?:and|or))?$", "", join_lines(sub)).strip() for sub in subs]
        text = f"{text} {'; '.join(part for part in listed if part)}"
        if not text.endswith("."):
            text += "."
    return re.sub(r"\s+", " ", text).strip()
