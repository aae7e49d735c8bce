"""Django settings reading credentials from the environment (CWE-798 safe twin)."""
import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]  # safe: CWE-798
DEBUG = False
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop", "USER": "shop", "PASSWORD": os.environ.get("DB_PASSWORD", ""), "HOST": "db.internal"}}  # safe: CWE-798
