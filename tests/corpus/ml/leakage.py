"""Train/test leakage: preprocessing before the split, fits on the test split, early stopping on
the test split, oversampling before the split, and their correct look-alikes."""

import numpy as np
import pandas as pd
import sklearn.preprocessing as pp
from catboost import CatBoostClassifier
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline as imb_pipeline
from lightgbm import LGBMRegressor, early_stopping
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, mean_absolute_error, roc_auc_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.model_selection import train_test_split as tts
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.tree import DecisionTreeClassifier
from sklearn.preprocessing import LabelEncoder, StandardScaler
from sklearn.utils import resample
from tensorflow import keras
from xgboost import XGBClassifier


# --- 1. preprocessing fitted on the whole data before the split or the cross-validation ---

def scale_then_split(df):
    X = df.drop(columns=["target"]).values
    y = df["target"].values
    X = StandardScaler().fit_transform(X)  # bug: leakage
    X_train, X_test, y_train, y_test = tts(X, y, test_size=0.2, random_state=0)
    model = LogisticRegression().fit(X_train, y_train)
    return accuracy_score(y_test, model.predict(X_test))


def fit_then_transform_splits(X, y):
    scaler = pp.MinMaxScaler()
    scaler.fit(X)  # bug: leakage
    X_train, X_test, y_train, y_test = tts(X, y)
    model = LogisticRegression().fit(scaler.transform(X_train), y_train)
    return model.score(scaler.transform(X_test), y_test)


def impute_columns_then_split(df, cols):
    df[cols] = SimpleImputer(strategy="median").fit_transform(df[cols])  # bug: leakage
    X_train, X_test, y_train, y_test = tts(df[cols], df.target, stratify=df.target)
    return X_train, X_test, y_train, y_test


def select_features_then_cross_validate(X, y):
    X_best = SelectKBest(f_classif, k=20).fit_transform(X, y)  # bug: leakage
    return cross_val_score(LogisticRegression(), X_best, y, cv=5).mean()


def tfidf_then_grid_search(texts, labels):
    vectorizer = TfidfVectorizer(min_df=2)
    features = vectorizer.fit_transform(texts)  # bug: leakage
    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1, 10]}, cv=StratifiedKFold(5))
    search.fit(features, labels)
    return search.best_score_


def pca_then_kfold(X, y):
    reduced = PCA(n_components=10).fit_transform(X)  # bug: leakage
    scores = []
    for train, test in StratifiedKFold(n_splits=5).split(reduced, y):
        model = LogisticRegression().fit(reduced[train], y[train])
        scores.append(model.score(reduced[test], y[test]))
    return np.mean(scores)


def pipeline_cross_validated(X, y):
    pipe = make_pipeline(StandardScaler(), LogisticRegression())  # fine: leakage
    return cross_val_score(pipe, X, y, cv=5)


def pipeline_grid_search(X, y):
    pipe = Pipeline([("scale", StandardScaler()), ("select", SelectKBest()), ("clf", LogisticRegression())])
    grid = GridSearchCV(pipe, {"select__k": [5, 10]}, cv=5)
    grid.fit(X, y)  # fine: leakage
    return grid.best_estimator_


def split_then_scale(X, y):
    X_train, X_test, y_train, y_test = tts(X, y, random_state=42)
    scaler = StandardScaler()
    X_train = scaler.fit_transform(X_train)  # fine: leakage
    X_test = scaler.transform(X_test)  # fine: leakage
    model = LogisticRegression().fit(X_train, y_train)  # fine: leakage
    return model.score(X_test, y_test)


def final_model_on_all_data(X, y):
    scaler = StandardScaler()
    X_scaled = scaler.fit_transform(X)  # fine: leakage
    return LogisticRegression().fit(X_scaled, y), scaler


def clustering(X):
    X = StandardScaler().fit_transform(X)  # fine: leakage
    return KMeans(n_clusters=3, n_init=10).fit_predict(X)


def pca_for_a_plot(X, y, plot):
    plot(PCA(n_components=2).fit_transform(X), y)  # fine: leakage
    X_train, X_test, y_train, y_test = tts(X, y)
    model = LogisticRegression().fit(X_train, y_train)
    return model.score(X_test, y_test)


def encodings_then_split(df):
    X = pd.get_dummies(df.drop(columns=["label"]))
    y = LabelEncoder().fit_transform(df["label"])  # fine: leakage
    X_train, X_test, y_train, y_test = tts(X, y)
    return X_train, X_test, y_train, y_test


def reassigned_before_split(X, y, load):
    X = StandardScaler().fit_transform(X)  # fine: leakage
    X = load("features.parquet")
    return tts(X, y)


# --- 2. fitting on the test split ---

def refit_scaler_on_test(X, y):
    X_train, X_test, y_train, y_test = tts(X, y)
    scaler = StandardScaler()
    X_train = scaler.fit_transform(X_train)
    X_test = scaler.fit_transform(X_test)  # bug: leakage
    model = LogisticRegression().fit(X_train, y_train)
    return model.score(X_test, y_test)


def model_fitted_on_test(X, y):
    X_train, X_test, y_train, y_test = tts(X, y, test_size=0.3)
    clf = XGBClassifier(n_estimators=200)
    clf.fit(X_test, y_test)  # bug: leakage
    return roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1])


def search_on_test(X, y):
    X_train, X_test, y_train, y_test = tts(X, y)
    grid = GridSearchCV(LogisticRegression(), {"C": [1, 10]})
    grid.fit(X_test, y_test)  # bug: leakage
    return grid.score(X_test, y_test)


