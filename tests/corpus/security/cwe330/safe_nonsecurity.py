"""`random` used for non-security purposes: not CWE-330 (look-alikes)."""
import random
import time

import pandas as pd
import requests
from flask import Flask, jsonify

app = Flask(__name__)
GREETINGS = ["Hi!", "Hello!", "Hey there!", "Welcome back!"]


@app.route("/quiz/<int:quiz_id>")
def quiz_questions(quiz_id):
    questions = [f"q{quiz_id}-{i}" for i in range(20)]
    random.shuffle(questions)  # safe: CWE-330
    return jsonify(questions[:10])


# %% notebook cell: eyeball a sample of rows
def sample_for_labeling(df: pd.DataFrame, k: int = 50) -> pd.DataFrame:
    idx = random.sample(range(len(df)), k)  # safe: CWE-330
    return df.iloc[idx]


def get_with_retries(url, attempts=5):
    for attempt in range(attempts):
        try:
            return requests.get(url, timeout=10)
        except requests.RequestException:
            delay = (2 ** attempt) + random.uniform(0, 1)  # safe: CWE-330
            time.sleep(delay)
    raise RuntimeError("gave up")


def greeting() -> str:
    return random.choice(GREETINGS)  # safe: CWE-330


def train_val_split(items, seed=42):
    rng = random.Random(seed)  # safe: CWE-330
    shuffled = items[:]
    rng.shuffle(shuffled)
    cut = int(len(shuffled) * 0.8)
    return shuffled[:cut], shuffled[cut:]


def roll_dice(sides: int = 6) -> int:
    return random.randint(1, sides)  # safe: CWE-330


def pick_chart_color() -> str:
    return "#%06x" % random.randint(0, 0xFFFFFF)  # safe: CWE-330


def synthetic_latencies(n):
    return [random.gauss(120.0, 15.0) for _ in range(n)]  # safe: CWE-330
