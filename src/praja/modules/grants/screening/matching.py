"""Duplicate detection of people and keys (pure: no ORM, no request).

Two kinds of finding:

- **Exact-key duplicates**: records sharing a normalised key (NIK, KK number, phone, address, bank
  account...). `exact_groups` groups them in one pass (dict), linear in N.
- **Near-duplicate people with different NIKs** (typos, swapped name parts, old spelling): blocking
  first, then fuzzy comparison only inside blocks. Several blocking passes run so one typo does not
  hide a pair (a typo in the first name still meets its twin in the "birth date + last name" block;
  a typo in the birth date still meets it in "kelurahan + birth year + mother's name"). A block
  larger than `max_block` is not compared all-pairs (counted in `BlockingStats.oversized_blocks`):
  real registries have such blocks, because names and recorded birth dates are skewed (a region
  has thousands of "Siti ..." and "Muhammad ...", and people whose birth date was unknown are
  recorded as 1 January), and a block's pairs grow with the square of its size. Its members are
  sorted twice, by name and by mother's name then name, and each is compared with its `WINDOW`
  neighbours in both orders (sorted neighbourhood): a typo in the name still leaves the pair next
  to each other in one of the orders. So no record is compared with more than about
  max(`max_block`, 4 * `WINDOW`) others per pass, and the work stays linear in N. Keys are also
  kept sharp against chance meetings of different people (which grow with N squared even in
  small blocks): the two name passes add the other name part's initial sound class, and every key
  holds the sex when the threshold makes a pair of different sexes unreportable. Every key also
  holds the birth year, so the run goes one partition of one birth year (and sex) at a time: its
  records are prepared, blocked and compared, then dropped, and inside it a pass's blocks are built
  one birth month or one kelurahan at a time. What the CPU works on at once is a partition (under
  2 % of a registry's records) instead of the whole registry; the matches are those of a run over
  all records at once, in the same order. (The time per record still grows somewhat with the
  registry: more people share each key, and memory further away costs more to reach.) Inside a
  block, a pair is left out before it is kept or compared when it cannot reach the threshold (one
  side has no mother's name and the kelurahan differs; the birth dates score 0 and the threshold
  is above 75) or when the mothers' names share no part's initial sound class (`_could_match`):
  chance meetings grow with the square of a block's size, and these are most of them. Names are
  normalised part by part through a cache (a registry's whole names are mostly unique, their
  parts are not).

Scoring (0-100) of a candidate pair, weights chosen so that the same name and birth date alone do
not reach the threshold when mother's name and address disagree (two different "Siti Aminah" born
the same day), but a typo in the name with the same birth date and mother does:

    score = 0.40 * name + 0.25 * birth date + 0.25 * mother's name + 0.10 * address   (- 20 if sex differs)

    name        max(ratio, token-sorted ratio) of normalised names (titles stripped, old spelling
                "oe/dj/tj" mapped, "Moh./Muh." = Muhammad); a pair needs at least `min_name` (80)
    birth date  100 same; 80 day and month swapped; 60 exactly one of day/month/year differs; else 0
    mother      ratio of normalised mothers' names (left out, weights renormalised, when one is empty)
    address     token-set ratio of normalised addresses; halved when the kelurahan differs

The name gate also lets through names exactly one edit apart (a typo in a four-letter name gives
a ratio of 75). Without a mother's name on either side, a pair needs the same kelurahan.

A pair is a near-duplicate when score >= `threshold` (85) and the names do not differ in a whole
given name: if, after taking out the tokens both names share, a remaining token of one name is more
than one edit (a transposition counts as one) away from every remaining token of the other ("Rizki"
vs "Rizal"), the pair is two people (twins are born the same day to the same mother): not reported.
"""

from __future__ import annotations

import datetime
import gc
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

DEFAULT_THRESHOLD = 85.0
DEFAULT_MIN_NAME = 80.0
DEFAULT_MAX_BLOCK = 32  # a block up to this size is compared all-pairs
WINDOW = 8  # neighbours compared on each side, in each of the two orders, inside an oversized block

