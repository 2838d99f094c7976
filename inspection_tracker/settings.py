"""One settings module for every environment, configured by environment variables.

DATABASE_URL          database (default: SQLite file db.sqlite3 in the project folder)
DATABASE_REPLICA_URL  optional read replica for the public pages and exports (inspection_tracker/routers.py)
CONN_MAX_AGE          seconds to keep a database connection open (default 0 when debugging, else 60)
CONN_HEALTH_CHECKS    1/0: check a kept connection before reusing it (default 1)
DATABASE_CONNECT_TIMEOUT    seconds to wait for a new PostgreSQL connection (default 3)
DATABASE_STATEMENT_TIMEOUT  seconds a PostgreSQL statement may run, 0 for no limit (default 5); the app
                      gives up on a database that has not answered 2 seconds after that
DATABASE_KEEPALIVE_SECONDS  idle seconds before TCP keepalive probes on PostgreSQL connections (default 30)
HEALTHZ_DATABASE_TIMEOUT    seconds /healthz waits for each database's answer (default 2)
SECRET_KEY            required when DEBUG is off
DEBUG                 1/0 (default 1, for the local quick start)
ALLOWED_HOSTS         comma-separated host names
CSRF_TRUSTED_ORIGINS  comma-separated origins (https://host) allowed to post forms, if not the site's own
PROXY_COUNT           reverse proxies in front of the app (default 0): trust their X-Forwarded-Proto and
                      X-Forwarded-For
AXES_FAILURE_LIMIT    failed logins for one username from one address before that pair is locked (default 5)
LOGIN_ADDRESS_FAILURE_LIMIT  failed logins from one address, any usernames, before it is locked (default 20)
AXES_COOLOFF_MINUTES  how long a lockout lasts, counted from the failure that caused it (default 15)
SESSION_IDLE_HOURS    an admin session ends after this many hours without a request (default 8)
SECURE_SSL_REDIRECT   1/0: redirect http to https (default 1 when DEBUG is off)
SECURE_HSTS_SECONDS   Strict-Transport-Security max-age (default one year when DEBUG is off)
STATIC_ROOT           where collectstatic writes (default: staticfiles/ in the project folder)
STATIC_COLLECTED      1/0: serve the collected, hashed and compressed static files (default 1 when DEBUG is
                      off; `manage.py start` sets it)
REPORT_UPLOAD_MAX_BYTES  largest report PDF the admin accepts (default 20 MB)
REPORT_PARSE_SECONDS  wall-clock (and CPU) seconds reading one report PDF may take (default 20)
REPORT_PARSE_MEMORY_MB  memory the process reading one report PDF may use (default 512)
REPORT_PAGE_CONTENT_MAX_KB  largest decoded drawing instructions of one report page (default 1024)
BACKUP_MAX_MB         largest backup `restore` reads, once decompressed (default 512)
CACHE_URL             redis://host:port/db (or rediss://) to share cached pages, aggregates and request counts
                      between workers and machines; unset, each worker keeps its own in memory (inspection_tracker/page_cache.py)
PAGE_CACHE_ENTRIES    rendered pages one worker keeps in memory without CACHE_URL (default 500)
API_THROTTLE_RATE     requests one client address may make to the JSON API and the public pages that the cache
                      cannot answer, as number/second, minute, hour or day (default 120/minute); "off" for no limit
THROTTLE_ENTRIES      client addresses whose counts one worker keeps in memory without CACHE_URL (default 100000)

docs/deploying.md says how they fit together.
"""

import datetime
import os
import re
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"



