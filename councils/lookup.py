"""Finding a council by any name or code that official files use for it, current or former."""

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from .models import Council, CouncilAlias

_NAME_DROP = re.compile(
    r"\b(city of|county of|london borough of|royal borough of|borough of|metropolitan borough|metropolitan district"
    r"|borough|county council|city council|council)\b"
)


def normalise_name(name):
    """A council's name reduced for comparison: "Telford & Wrekin" = "Telford and Wrekin",
    "Bristol, City of" = "Bristol", "St. Helens" = "St Helens", "Bedford Borough" = "Bedford",
    "County Durham" = "Durham", "Kent County Council" = "Kent", "Sandwell Metropolitan Borough Council" =
    "Sandwell", "Saint Helens" = "St Helens", "The Royal Borough of Greenwich" = "Greenwich"."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ").replace("-", " ")
    text = re.sub(r"[^a-z0-9 ]", " ", text)
    text = re.sub(r"\bsaint\b", "st", text)
    text = _NAME_DROP.sub(" ", text)
    text = re.sub(r"^(?:the |county )+", "", " ".join(text.split()))
    return " ".join(text.split())


def within_one_edit(a, b):
    """Whether b is a with at most one letter added, left out or changed: "sheffeld" for "sheffield"."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return a[i + 1 :] == b[i + 1 :] if len(a) == len(b) else a[i:] == b[i + 1 :]
    return True


# A typo is only forgiven in a query this long: in a shorter one, one letter changes too much ("hul" is not "bury").
TYPO_MIN_LENGTH = 4
SUGGESTIONS = 5
SUGGESTION_CUTOFF = 0.6  # difflib's ratio: "tower hamletz cuncil" is 0.72 of "tower hamlets"


@dataclass
class CouncilSearch:
    """What a person's query finds: `councils` best first, of which `named` are those it names exactly (by a
    code, or a whole name in any of the ways it is written), and `suggestions` (the nearest names) when it
    finds none."""

    query: str
    councils: list = field(default_factory=list)
    named: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)

    @property
    def the_one(self):
        """The council the query names exactly, when it names one; a current one over a former one of the
        same name (Dorset's old county and today's)."""
        if len(self.named) == 1:
            return self.named[0]
        current = [c for c in self.named if c.is_current]
        return current[0] if len(current) == 1 else None


class CouncilIndex:
    """Every council, current or former, found by Ofsted URN, DfE code, ONS code (or a former one) or name."""

    def __init__(self):
        councils = list(Council.objects.all())
        self.by_id = {c.pk: c for c in councils}
        self.by_urn = {c.ofsted_urn: c for c in councils if c.ofsted_urn}
        self.by_la_code = {c.la_code: c for c in councils if c.la_code}
        self.by_ons = {c.ons_code.upper(): c for c in councils if c.ons_code and not c.is_current}
        self.by_ons.update({c.ons_code.upper(): c for c in councils if c.ons_code and c.is_current})
        self.by_name = defaultdict(list)
        for c in councils:
            self.by_name[normalise_name(c.name)].append(c)
        for council_id, kind, value in CouncilAlias.objects.values_list("council_id", "kind", "value"):
            council = self.by_id.get(council_id)
            if council is None:
                continue
            if kind == CouncilAlias.Kind.ONS_CODE:
                self.by_ons.setdefault(value.upper(), council)
            elif kind == CouncilAlias.Kind.LA_CODE:
                self.by_la_code.setdefault(value, council)
            elif kind == CouncilAlias.Kind.OFSTED_URN:
                self.by_urn.setdefault(value, council)
            elif council not in self.by_name[normalise_name(value)]:
                self.by_name[normalise_name(value)].append(council)

    def __len__(self):
        return len(self.by_id)

    def by_code(self, code):
        """The council with this Ofsted URN, DfE LA code or ONS code (current or former), if any."""
        code = str(code or "").strip()
        return self.by_urn.get(code) or self.by_la_code.get(code) or self.by_ons.get(code.upper())

    def search(self, query):
        """The councils a person means by `query`, as they might write it (see normalise_name), best first.

        A code finds its council. Otherwise a name matches when it is the query (exact), starts with it, has
        a word starting with it, or holds it. Only when none does, a name (or its first words) one letter
        away from the query matches (a typo); and when still none, the nearest names are suggestions.
        """
        text = str(query or "").strip()
        council = self.by_code(text)
        if council is not None:
            return CouncilSearch(text, [council], named=[council])
        wanted = normalise_name(text)
        if not wanted:
            return CouncilSearch(text)
        ranks = {}
        for name, councils in self.by_name.items():
            rank = _rank(wanted, name)
            for c in councils:
                if rank is not None and rank < ranks.get(c.pk, rank + 1):
                    ranks[c.pk] = rank
        if not ranks and len(wanted) >= TYPO_MIN_LENGTH:
            words = len(wanted.split())
            for name, councils in self.by_name.items():
                if within_one_edit(wanted, name) or within_one_edit(wanted, " ".join(name.split()[:words])):
                    ranks.update({c.pk: 0 for c in councils})
        found = sorted((self.by_id[pk] for pk in ranks), key=lambda c: (ranks[c.pk], c.name, c.pk))
        if found:
            return CouncilSearch(text, found, named=list(self.by_name.get(wanted, [])))
        return CouncilSearch(text, suggestions=self.nearest(wanted))

    def nearest(self, wanted):
        """The councils whose names are nearest a (normalised) query, nearest first."""
        nearest = []
        for name in difflib.get_close_matches(wanted, list(self.by_name), n=SUGGESTIONS, cutoff=SUGGESTION_CUTOFF):
            nearest.extend(c for c in self.by_name[name] if c not in nearest)
        return nearest[:SUGGESTIONS]

    def find(self, *, urn=None, la_code=None, ons_code=None, name=None, former=None):
        """(council, None) or (None, reason).

        Codes are tried first. A name is used when no code matches, unless the named council has a
        different DfE code or URN (those are stable: Dorset's old county, 835, is not today's Dorset, 838).
        ONS codes change, so a different ONS code does not stop a name match.
        """
        urn = str(urn or "").strip()
        la_code = str(la_code or "").strip()
        ons_code = str(ons_code or "").strip().upper()
        for code, table in ((urn, self.by_urn), (la_code, self.by_la_code), (ons_code, self.by_ons)):
            if code and code in table:
                return table[code], None
        codes = " ".join(code for code in (urn, la_code, ons_code) if code)
        label = " ".join(part for part in (codes, str(name or "").strip()) if part) or "blank"
        candidates = list(self.by_name.get(normalise_name(name), [])) if name else []
        if former is not None and len(candidates) > 1:
            candidates = [c for c in candidates if c.is_current != former] or candidates
        if not candidates:
            return None, ("council not known", label)
        if len(candidates) > 1:
            return None, ("council name matches several councils", label)
        council = candidates[0]
        if (la_code and council.la_code and council.la_code != la_code) or (
            urn and council.ofsted_urn and council.ofsted_urn != urn
        ):
            return None, ("council not known (its code is not the named council's)", label)
        if former is True and council.is_current:
            return None, ("former council not known", label)
        return council, None


def _rank(wanted, name):
    """How well a normalised name matches a normalised query: 0 the name itself, 1 its start, 2 a word's
    start, 3 anywhere in it; None not at all."""
    if name == wanted:
        return 0
    if name.startswith(wanted):
        return 1
    if f" {wanted}" in f" {name}":
        return 2
    return 3 if wanted in name else None