WEIGHT_NAME, WEIGHT_BIRTH, WEIGHT_MOTHER, WEIGHT_ADDRESS = 0.40, 0.25, 0.25, 0.10
SEX_PENALTY = 20.0


@dataclass(frozen=True, slots=True)
class Person:
    """The fields of a person the engine compares (built from a Beneficiary or a board member)."""

    id: int | str
    nik: str = ""
    full_name: str = ""
    birth_date: datetime.date | None = None
    sex: str = ""
    mother_name: str = ""
    address: str = ""
    area_code: str = ""
    kk_number: str = ""
    phone: str = ""


# --- Normalisation ------------------------------------------------------------------------------

_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\D+")

# Honorifics, degrees and patronymic particles that are not part of the identity.
_NAME_NOISE = frozenset(
    [
        "h",
        "hj",
        "haji",
        "hajjah",
        "drs",
        "dra",
        "dr",
        "ir",
        "prof",
        "s",
        "pd",
        "spd",
        "se",
        "sh",
        "st",
        "sag",
        "spdi",
        "ssos",
        "sos",
        "skm",
        "mm",
        "amd",
        "kh",
        "ust",
        "ustadz",
        "almarhum",
        "alm",
        "almh",
        "bin",
        "binti",
        "bt",
        "bn",
    ]
)
_MUHAMMAD = frozenset(
    [
        "muhamad",
        "muhammad",
        "mohammad",
        "mohamad",
        "mohamed",
        "muhamed",
        "moh",
        "muh",
        "mhd",
        "mochammad",
        "mochamad",
        "moch",
    ]
)
# Old (pre-1972) spelling still on many documents: Soekarno = Sukarno, Djoko = Joko, Tjahjo = Cahyo.
_OLD_SPELLING = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("nj", "ny"), ("ch", "kh"), ("ph", "f"))
_ADDRESS_WORDS = {
    "jl": "jalan",
    "jln": "jalan",
    "gg": "gang",
    "kp": "kampung",
    "kmp": "kampung",
    "no": "",
    "nomor": "",
    "nmr": "",
    "blk": "blok",
    "komp": "kompleks",
    "perum": "perumahan",
    "ds": "desa",
    "kel": "kelurahan",
    "kec": "kecamatan",
}


@lru_cache(maxsize=200_000)
def _name_token(token: str) -> tuple[str, str] | None:
    """One lower-case name part, normalised, with its phonetic key; None for a title or particle."""
    if token in _NAME_NOISE:
        return None
    if token in _MUHAMMAD:
        token = "muhammad"
    else:
        for old, new in _OLD_SPELLING:
            token = token.replace(old, new)
    return token, phonetic_key(token)


def _name_parts(value: str) -> list[tuple[str, str]]:
    """(normalised part, phonetic key) of each part of a name that is part of the identity.

    The cache is keyed by the part, not the whole name: a registry's whole names are mostly unique
    (a million people carry about 600,000 names and 500,000 mothers' names, more than any cache
    holds), while their parts repeat (about 21,000 of them), so every part is normalised once.
    """
    return [part for part in map(_name_token, _NON_ALNUM.sub(" ", (value or "").lower()).split()) if part]


def normalize_name(value: str) -> str:
    return " ".join([token for token, _key in _name_parts(value)])


def normalize_address(value: str) -> str:
    text = _NON_ALNUM.sub(" ", (value or "").lower())
    words = []
    for word in text.split():
        word = _ADDRESS_WORDS.get(word, word)
        if word.isdigit():
            word = str(int(word))  # "RT 003" = "RT 3"
        if word:
            words.append(word)
    return " ".join(words)


def normalize_phone(value: str) -> str:
    digits = _DIGITS.sub("", value or "")
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    elif digits.startswith("8"):
        digits = "0" + digits  # a spreadsheet stored the mobile number as a number

    return digits if len(digits) >= 8 else ""


def normalize_account(value: str) -> str:
    return _DIGITS.sub("", value or "").lstrip("0")


_PHONETIC_MAP = str.maketrans({"v": "f", "z": "s", "q": "k", "x": "s", "j": "j"})


