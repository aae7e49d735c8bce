"""PyTorch evaluation: which loops run the model in training mode, and who calls forward()."""

import torch
import torch.nn as nn


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))

    def forward(self, x):
        return self.body.forward(x.flatten(1))  # fine: training

    def predict(self, x):
        return self.forward(x).argmax(1)  # fine: training


def train_epoch(model, optimizer, loader):
    model.train()
    for x, y in loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()


def evaluate(model, loader):
    correct = 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(x).argmax(1) == y).sum().item()  # bug: training
    return correct / len(loader.dataset)


def validate(model, loader):
    model.eval()
    with torch.no_grad():
        return sum((model(x).argmax(1) == y).sum().item() for x, y in loader)  # fine: training


def fit(model, optimizer, train_loader, val_loader, epochs):
    for epoch in range(epochs):
        train_epoch(model, optimizer, train_loader)
        print(epoch, validate(model, val_loader))  # fine: training


def fit_without_restoring(model, optimizer, train_loader, val_loader, epochs):
    model.train()
    for epoch in range(epochs):
        for x, y in train_loader:
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
        print(epoch, validate(model, val_loader))  # bug: training


def fit_inline(model, optimizer, train_loader, val_loader):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    with torch.no_grad():
        for x, y in val_loader:
            logits = model(x)  # bug: training
            print((logits.argmax(1) == y).float().mean().item())


def fit_inline_eval(model, optimizer, train_loader, val_loader):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        for x, y in val_loader:
            logits = model(x)  # fine: training
            print((logits.argmax(1) == y).float().mean().item())


def test(net, loader):
    total = 0.0
    with torch.no_grad():
        for x, y in loader:
            total += nn.functional.cross_entropy(net(x), y).item()  # bug: training
    return total


def report(model, loader):
    model.eval()
    return [model.forward(x) for x, _ in loader]  # bug: training


def extract(model, images):
    model.eval()
    with torch.no_grad():
        return model.module.forward(images)  # bug: training


def embed(encoder, batch):
    with torch.no_grad():
        return encoder(batch)  # fine: training


def predict_proba(model, x):
    model.eval()
    with torch.inference_mode():
        return model(x).softmax(-1)  # fine: training


@torch.no_grad()
def run_inference(model, loader):
    model.train(False)
    return [model(x) for x, _ in loader]  # fine: training


def evaluate_loss(model, loader):  # bug: training
    model.eval()
    return sum(nn.functional.mse_loss(model(x), y).item() for x, y in loader)
