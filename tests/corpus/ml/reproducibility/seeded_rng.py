"""A seeded Generator of its own and a seeded DataLoader generator."""

import numpy as np
import torch
from sklearn.metrics import roc_auc_score
from torch.utils.data import DataLoader

rng = np.random.default_rng(7)
idx = rng.choice(1000, size=100, replace=False)  # fine: reproducibility
g = torch.Generator().manual_seed(7)
loader = DataLoader(dataset, batch_size=32, shuffle=True, generator=g)  # fine: reproducibility
print("auc", roc_auc_score(labels[idx], scores[idx]))
