"""A time series split in order: nothing random, nothing to seed."""

import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_absolute_error
from sklearn.model_selection import TimeSeriesSplit, train_test_split

sales = pd.read_csv("sales.csv", parse_dates=["day"]).set_index("day")
X, y = sales.drop(columns=["units"]), sales["units"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, shuffle=False)  # fine: reproducibility
folds = TimeSeriesSplit(n_splits=5)  # fine: reproducibility
model = Ridge(alpha=1.0).fit(X_train, y_train)
print("MAE:", mean_absolute_error(y_test, model.predict(X_test)))
