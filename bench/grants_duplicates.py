"""Duplicate detection of bansos beneficiaries: blocking engine vs a naive all-pairs baseline.

    .venv/bin/python -m bench.grants_duplicates [--sizes 100000,1000000] [--baseline-size 10000]
                                                [--seed 20261129] [--max-block 200]

Generates a synthetic registry of one regency with a deterministic generator (a seeded
`random.Random`, so every run builds the same people) that has the skew of real registries:
Zipf-distributed given and family names over a vocabulary of thousands (common names first, then
Faker's id_ID lists, then root + ending forms), one to three name parts, ages 0-90 with 5 % of
birth dates recorded as 1 January and 1 % as 31 December, the 280 real desa/kelurahan of
Kabupaten Bandung, unique NIKs. It plants a known set of duplicates:

- exact duplicates (1 %): the same NIK registered again (name in capitals);
- near-duplicates (2 %): a new NIK with the same birth date (20 % of them with day/month swapped
  or one date part wrong) and the same mother, and the name changed by a typo (substitution,
  deletion, insertion, transposition), swapped name parts, old spelling ("oe", "dj", "tj"),
  a title ("H.", "Hj.") or a Muhammad abbreviation ("Moh.").

For each size it runs `matching.exact_groups` on NIK plus `matching.find_near_duplicates` and
prints wall time, recall and precision against the planted pairs, and blocking statistics; then
the growth ratio time(largest)/time(smallest) against the size ratio (10 = linear). In the same
run, on --baseline-size people, it times the naive all-pairs comparison
(`matching.all_pairs_near_duplicates`, every pair's names compared inside rapidfuzz) and the
engine, with the recall of both.

No database and no Django setup are needed: the engine is pure.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import random
import resource
import time

from praja.modules.grants.screening import matching


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# The most common names first (the head of the frequency curve); the long tail is built below.
MALE_HEAD = _words(
    "Muhammad Ahmad Agus Budi Andi Bambang Dedi Eko Fajar Hendra Irfan Joko Rudi Slamet Teguh Wahyu "
    "Yusuf Rizki Arif Dimas Galih Hadi Ilham Iwan Asep Ujang Dadang Cecep Ade Aris Heri Imam Dede "
    "Rahmat Sigit Taufik Yoga Bayu Dani Fikri Gilang Hasan Indra Reza Wawan Adi Eka Dwi Tri Nanang"
)
FEMALE_HEAD = _words(
    "Siti Nur Dewi Sri Rina Ani Yuni Wati Fitri Ratna Indah Putri Ayu Dian Endang Lina Maya Nina Rani "
    "Sari Tuti Umi Wulan Yanti Ida Eni Euis Neneng Imas Cucu Tati Lilis Iis Ratih Intan Mega Nadia "
    "Rahma Tika Zahra Aisyah Nurul Dwi Eka Tri Ai Elis Yati Enok Titin"
)
FAMILY_HEAD = _words(
    "Hidayat Saputra Setiawan Kurniawan Santoso Wijaya Pratama Lestari Susanto Nugroho Wibowo "
    "Gunawan Hakim Siregar Nasution Harahap Lubis Simanjuntak Sitompul Tambunan Sinaga Ramadhan "
    "Firmansyah Maulana Hermawan Permana Suryadi Sulaiman Sobari Sumarna Iskandar Anwar Fauzi Nurdin"
)
# Javanese/Sundanese/Arabic/Sanskrit roots and endings: names like Sugianto, Hariyanti, Suharno,
# Wahyuningsih, Rohimah, Saepudin are formed this way, which gives a long tail of distinct names.
ROOTS = _words(
    "adi agus ahmad ali amir ana andi angga anggi ani arif aris asep atmo bagus bakti bambang bayu "
    "budi cahya candra dadang dani darma dedi dewi dian dwi eka endang eri fajar fitri gatot gunar "
    "hadi hari hasan hendra heri ida ika ilham imam indra irwan iwan jaya joko juni karta kusno lestari "
    "lukman maman marta maryam mulya nana nanang nur nurul purna putra rahmat ratna reza rina rohim "
    "rudi ruhi sae sapto sarto seno setia sigit slamet sri suber sugi suhar sukar sulis sumar supar "
    "supri surya susi sutri taufik teguh tri tuti umar wahyu wardi wati widya wira yanti yudi yusuf "
    "zainal zul abdul rahman hamid kadir latif malik rasyid salim yahya ismail ibrahim daud harun "
    "rusdi baharu jamal kamal nasir syarif dharma gita kirana laksmi mahesa nanda pramudya ratih "
    "sekar utama wisnu yoga darsa engkos entis karna odang ohim otong ujang unang usep wawan"
)
MALE_ENDINGS = ("", "to", "anto", "ianto", "yanto", "ono", "adi", "man", "din", "udin", "wan", "an", "i",
                "di", "no", "ardi", "win", "syah", "ansyah", "ul", "ullah", "ar")  # fmt: skip
FEMALE_ENDINGS = ("", "ti", "wati", "yanti", "ningsih", "ah", "iah", "ni", "sih", "tun", "asih", "yani",
                  "na", "ita", "ini", "wulan", "sari", "ayu", "rah", "mah")  # fmt: skip
FAMILY_ENDINGS = ("", "to", "anto", "wijaya", "saputra", "ningrat", "kusuma", "atmaja", "diredja", "pradja",
                  "sasmita", "negara", "wibawa", "suganda", "permana", "hidayat", "ansyah")  # fmt: skip
STREET_ROOTS = _words(
    "Merdeka Sukajadi Cibeunying Pasir Kebon Jati Cihampelas Sudirman Pahlawan Kenari Melati Mawar "
    "Anggrek Flamboyan Cempaka Mekar Sari Harapan Sukamaju Sindang Citarum Cimanuk Ciliwung Banjaran "
    "Cileunyi Rancaekek Majalaya Soreang Margahayu Baleendah Dayeuhkolot Bojong Cangkuang Warung"
)
SIZE_RATIO_GOAL = 10
ZIPF_EXPONENT = 1.0  # name frequencies follow a Zipf curve: a few very common, a very long tail
TENANT = "32.04"  # Kabupaten Bandung: 280 desa/kelurahan, about 3.7 million people


def _capital(token: str) -> str:
    return token[:1].upper() + token[1:]


def _vocabulary(head: tuple[str, ...], endings: tuple[str, ...], extra=()) -> list[str]:
    """Real common names first, then Faker's id_ID lists, then root+ending names (deduplicated)."""
    seen, names = set(), []
    built = [_capital(root + ending) for ending in endings for root in ROOTS if len(root + ending) <= 12]
    for name in (*head, *extra, *built):
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    return names


