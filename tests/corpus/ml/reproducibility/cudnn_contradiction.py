"""Claims determinism, then lets cuDNN pick algorithms by timing."""

import torch


def setup(seed):
    torch.manual_seed(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = True  # bug: reproducibility
