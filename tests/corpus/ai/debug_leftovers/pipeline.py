"""Training pipeline module (library code inside a package)."""

import logging
import sys

logger = logging.getLogger(__name__)


def load_rows(path):
    print(f"Loading {path}")  # expect: RV306
    with open(path, encoding="utf-8") as handle:
        rows = handle.read().splitlines()
    print("rows:", len(rows))  # expect: RV306
    logger.info("loaded %d rows", len(rows))  # ok: RV306
    return rows


def clean(rows):
    cleaned = [r.strip() for r in rows if r.strip()]
    print("DEBUG cleaned", cleaned[:5])  # expect: RV306
    return cleaned


def train(rows, epochs=3):
    for epoch in range(epochs):
        loss = 1.0 / (epoch + 1)
        print(f"epoch {epoch}: loss={loss:.4f}")  # expect: RV306
    print("Training complete!")  # expect: RV306
    return loss


class Evaluator:
    def __init__(self, threshold):
        self.threshold = threshold
        print("Evaluator initialised with", threshold)  # expect: RV306

    def score(self, predictions, labels):
        correct = sum(p == y for p, y in zip(predictions, labels))
        accuracy = correct / max(len(labels), 1)
        print("accuracy =", accuracy)  # expect: RV306
        return accuracy

    def report(self, accuracy):
        print(f"WARNING: accuracy {accuracy} below threshold", file=sys.stderr)  # ok: RV306
        logger.warning("accuracy %.3f", accuracy)
        return accuracy >= self.threshold


def save(rows, path):
    with open(path, "w", encoding="utf-8") as handle:
        print(*rows, sep="\n", file=handle)  # ok: RV306
    print("saved", path)  # expect: RV306


def main():
    rows = clean(load_rows(sys.argv[1]))
    print(f"{len(rows)} rows, loss {train(rows):.3f}")  # ok: RV306


if __name__ == "__main__":
    print("running pipeline")  # ok: RV306
    main()