class _Zipf:
    """Draws from a vocabulary with probability proportional to 1 / rank**s (rank 1 = first)."""

    def __init__(self, words: list[str], exponent: float = ZIPF_EXPONENT) -> None:
        self.words = words
        total, self.cumulative = 0.0, []
        for rank in range(1, len(words) + 1):
            total += 1 / rank**exponent
            self.cumulative.append(total)

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.words, cum_weights=self.cumulative)[0]


def _name_tables():
    from faker.providers.person.id_ID import Provider

    male = _Zipf(_vocabulary(MALE_HEAD, MALE_ENDINGS, Provider.first_names_male))
    female = _Zipf(_vocabulary(FEMALE_HEAD, FEMALE_ENDINGS, Provider.first_names_female))
    family = _Zipf(_vocabulary(FAMILY_HEAD, FAMILY_ENDINGS, Provider.last_names))
    return male, female, family


def _areas(rng: random.Random) -> list[str]:
    """The real desa/kelurahan codes of the tenant (vendored idn-area-data)."""
    from praja.core.reference.areas import iter_area_rows

    return sorted(code for code, _p, _l, _n in iter_area_rows(("village",)) if code.startswith(TENANT + "."))


def _birth_date(rng: random.Random) -> datetime.date:
    """Ages 0-90 with fewer old people; 5 % recorded as 1 January and 1 % as 31 December (the
    registry's stand-in when the real date was unknown, common among older rural residents)."""
    age = int(rng.expovariate(1 / 32))
    while age > 90:
        age = int(rng.expovariate(1 / 32))
    year = 2026 - age
    draw = rng.random()
    if draw < 0.05:
        return datetime.date(year, 1, 1)
    if draw < 0.06:
        return datetime.date(year, 12, 31)
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))


_SERIALS: dict[str, int] = {}


def _nik(area: str, born: datetime.date, female: bool) -> str:
    """A unique NIK: kecamatan code, birth date (+40 for women), and the next serial of that prefix,
    as Dukcapil numbers them (the generator never gives two people one NIK by accident)."""
    day = born.day + (40 if female else 0)
    prefix = f"{area[:8].replace('.', '')}{day:02d}{born.month:02d}{born.year % 100:02d}"
    serial = _SERIALS[prefix] = _SERIALS.get(prefix, 0) + 1
    return f"{prefix}{serial:04d}"