@lru_cache(maxsize=200_000)
def phonetic_key(token: str) -> str:
    """First letter plus up to three following consonants (vowels, h, w, y dropped; repeats merged)."""
    if not token:
        return ""
    token = token.replace("kh", "h").translate(_PHONETIC_MAP)
    head, tail = token[0], [ch for ch in token[1:] if ch not in "aeiouhwy"]
    out = [head]
    for ch in tail:
        if ch != out[-1]:
            out.append(ch)
        if len(out) == 4:
            break
    return "".join(out)


# --- Exact keys -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExactGroup:
    field: str
    value: str
    ids: tuple


def exact_groups(items: Iterable[tuple[object, str]], *, field: str) -> list[ExactGroup]:
    """Group (id, normalised key) pairs by key; groups with two or more ids. Empty keys are ignored."""
    # Most keys are unique (a NIK): one dictionary entry and no list per key; a list only for a
    # key seen again. Groups come out in the order of their key's first appearance.
    first_ids: dict[str, object] = {}
    shared: dict[str, list] = {}
    for item_id, key in items:
        if key:
            if key in first_ids:
                ids = shared.get(key)
                if ids is None:
                    shared[key] = [first_ids[key], item_id]
                else:
                    ids.append(item_id)
            else:
                first_ids[key] = item_id
    if not shared:
        return []
    return [ExactGroup(field, key, tuple(shared[key])) for key in first_ids if key in shared]


# --- Near duplicates ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NearMatch:
    """Two records that are probably one person; `reasons` explain the score (see `explain`)."""

    left: object
    right: object
    score: float
    name_score: float
    birth: str  # "same" | "swapped" | "one_part" | "different" | "unknown"
    mother_score: float | None
    address_score: float | None
    same_area: bool | None
    same_sex: bool | None

    @property
    def pair(self) -> tuple:
        return (self.left, self.right)

    def explanation(self) -> str:
        return explain(self)


def explain(match: NearMatch) -> str:
    """Indonesian explanation: "nama mirip 94%, tanggal lahir sama, nama ibu sama, ..."."""
    from django.utils.translation import gettext as _

    parts = [
        _("nama sama")
        if match.name_score >= 100
        else _("nama mirip %(score)d%%") % {"score": round(match.name_score)}
    ]
    parts.append(
        {
            "same": _("tanggal lahir sama"),
            "swapped": _("tanggal lahir sama dengan hari dan bulan tertukar"),
            "one_part": _("tanggal lahir berbeda satu unsur (hari, bulan atau tahun)"),
            "different": _("tanggal lahir berbeda"),
            "unknown": _("tanggal lahir tidak tersedia"),
        }[match.birth]
    )
    if match.mother_score is not None:
        parts.append(
            _("nama ibu sama")
            if match.mother_score >= 100
            else _("nama ibu mirip %(score)d%%") % {"score": round(match.mother_score)}
        )
    if match.address_score is not None:
        parts.append(
            _("alamat sama")
            if match.address_score >= 100
            else _("alamat mirip %(score)d%%") % {"score": round(match.address_score)}
        )
    if match.same_area is False:
        parts.append(_("kelurahan berbeda"))
    if match.same_sex is False:
        parts.append(_("jenis kelamin berbeda"))
    return _("%(parts)s (skor %(score)d dari 100).") % {
        "parts": ", ".join(parts),
        "score": round(match.score),
    }


@dataclass
class BlockingStats:
    records: int = 0
    blocks: int = 0
    oversized_blocks: int = 0
    candidate_pairs: int = 0
    compared_pairs: int = 0
    matches: int = 0
    passes: dict = field(default_factory=dict)


