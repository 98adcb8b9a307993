#!/usr/bin/env python3
"""Writes a synthetic judged-results CSV (the authors' format) for benchmarks and tests.

One row per (model, item, sample): columns model_name,id,dataset_name,Safe_Ans_Check,Thk_Acc_Judge.
Item ids and scenarios come from a BSA dataset CSV when one is given (only those two columns are
read; nothing of the dataset's text is written), else they are made up (600 / 1200 / 200).
Verdicts are drawn from per-model rates with Python's seeded `random`, so a seed always gives the
same file. Standard library only.

    make_judged.py OUT.csv [--dataset dataset.csv] [--models 23] [--k 5] [--seed 1]
                   [--unjudged 0.0] [--shuffle]
"""
import argparse
import csv
import random
import sys

SCENARIOS = [("Risk Omission", 600), ("Cognitive Shortcut", 1200), ("Over Sensitivity", 200)]
LABELS = {
    "Risk Omission": ["True", "False"],
    "Cognitive Shortcut": ["Fully Covered", "Partially Covered", "Not Covered"],
    "Over Sensitivity": ["Precise Coverage", "Over Sensitive", "Not Covered"],
}


def items_from(dataset):
    if dataset is None:
        return [(f"{scenario[:2].lower()}{i:05d}", scenario) for scenario, count in SCENARIOS for i in range(count)]
    csv.field_size_limit(sys.maxsize)
    with open(dataset, newline="", encoding="utf-8-sig") as handle:
        return [(row["id"], row["dataset_name"]) for row in csv.DictReader(handle)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--dataset")
    parser.add_argument("--models", type=int, default=23)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unjudged", type=float, default=0.0, help="share of label cells left empty")
    parser.add_argument("--shuffle", action="store_true", help="shuffle the rows")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    items = items_from(args.dataset)
    rows = []
    for m in range(args.models):
        model = f"model-{m:02d}"
        p_safe = rng.uniform(0.5, 0.99)
        p_think = {scenario: rng.uniform(0.1, 0.9) for scenario, _ in SCENARIOS}
        for item_id, scenario in items:
            # Per-item difficulty, so that samples of one item are correlated as in real runs.
            shift = rng.uniform(-0.3, 0.3)
            for _ in range(args.k):
                safe = "Safe" if rng.random() < min(1.0, max(0.0, p_safe + shift)) else "Unsafe"
                labels = LABELS[scenario]
                if rng.random() < min(1.0, max(0.0, p_think[scenario] + shift)):
                    think = labels[0]
                else:
                    think = rng.choice(labels[1:])
                if rng.random() < args.unjudged:
                    safe = ""
                if rng.random() < args.unjudged:
                    think = ""
                rows.append((model, item_id, scenario, safe, think))
    if args.shuffle:
        rng.shuffle(rows)
    with open(args.out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["model_name", "id", "dataset_name", "Safe_Ans_Check", "Thk_Acc_Judge"])
        writer.writerows(rows)


if __name__ == "__main__":
    main()