def _full_name(rng: random.Random, female: bool, tables) -> str:
    """One to three parts, as on Indonesian KTPs: single Javanese names, given + given, given + marga."""
    male, given_female, family = tables
    given = given_female if female else male
    shape = rng.random()
    if shape < 0.15:
        parts = [given.draw(rng)]
    elif shape < 0.65:
        parts = [given.draw(rng), given.draw(rng) if rng.random() < 0.5 else family.draw(rng)]
    else:
        parts = [given.draw(rng), given.draw(rng), family.draw(rng)]
    return " ".join(parts)


def _person(rng: random.Random, pk: int, areas: list[str], tables) -> matching.Person:
    female = rng.random() < 0.5
    born = _birth_date(rng)
    area = rng.choice(areas)
    mother = _full_name(rng, True, tables) if rng.random() < 0.97 else ""
    address = (
        f"Kp. {rng.choice(STREET_ROOTS)} {rng.choice(STREET_ROOTS)} No. {rng.randrange(1, 300)} "
        f"RT {rng.randrange(1, 15):03d} RW {rng.randrange(1, 12):03d}"
    )
    return matching.Person(
        pk, _nik(area, born, female), _full_name(rng, female, tables), born, "P" if female else "L",
        mother, address, area,
    )  # fmt: skip


def _typo(rng: random.Random, token: str) -> str:
    if len(token) < 4:
        return token + rng.choice("aiuh")
    i = rng.randrange(1, len(token) - 1)
    kind = rng.randrange(4)
    letters = "abcdefghijklmnoprstuwy"
    if kind == 0:
        return token[:i] + rng.choice(letters) + token[i + 1 :]
    if kind == 1:
        return token[:i] + token[i + 1 :]
    if kind == 2:
        return token[:i] + rng.choice(letters) + token[i:]
    return token[: i - 1] + token[i] + token[i - 1] + token[i + 1 :]


def _mutate_name(rng: random.Random, name: str) -> str:
    tokens = name.split()
    kind = rng.randrange(5)
    if kind == 0:  # typo in one part
        i = rng.randrange(len(tokens))
        tokens[i] = _typo(rng, tokens[i])
    elif kind == 1:  # family name first
        tokens = tokens[-1:] + tokens[:-1]
    elif kind == 2:  # old spelling
        text = " ".join(tokens)
        for new, old in (("u", "oe"), ("j", "dj"), ("c", "tj")):
            if new in text:
                return text.replace(new, old, 1)
        return _typo(rng, text)
    elif kind == 3:  # title
        tokens = [rng.choice(["H.", "Hj.", "Drs."]), *tokens]
    else:  # two small changes: typo and upper case
        i = rng.randrange(len(tokens))
        tokens[i] = _typo(rng, tokens[i]).upper()
    return " ".join(tokens)


def _mutate_birth(rng: random.Random, born: datetime.date) -> datetime.date:
    if rng.random() >= 0.2:
        return born
    if born.day <= 12 and born.day != born.month:
        return born.replace(day=born.month, month=born.day)
    try:
        return born.replace(day=born.day % 28 + 1)
    except ValueError:
        return born


def generate(size: int, *, seed: int) -> tuple[list[matching.Person], set[tuple[int, int]]]:
    """`size` people of whom 1 % are exact and 2 % near duplicates of distinct originals."""
    rng = random.Random(seed)
    _SERIALS.clear()
    areas = _areas(rng)
    tables = _name_tables()
    exact_count, near_count = size // 100, size // 50
    base_count = size - exact_count - near_count
    people = [_person(rng, pk, areas, tables) for pk in range(base_count)]
    originals = rng.sample(range(base_count), exact_count + near_count)
    planted: set[tuple[int, int]] = set()
    pk = base_count
    for index, original_pk in enumerate(originals):
        original = people[original_pk]
        if index < exact_count:
            copy = matching.Person(
                pk, original.nik, original.full_name.upper(), original.birth_date, original.sex,
                original.mother_name, original.address.replace("Jl.", "Jalan").replace("No. ", ""),
                original.area_code,
            )  # fmt: skip
        else:
            copy = matching.Person(
                pk, _nik(original.area_code, original.birth_date, original.sex == "P"),
                _mutate_name(rng, original.full_name), _mutate_birth(rng, original.birth_date), original.sex,
                original.mother_name, original.address.replace("Jl.", "Jalan"), original.area_code,
            )  # fmt: skip
        people.append(copy)
        planted.add((original_pk, pk))
        pk += 1
    rng.shuffle(people)
    return people, planted