class _Prepared:
    """A person with the normalised fields and keys the engine needs (built once per record).

    The id, NIK, birth date and address are read from the person only when a pair is compared
    (most records never are; the address is normalised then): holding them here would reach into
    each of those objects while preparing (a reference counted is a write to the object), and in a
    large registry each of them is a random jump through memory.
    """

    __slots__ = (
        "_address", "area", "birth_date_of_month", "birth_day", "birth_month", "birth_year", "first_key",
        "last_key", "mother", "mother_initials", "mother_key", "name", "person", "sex", "sorted_key",
        "sorted_name", "tokens",
    )  # fmt: skip

    def __init__(self, person: Person) -> None:
        self.person = person
        parts = _name_parts(person.full_name)
        self.tokens = tokens = [token for token, _key in parts]
        self.name = " ".join(tokens)
        self.sorted_name = " ".join(sorted(tokens)) if len(tokens) > 1 else self.name
        # Blocking reads the date as ints held here: the date object lies elsewhere in memory.
        born = person.birth_date
        self.birth_day = born.toordinal() if born is not None else 0
        self.birth_year = born.year if born is not None else 0
        self.birth_month = born.month if born is not None else 0
        self.birth_date_of_month = born.day if born is not None else 0
        self.sex = person.sex
        mother = _name_parts(person.mother_name)
        self.mother = " ".join([token for token, _key in mother])
        self._address = None
        self.area = person.area_code
        keys = [key for _token, key in parts]
        self.first_key = keys[0] if keys else ""
        self.last_key = keys[-1] if keys else ""
        self.sorted_key = "".join(sorted(keys)) if len(keys) > 1 else self.first_key
        self.mother_key = mother[0][1] if mother else ""
        initials = 0
        for _token, key in mother:
            initials |= _INITIAL_BITS[key[0]]
        self.mother_initials = initials

    @property
    def id(self) -> int | str:
        return self.person.id

    @property
    def nik(self) -> str:
        return self.person.nik

    @property
    def birth(self) -> datetime.date | None:
        return self.person.birth_date

    @property
    def address(self) -> str:
        if self._address is None:
            self._address = normalize_address(self.person.address)
        return self._address


PASSES = (1, 2, 3, 4, 5, 6, 7)


# Initials that spellings and typists swap: vowels, j/y (Yulianti/Julianti), c/k, s/z/x, f/p/v, d/t.
_INITIAL_CLASSES = {
    **dict.fromkeys("aeiou", "a"),
    **dict.fromkeys("jy", "j"),
    **dict.fromkeys("ckq", "k"),
    **dict.fromkeys("szx", "s"),
    **dict.fromkeys("fpv", "p"),
    **dict.fromkeys("dt", "t"),
}


# One bit per initial sound class (letters and digits): a name's set of initials as an int.
_INITIAL_BITS = {
    char: 1 << position
    for position, group in enumerate(
        sorted({_INITIAL_CLASSES.get(char, char) for char in "abcdefghijklmnopqrstuvwxyz0123456789"})
    )
    for char in "abcdefghijklmnopqrstuvwxyz0123456789"
    if _INITIAL_CLASSES.get(char, char) == group
}


def _initial_class(key: str) -> str:
    initial = key[:1]
    return _INITIAL_CLASSES.get(initial, initial)


def _date_blocks(group: list[int], prepared: list[_Prepared]) -> list[tuple[int, dict]]:
    """(pass number, blocks) of the passes on the birth date, 1, 2, 3 and 7, of one group of
    records of one birth month: blocks as {key: [indices]}. The keys are built one record at a
    time and the four passes' blocks in one sweep, so what the sweep holds is the group's blocks,
    not every record's keys (the sweep stays in the CPU cache as the registry grows).

    Dates enter keys as day numbers (an int hashes much faster than a date object). Every key
    holds the birth year (in the day number here, as the year in `_area_blocks`), and the sex when
    the threshold makes a pair of different sexes unreportable: those are not in the tuple because
    the records are blocked one partition of one birth year (and sex) at a time (`_partitions`).
    """
    by_first, by_last, by_area, by_sorted = (defaultdict(list) for _number in _DATE_PASSES)
    for index in group:
        p = prepared[index]
        day, tokens = p.birth_day, p.tokens
        if not day or not tokens:
            continue
        first_key, last_key = p.first_key, p.last_key
        # Passes 1 and 2 also take the other name part's initial: birth date + one phonetic key
        # alone puts many different people together (thousands of "Siti"/"Muhammad" born on
        # 1 January) (as a sound class, so Yulianti/Julianti or Cecep/Kecep still meet).
        # 1: a typo in the other name parts (after their first letter).
        by_first[day, first_key, _initial_class(last_key)].append(index)
        # 2: a typo in the first name (after its first letter).
        if len(tokens) > 1:
            by_last[day, last_key, _initial_class(first_key)].append(index)
        # 3: same day, same kelurahan: the name may be spelt anyhow.
        if p.area:
            by_area[day, p.area].append(index)
        # 7: swapped name parts, any kelurahan, same birth date.
        by_sorted[day, p.sorted_key].append(index)
    return [(1, by_first), (2, by_last), (3, by_area), (7, by_sorted)]