def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "csp",
    "axes",
    "councils",
    "inspections",
    "dashboard",
    "api",
    "inspection_tracker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Lets any site's scripts read the JSON API (CORS_URLS_REGEX); above the middleware that answers from
    # the page cache, so that stored answers carry the headers too.
    "corsheaders.middleware.CorsMiddleware",
    # Compresses pages (WhiteNoise, above it, serves static files already compressed). Django pads
    # compressed responses with random bytes against BREACH, which matters for the admin's forms.
    "inspection_tracker.middleware.GZipMiddleware",
    "inspection_tracker.middleware.ContentSecurityPolicyMiddleware",
    # Django's, writing no session for a request that never read one (a forged cookie on a public page).
    "inspection_tracker.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Refuses a request body larger than MAX_REQUEST_BYTES from its Content-Length, before anything reads it;
    # below the middleware above, so that its 413 page carries their headers (nothing above reads a body).
    "inspection_tracker.middleware.RequestSizeLimitMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Refuses the few hand-made query strings that make the admin's lists fail (NUL, impossible dates).
    "inspection_tracker.middleware.AdminQueryGuardMiddleware",
    # Public pages and exports read from the replica, when there is one.
    "inspection_tracker.middleware.ReadReplicaMiddleware",
    # Leaves out of a public page's query what every address ignores (utm_* ...), before the page cache reads it.
    "inspection_tracker.middleware.IgnoredParametersMiddleware",
    # Public pages from the cache of rendered pages, and 304s for what a browser holds (inspection_tracker/page_cache.py);
    # after the replica middleware, so that the data version is read where the page is.
    "inspection_tracker.page_cache.PageCacheMiddleware",
    # A database that cannot be reached is a 503 page, not a traceback.
    "inspection_tracker.middleware.DatabaseUnavailableMiddleware",
    # Counts failed logins and locks out after AXES_FAILURE_LIMIT; django-axes asks to be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "inspection_tracker.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "inspection_tracker.wsgi.application"

# Kept connections (CONN_MAX_AGE) are checked before each request reuses them (CONN_HEALTH_CHECKS), so a
# database restart costs the requests made while it is down (503 pages), not a restart of the app.
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 0 if DEBUG else 60)
CONN_HEALTH_CHECKS = env_flag("CONN_HEALTH_CHECKS", True)

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=CONN_MAX_AGE,
        conn_health_checks=CONN_HEALTH_CHECKS,
    )
}
if os.environ.get("DATABASE_REPLICA_URL"):
    # A read-only copy of the default database (e.g. a PostgreSQL streaming replica). The public pages and
    # the exports read from it; the admin, logins and every write use the default database.
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=CONN_MAX_AGE, conn_health_checks=CONN_HEALTH_CHECKS
    )
    # In tests the replica is the test database itself, as it is a copy of it in production.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["inspection_tracker.routers.ReplicaRouter"]
# PostgreSQL compiles a query to machine code (JIT) when its estimated cost is high, which takes 50-100 ms
# each time; the pages' queries read a few index entries per row (bench/scale.py), so JIT only adds time.
#
# A database that stops answering (a hung server, a lost network) must cost a request a few seconds and a
# 503 page, not a worker: a new connection gives up after DATABASE_CONNECT_TIMEOUT, the server cancels a
# statement after DATABASE_STATEMENT_TIMEOUT, TCP keepalives notice a peer that has gone, and the
# project's backend (inspection_tracker/postgresql) cuts a connection whose server has not answered a statement
# DATABASE_RESPONSE_TIMEOUT seconds after sending it, which covers a server that is alive but frozen.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 3)
DATABASE_STATEMENT_TIMEOUT = env_int("DATABASE_STATEMENT_TIMEOUT", 5)
DATABASE_RESPONSE_TIMEOUT = DATABASE_STATEMENT_TIMEOUT + 2 if DATABASE_STATEMENT_TIMEOUT else None
DATABASE_KEEPALIVE_SECONDS = env_int("DATABASE_KEEPALIVE_SECONDS", 30)
HEALTHZ_DATABASE_TIMEOUT = env_int("HEALTHZ_DATABASE_TIMEOUT", 2)
for _database in DATABASES.values():
    if _database["ENGINE"].endswith("postgresql"):
        _database["ENGINE"] = "inspection_tracker.postgresql"
        _options = _database.setdefault("OPTIONS", {})
        _options.setdefault("options", f"-c jit=off -c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}")
        _options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
        _options.setdefault("keepalives", 1)
        _options.setdefault("keepalives_idle", DATABASE_KEEPALIVE_SECONDS)
        _options.setdefault("keepalives_interval", 10)
        _options.setdefault("keepalives_count", 3)
        if DATABASE_RESPONSE_TIMEOUT:
            # A server gone from the network mid-statement: the kernel gives up on unacknowledged data too.
            _options.setdefault("tcp_user_timeout", DATABASE_RESPONSE_TIMEOUT * 1000)

