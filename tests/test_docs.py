"""README and docs/ stay true to the code, cheaply: nothing here runs a command or starts a server.

- every `manage.py <command> [options]` shown (in a shell block or inline) is a real command whose parser
  accepts those options (placeholders such as FILE or NAME=VALUE stand for a value);
- every repository path named in backticks exists, and every link to another page (and its #anchor) too;
- every setting or constant named in backticks (`PAGE_CACHE_MAX_BYTES`) is in the project's Python code;
- every environment variable in docs/deploying.md's tables is read by the settings (or, for gunicorn's
  table, by gunicorn.conf.py), and every variable the settings read is in the table;
- README stays under 200 lines and starts with its quick start: one shell block of exactly two commands.
"""

import ast
import inspect
import re
import shlex
from pathlib import Path

import dj_database_url
import pytest
from django.core.management import get_commands, load_command_class
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]

# Paths in backticks that are not in this repository, on purpose: files inside the upstream repositories the
# data come from, and folders that commands create.
NOT_IN_REPOSITORY = {
    "export_data/inspection_reports/",  # JT-39/ofsted-ilacs-scrape-tool
    "import_data/geospatial/local_authority_districts_boundaries.json",  # the same
    "data-raw/LTLA-UTLA_Apr23_Lookup_England-Wales.csv",  # dfe-analytical-services/CSC_outcomes_and_enablers
    "test-output/screenshots/",  # written by `pytest --screenshots`
    "staticfiles/",  # written by collectstatic
}
# A bare file name in backticks is a path when it is code or configuration (`grades.py`); `councils.csv` is the
# name of a download, not of a file here.
CODE_SUFFIXES = (".py", ".toml", ".md", ".conf")

FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
SPAN = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
SHELL_SEPARATORS = re.compile(r"&&|\|\||;|\|")


def text(page):
    return page.read_text(encoding="utf-8")


def prose(page):
    """The page without its fenced blocks, so that a block's backticks are not read as spans."""
    return FENCE.sub("", text(page))


def shell_lines(page):
    """Each command line of the page's fenced blocks, continuation lines joined."""
    for block in FENCE.findall(text(page)):
        for line in block.replace("\\\n", " ").splitlines():
            yield line


def manage_py_invocations():
    """(page, shown text, arguments) for every `manage.py <command> ...` a page shows."""
    found = []
    for page in PAGES:
        for line in shell_lines(page):
            line = re.sub(r"\$\([^)]*\)", "X", line)  # $(date +%F) in a file name
            for segment in SHELL_SEPARATORS.split(line):
                if "manage.py " in segment:
                    found.append((page.name, segment.strip(), shell_arguments(segment)))
        for span in SPAN.findall(prose(page)):
            if "manage.py " in span:
                found.append((page.name, span, placeholder_arguments(span)))
    return found


def shell_arguments(segment):
    words = shlex.split(segment.split("manage.py ", 1)[1], comments=True)
    return [word for word in words if not word.startswith(">")]


def placeholder_arguments(span):
    """`manage.py export DATASET [--filter NAME=VALUE ...] [-o FILE]` -> export 1 --filter 1 -o 1."""
    arguments = []
    for word in span.split("manage.py ", 1)[1].split():
        word = word.strip("[]").replace("...", "")
        if not word:
            continue
        arguments.append("1" if re.fullmatch(r"[A-Z][A-Z_]*(=[A-Z_]+)?", word) else word)
    return arguments


INVOCATIONS = manage_py_invocations()


def test_the_pages_show_commands():
    assert len(INVOCATIONS) > 20
    assert {page for page, _, _ in INVOCATIONS} >= {"README.md", "data.md", "deploying.md"}


@pytest.mark.parametrize(("page", "shown", "arguments"), INVOCATIONS, ids=[f"{p}: {s}" for p, s, _ in INVOCATIONS])
def test_each_manage_py_command_shown_exists_and_takes_its_options(page, shown, arguments):
    name, options = arguments[0], arguments[1:]
    commands = get_commands()
    assert name in commands, f"{page}: `{shown}`: there is no command {name!r}"
    parser = load_command_class(commands[name], name).create_parser("manage.py", name)
    if shown == f"manage.py {name}" and not options:
        return  # the command named in a sentence (`manage.py build_archive` makes it), not a command line
    try:
        parser.parse_args(options)
    except (CommandError, SystemExit) as error:
        pytest.fail(f"{page}: `{shown}`: manage.py {name} refuses {options}: {error}")


def repository_paths():
    for page in PAGES:
        for span in SPAN.findall(prose(page)):
            if not re.fullmatch(r"[A-Za-z._][\w.\-/]*", span) or span in NOT_IN_REPOSITORY:
                continue  # not a path (`/healthz`, `120/minute`), or not one of ours
            if "/" in span or (span.endswith(CODE_SUFFIXES) and not span.startswith(".")):
                yield page.name, span


PATHS = sorted(set(repository_paths()))


