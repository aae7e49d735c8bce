"""A quick TF-IDF baseline to beat before fine-tuning (written the way an assistant might)."""

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

from .finetune import load_tickets

if __name__ == "__main__":
    tickets = load_tickets("tickets.csv")
    train, test = train_test_split(tickets, test_size=0.2, stratify=tickets["label"])  # expect: RV510
    features = TfidfVectorizer(min_df=2).fit(train["text"])
    clf = LogisticRegression(max_iter=1000).fit(features.transform(train["text"]), train["label"])
    predicted = clf.predict(features.transform(test["text"]))
    print(f"baseline accuracy: {accuracy_score(test['label'], predicted):.3f}")
