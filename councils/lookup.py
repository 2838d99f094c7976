"""Finding a council by any name or code that official files use for it, current or former."""

import re
import unicodedata
from collections import defaultdict

from .models import Council, CouncilAlias

_NAME_DROP = re.compile(
    r"\b(city of|county of|london borough of|royal borough of|borough of|metropolitan borough|metropolitan district"
    r"|borough|county council|city council|council)\b"
)


def normalise_name(name):
    """A council's name reduced for comparison: "Telford & Wrekin" = "Telford and Wrekin",
    "Bristol, City of" = "Bristol", "St. Helens" = "St Helens", "Bedford Borough" = "Bedford",
    "County Durham" = "Durham", "Kent County Council" = "Kent", "Sandwell Metropolitan Borough Council" =
    "Sandwell"."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ").replace("-", " ")
    text = re.sub(r"[^a-z0-9 ]", " ", text)
    text = _NAME_DROP.sub(" ", text)
    text = re.sub(r"^county ", "", text.strip())
    return " ".join(text.split())


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