def exists_in_repository(span):
    if "/" in span:
        return (ROOT / span.rstrip("/")).exists()
    # A bare file name (`grades.py`) is named beside its folder: it must be somewhere in the project.
    return any(path for path in ROOT.rglob(span) if ".venv" not in path.parts and ".git" not in path.parts)


def test_the_pages_name_paths():
    assert len(PATHS) > 50


@pytest.mark.parametrize(("page", "path"), PATHS, ids=[f"{p}: {s}" for p, s in PATHS])
def test_each_path_named_exists(page, path):
    assert exists_in_repository(path), f"{page} names `{path}`, which is not in the repository"


def anchor(heading):
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(page):
    return {anchor(line.lstrip("#")) for line in prose(page).splitlines() if line.startswith("#")}


def links():
    for page in PAGES:
        for target in LINK.findall(prose(page)):
            if "://" not in target:
                yield page, target


@pytest.mark.parametrize(("page", "target"), list(links()), ids=[f"{p.name}: {t}" for p, t in links()])
def test_each_link_between_pages_leads_somewhere(page, target):
    file, _, fragment = target.partition("#")
    destination = (page.parent / file).resolve() if file else page
    assert destination.exists(), f"{page.name} links to {target}, which does not exist"
    if fragment:
        assert fragment in anchors(destination), f"{page.name} links to {target}: no such heading"


def variables_read(path):
    """Environment variables a Python file reads: os.environ.get("X"), os.environ["X"], env_int("X", ...) and
    the like, and DATABASE_URL through dj_database_url.config()."""
    names = set()
    default_env = inspect.signature(dj_database_url.config).parameters["env"].default
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            function = ast.unparse(node.func)
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                if function in ("os.environ.get", "os.getenv", "os.environ.setdefault") or function.startswith("env_"):
                    names.add(first.value)
            if function == "dj_database_url.config" and not any(keyword.arg == "env" for keyword in node.keywords):
                names.add(default_env)
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            if isinstance(node.slice, ast.Constant):
                names.add(node.slice.value)
    return names


def table_variables(section):
    """The variables in the first column of the tables under `section` of docs/deploying.md, by the file the
    line before each table names (`inspection_tracker/settings.py` or `gunicorn.conf.py`)."""
    body = text(DOCS / "deploying.md").split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    tables, reader = {}, None
    for line in body.splitlines():
        if line.startswith("Read by `"):
            reader = line.split("`")[1]
        elif line.startswith("| `") and reader:
            first_column = line.split("|")[1]
            tables.setdefault(reader, set()).update(SPAN.findall(first_column))
    return tables


def test_every_environment_variable_in_the_deploying_page_is_read_where_it_says():
    tables = table_variables("Environment variables")
    assert set(tables) == {"inspection_tracker/settings.py", "gunicorn.conf.py"}
    for reader, documented in tables.items():
        unread = documented - variables_read(ROOT / reader)
        assert not unread, f"docs/deploying.md lists {sorted(unread)}, which {reader} does not read"


def test_every_environment_variable_the_settings_read_is_in_the_deploying_page():
    documented = table_variables("Environment variables")["inspection_tracker/settings.py"]
    missing = variables_read(ROOT / "inspection_tracker" / "settings.py") - documented
    assert not missing, f"inspection_tracker/settings.py reads {sorted(missing)}: add them to docs/deploying.md"


def test_readme_is_short_and_opens_with_its_quick_start_of_two_commands():
    lines = text(README).splitlines()
    assert len(lines) < 200, f"README.md has {len(lines)} lines: move detail into docs/"
    headings = [line for line in lines if line.startswith("## ")]
    assert headings[0] == "## Quick start"
    quick_start = text(README).split("## Quick start\n", 1)[1].split("\n## ", 1)[0]
    blocks = FENCE.findall(quick_start)
    assert len(blocks) == 1, "the quick start has one shell block"
    commands = [line for line in blocks[0].splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert len(commands) == 2, f"the quick start's block has exactly two commands, not {len(commands)}"
    assert commands[0].endswith("manage.py start") and commands[1].endswith("-m pytest")


def python_sources():
    folders = ("importing", "councils", "inspections", "dashboard", "api", "inspection_tracker", "bench", "tests")
    files = [ROOT / "gunicorn.conf.py", ROOT / "manage.py"]
    for folder in folders:
        files += (ROOT / folder).rglob("*.py")
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


SOURCES = python_sources()


def constant_names():
    for page in PAGES:
        for span in SPAN.findall(prose(page)):
            if re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)+", span):
                yield page.name, span


NAMES = sorted(set(constant_names()))


@pytest.mark.parametrize(("page", "name"), NAMES, ids=[f"{p}: {n}" for p, n in NAMES])
def test_each_setting_or_constant_named_is_in_the_code(page, name):
    """`PAGE_CACHE_MAX_BYTES`, `REPORT_UPLOAD_MAX_PAGES`, `SMOKE_RUNS`: a name the pages give is one the code has."""
    assert re.search(rf"\b{name}\b", SOURCES), f"{page} names `{name}`, which no Python file of the project holds"

