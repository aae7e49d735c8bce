"""Django settings where debug defaults to on when the env var is missing (CWE-489)."""
import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = os.environ.get("DJANGO_DEBUG", "True") == "True"  # vuln: CWE-489
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "api.example.com").split(",")
