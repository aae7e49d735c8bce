"""Subsample the prompts with `random` and report the accuracy."""

import json
import random

prompts = json.load(open("prompts.json"))
random.shuffle(prompts)  # bug: reproducibility
subset = prompts[:200]
correct = sum(ask(p["question"]) == p["answer"] for p in subset)
print(f"accuracy = {correct / len(subset):.2%}")
