"""Bootstrapped F1 with NumPy's global generator, never seeded."""

import numpy as np
from sklearn.metrics import f1_score

y_true, y_pred = np.load("labels.npy"), np.load("preds.npy")
scores = []
for _ in range(1000):
    idx = np.random.randint(0, len(y_true), len(y_true))  # bug: reproducibility
    scores.append(f1_score(y_true[idx], y_pred[idx]))
print(np.percentile(scores, [2.5, 97.5]))
