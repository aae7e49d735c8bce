"""A PyTorch run that shuffles and initializes without a seed."""

import torch
from torch.utils.data import DataLoader


def run(model, train_set, test_set, epochs=3):
    loader = DataLoader(train_set, batch_size=64, shuffle=True)  # bug: reproducibility
    fit(model, loader, epochs)
    acc = evaluate(model, DataLoader(test_set, batch_size=256))
    print(f"test acc: {acc:.4f}")


if __name__ == "__main__":
    run(build(), *datasets())
