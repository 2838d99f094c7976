"""Hypothesis strategies for hostile input: what a visitor, a scanner or a broken link may send.

Query strings are built raw (percent-encoded bytes, not Django's urlencode), so they can carry what a
browser never would: invalid UTF-8, bare `%`, repeated and empty keys, unknown keys. Values mix known
attacks (SQL fragments, huge numbers, impossible dates, control characters, very long strings, odd
unicode) with whatever Hypothesis makes up.
"""

import os
import re
from urllib.parse import quote, quote_from_bytes

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Bounded, so the whole suite stays quick on either database (HOSTILE_EXAMPLES=1000 for a deeper search);
# no deadline, since a first request may warm caches. Function-scoped fixtures (the database rows) are
# shared by a test's examples on purpose: the requests only read.
HOSTILE_SETTINGS = settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ALLOWED_STATUSES = {200, 400, 404}

SQL = [
    "' OR '1'='1",
    "' OR 1=1 --",
    "'; DROP TABLE councils_council; --",
    "1; SELECT pg_sleep(10)",
    "1' AND SLEEP(5)#",
    "1 UNION SELECT username, password FROM auth_user",
    '" OR ""="',
    "') OR ('a'='a",
    "%",
    "%%",
    "_",
    "\\",
    "\\'",
    "$$ $$",
    "::text",
    "E'\\x00'",
    "/**/",
    "--",
    "' || (SELECT version()) || '",
    "name) FROM councils_council --",
    "-name, (SELECT 1)",
    "council__name",
    "pk",
    "password",
    "__class__",
]
NUMBERS = [
    "0",
    "-1",
    "-0",
    "1.5",
    "9" * 19,
    "9" * 400,
    "-" + "9" * 30,
    str(2**63),
    str(2**63 - 1),
    str(-(2**63) - 1),
    str(2**64),
    "1e308",
    "1e999",
    "-1e999",
    "NaN",
    "Infinity",
    "-inf",
    "0x7fffffff",
    "1_000",
    "١٢٣",  # Arabic-Indic digits
    "１２３",  # fullwidth digits
    "²",
    "9" * 5000,  # over Python's int-from-string limit
]
DATES = [
    "2024-02-30",
    "2023-02-29",
    "2024-13-01",
    "2024-00-10",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-0001-01-01",
    "99999999-01-01",
    "2024-01-" + "9" * 20,
    "2024-1-1",
    "2024/01/01",
    "01/02/2024",
    "31/12/2024",
    "2024-01-01T00:00:00Z",
    "2024-01-01 25:61:61",
    "2024-W01",
    "2024",
    "yesterday",
    "1970-01-01'; --",
    "２０２４-０１-０１",
]
CONTROL = ["\x00", "a\x00b", "\x01\x02", "\x1b[2J", "\r\n", "\t", "\x7f", "\x85", "\u2028", "\ufeff", "\b"]
UNICODE = [
    "Tower Hamlets",
    "tower-hamlets",
    "İstanbul",
    "STRASSE ß",
    "ﬁndings",
    "𝕋𝕠𝕨𝕖𝕣",
    "👩‍👩‍👧‍👦",
    "Z̴̢̛a̸̡l̶g̵o̷",
    "\u202eevil\u202c",
    "zero\u200bwidth",
    "ｔｏｗｅｒ",
    "Ⅻ",
    "\U0010ffff",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "${7*7}",
    "../../etc/passwd",
    "..%2F..%2F",
    "=HYPERLINK(\"http://example.com\")",
]
LONG = ["a" * 201, "a" * 10_000, "%" * 3_000, "é" * 5_000, "' OR 1=1 " * 500]

KNOWN = SQL + NUMBERS + DATES + CONTROL + UNICODE + LONG

# Raw bytes no browser sends: invalid UTF-8, overlong encodings, lone surrogates encoded, NUL.
RAW_BYTES = [b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x00", b"\xe2\x82", b"\xfe\xff"]


def text_values():
    # Each kind of attack is as likely as the others, and as Hypothesis' own inventions.
    return st.one_of(
        st.sampled_from(SQL),
        st.sampled_from(NUMBERS),
        st.sampled_from(DATES),
        st.sampled_from(CONTROL + UNICODE),
        st.sampled_from(LONG),
        st.text(max_size=40),
        st.integers().map(str),
        st.dates().map(str),
        st.builds(lambda a, b: a + b, st.sampled_from(KNOWN), st.text(max_size=10)),
    )


def encoded_values():
    """A value as it goes in a query string: percent-encoded text, or raw bytes."""
    return st.one_of(
        text_values().map(lambda value: quote(value, safe="")),
        st.sampled_from(RAW_BYTES).map(quote_from_bytes),
        st.binary(max_size=12).map(quote_from_bytes),
        st.sampled_from(["%", "%Z", "%zz", "%%%", "+", "&", "=", "a=b", "%00"]),  # malformed or confusing
    )


NUMERIC_NAMES = re.compile(r"(^|_)(year|month|day|page|p|pk|id|number|rank|limit|offset)(__exact)?$")


def values_for(name):
    """Values for one parameter, weighted to what its name says it holds: numbers, dates, or anything."""
    if NUMERIC_NAMES.search(name):
        typed = st.one_of(
            st.sampled_from(NUMBERS),
            st.integers().map(str),
            st.integers(min_value=2**62, max_value=2**80).map(lambda n: str(-n if n % 2 else n)),  # past 64 bits
        )
    elif "date" in name:
        typed = st.one_of(
            st.sampled_from(DATES), st.dates().map(str), st.from_regex(r"\d{1,6}-\d{1,3}-\d{1,3}", fullmatch=True)
        )
    else:
        return encoded_values()
    return st.one_of(typed.map(lambda value: quote(value, safe="")), encoded_values())


def query_strings(parameters):
    """Raw query strings over a page's own parameters. Half the examples attack one parameter alone (or
    twice over), so that it reaches the code behind it even when the others would have been refused; the
    rest attack any of them at once, with unknown, empty and repeated keys mixed in."""
    names = sorted(parameters)

    def join(pairs):
        return "&".join(f"{key}={value}" for key, value in pairs) if pairs else "="

    one = st.sampled_from(names).flatmap(
        lambda name: st.lists(values_for(name), min_size=1, max_size=2).map(lambda values: [(name, v) for v in values])
    )
    own = st.fixed_dictionaries({}, optional={name: values_for(name) for name in names})
    keys = st.one_of(
        st.sampled_from(names),
        st.sampled_from(["", "csrfmiddlewaretoken", "__proto__", "q[]", "sort[0]", "page", "format", "o", "e"]),
        st.text(max_size=8).map(lambda key: quote(key, safe="")),
    )
    extra = st.lists(st.tuples(keys, encoded_values()), max_size=3)
    many = st.builds(lambda own, extra: [*own.items(), *extra], own, extra)
    return st.one_of(one, many).map(join)


def path_segments():
    """A value for a path segment (a slug or an id), percent-encoded."""
    return st.one_of(
        text_values().map(lambda value: quote(value, safe="")),
        st.sampled_from(RAW_BYTES).map(quote_from_bytes),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
    )


def get(client, path, query=""):
    """GET path?query as sent (QUERY_STRING is passed as it is); a streamed response is read to its end."""
    response = client.get(path, QUERY_STRING=query)
    if response.streaming:
        for _chunk in response.streaming_content:
            pass
    return response