def _area_blocks(group: list[int], prepared: list[_Prepared]) -> list[tuple[int, dict]]:
    """(pass number, blocks) of the passes on the kelurahan, 4, 5 and 6, of one group of records of
    one kelurahan (see `_date_blocks`): a typo in the birth date: same kelurahan, birth year and
    mother, and one initial: of the first name (4), of the last name (5, a typo in the first
    initial), or the smallest initial of all name parts (6, swapped parts). (A record without a
    mother's name meets the others without one.)"""
    by_first, by_last, by_sorted = (defaultdict(list) for _number in _AREA_PASSES)
    for index in group:
        p = prepared[index]
        if not p.tokens:
            continue
        area, year, mother_key = p.area, p.birth_year, p.mother_key
        by_first[area, year, mother_key, p.first_key[:1]].append(index)
        by_last[area, year, mother_key, p.last_key[:1]].append(index)
        by_sorted[area, year, mother_key, p.sorted_key[:1]].append(index)
    return [(4, by_first), (5, by_last), (6, by_sorted)]


# The passes whose keys hold the birth date, and those whose keys hold the kelurahan.
_DATE_PASSES, _AREA_PASSES = (1, 2, 3, 7), (4, 5, 6)


def _birth_relation(a: datetime.date | None, b: datetime.date | None) -> str:
    if a is None or b is None:
        return "unknown"
    if a == b:
        return "same"
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return "swapped"
    differing = (a.day != b.day) + (a.month != b.month) + (a.year != b.year)
    return "one_part" if differing == 1 else "different"


_BIRTH_SCORE = {"same": 100.0, "swapped": 80.0, "one_part": 60.0, "different": 0.0, "unknown": 0.0}

# The best score of a pair whose birth dates score 0 ("different" or "unknown"): every other part
# at 100 (leaving the mother's name or the address out lowers it: 72 and 67).
_BEST_SCORE_WITHOUT_BIRTH = (
    100
    * (WEIGHT_NAME + WEIGHT_MOTHER + WEIGHT_ADDRESS)
    / (WEIGHT_NAME + WEIGHT_BIRTH + WEIGHT_MOTHER + WEIGHT_ADDRESS)
)


def _could_match(a: _Prepared, b: _Prepared, birth_must_agree: bool) -> bool:
    """False for a pair of one block that cannot be (or is hardly ever) a near-duplicate, told
    from ints and strings already at hand: such a pair is neither kept nor compared. (Each reason
    belongs to the pair, not to a pass, so a pair left out in one pass is left out in all of them,
    and the pairs kept keep the pass and block that first held them.)

    - One side has no mother's name and the kelurahan is not the same: `compare` rejects it.
    - `birth_must_agree` (the threshold is above `_BEST_SCORE_WITHOUT_BIRTH`) and the birth dates
      are unknown or differ in more than one of day, month and year without being day and month
      swapped: the birth date scores 0 and `compare` cannot reach the threshold.
    - Both mothers' names are known and no part of one begins with the initial sound class of a
      part of the other: with the same name and birth date, a mother's name is what tells two
      "Siti" born on 1 January apart, and a near-duplicate's mother is the same woman ("Siti
      Aminah", "Aminah", "St. Aminah", "Siti Aminah binti Umar" all share a part's initial).
      This one is a blocking choice: it is what passes 4-6 already require of the mother.
    """
    mothers_a, mothers_b = a.mother_initials, b.mother_initials
    if not (mothers_a and mothers_b):
        if not a.area or a.area != b.area:
            return False
    elif not mothers_a & mothers_b:
        return False
    if birth_must_agree and (a.birth_day != b.birth_day or not a.birth_day):
        if not (a.birth_day and b.birth_day):
            return False
        same_year, same_month = a.birth_year == b.birth_year, a.birth_month == b.birth_month
        same_day = a.birth_date_of_month == b.birth_date_of_month
        if same_year + same_month + same_day < 2 and not (
            same_year and a.birth_date_of_month == b.birth_month and a.birth_month == b.birth_date_of_month
        ):
            return False
    return True


