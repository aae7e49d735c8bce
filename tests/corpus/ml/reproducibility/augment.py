"""A library module: random augmentations, no metrics, nothing runs on import."""

import random

import numpy as np


def jitter(points, scale=0.1):
    return points + np.random.normal(0, scale, points.shape)  # fine: reproducibility


def drop_tokens(tokens, p=0.1):
    return [t for t in tokens if random.random() > p]  # fine: reproducibility