def _cold_caches() -> None:
    """Empty the engine's memo caches so every timed run pays for its own normalisation."""
    matching._name_token.cache_clear()
    matching.phonetic_key.cache_clear()


def engine_pairs(people, *, max_block: int) -> tuple[set[tuple[int, int]], matching.BlockingStats]:
    _cold_caches()
    stats = matching.BlockingStats()
    found = set()
    for group in matching.exact_groups(((p.id, p.nik) for p in people), field="nik"):
        ids = sorted(group.ids)
        found.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    for match in matching.find_near_duplicates(people, max_block=max_block, stats=stats):
        found.add((min(match.left, match.right), max(match.left, match.right)))
    return found, stats


def naive_pairs(people) -> set[tuple[int, int]]:
    _cold_caches()
    found = set()
    for group in matching.exact_groups(((p.id, p.nik) for p in people), field="nik"):
        ids = sorted(group.ids)
        found.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1 :])
    for match in matching.all_pairs_near_duplicates(people):
        found.add((min(match.left, match.right), max(match.left, match.right)))
    return found


def score(found: set, planted: set) -> tuple[float, float]:
    hits = len(found & planted)
    return hits / len(planted) if planted else 1.0, hits / len(found) if found else 1.0


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.grants_duplicates", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--sizes", default="100000,1000000", help="comma-separated sizes (default 100000,1000000)"
    )
    parser.add_argument("--baseline-size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261129)
    parser.add_argument("--max-block", type=int, default=matching.DEFAULT_MAX_BLOCK)
    args = parser.parse_args(argv)
    sizes = sorted(int(size) for size in args.sizes.split(",") if size.strip())

    print(f"baseline on {args.baseline_size:,} people (seed {args.seed})", flush=True)
    people, planted = generate(args.baseline_size, seed=args.seed)
    naive, naive_wall, naive_cpu = _timed(naive_pairs, people)
    (engine, _stats), engine_wall, engine_cpu = _timed(engine_pairs, people, max_block=args.max_block)
    print("| method | people | wall s | CPU s | recall | precision |\n|---|---|---|---|---|---|")
    for label, found, wall, cpu in (
        ("naive all-pairs", naive, naive_wall, naive_cpu),
        ("blocking engine", engine, engine_wall, engine_cpu),
    ):
        recall, precision = score(found, planted)
        print(
            f"| {label} | {args.baseline_size:,} | {wall:.2f} | {cpu:.2f} | {recall:.3f} | {precision:.3f} |"
        )
    print(
        f"engine vs naive: {naive_cpu / engine_cpu:.1f}x less CPU; "
        f"pairs only the naive comparison found: {len(naive - engine)}"
    )
    del people, planted, naive, engine
    gc.collect()

    cpu_times = {}
    print(
        "\n| people | planted pairs | wall s | CPU s | recall | precision | candidate pairs | compared | "
        "oversized blocks | peak RSS MB |\n|---|---|---|---|---|---|---|---|---|---|"
    )
    for size in sizes:
        people, planted = generate(size, seed=args.seed)
        gc.collect()
        # The population is input, not work: keep the collector from re-scanning its millions of
        # objects during the timed run (the import task likewise loads the registry first).
        gc.freeze()
        (found, stats), wall, cpu = _timed(engine_pairs, people, max_block=args.max_block)
        cpu_times[size] = cpu
        recall, precision = score(found, planted)
        print(
            f"| {size:,} | {len(planted):,} | {wall:.1f} | {cpu:.1f} | {recall:.3f} | {precision:.3f} | "
            f"{stats.candidate_pairs:,} | {stats.compared_pairs:,} | {stats.oversized_blocks} | "
            f"{_rss_mb():.0f} |",
            flush=True,
        )
        del people, planted, found
        gc.unfreeze()
        gc.collect()
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        ratio = large / small
        print(
            f"\ngrowth CPU time({large:,})/CPU time({small:,}) = {cpu_times[large] / cpu_times[small]:.1f} "
            f"for a size ratio of {ratio:.0f} (linear = {ratio:.0f}; all-pairs would be {ratio**2:.0f})"
        )
    return 0


def _timed(function, *args, **kwargs):
    """(result, wall seconds, CPU seconds of this process): CPU time is steadier on a shared machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
