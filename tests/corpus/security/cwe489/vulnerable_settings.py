"""Django production settings module (settings/prod.py) with debug left on (CWE-489)."""
import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = True  # vuln: CWE-489
ALLOWED_HOSTS = ["api.example.com"]
TEMPLATE_DEBUG = DEBUG
