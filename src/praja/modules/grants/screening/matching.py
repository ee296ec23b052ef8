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
  registry: more people share each key, and memory further away costs more to reach.)

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


@lru_cache(maxsize=500_000)
def normalize_name(value: str) -> str:
    text = _NON_ALNUM.sub(" ", (value or "").lower())
    tokens = []
    for token in text.split():
        if token in _NAME_NOISE:
            continue
        if token in _MUHAMMAD:
            tokens.append("muhammad")
            continue
        for old, new in _OLD_SPELLING:
            token = token.replace(old, new)
        tokens.append(token)
    return " ".join(tokens)


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
    # key seen twice. Groups come out in the order of their key's first appearance.
    first_ids: list = []
    slots: dict[str, int] = {}
    shared: dict[int, tuple[str, list]] = {}
    for item_id, key in items:
        if key:
            slot = slots.setdefault(key, len(first_ids))
            if slot == len(first_ids):
                first_ids.append(item_id)
            elif slot in shared:
                shared[slot][1].append(item_id)
            else:
                shared[slot] = (key, [first_ids[slot], item_id])
    return [ExactGroup(field, key, tuple(ids)) for _slot, (key, ids) in sorted(shared.items())]


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

    The address is normalised only when a pair is compared (most records never are).
    """

    __slots__ = (
        "_address", "area", "birth", "birth_day", "birth_month", "birth_year", "first_key", "id", "last_key",
        "mother", "mother_key", "name", "nik", "raw_address", "sex", "sorted_key", "sorted_name", "tokens",
    )  # fmt: skip

    def __init__(self, person: Person) -> None:
        self.id = person.id
        self.nik = person.nik
        self.name = normalize_name(person.full_name)
        self.tokens = self.name.split()
        self.sorted_name = " ".join(sorted(self.tokens))
        self.birth = person.birth_date
        # Blocking reads the date as ints held here: the date object lies elsewhere in memory.
        born = person.birth_date
        self.birth_day = born.toordinal() if born is not None else 0
        self.birth_year = born.year if born is not None else 0
        self.birth_month = born.month if born is not None else 0
        self.sex = person.sex
        self.mother = normalize_name(person.mother_name)
        self.raw_address = person.address
        self._address = None
        self.area = person.area_code
        keys = [phonetic_key(token) for token in self.tokens]
        self.first_key = keys[0] if keys else ""
        self.last_key = keys[-1] if keys else ""
        self.sorted_key = "".join(sorted(keys))
        self.mother_key = phonetic_key(self.mother.split()[0]) if self.mother else ""

    @property
    def address(self) -> str:
        if self._address is None:
            self._address = normalize_address(self.raw_address)
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


def _initial_class(key: str) -> str:
    initial = key[:1]
    return _INITIAL_CLASSES.get(initial, initial)


def _pass_key(p: _Prepared, number: int) -> tuple | None:
    """The blocking key of one record in pass `number` (None: the record has no key there).

    Dates enter keys as day numbers (an int hashes much faster than a date object). Every key
    holds the birth year (in the day number, or as the year in passes 4-6), and the sex when the
    threshold makes a pair of different sexes unreportable: those are not in the tuple because the
    records are blocked one partition of one birth year (and sex) at a time (`_partitions`).
    """
    if not p.tokens:
        return None
    day = p.birth_day
    # Passes 1 and 2 also take the other name part's initial: birth date + one phonetic key alone
    # puts many different people together (thousands of "Siti"/"Muhammad" born on 1 January).
    # (as a sound class, so Yulianti/Julianti or Cecep/Kecep still meet).
    if number == 1:  # a typo in the other name parts (after their first letter)
        return (day, p.first_key, _initial_class(p.last_key)) if day else None
    if number == 2:  # a typo in the first name (after its first letter)
        return (day, p.last_key, _initial_class(p.first_key)) if day and len(p.tokens) > 1 else None
    if number == 3:  # same day, same kelurahan: the name may be spelt anyhow
        return (day, p.area) if day and p.area else None
    if number in (4, 5, 6):
        # A typo in the birth date: same kelurahan, birth year and mother, and one initial: of the
        # first name (4), of the last name (5, a typo in the first initial), or the smallest initial
        # of all name parts (6, swapped parts).
        if not p.area:
            return None  # (a record without a mother's name meets the others without one)
        initial = (p.first_key, p.last_key, p.sorted_key)[number - 4][:1]
        return (p.area, p.birth_year, p.mother_key, initial)
    # Swapped name parts, any kelurahan, same birth date.
    return (day, p.sorted_key) if day else None


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


# The passes whose keys hold the birth date, and those whose keys hold the kelurahan.
_DATE_PASSES, _AREA_PASSES = (1, 2, 3, 7), (4, 5, 6)


def _candidate_pairs(
    prepared: list[_Prepared], *, max_block: int, stats: BlockingStats, passes: dict[int, int]
) -> list[tuple[tuple[int, int, int], int, int]]:
    """((pass number, first member of the block, rank in the block), i, j): the index pairs (i < j)
    of one partition sharing a block in any pass, each pair once, with the first pass and block
    that holds it (as a run pass after pass would find it), sorted. `passes` counts the blocks per
    pass.

    The records of one birth month go through the passes on the birth date together, and those of
    one kelurahan through the passes on the kelurahan: what a pass works on stays in the CPU cache.
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
    for groups, numbers in ((by_month, _DATE_PASSES), (by_area, _AREA_PASSES)):
        for group in groups.values():
            for number in numbers:
                blocks: dict[tuple, list[int]] = defaultdict(list)
                for index in group:
                    key = _pass_key(prepared[index], number)
                    if key is not None:
                        blocks[key].append(index)
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
                            packed = i * size + j if i < j else j * size + i
                            tag = first_seen.get(packed)
                            if tag is None or number < tag[0]:
                                first_seen[packed] = (number, first, rank)
                        continue
                    rank = 0  # all pairs, members in index order
                    for x in range(count - 1):
                        base = members[x] * size
                        for y in range(x + 1, count):
                            packed = base + members[y]
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
            pairs = _candidate_pairs(prepared, max_block=max_block, stats=stats, passes=passes)
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
