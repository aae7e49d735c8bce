"""Settings module an assistant filled in with the values from the chat."""

import os

OPENAI_API_KEY = "sk-proj-u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdocJ2isAj"  # expect: RV101
AWS_ACCESS_KEY_ID = "AKIA8HT9LGMXG9EDN581"  # expect: RV101
AWS_SECRET_ACCESS_KEY = "O76UMFxFkM+R5Kjp1vRt/1fjORS+6ilI8ihN5KXS"  # expect: RV101
GITHUB_TOKEN = "ghp_b8DwkNhFdnXsiVpzz63FfkCzJr4i0B3JrTAw"  # expect: RV101
SLACK_BOT_TOKEN = "xoxb-63212233079-244026859952-S2G8NPRVdD53X83RZJzzzzgE"  # expect: RV101
HF_TOKEN = "hf_OzdmenCkhvMdgaKjIg8xNbe3nNyjOq9wMx"  # expect: RV101
GOOGLE_MAPS_KEY = "AIza8po-799NksnRH9ucAUsdMlHUvTCQCyEZDz_"  # expect: RV101
DATABASE_URL = "postgresql://admin:Sup3rS3cret42@db.internal:5432/orders"  # expect: RV101

OAUTH = {
    "client_id": "orders-dashboard",
    "client_secret": "b008f86bebb2737f6a6f0fb23c6f5da2",  # expect: RV101
}


def make_token(payload, secret="Z8UzDzV8fUkkibjL5DZPjN0MEQ7w"):  # expect: RV101
    return (payload, secret)


OPENAI_API_KEY_ENV = "OPENAI_API_KEY"  # ok: RV101
API_KEY = os.environ["OPENAI_API_KEY"]  # ok: RV101
LOCAL_DB_URL = "postgresql://app@localhost:5432/orders"  # ok: RV101
TEMPLATE_DB_URL = "postgresql://{user}:{password}@{host}/orders"  # ok: RV101
TOKEN_URL = "https://oauth2.googleapis.com/token"  # ok: RV101
SECRET_NAME = "prod/orders/db-password"  # ok: RV101
PASSWORD_FIELD = "password_hash"  # ok: RV101
MODEL_CHECKSUM = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"  # ok: RV101
