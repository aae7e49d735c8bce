"""A quick baseline: the split changes every run, and so does the accuracy."""

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

df = pd.read_csv("churn.csv")
X, y = df.drop(columns=["churn"]), df["churn"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)  # bug: reproducibility
clf = LogisticRegression(max_iter=1000).fit(X_train, y_train)
print("accuracy:", accuracy_score(y_test, clf.predict(X_test)))
