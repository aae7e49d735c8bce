"""A classical baseline for the ticket router: TF-IDF features and a logistic regression."""

import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split


def leaky_baseline(tickets: pd.DataFrame) -> float:
    vectorizer = TfidfVectorizer(min_df=2)
    features = vectorizer.fit_transform(tickets["text"])  # expect: RV509
    X_train, X_test, y_train, y_test = train_test_split(features, tickets["label"], random_state=0)
    model = LogisticRegression(max_iter=1000).fit(X_train, y_train)
    return model.score(X_test, y_test)


def baseline(tickets: pd.DataFrame) -> float:
    X_train, X_test, y_train, y_test = train_test_split(tickets["text"], tickets["label"], random_state=0)
    vectorizer = TfidfVectorizer(min_df=2)
    train_features = vectorizer.fit_transform(X_train)  # ok: RV509
    model = LogisticRegression(max_iter=1000).fit(train_features, y_train)
    return model.score(vectorizer.transform(X_test), y_test)
