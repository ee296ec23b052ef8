"""Duplicate detection of bansos beneficiaries: blocking engine vs a naive all-pairs baseline.

    .venv/bin/python -m bench.grants_duplicates [--sizes 100000,1000000] [--baseline-size 10000]
                                                [--seed 20261129] [--max-block 200]

Generates synthetic beneficiaries with Indonesian-looking names (own deterministic generator: a
seeded `random.Random`, so every run builds the same people) and plants a known set of duplicates:

- exact duplicates (1 %): the same NIK registered again (address written differently);
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


MALE = _words(
    "Ahmad Budi Agus Andi Bambang Dedi Eko Fajar Hendra Irfan Joko Rudi Slamet Teguh Wahyu Yusuf "
    "Rizki Arif Dimas Galih Hadi Ilham Iwan Kurniawan Lukman Nanang Rahmat Sigit Taufik Yoga Zainal "
    "Bayu Cahyo Dani Fikri Gilang Hasan Indra Jaka Krisna Reza Wawan Adi Asep Ujang Dadang Cecep Ade "
    "Aris Eka Ferdi Heri Imam Januar"
)
FEMALE = _words(
    "Siti Dewi Sri Rina Ani Yuni Wati Lestari Fitri Ratna Nur Indah Putri Ayu Dian Endang Kartini "
    "Lina Maya Nina Rani Sari Tuti Umi Wulan Yanti Ida Eni Euis Neneng Popon Imas Cucu Tati Entin "
    "Lilis Iis Dewi Ratih Intan Mega Nadia Rahma Salsa Tika Vina Winda Zahra Aisyah Nurul"
)
MIDDLE = _words(
    "Nur Eka Dwi Tri Adi Putra Putri Sri Dewi Ayu Budi Rahma Indah Sukma Wahyu Hidayat Kusuma Rizki "
    "Fitri Ratna"
)
FAMILY = _words(
    "Santoso Wijaya Saputra Hidayat Setiawan Kurniawan Pratama Rahmawati Lestari Susanto Nugroho "
    "Wibowo Purnama Gunawan Hakim Siregar Nasution Harahap Lubis Simanjuntak Sitompul Tambunan Sinaga "
    "Pane Daulay Rangkuti Suryadi Sulaiman Ramadhan Firmansyah Maulana Hermawan Permana Sugiarto "
    "Haryanto Suharto Sutrisno Supriadi Suhendra Mulyadi Rohman Nurdin Saepudin Sobari Sumarna "
    "Hermansyah Iskandar Syahputra Anwar Basri Fauzi"
)
STREETS = _words(
    "Merdeka Sukajadi Cipaganti Dago Setiabudi Pasirkaliki Kebon Jati Cihampelas Sudirman Gatot "
    "Subroto Ahmad Yani Asia Afrika Braga Riau Diponegoro Pahlawan Kenari Melati Mawar Anggrek "
    "Flamboyan Cempaka"
)
SIZE_RATIO_GOAL = 10


def _areas(rng: random.Random) -> list[str]:
    return [f"32.73.{d:02d}.{1000 + v}" for d in range(1, 31) for v in range(1, 6)]


def _nik(area: str, born: datetime.date, female: bool, serial: int) -> str:
    day = born.day + (40 if female else 0)
    return f"{area[:8].replace('.', '')}{day:02d}{born.month:02d}{born.year % 100:02d}{serial % 10000:04d}"


def _person(rng: random.Random, pk: int, areas: list[str]) -> matching.Person:
    female = rng.random() < 0.5
    first = rng.choice(FEMALE if female else MALE)
    parts = [first]
    if rng.random() < 0.4:
        parts.append(rng.choice(MIDDLE))
    parts.append(rng.choice(FAMILY))
    born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(70 * 365))
    area = rng.choice(areas)
    mother = f"{rng.choice(FEMALE)} {rng.choice(FAMILY)}"
    address = (
        f"Jl. {rng.choice(STREETS)} No. {rng.randrange(1, 300)} "
        f"RT {rng.randrange(1, 15):03d} RW {rng.randrange(1, 12):03d}"
    )
    return matching.Person(
        pk, _nik(area, born, female, pk), " ".join(parts), born, "P" if female else "L", mother, address, area
    )


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
    areas = _areas(rng)
    exact_count, near_count = size // 100, size // 50
    base_count = size - exact_count - near_count
    people = [_person(rng, pk, areas) for pk in range(base_count)]
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
                pk, _nik(original.area_code, original.birth_date, original.sex == "P", pk + 5000),
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
    matching.normalize_name.cache_clear()
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
