"""Django settings where debug is opt-in and defaults to off (CWE-489 safe twin)."""
import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = os.environ.get("DJANGO_DEBUG", "False") == "True"  # safe: CWE-489
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "api.example.com").split(",")
