"""Determinism or speed, chosen by a flag: never both."""

import torch


def setup(args):
    if args.deterministic:
        torch.manual_seed(args.seed)
        torch.backends.cudnn.deterministic = True
    else:
        torch.backends.cudnn.benchmark = True  # fine: reproducibility
    torch.backends.cudnn.enabled = True
