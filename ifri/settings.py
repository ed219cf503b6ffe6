"""Settings for the publication CMS, driven by environment variables.

Every value has a safe default so that a fresh checkout runs on SQLite with a
local media folder; production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS
and friends in the environment. See README.md for the full table.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# Local state of the embedded mode (SQLite file, uploads, generated secret).
VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))


def _local_secret_key() -> str:
    """A random key kept in VAR_DIR, so a local install needs no setup.

    Production sets SECRET_KEY in the environment instead: every app server
    must share it.
    """
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env.bool("DEBUG", default=False)
# The site is served over HTTPS unless told otherwise: `make run` and `make
# dev` set HTTPS=off for the local plain-HTTP server.
HTTPS = env.bool("HTTPS", default=True)
SECRET_KEY = env("SECRET_KEY", default="")
# A served site (HTTPS on, DEBUG off) must be given its key: each app server
# would otherwise invent its own, and sessions, password reset links and
# signed values made by one would be refused by the others. Without it the
# key stays empty: Django refuses every use of it, `check --deploy` says so,
# and ifri/wsgi.py and ifri/asgi.py refuse to serve (ifri/secret_key.py),
# while commands that sign nothing (migrate, makemigrations, check) still
# run. A local site and a test run (pytest sets PYTEST_VERSION) generate one.
if not SECRET_KEY and not (HTTPS and not DEBUG and "PYTEST_VERSION" not in os.environ):
    SECRET_KEY = _local_secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "axes",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "reversion",
    "django_prose_editor",
    "csp",
    "ifri",
    "centers",
    "authors",
    "publications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ifri.csp.SiteCSPMiddleware",
    # Before anything reads the path or the query string.
    "ifri.middleware.RejectMalformedRequestMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on every page, so that repeat visits get 304 Not Modified.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # A database that fails gives our 503 page, in the reader's language.
    "ifri.unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Decides who may send files, and how much, before anything reads the
    # body (CsrfViewMiddleware reads it in process_view, after this runs):
    # it needs the user, so it comes after the authentication middleware.
    "ifri.upload_gate.UploadGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ifri.urls"
WSGI_APPLICATION = "ifri.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ifri.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
# A kept connection is checked before a request reuses it: after a database
# restart, no request fails on a connection from before.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Bounded waits, so that a database that is down or frozen costs a 503 within
# seconds, never every worker thread (ifri/database.py, docs/outages.md).
# manage.py commands run without a statement timeout.
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=3)
DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_STATEMENT_TIMEOUT", default=5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the single writer work at once under gunicorn.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # How long a statement waits for another's write lock (0: no limit).
        "timeout": DATABASE_STATEMENT_TIMEOUT or 24 * 3600,
    }
    # Tests run on a file too, in WAL mode like the site: threads get
    # connections of their own that see only committed rows, where an
    # in-memory database would share one connection between them.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Planner settings for each connection. PostgreSQL's default
    # random_page_cost (4) is for spinning disks; on SSDs it makes the planner
    # read whole tables where the search and list indexes are ten times
    # faster. JIT compiles queries it expects to be long, such as the search's
    # facet counts, and spends more time compiling (0.5 s) than it saves.
    # An empty DATABASE_PG_SETTINGS keeps the server's settings.
    pg_settings = env.list(
        "DATABASE_PG_SETTINGS", default=["random_page_cost=1.1", "jit=off"]
    )
    pg_settings.append(f"statement_timeout={int(DATABASE_STATEMENT_TIMEOUT * 1000)}")
    options = DATABASES["default"].setdefault("OPTIONS", {})
    flags = " ".join(f"-c {setting.strip()}" for setting in pg_settings)
    options["options"] = f"{options.get('options', '')} {flags}".strip()
    options["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
    # A server that vanished (host down, network cut) is noticed by the
    # kernel, even by commands that wait without a deadline: idle connections
    # are probed after 30 s, and unacknowledged data drops the connection
    # after 10 s.
    options.update(
        keepalives=1,
        keepalives_idle=30,
        keepalives_interval=10,
        keepalives_count=3,
        tcp_user_timeout=10_000,
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache must be shared by every app server process: whole pages are cached
# and a content change must reach them all. Files under VAR_DIR by default;
# Redis (redis://127.0.0.1:6379/1) in production.
CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}
if CACHES["default"]["BACKEND"].endswith(".filebased.FileBasedCache"):
    # The same files, with an incr() that processes cannot interleave.
    CACHES["default"]["BACKEND"] = "ifri.cache.FileBasedCache"
elif CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    # A Redis that is down, frozen or out of reach is an empty cache, and
    # costs at most CACHE_SOCKET_TIMEOUT seconds (ifri/cache.py).
    CACHES["default"]["BACKEND"] = "ifri.cache.RedisCache"
    CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=1)
    CACHES["default"].setdefault("OPTIONS", {}).update(
        SOCKET_CONNECT_TIMEOUT=CACHE_SOCKET_TIMEOUT,
        SOCKET_TIMEOUT=CACHE_SOCKET_TIMEOUT,
    )
# Keeps this site's keys apart from another's in a shared Redis.
CACHES["default"]["KEY_PREFIX"] = env("CACHE_KEY_PREFIX", default="ifri")
# Each process keeps its most recent pages in memory too, in front of the
# shared cache (ifri/page_cache.py): about 35 KB a page. Safe because a page's
# key carries the content version, read from the shared cache on each request.
CACHES["local_pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "local-pages",
    "TIMEOUT": 600,  # each page is kept with its own, never longer
    "OPTIONS": {"MAX_ENTRIES": 200},
}

# django-axes refuses logins once an account or an address has failed too often
# (ifri/login_throttling.py); Django's own backend then checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Internationalisation: English and French, with language-prefixed URLs.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env("TIME_ZONE", default="Europe/Paris")
USE_TZ = True

# Static files are collected at deploy time and served by WhiteNoise.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Public uploads (images) live under MEDIA_ROOT and MEDIA_URL. Full-analysis
# PDFs go to a separate private storage that has no public URL: readers get
# them only through the download view, which checks visibility first.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private")))
# Serve MEDIA_URL from Django itself: right for the embedded mode (`make run`
# and `make dev` turn it on); a production site has a web server or object
# storage serve uploads.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "ifri.storage.PrivateFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# How the PDF download view hands over the file, once it has checked that the
# reader may see it and counted the download (README: "Storage and PDF
# delivery"): "django" streams it (ranges, 304s), "x-accel" lets nginx stream
# it from an internal location, "s3" redirects to a short-lived signed URL of
# the private bucket.
PDF_DELIVERY = env("PDF_DELIVERY", default="django")
PDF_X_ACCEL_PREFIX = env("PDF_X_ACCEL_PREFIX", default="/protected-pdf/")
PDF_SIGNED_URL_TTL = env.int("PDF_SIGNED_URL_TTL", default=60)
if PDF_DELIVERY not in ("django", "x-accel", "s3"):
    raise ImproperlyConfigured(
        f"PDF_DELIVERY is {PDF_DELIVERY!r}; use django, x-accel or s3."
    )

# S3-compatible object storage (django-storages), off unless a bucket is named.
# Credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or boto3's
# usual chain (instance role...); they are never written here.
_S3_CONNECTION = {
    "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
    "region_name": env("AWS_S3_REGION_NAME", default=None),
    "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default=None),
    "signature_version": "s3v4",
}
if AWS_STORAGE_BUCKET_NAME := env("AWS_STORAGE_BUCKET_NAME", default=""):
    # Public images: plain URLs (bucket policy or CDN makes them readable).
    STORAGES["default"] = {
        "BACKEND": "ifri.storage.PublicS3Storage",
        "OPTIONS": {
            **_S3_CONNECTION,
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "location": env("AWS_LOCATION", default=""),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
            "default_acl": env("AWS_DEFAULT_ACL", default=None),
            "querystring_auth": False,
        },
    }
if PRIVATE_STORAGE_BUCKET_NAME := env("PRIVATE_STORAGE_BUCKET_NAME", default=""):
    # Full-analysis PDFs: private objects, signed URLs only. Keep them in their
    # own bucket, out of reach of the public bucket's policy.
    STORAGES["private"] = {
        "BACKEND": "ifri.storage.PrivateS3Storage",
        "OPTIONS": {
            **_S3_CONNECTION,
            "bucket_name": PRIVATE_STORAGE_BUCKET_NAME,
            "location": env("PRIVATE_STORAGE_LOCATION", default=""),
            # Buckets with ACLs disabled (AWS "bucket owner enforced") refuse
            # any ACL but their own: set PRIVATE_STORAGE_DEFAULT_ACL to empty.
            "default_acl": env("PRIVATE_STORAGE_DEFAULT_ACL", default="private")
            or None,
            "querystring_auth": True,
            "querystring_expire": PDF_SIGNED_URL_TTL,
            "file_overwrite": False,
        },
    }
elif PDF_DELIVERY == "s3":
    raise ImproperlyConfigured(
        "PDF_DELIVERY=s3 needs the PDFs in object storage: "
        "set PRIVATE_STORAGE_BUCKET_NAME."
    )
FILE_UPLOAD_PERMISSIONS = 0o640
# Larger uploads are streamed to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# One handler keeps each file, in memory or a temporary file, up to the
# largest size an upload may have, and deletes what it kept past that.
FILE_UPLOAD_HANDLERS = ["ifri.upload_handlers.LimitedUploadHandler"]

# Limits for uploads, checked in the admin forms.
PDF_MAX_UPLOAD_SIZE = env.int("PDF_MAX_UPLOAD_SIZE", default=100 * 1024 * 1024)
IMAGE_MAX_UPLOAD_SIZE = env.int("IMAGE_MAX_UPLOAD_SIZE", default=20 * 1024 * 1024)
# All the files of one request together (ifri/upload_gate.py refuses a larger
# body before reading it): by default a publication's form with the largest
# PDF, two of the largest images and its text.
UPLOAD_MAX_REQUEST_SIZE = env.int(
    "UPLOAD_MAX_REQUEST_SIZE",
    default=PDF_MAX_UPLOAD_SIZE
    + 2 * IMAGE_MAX_UPLOAD_SIZE
    + DATA_UPLOAD_MAX_MEMORY_SIZE,
)
# A file chosen on an admin form that is refused for another reason is kept
# for the editor this long (ifri/held_uploads.py), so it need not be chosen
# again.
HELD_UPLOADS_KEPT_FOR = timedelta(hours=env.int("HELD_UPLOADS_KEPT_HOURS", default=12))
PDF_MAX_PAGES = env.int("PDF_MAX_PAGES", default=2000)
# Each uploaded PDF is parsed in a child process (publications/pdfcheck.py)
# that is killed after this many seconds or when it needs more memory than
# this (bytes of address space); the upload is then refused as too complex.
PDF_CHECK_TIMEOUT = env.float("PDF_CHECK_TIMEOUT", default=60)
PDF_CHECK_MEMORY = env.int("PDF_CHECK_MEMORY", default=1024 * 1024 * 1024)

# Security. HTTPS is assumed (see HTTPS above).
SECURE_SSL_REDIRECT = HTTPS and not DEBUG
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True
)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Behind a reverse proxy, the client is known from the proxy's headers: the
# scheme from X-Forwarded-Proto, the address from the PROXY_COUNT-th address
# from the right of X-Forwarded-For (each proxy appends the one it saw; those
# further left are whatever the client sent). Never trusted otherwise.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
PROXY_COUNT = env.int("PROXY_COUNT", default=1)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Login throttling with django-axes: limits per account and per address
# (ifri/login_throttling.py, docs/security.md).
AXES_HANDLER = "ifri.login_throttling.LoginThrottle"
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Failures while locked do not prolong the lock: hammering an editor's account
# cannot keep it locked for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "ifri.login_throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "ifri.login_throttling.lockout_response"
# Django records each user's last login; axes need not log every one.
AXES_DISABLE_ACCESS_LOG = True

# Content-Security-Policy (django-csp, ifri/csp.py): scripts, styles, fonts
# and requests from the site itself only, images from it and from the public
# media storage. No inline script runs: the JSON-LD of article pages is data,
# which browsers do not execute. The admin has its own policy.
CSP_IMAGE_SOURCES = [SELF, "data:"]
if AWS_STORAGE_BUCKET_NAME:
    # Images are linked to the bucket's own address, or to its CDN's.
    _media_domain = STORAGES["default"]["OPTIONS"]["custom_domain"]
    CSP_IMAGE_SOURCES.append(f"https://{_media_domain}" if _media_domain else "https:")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": CSP_IMAGE_SOURCES,
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The admin's scripts are files of the site too, but django-prose-editor adds
# an inline import map (given the request's nonce) and its editor injects a
# <style> element of its own.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
    }
}

# The publishing institute, as shown in the header, footer and citations.
SITE_NAME = env("SITE_NAME", default="Institute for International Relations")
SITE_SHORT_NAME = env("SITE_SHORT_NAME", default="IIR")
# The public address of the site (scheme, host and port), for links that
# leave it: citations, exports, feeds, the sitemap, metadata for search engines.
# Empty: each request's own, whose host ALLOWED_HOSTS has checked (ifri/site.py).
# Code that runs outside a request (commands, tasks) needs it set.
SITE_URL = env("SITE_URL", default="").rstrip("/")

# Workflow emails (publications/notifications.py) are printed on the console
# unless EMAIL_URL names a mail server, e.g.
# smtp+tls://user:password@mail.example.org:587
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
globals().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
# The publisher named in citations of the institute's own publications.
CITATION_PUBLISHER = env("CITATION_PUBLISHER", default=SITE_NAME)
CITATION_PUBLISHER_PLACE = env("CITATION_PUBLISHER_PLACE", default="Paris")
# The citation styles the article page offers, in this order (keys of
# publications.citations.STYLES: chicago-author-date, chicago-notes-bibliography,
# apa, mla).
CITATION_STYLES = env.list(
    "CITATION_STYLES",
    default=["chicago-author-date", "chicago-notes-bibliography", "apa", "mla"],
)
# The most publications one BibTeX, RIS or CSL-JSON export of a list or a
# search holds.
CITATION_EXPORT_LIMIT = env.int("CITATION_EXPORT_LIMIT", default=500)

LOGIN_URL = "admin:login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

TAGGIT_CASE_INSENSITIVE = True

# Names and descriptions of centers, authors and types exist in both languages;
# an empty French value falls back to English and the other way round.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "fr")

PUBLICATIONS_PER_PAGE = 12

# Frequent searches (publications/search/statistics.py): readers see the searches
# editors approved; with SEARCH_STATS_AUTO_SHOW, also those made by at least
# SEARCH_STATS_MIN_VISITORS visitors on at least SEARCH_STATS_MIN_DAYS days
# that find published work and match no unpublished title. At most
# SEARCH_STATS_MAX_TERMS terms are kept.
SEARCH_STATS_AUTO_SHOW = env.bool("SEARCH_STATS_AUTO_SHOW", default=False)
SEARCH_STATS_MIN_VISITORS = env.int("SEARCH_STATS_MIN_VISITORS", default=10)
SEARCH_STATS_MIN_DAYS = env.int("SEARCH_STATS_MIN_DAYS", default=3)
SEARCH_STATS_MAX_TERMS = env.int("SEARCH_STATS_MAX_TERMS", default=10_000)
