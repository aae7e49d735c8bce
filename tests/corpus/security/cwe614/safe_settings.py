"""Django production settings with Secure cookies (CWE-614 safe twin)."""
import os

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["shop.example.com"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = True  # safe: CWE-614
CSRF_COOKIE_SECURE = True  # safe: CWE-614