# Three caches: "default" for the national aggregates (inspections/national_cache.py), "pages" for rendered
# public pages (inspection_tracker/page_cache.py) and "throttle" for request counts per address (inspection_tracker/throttling.py),
# so that a crowd of distinct page addresses or client addresses cannot push the others out. Keys carry the data version, so neither is ever cleared: old entries age out. In memory a
# worker keeps at most PAGE_CACHE_ENTRIES pages of at most PAGE_CACHE_MAX_BYTES each, compressed.
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
PAGE_CACHE_ENTRIES = env_int("PAGE_CACHE_ENTRIES", 500)
PAGE_CACHE_MAX_BYTES = 512 * 1024
THROTTLE_ENTRIES = env_int("THROTTLE_ENTRIES", 100_000)
if not CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "national"},
        # Request counts per client address (inspection_tracker/throttling.py): a store of their own, so that a crowd of
        # addresses cannot evict the aggregates or pages, nor they the counts. An entry is one address's
        # request times within the rate's period: at most THROTTLE_ENTRIES addresses are kept per worker.
        "throttle": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "throttle",
            "OPTIONS": {"MAX_ENTRIES": THROTTLE_ENTRIES},
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": PAGE_CACHE_ENTRIES},
        },
    }
elif CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        name: {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL, "KEY_PREFIX": name}
        for name in ("default", "pages", "throttle")
    }
else:
    raise ImproperlyConfigured(f"CACHE_URL must start with redis:// or rediss://, not {CACHE_URL.split(':')[0]!r}.")

AUTHENTICATION_BACKENDS = [
    # Refuses logins while a lockout is in force; must come first.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
# Static files are served as production serves them (DEBUG off, and `manage.py start`, which sets
# STATIC_COLLECTED=1): from STATIC_ROOT as collectstatic wrote them, under hashed names that browsers keep for
# a year and precompressed, by WhiteNoise. Only a bare `runserver` while debugging (and the tests) reads them
# from the source folders on each request.
STATIC_COLLECTED = env_flag("STATIC_COLLECTED", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "inspection_tracker.static_storage.CollectedStaticFilesStorage"
            if STATIC_COLLECTED
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if STATIC_COLLECTED:
    WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = False

# -- Security ------------------------------------------------------------------------------------------
# `python manage.py check --deploy` passes with DEBUG=0, a SECRET_KEY and ALLOWED_HOSTS set (tested).

# Behind PROXY_COUNT reverse proxies (load balancer, nginx) that terminate HTTPS, the request's scheme comes
# from X-Forwarded-Proto and the client's address from X-Forwarded-For (for login lockouts). The proxy
# nearest the app must set both, overwriting what the client sent.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
if PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_flag("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Only editors and viewers have sessions (the admin): one ends after SESSION_IDLE_HOURS without a request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_HOURS", 8) * 3600
SESSION_SAVE_EVERY_REQUEST = True
# Signing in at /admin/login/ without a page to return to leads to the admin's index.
LOGIN_REDIRECT_URL = "admin:index"

# Content Security Policy (django-csp): everything from the site itself, nothing inline. The pages load
# their scripts and styles as files (plotly's styles too: see templates/base.html); chart data travel in
# <script type="application/json">, which is data, not script. The admin gets one scoped exception
# (inspection_tracker/middleware.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the images plotly makes when a chart is downloaded as a PNG.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    },
}

# The JSON API (api/): public and read-only, so no sign-in, no session and no form data. Its
# answers are JSON only (the schema's documentation page is the human view). Errors are JSON with the
# pages' messages (api/errors.py).
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "120/minute").strip()
if API_THROTTLE_RATE != "off" and not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", API_THROTTLE_RATE):
    raise ImproperlyConfigured(
        f"API_THROTTLE_RATE must be a number of requests per second, minute, hour or day (like 120/minute) "
        f"or off, not {API_THROTTLE_RATE!r}."
    )
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.OneFormatPerAddress",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_FILTER_BACKENDS": ["api.filters.FilterSetBackend"],
    # Its rate is API_THROTTLE_RATE, read when a request is counted (inspection_tracker/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": ["inspection_tracker.throttling.ClientAddressThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    # ?format= would be one more parameter that is no filter; JSON is the only format.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Inspection Tracker API",
    "DESCRIPTION": (
        "How English councils' children's services fare in Ofsted inspections: councils, inspections and "
        "visits with their grades, judgements, findings and key figures, published data only. Every list takes "
        "the filters of its page and CSV export, with the same names and values, and is paged by cursor: "
        "follow `next`. Read-only, no key needed. "
        + (
            "Requests are not limited here."
            if API_THROTTLE_RATE == "off"
            else f"Requests from one address that are not answered from the cache are limited to {API_THROTTLE_RATE} "
            "here, and answered 429 beyond it."
        )
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for each set of choices, wherever a field uses it.
    "ENUM_NAME_OVERRIDES": {"Grade": "inspections.frameworks.Grade", "GradeChange": "inspections.grades.GradeChange"},
}
# Any site may read the API from a browser (GET only; no cookies are involved).
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")

