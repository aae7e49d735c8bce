"""NumPy's global seed also fixes scikit-learn's default `random_state`."""

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import f1_score

np.random.seed(0)
idx = np.random.permutation(1000)  # fine: reproducibility
forest = RandomForestClassifier(n_estimators=100)  # fine: reproducibility
forest.fit(X[idx[:800]], y[idx[:800]])
print("f1", f1_score(y[idx[800:]], forest.predict(X[idx[800:]])))