def _same_token(a: str, b: str) -> bool:
    # Optimal string alignment: a transposition ("Fauzi"/"Fuazi") is one edit, as a typist makes it.
    return OSA.distance(a, b, score_cutoff=2) <= (2 if min(len(a), len(b)) >= 8 else 1)


def _differs_in_a_given_name(a: Sequence[str], b: Sequence[str]) -> bool:
    """True when a name part of one has no close counterpart in the other (twins, siblings)."""
    if "".join(a) == "".join(b):
        return False  # only the spaces differ ("SitiLestari")
    rest_a, rest_b = list(a), list(b)
    for token in a:
        if token in rest_b:
            rest_b.remove(token)
            rest_a.remove(token)
    if not rest_a or not rest_b:
        return False
    return any(not any(_same_token(x, y) for y in rest_b) for x in rest_a) or any(
        not any(_same_token(y, x) for x in rest_a) for y in rest_b
    )


def compare(
    a: _Prepared, b: _Prepared, *, threshold: float = DEFAULT_THRESHOLD, min_name: float = DEFAULT_MIN_NAME
) -> NearMatch | None:
    """Score one candidate pair; None when it is not a near-duplicate."""
    name_score = fuzz.ratio(a.name, b.name, score_cutoff=min_name)
    if name_score < 100:
        name_score = max(name_score, fuzz.ratio(a.sorted_name, b.sorted_name, score_cutoff=min_name))
    if not name_score and OSA.distance(a.name, b.name, score_cutoff=1) <= 1:
        # One typo in a short name ("Imam"/"Imma") falls under the ratio gate; the rest decides.
        name_score = fuzz.ratio(a.name, b.name)
    if not name_score:
        return None
    birth = _birth_relation(a.birth, b.birth)
    total = WEIGHT_NAME * name_score + WEIGHT_BIRTH * _BIRTH_SCORE[birth]
    weights = WEIGHT_NAME + WEIGHT_BIRTH
    mother_score = None
    if a.mother and b.mother:
        mother_score = fuzz.ratio(a.mother, b.mother)
        total += WEIGHT_MOTHER * mother_score
        weights += WEIGHT_MOTHER
    address_score = None
    same_area = (a.area == b.area) if a.area and b.area else None
    if a.address and b.address:
        address_score = fuzz.token_set_ratio(a.address, b.address)
        total += WEIGHT_ADDRESS * (address_score if same_area is not False else address_score / 2)
        weights += WEIGHT_ADDRESS
    if mother_score is None and same_area is not True:
        # Without a mother's name, name and birth date are all that is left, and many different
        # people share them ("Siti", born 1 January 1970): only the same kelurahan is evidence enough.
        return None
    score = total / weights
    same_sex = (a.sex == b.sex) if a.sex and b.sex else None
    if same_sex is False:
        score -= SEX_PENALTY
    if score < threshold or _differs_in_a_given_name(a.tokens, b.tokens):
        return None
    return NearMatch(
        left=a.id,
        right=b.id,
        score=round(score, 1),
        name_score=round(name_score),
        birth=birth,
        mother_score=None if mother_score is None else round(mother_score),
        address_score=None if address_score is None else round(address_score),
        same_area=same_area,
        same_sex=same_sex,
    )


def prepare(people: Iterable[Person]) -> list[_Prepared]:
    return [_Prepared(person) for person in people]


def _window_pairs(members: list[int], prepared: list[_Prepared]) -> Iterator[tuple[int, int]]:
    """Sorted-neighbourhood pairs of an oversized block: `WINDOW` neighbours in two orders."""
    for order in (
        sorted(members, key=lambda i: prepared[i].sorted_name),
        sorted(members, key=lambda i: (prepared[i].mother, prepared[i].name)),
    ):
        size = len(order)
        for x in range(size):
            for y in range(x + 1, min(x + 1 + WINDOW, size)):
                yield order[x], order[y]


