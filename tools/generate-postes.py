#!/usr/bin/env python3
"""Generates the synthetic registry of ISCG posts embedded in Observatoire.Data.

Run once; the output (src/Observatoire.Data/Reference/postes.csv) is committed as data.
Deterministic: fixed random seed, departments read in file order, so re-running it
reproduces the same file byte for byte.

Rules:
- about one post per 150,000 inhabitants, at least one per department (~450 posts);
- ids "P-<department>-<nnn>", numbered from 001 within each department;
- zone weighted by department size (big urban departments have more police posts; Paris only police);
- frequency about 65 % monthly, 25 % quarterly, 10 % yearly;
- most posts active since 2018-01-01, others opened later (a few in 2023, 2024, 2025);
- about 3 % closed during 2024;
- FTE mostly 1.0, some 0.8 and 0.5.

Usage: python3 tools/generate-postes.py [departements.csv] [output.csv]
"""

import csv
import datetime
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_INPUT = os.path.join(ROOT, "src", "Observatoire.Data", "Reference", "departements.csv")
DEFAULT_OUTPUT = os.path.join(ROOT, "src", "Observatoire.Data", "Reference", "postes.csv")

SEED = 20250301
INHABITANTS_PER_POST = 150_000
SECTORS = ["nord", "sud", "est", "ouest", "centre", "nord-est", "nord-ouest", "sud-est", "sud-ouest"]


def zone_weights(code, population):
    if code == "75":
        return {"police": 1.0, "gendarmerie": 0.0, "mixte": 0.0}
    if population >= 1_000_000:
        return {"police": 0.60, "gendarmerie": 0.20, "mixte": 0.20}
    if population >= 400_000:
        return {"police": 0.40, "gendarmerie": 0.42, "mixte": 0.18}
    return {"police": 0.28, "gendarmerie": 0.55, "mixte": 0.17}


def pick(rng, weights):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def sector(index):
    # index 0 is the main post of its kind in the department; the next ones get a sector.
    if index <= len(SECTORS):
        return SECTORS[index - 1]
    return f"secteur {index + 1}"


def post_name(zone, department, index):
    if zone == "police":
        base = f"ISCG commissariat {department}"
    elif zone == "gendarmerie":
        base = f"ISCG groupement de gendarmerie {department}" if index == 0 else f"ISCG compagnie de gendarmerie {department}"
    else:
        base = f"ISCG mixte {department}"
    if index == 0:
        return base
    s = sector(index)
    return f"{base} ({s})" if s.startswith("secteur") else f"{base} (secteur {s})"


def first_of_month(year, month):
    return datetime.date(year, month, 1)


def active_from(rng):
    r = rng.random()
    if r < 0.58:
        return datetime.date(2018, 1, 1)
    if r < 0.83:
        return first_of_month(rng.randint(2018, 2022), rng.randint(1, 12))
    if r < 0.91:
        return first_of_month(2023, rng.randint(1, 12))
    if r < 0.96:
        return first_of_month(2024, rng.randint(1, 12))
    return first_of_month(2025, rng.randint(1, 6))


def last_day_of_month(year, month):
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_INPUT
    target = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_OUTPUT
    rng = random.Random(SEED)

    with open(source, encoding="utf-8", newline="") as f:
        departments = list(csv.DictReader(f))

    rows = []
    names = set()
    for d in departments:
        code, name, population = d["code_departement"], d["nom"], int(d["population"])
        count = max(1, round(population / INHABITANTS_PER_POST))
        weights = zone_weights(code, population)
        per_zone = {"police": 0, "gendarmerie": 0, "mixte": 0}
        for n in range(1, count + 1):
            zone = pick(rng, weights)
            # The first post of a department without police-only weighting is its gendarmerie group
            # when the department is small, so every small department has its main post there.
            if n == 1 and population < 400_000 and rng.random() < 0.5:
                zone = "gendarmerie"
            label = post_name(zone, name, per_zone[zone])
            per_zone[zone] += 1
            assert label not in names, label
            names.add(label)

            frequency = pick(rng, {"mois": 0.65, "trimestre": 0.25, "annee": 0.10})
            fte = pick(rng, {"1.0": 0.78, "0.8": 0.12, "0.5": 0.10})
            start = active_from(rng)
            end = ""
            if start.year < 2024 and rng.random() < 0.03:
                end = last_day_of_month(2024, rng.randint(1, 12)).isoformat()
            rows.append([f"P-{code}-{n:03d}", label, code, zone, fte, frequency, start.isoformat(), end])

    with open(target, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["id", "nom", "code_departement", "zone", "etp", "frequence", "actif_du", "actif_au"])
        writer.writerows(rows)

    print(f"{len(rows)} posts written to {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
