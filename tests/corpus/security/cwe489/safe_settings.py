"""Django production settings module (settings/prod.py) with debug off (CWE-489 safe twin)."""
import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False  # safe: CWE-489
ALLOWED_HOSTS = ["api.example.com"]
TEMPLATE_DEBUG = DEBUG
