"""Fine-tune a sentiment classifier on customer tickets (written the way an assistant might)."""

import numpy as np
import pandas as pd
import torch
from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, AutoTokenizer

BASE_MODEL = "distilbert-base-uncased"
PINNED = "6cdc0aad91f5ae2e6712e91bc7b65d1cf371c9e4"


def load_tickets(path: str) -> pd.DataFrame:
    tickets = pd.read_csv(path)
    tickets.dropna(subset=["text"])  # expect: RV505
    tickets = tickets.drop_duplicates()  # ok: RV505
    tickets = tickets.fillna({"priority": "low"}, inplace=True)  # expect: RV506
    return tickets


def normalize(tickets: pd.DataFrame) -> pd.DataFrame:
    for _, ticket in tickets.iterrows():
        ticket["priority"] = ticket["priority"].lower()  # expect: RV513
    for index, ticket in tickets.iterrows():
        tickets.at[index, "queue"] = ticket["team"].lower()  # ok: RV513
    return tickets


def unlabeled(tickets: pd.DataFrame) -> pd.DataFrame:
    return tickets[tickets["label"] == np.nan]  # expect: RV503


def mark_urgent(tickets: pd.DataFrame) -> None:
    tickets[tickets["priority"] == "high"]["urgent"] = True  # expect: RV504
    tickets.loc[tickets["priority"] == "high", "urgent"] = True  # ok: RV504


def build():
    tokenizer = AutoTokenizer.from_pretrained(BASE_MODEL)  # expect: RV501
    model = AutoModelForSequenceClassification.from_pretrained(BASE_MODEL, revision=PINNED)  # ok: RV501
    helper = AutoModelForSequenceClassification.from_pretrained("org/ticket-router", trust_remote_code=True)  # expect: RV501, RV502
    reviews = load_dataset("imdb", revision=PINNED)  # ok: RV501
    local = load_dataset("csv", data_files="tickets.csv")  # ok: RV501
    return tokenizer, model, helper, reviews, local


def train(model, optimizer, batches):
    model.train()
    total = 0.0
    for inputs, labels in batches:
        loss = model(**inputs, labels=labels).loss
        loss.backward()
        optimizer.step()  # expect: RV507
        total += loss  # expect: RV508
    return total / len(batches)


def evaluate(model, batches):
    with torch.no_grad():
        return [model(**inputs).logits.argmax(-1) for inputs, _ in batches]  # expect: RV511


def embed(model, inputs):
    model.eval()
    with torch.no_grad():
        hidden = model.forward(**inputs).hidden_states  # expect: RV512
        logits = model(**inputs).logits  # ok: RV512
    return hidden, logits