def unknown_object_on_test(X, y, tracker):
    X_train, X_test, y_train, y_test = tts(X, y)
    tracker.fit(X_test)  # fine: leakage
    return X_train, y_train


# --- 3. the test split used for early stopping and then for the final score ---

def xgb_early_stopping_on_test(X, y):
    X_train, X_test, y_train, y_test = tts(X, y, test_size=0.2)
    model = XGBClassifier(n_estimators=1000, early_stopping_rounds=50)
    model.fit(X_train, y_train, eval_set=[(X_test, y_test)], verbose=False)  # bug: leakage
    return accuracy_score(y_test, model.predict(X_test))


def lgbm_early_stopping_on_test(X, y):
    X_train, X_test, y_train, y_test = tts(X, y)
    model = LGBMRegressor(n_estimators=2000)
    model.fit(X_train, y_train, eval_set=[(X_test, y_test)], callbacks=[early_stopping(100)])  # bug: leakage
    return mean_absolute_error(y_test, model.predict(X_test))


def keras_early_stopping_on_test(x, y, build):
    x_train, x_test, y_train, y_test = tts(x, y, test_size=0.2)
    model = build()
    stop = keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)
    model.fit(x_train, y_train, validation_data=(x_test, y_test), epochs=100, callbacks=[stop])  # bug: leakage
    return model.evaluate(x_test, y_test)


def catboost_best_model_on_test(X, y):
    X_train, X_test, y_train, y_test = tts(X, y)
    model = CatBoostClassifier(iterations=500, verbose=0)
    model.fit(X_train, y_train, eval_set=(X_test, y_test))  # bug: leakage
    return model.score(X_test, y_test)


def xgb_early_stopping_on_validation(X, y):
    X_rest, X_test, y_rest, y_test = tts(X, y, test_size=0.2)
    X_train, X_val, y_train, y_val = tts(X_rest, y_rest, test_size=0.25)
    model = XGBClassifier(n_estimators=1000, early_stopping_rounds=50)
    model.fit(X_train, y_train, eval_set=[(X_val, y_val)], verbose=False)  # fine: leakage
    return accuracy_score(y_test, model.predict(X_test))


def keras_monitoring_without_stopping(x, y, build):
    x_train, x_test, y_train, y_test = tts(x, y)
    model = build()
    model.fit(x_train, y_train, validation_data=(x_test, y_test), epochs=10)  # fine: leakage
    return model.evaluate(x_test, y_test)


def eval_set_never_scored(X, y):
    X_train, X_valid, y_train, y_valid = tts(X, y)
    model = LGBMRegressor()
    model.fit(X_train, y_train, eval_set=[(X_valid, y_valid)], callbacks=[early_stopping(20)])  # fine: leakage
    return model


# --- 4. oversampling before the split ---

def smote_then_split(X, y):
    X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)  # bug: leakage
    X_train, X_test, y_train, y_test = tts(X_res, y_res, stratify=y_res)
    model = LogisticRegression().fit(X_train, y_train)
    return model.score(X_test, y_test)


def upsample_then_split(df):
    majority = df[df.label == 0]
    minority = df[df.label == 1]
    upsampled = resample(minority, replace=True, n_samples=len(majority), random_state=1)  # bug: leakage
    balanced = pd.concat([majority, upsampled])
    X = balanced.drop(columns="label")
    return tts(X, balanced.label)


def smote_then_cross_validate(X, y):
    X_res, y_res = SMOTE().fit_resample(X, y)  # bug: leakage
    return cross_val_score(LogisticRegression(), X_res, y_res, cv=5)


def smote_on_training_split(X, y):
    X_train, X_test, y_train, y_test = tts(X, y, stratify=y)
    X_train, y_train = SMOTE().fit_resample(X_train, y_train)  # fine: leakage
    model = LogisticRegression().fit(X_train, y_train)
    return model.score(X_test, y_test)


def smote_inside_pipeline(X, y):
    pipe = imb_pipeline(SMOTE(), LogisticRegression())  # fine: leakage
    return cross_val_score(pipe, X, y, cv=5)


def downsample_then_split(df):
    majority = df[df.label == 0]
    minority = df[df.label == 1]
    fewer = resample(majority, replace=False, n_samples=len(minority))  # fine: leakage
    balanced = pd.concat([fewer, minority])
    return tts(balanced.drop(columns="label"), balanced.label)


def depth_picked_on_test(X, y):
    X_train, X_test, y_train, y_test = tts(X, y, random_state=0)
    scores = []
    for depth in range(1, 12):
        tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X_train, y_train)
        scores.append(accuracy_score(y_test, tree.predict(X_test)))  # bug: leakage
    best = int(np.argmax(scores)) + 1
    return DecisionTreeClassifier(max_depth=best, random_state=0).fit(X_train, y_train).score(X_test, y_test)


def depth_picked_on_validation(X, y):
    X_train, X_test, y_train, y_test = tts(X, y, random_state=0)
    X_fit, X_val, y_fit, y_val = tts(X_train, y_train, random_state=0)
    best, best_depth = 0.0, 1
    for depth in range(1, 12):
        tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X_fit, y_fit)
        score = accuracy_score(y_val, tree.predict(X_val))  # fine: leakage
        if score > best:
            best, best_depth = score, depth
    final = DecisionTreeClassifier(max_depth=best_depth, random_state=0).fit(X_train, y_train)
    return final.score(X_test, y_test)


def depth_curve_plotted(X, y):
    X_train, X_test, y_train, y_test = tts(X, y, random_state=0)
    for depth in range(1, 12):
        tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X_train, y_train)
        print(depth, accuracy_score(y_test, tree.predict(X_test)))  # fine: leakage
