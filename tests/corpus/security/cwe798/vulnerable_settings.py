"""Django settings with committed credentials (CWE-798)."""
SECRET_KEY = "django-insecure-7f#k2p!x9@q$w3e^r5t*y8u(i0o)p-a=s+d"  # vuln: CWE-798
DEBUG = False
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop", "USER": "shop", "PASSWORD": "sh0p-db-p4ss", "HOST": "db.internal"}}  # vuln: CWE-798
