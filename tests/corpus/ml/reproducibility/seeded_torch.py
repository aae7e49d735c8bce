"""A PyTorch run seeded once at the start (a helper that seeds every library)."""

import random

import numpy as np
import torch
from torch.utils.data import DataLoader


def set_seed(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def run(model, train_set, test_set):
    loader = DataLoader(train_set, batch_size=64, shuffle=True)  # fine: reproducibility
    noise = torch.randn(16, 3)  # fine: reproducibility
    fit(model, loader, noise)
    print(f"test acc: {evaluate(model, test_set):.4f}")


if __name__ == "__main__":
    set_seed(1234)
    run(build(), *datasets())