def _partitions(people: Sequence[Person], *, by_sex: bool) -> list[list[int]]:
    """Indices of the records, grouped by what every blocking key holds: the birth year (0 when it
    is unknown), and the sex when `by_sex`. Two records of different groups never share a block."""
    groups: dict[object, list[int]] = defaultdict(list)
    for index, person in enumerate(people):
        born = person.birth_date
        year = born.year if born is not None else 0
        groups[(year, person.sex) if by_sex else year].append(index)
    return list(groups.values())


def _candidate_pairs(
    prepared: list[_Prepared],
    *,
    max_block: int,
    birth_must_agree: bool,
    stats: BlockingStats,
    passes: dict[int, int],
) -> list[tuple[tuple[int, int, int], int, int]]:
    """((pass number, first member of the block, rank in the block), i, j): the index pairs (i < j)
    of one partition sharing a block in any pass, each pair once, with the first pass and block
    that holds it (as a run pass after pass would find it), sorted. `passes` counts the blocks per
    pass.

    The records of one birth month go through the passes on the birth date together, and those of
    one kelurahan through the passes on the kelurahan: what a pass works on stays in the CPU cache.
    A pair `_could_match` rejects is neither kept nor counted (`birth_must_agree`: the threshold is
    above `_BEST_SCORE_WITHOUT_BIRTH`).
    """
    by_month: dict[int, list[int]] = defaultdict(list)
    by_area: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(prepared):
        if record.birth_month:
            by_month[record.birth_month].append(index)
        if record.area:
            by_area[record.area].append(index)
    size = len(prepared)
    first_seen: dict[int, tuple[int, int, int]] = {}  # packed pair -> its earliest (pass, block, rank)
    for groups, blocks_of in ((by_month, _date_blocks), (by_area, _area_blocks)):
        for group in groups.values():
            for number, blocks in blocks_of(group, prepared):
                for members in blocks.values():
                    count = len(members)
                    if count < 2:
                        continue
                    stats.blocks += 1
                    passes[number] = passes.get(number, 0) + 1
                    first = members[0]
                    if count > max_block:
                        stats.oversized_blocks += 1
                        for rank, (i, j) in enumerate(_window_pairs(members, prepared)):
                            if not _could_match(prepared[i], prepared[j], birth_must_agree):
                                continue
                            packed = i * size + j if i < j else j * size + i
                            tag = first_seen.get(packed)
                            if tag is None or number < tag[0]:
                                first_seen[packed] = (number, first, rank)
                        continue
                    rank = 0  # all pairs, members in index order
                    for x in range(count - 1):
                        i = members[x]
                        base, record = i * size, prepared[i]
                        for y in range(x + 1, count):
                            j = members[y]
                            if not _could_match(record, prepared[j], birth_must_agree):
                                rank += 1
                                continue
                            packed = base + j
                            tag = first_seen.get(packed)
                            if tag is None or number < tag[0]:
                                first_seen[packed] = (number, first, rank)
                            rank += 1
    stats.candidate_pairs += len(first_seen)
    return sorted((tag, *divmod(packed, size)) for packed, tag in first_seen.items())