# Failed logins (django-axes, inspection_tracker/lockout.py): after AXES_FAILURE_LIMIT failures for one username
# from one address, that username is refused from that address; after LOGIN_ADDRESS_FAILURE_LIMIT
# failures from one address, whatever the usernames, the address is refused. A lockout lasts
# AXES_COOLOFF_MINUTES from the failure that caused it: attempts during it are refused unrecorded, so they
# cannot prolong it. Nobody can lock an editor out from elsewhere: the editor's own address still signs
# in. `manage.py axes_reset` lifts every lockout.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "inspection_tracker.lockout.LockoutHandler"
AXES_USERNAME_CALLABLE = "inspection_tracker.lockout.client_username"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "inspection_tracker.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "inspection_tracker.middleware.client_ip"
AXES_VERBOSE = False

# Uploads. Report PDFs (the admin's upload form) may be up to REPORT_UPLOAD_MAX_BYTES and
# REPORT_UPLOAD_MAX_PAGES; a request body larger than MAX_REQUEST_BYTES is refused (413) from its
# Content-Length before it is read (the proxy in front should refuse it first: docs/deploying.md). Other form data are held in memory up to DATA_UPLOAD_MAX_MEMORY_SIZE;
# uploaded files larger than FILE_UPLOAD_MAX_MEMORY_SIZE are streamed to a temporary file.
REPORT_UPLOAD_MAX_BYTES = env_int("REPORT_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
REPORT_UPLOAD_MAX_PAGES = 200
# Every report PDF (upload, import_report, the archive) is read in a child process within these limits
# (inspections/importers/report_limits.py).
REPORT_PARSE_SECONDS = env_int("REPORT_PARSE_SECONDS", 20)
REPORT_PARSE_MEMORY_MB = env_int("REPORT_PARSE_MEMORY_MB", 512)
REPORT_PAGE_CONTENT_MAX_KB = env_int("REPORT_PAGE_CONTENT_MAX_KB", 1024)
MAX_REQUEST_BYTES = REPORT_UPLOAD_MAX_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# The largest backup `restore` reads, decompressed (a gzip of whitespace must not fill memory).
BACKUP_MAX_MB = env_int("BACKUP_MAX_MB", 512)

# Where the project's shipped data (official files, source documents) lives.
FIXTURES_DIR = BASE_DIR / "fixtures"
FIXTURE_DIRS = [FIXTURES_DIR]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
