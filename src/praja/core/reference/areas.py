"""Loading and reading the vendored area data set (npm `idn-area-data`, data under ODbL)."""

from __future__ import annotations

import csv
from pathlib import Path

AREA_DATASET = {
    "name": "idn-area-data",
    "version": "4.0.1",
    "licence": "data ODbL 1.0, code MIT",
    "source": "npm package idn-area-data 4.0.1 (github.com/fityannugroho/idn-area-data)",
}
AREA_DATA_DIR = Path(__file__).resolve().parent / "data" / "idn-area-data-4.0.1"
# (file, level, parent column)
AREA_FILES = (
    ("provinces.csv", "province", None),
    ("regencies.csv", "regency", "province_code"),
    ("districts.csv", "district", "regency_code"),
    ("villages.csv", "village", "district_code"),
)

# Time zones follow the province (UU / Keppres 41/1987 on the three Indonesian time zones).
_WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}


def timezone_for_province(province_code: str) -> str:
    if province_code in _WIT_PROVINCES:
        return "Asia/Jayapura"
    if province_code in _WITA_PROVINCES:
        return "Asia/Makassar"
    return "Asia/Jakarta"


def iter_area_rows(levels: tuple[str, ...] = ("province", "regency", "district", "village")):
    """Yield (code, parent_code, level, name) from the vendored CSV files."""
    for file_name, level, parent_column in AREA_FILES:
        if level not in levels:
            continue
        with (AREA_DATA_DIR / file_name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                yield row["code"], row[parent_column] if parent_column else "", level, row["name"]


def load_areas(area_model, dataset_model, batch_size: int = 5000) -> int:
    """Replace the area table with the vendored data; returns the number of rows."""
    area_model.objects.all().delete()
    batch = []
    count = 0
    for code, parent_code, level, name in iter_area_rows():
        batch.append(area_model(code=code, parent_code=parent_code, level=level, name=name))
        if len(batch) >= batch_size:
            area_model.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    area_model.objects.bulk_create(batch)
    count += len(batch)
    dataset_model.objects.update_or_create(
        name=AREA_DATASET["name"], defaults={k: v for k, v in AREA_DATASET.items() if k != "name"}
    )
    return count
