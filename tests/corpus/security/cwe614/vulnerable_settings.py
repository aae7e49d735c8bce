"""Django production settings with insecure cookie transport (CWE-614)."""
import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = False  # vuln: CWE-614
CSRF_COOKIE_SECURE = False  # vuln: CWE-614