def find_near_duplicates(
    people: Iterable[Person],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_name: float = DEFAULT_MIN_NAME,
    max_block: int = DEFAULT_MAX_BLOCK,
    stats: BlockingStats | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[NearMatch]:
    """Near-duplicate pairs among `people` with different NIKs (blocking + fuzzy within blocks).

    The records are processed one partition at a time (`_partitions`: one birth year, and one sex
    when the key holds it; under 2 % of the records each), and each partition's prepared records,
    blocks and pairs are dropped before the next one is built: the run works on a partition's
    dictionaries and objects instead of the whole registry's (and holds about half the memory).
    The matches and statistics are those of a run over the whole registry at once, in the same
    order (pass by pass, block by block in the order of their first record).

    `progress(passes_done, passes_total)` is called as the blocking passes advance over the
    partitions, once per pass's worth of records (a background run reports it to the page that
    waits for it).
    """
    stats = stats if stats is not None else BlockingStats()
    people = people if isinstance(people, Sequence) else list(people)
    by_sex = threshold > 100 - SEX_PENALTY
    birth_must_agree = threshold > _BEST_SCORE_WITHOUT_BIRTH
    # The run allocates many small objects: the cyclic garbage collector would walk the heap again
    # and again (super-linear in the registry), and finds nothing here.
    collecting = gc.isenabled()
    gc.disable()
    found: list[tuple[tuple[int, int, int], NearMatch]] = []
    passes: dict[int, int] = {}
    steps_total, steps_done, records_done = len(PASSES), 0, 0
    try:
        for members in _partitions(people, by_sex=by_sex):
            prepared = [_Prepared(people[index]) for index in members]
            pairs = _candidate_pairs(
                prepared, max_block=max_block, birth_must_agree=birth_must_agree, stats=stats, passes=passes
            )
            for (number, first, rank), i, j in pairs:
                a, b = prepared[i], prepared[j]
                if a.nik and a.nik == b.nik:
                    continue  # same NIK is an exact duplicate, reported by exact_groups
                stats.compared_pairs += 1
                match = compare(a, b, threshold=threshold, min_name=min_name)
                if match is not None:
                    found.append(((number, members[first], rank), match))
            del prepared, pairs
            records_done += len(members)
            reached = steps_total * records_done // len(people)
            while progress is not None and steps_done < reached:
                steps_done += 1
                progress(steps_done, steps_total)
    finally:
        if collecting:
            gc.enable()
    while progress is not None and steps_done < steps_total:  # (no records)
        steps_done += 1
        progress(steps_done, steps_total)
    stats.records = len(people)
    for number in PASSES:
        if number in passes:
            stats.passes[number] = stats.passes.get(number, 0) + passes[number]
    found.sort(key=lambda tagged: tagged[0])
    matches = [match for _order, match in found]
    stats.matches = len(matches)
    return matches


def near_duplicates_of(
    target: Person,
    candidates: Iterable[Person],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_name: float = DEFAULT_MIN_NAME,
) -> list[NearMatch]:
    """Near-duplicates of one person among candidates (already narrowed by a blocking query)."""
    subject = _Prepared(target)
    found = []
    for candidate in candidates:
        if candidate.id == target.id or (candidate.nik and candidate.nik == target.nik):
            continue
        match = compare(subject, _Prepared(candidate), threshold=threshold, min_name=min_name)
        if match is not None:
            found.append(match)
    return sorted(found, key=lambda m: -m.score)


def all_pairs_near_duplicates(
    people: Sequence[Person],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_name: float = DEFAULT_MIN_NAME,
) -> list[NearMatch]:
    """The naive baseline: every pair's names are compared (quadratic; benchmarks and small sets).

    The name gate of `compare` (ratio, or one edit apart) runs over all pairs inside rapidfuzz
    (`process.extract`), then the pairs that pass it are scored with `compare`, so the result
    equals comparing every pair.
    """
    from rapidfuzz import process

    prepared = prepare(people)
    names = [p.name for p in prepared]
    sorted_names = [p.sorted_name for p in prepared]
    matches = []
    for i, a in enumerate(prepared):
        hits = {
            index
            for choices, query in ((names, a.name), (sorted_names, a.sorted_name))
            for _choice, _score, index in process.extract(
                query, choices[i + 1 :], scorer=fuzz.ratio, score_cutoff=min_name, limit=None
            )
        }
        # Names one edit apart pass the gate too (see `compare`).
        hits.update(
            index
            for _choice, _distance, index in process.extract(
                a.name, names[i + 1 :], scorer=OSA.distance, score_cutoff=1, limit=None
            )
        )
        for offset in sorted(hits):
            b = prepared[i + 1 + offset]
            if a.nik and a.nik == b.nik:
                continue
            match = compare(a, b, threshold=threshold, min_name=min_name)
            if match is not None:
                matches.append(match)
    return matches
