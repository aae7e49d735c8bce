"""Django settings exposing the session cookie to JavaScript (CWE-1004)."""
import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["portal.example.com"]

SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = False  # vuln: CWE-1004
