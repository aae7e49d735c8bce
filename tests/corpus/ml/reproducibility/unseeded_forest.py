"""A random forest scored on a fixed split: the forest itself is random."""

from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split


def main(X, y):
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    forest = RandomForestClassifier(n_estimators=200)  # bug: reproducibility
    forest.fit(X_train, y_train)
    print(f"test score {forest.score(X_test, y_test):.3f}")


if __name__ == "__main__":
    main(*load())
