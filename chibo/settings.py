"""chibo settings: everything comes from the environment, with safe defaults for a laptop.

SQLite is the embedded default; set CHIBO_DATABASE_URL=postgres://... for PostgreSQL.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def envjson(name: str, default: str) -> dict:
    value = os.getenv(name, default)
    try:
        parsed = json.loads(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a JSON object, not {value!r}") from exc
    if not isinstance(parsed, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object, not {value!r}")
    return parsed


def envsecret(name: str, default: str = "") -> str:
    """A secret from NAME, or from the file named by NAME_FILE."""
    if path := os.getenv(f"{name}_FILE"):
        return Path(path).read_text(encoding="utf-8").strip()
    return os.getenv(name, default)


VAR_DIR = Path(os.getenv("CHIBO_VAR_DIR", str(PROJECT_DIR / "var")))
DEBUG = envbool("CHIBO_DEBUG", "false")

SECRET_KEY = envsecret("CHIBO_SECRET_KEY")
if not SECRET_KEY:
    # A per-installation key kept under var/, so `make run` needs nothing by hand.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text(encoding="utf-8").strip()

ALLOWED_HOSTS = [h.strip() for h in os.getenv("CHIBO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.getenv("CHIBO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_tasks",  # app label django_tasks
    "django_tasks_db",  # app label django_tasks_database (no clash with chibo.tasks, label "tasks")
    "chibo.core",
    "chibo.accounts",
    "chibo.orgs",
    "chibo.members",
    "chibo.meetings",
    "chibo.petitions",
    "chibo.tasks",
    "chibo.briefings",
    "chibo.inspections",
    "chibo.probation",
    "chibo.residence",
    "chibo.discipline",
    "chibo.admissions",
    "chibo.followup",
    "chibo.transfers",
    "chibo.dues",
    "chibo.api",
    "chibo.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chibo.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "chibo.core.middleware.AccessPolicyMiddleware",
]

ROOT_URLCONF = "chibo.urls"
WSGI_APPLICATION = "chibo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chibo.core.context_processors.chibo",
            ],
        },
    },
]

DATABASE_URL = os.getenv("CHIBO_DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("CHIBO_DB_CONN_MAX_AGE", "60"))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        INSTALLED_APPS.append("django.contrib.postgres")  # trigram lookups for fuzzy member search
        # Fuzzy member search: a one-letter typo in a full name scores about 0.8; 0.75 keeps the
        # matches few enough for the planner to use the trigram index (docs/benchmarks.md).
        # random_page_cost 1.1 (SSD) lets the planner prefer that index to a parallel scan.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.getenv(
            "CHIBO_PG_OPTIONS", "-c pg_trgm.word_similarity_threshold=0.75 -c random_page_cost=1.1"
        )
        DATABASES["default"].setdefault("TEST", {})["NAME"] = os.getenv("CHIBO_TEST_DATABASE_NAME", "test_chibo")
        # The few statements of the check-in hot path (chibo.core.rows.execute) are prepared once per
        # connection; Django's own queries are not (client-side binding). A pooler in transaction
        # mode that cannot keep prepared statements needs CHIBO_PG_PREPARE=false.
        CHIBO_PG_PREPARE = envbool("CHIBO_PG_PREPARE", "true")
        # The statistics page reads the 12-month series on a second connection, in parallel.
        CHIBO_STATS_PARALLEL = envbool("CHIBO_STATS_PARALLEL", "true")
        if CHIBO_PG_PREPARE:
            DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5
else:
    sqlite_path = Path(os.getenv("CHIBO_SQLITE_PATH", str(VAR_DIR / "chibo.sqlite3")))
    sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(sqlite_path),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
            "TEST": {"NAME": os.getenv("CHIBO_SQLITE_TEST_PATH") or None},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["chibo.accounts.backends.Backend"]
SESSION_ENGINE = "chibo.accounts.sessions"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Failed logins: after this many failures for one user name within the window, refuse for the window.
CHIBO_LOGIN_MAX_FAILURES = envint("CHIBO_LOGIN_MAX_FAILURES", "5")
CHIBO_LOGIN_WINDOW_MINUTES = envint("CHIBO_LOGIN_WINDOW_MINUTES", "15")

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("CHIBO_SECURE_COOKIES", "false")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.getenv("CHIBO_TIME_ZONE", "Asia/Ho_Chi_Minh")
FORMAT_MODULE_PATH = ["chibo.formats"]
# Ids go into links and forms: no grouping by default; counts use |intcomma.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "chibo.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "chibo API",
    "DESCRIPTION": "Cây tổ chức và danh sách đảng viên, theo quyền của người dùng.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

EMAIL_BACKEND = os.getenv("CHIBO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.getenv("CHIBO_EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = envint("CHIBO_EMAIL_PORT", "25")
DEFAULT_FROM_EMAIL = os.getenv("CHIBO_EMAIL_FROM", "chibo@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("CHIBO_LOG_LEVEL", "WARNING")},
}

# The job queue (docs/architecture.md "Job queue"): django-tasks with its database backend by default,
# so a laptop needs no broker. CHIBO_TASKS_BACKEND swaps it for another django-tasks backend (dotted
# path), CHIBO_TASKS_OPTIONS (JSON) gives that backend its OPTIONS (docs/deployment.md). Tests run
# jobs at once with the immediate backend (tests/conftest.py).
TASKS_DB_BACKEND = "django_tasks_db.DatabaseBackend"
TASKS = {
    "default": {
        "BACKEND": os.getenv("CHIBO_TASKS_BACKEND", TASKS_DB_BACKEND),
        "QUEUES": [],  # any queue name
        "OPTIONS": envjson("CHIBO_TASKS_OPTIONS", "{}"),
    }
}
# A failed job is tried again after 1, 2, 4, 8 ... minutes (capped), up to this many attempts in all.
CHIBO_JOBS_MAX_ATTEMPTS = envint("CHIBO_JOBS_MAX_ATTEMPTS", "5")
CHIBO_JOBS_BACKOFF_SECONDS = envint("CHIBO_JOBS_BACKOFF_SECONDS", "60")
CHIBO_JOBS_BACKOFF_MAX_SECONDS = envint("CHIBO_JOBS_BACKOFF_MAX_SECONDS", str(6 * 60 * 60))
# A job left RUNNING this long (its worker was killed) is run again; so is one whose worker on this
# machine is gone, at once, when a worker starts.
CHIBO_JOBS_STALE_MINUTES = envint("CHIBO_JOBS_STALE_MINUTES", "15")
# The daily run of every app's jobs.DAILY, at this local time (TIME_ZONE).
CHIBO_DAILY_AT = os.getenv("CHIBO_DAILY_AT", "06:00")
# Successful job results are deleted after this many days (failed ones are kept for the administrator).
CHIBO_JOBS_KEEP_DAYS = envint("CHIBO_JOBS_KEEP_DAYS", "30")

# Domain settings (docs/architecture.md lists them with their sources).
# Age at admission, in whole years counted in months: from 18 years 0 months to 60 years 0 months,
# both included (domain.md §2, HIGH; older candidates need the provincial-level committee).
CHIBO_ADMISSION_AGE_MIN = envint("CHIBO_ADMISSION_AGE_MIN", "18")
CHIBO_ADMISSION_AGE_MAX = envint("CHIBO_ADMISSION_AGE_MAX", "60")
# A cell's own rules (domain.md §1, Charter Art. 21, 24; 294-QĐ/TW): a cell needs 3 official members;
# it elects a cell committee (chi ủy) only from 9 official members, of at most 7 members (secretary and
# deputy included), with one deputy secretary.
CHIBO_CELL_MIN_OFFICIAL = envint("CHIBO_CELL_MIN_OFFICIAL", "3")
CHIBO_COMMITTEE_MIN_OFFICIAL = envint("CHIBO_COMMITTEE_MIN_OFFICIAL", "9")
CHIBO_COMMITTEE_MAX = envint("CHIBO_COMMITTEE_MAX", "7")
CHIBO_DEPUTY_MAX = envint("CHIBO_DEPUTY_MAX", "1")
# Page size of member lists.
CHIBO_PAGE_SIZE = envint("CHIBO_PAGE_SIZE", "50")
# Largest member import file, in bytes.
CHIBO_IMPORT_MAX_BYTES = envint("CHIBO_IMPORT_MAX_BYTES", str(10 * 1024 * 1024))

# Meetings (docs/architecture.md): the default regular meeting day (Quảng Ninh: the 3rd, seed 002).
CHIBO_MEETING_DAY = envint("CHIBO_MEETING_DAY", "3")
CHIBO_MEETING_TIME = os.getenv("CHIBO_MEETING_TIME", "19:30")
# Documents must be published at least this many hours ahead (42-HD/BTCTW: 1 day, HIGH).
CHIBO_PUBLISH_MIN_HOURS = envint("CHIBO_PUBLISH_MIN_HOURS", "24")
# A cell with no thematic meeting in this many months is flagged (domain.md: quarterly, LOW).
CHIBO_THEMATIC_EVERY_MONTHS = envint("CHIBO_THEMATIC_EVERY_MONTHS", "3")
# Quality benchmark (12-HD/BTCTW §3.1, HIGH).
CHIBO_QUALITY_ATTENDANCE_PERCENT = envint("CHIBO_QUALITY_ATTENDANCE_PERCENT", "85")
CHIBO_QUALITY_MAX_EXCUSED_STREAK = envint("CHIBO_QUALITY_MAX_EXCUSED_STREAK", "3")
# Minimum length of a meeting in minutes (42-HD/BTCTW, HIGH): shorter ones are flagged, not refused.
CHIBO_MEETING_MIN_MINUTES = envint("CHIBO_MEETING_MIN_MINUTES", "90")
CHIBO_MEETING_MIN_MINUTES_COMBINED = envint("CHIBO_MEETING_MIN_MINUTES_COMBINED", "120")
# Upper-level attendance: how many times a year each committee member attends cell meetings
# (Kon Tum 776-QĐ/TU: commune level 6, province level 2; a local rule, so a setting).
CHIBO_UPPER_ATTENDANCE_PER_YEAR = envint("CHIBO_UPPER_ATTENDANCE_PER_YEAR", "6")
# The yearly quota per attendee, by the level of the committee of their staff grant (domain.md §3):
# provincial committee members at least 2 a year; commune-level (and other grassroots) members 6.
CHIBO_UPPER_QUOTA_PROVINCE = envint("CHIBO_UPPER_QUOTA_PROVINCE", "2")
CHIBO_UPPER_QUOTA_COMMUNE = envint("CHIBO_UPPER_QUOTA_COMMUNE", str(CHIBO_UPPER_ATTENDANCE_PER_YEAR))
# Working days (chibo.core.workdays) skip weekends and these public holidays (ISO dates). Labour Code
# 2019 Art. 112: 1/1, Tết (5 days), Hùng Kings (10/3 lunar), 30/4, 1/5, 2/9 and one day next to it,
# with the days off the Government publishes each year (weekday holidays only; a holiday on a
# weekend is made up on the next working day). UPDATE YEARLY (docs/architecture.md).
CHIBO_PUBLIC_HOLIDAYS = [
    d.strip() for d in os.getenv("CHIBO_PUBLIC_HOLIDAYS", "").split(",") if d.strip()
] or [
    # 2025: Tết Ất Tỵ 25/01–02/02; Hùng Kings 07/04; 30/04–04/05 (02/05 swapped); 30/08–02/09.
    "2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
    "2025-04-07", "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02",
    # 2026: Tết Bính Ngọ 14/02–22/02; Hùng Kings Sunday 26/04, made up Monday 27/04; 30/04, 01/05; 01–02/09.
    "2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
    "2026-04-27", "2026-04-30", "2026-05-01", "2026-09-01", "2026-09-02",
    # 2027 (statutory days; check against the Government's notice): Tết Đinh Mùi 05/02–09/02, the
    # weekend days made up 10–11/02; Hùng Kings 15/04; 30/04; 01/05 a Saturday, made up 03/05; 02–03/09.
    "2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11",
    "2027-04-15", "2027-04-30", "2027-05-03", "2027-09-02", "2027-09-03",
]
# Each level holding a petition answers within this many working days (issue 8 §3).
CHIBO_PETITION_DEADLINE_WORKDAYS = envint("CHIBO_PETITION_DEADLINE_WORKDAYS", "15")
# Pickers of an organisation or a member (chibo.core.pickers): a plain select up to this many
# choices, a search box above it.
CHIBO_PICKER_SELECT_MAX = envint("CHIBO_PICKER_SELECT_MAX", "200")
# Member tasks: reminders go out this many days before each cell's next meeting.
CHIBO_TASK_REMINDER_DAYS = envint("CHIBO_TASK_REMINDER_DAYS", "2")
# Uploaded materials.
CHIBO_MATERIAL_MAX_BYTES = envint("CHIBO_MATERIAL_MAX_BYTES", str(20 * 1024 * 1024))
MEDIA_ROOT = Path(os.getenv("CHIBO_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"

# Admission (chibo.admissions, docs/architecture.md). LOW rules of domain.md §2, versioned (chibo.core.rules.rule_on,
# read on the step's date): a Youth Union candidate may have one introducer plus the Youth Union's resolution; the
# comments of mass organisations and the residence committee (step 5) are required.
CHIBO_ADMISSION_YOUTH_UNION_ONE_INTRODUCER = [("2000-01-01", envbool("CHIBO_ADMISSION_YOUTH_UNION_ONE_INTRODUCER", "true"))]
CHIBO_ADMISSION_COMMENTS_REQUIRED = [("2000-01-01", envbool("CHIBO_ADMISSION_COMMENTS_REQUIRED", "true"))]
# HIGH rules (232-QĐ/TW §4, domain.md "Numeric rules"): the decision within 60 working days of the cell's vote,
# extendable once by 30; the ceremony within 30 working days of the decision; introducers worked with the
# candidate at least 12 months.
CHIBO_ADMISSION_DECISION_WORKDAYS = envint("CHIBO_ADMISSION_DECISION_WORKDAYS", "60")
CHIBO_ADMISSION_EXTENSION_WORKDAYS = envint("CHIBO_ADMISSION_EXTENSION_WORKDAYS", "30")
CHIBO_ADMISSION_CEREMONY_WORKDAYS = envint("CHIBO_ADMISSION_CEREMONY_WORKDAYS", "30")
CHIBO_ADMISSION_INTRODUCER_MONTHS = envint("CHIBO_ADMISSION_INTRODUCER_MONTHS", "12")

# Briefings (giao ban, docs/architecture.md): how many a committee plans a year (quarterly by default,
# seeds 000-004; some committees hold them twice a year), and how many days ahead invitees are reminded.
CHIBO_BRIEFING_PER_YEAR = envint("CHIBO_BRIEFING_PER_YEAR", "4")
CHIBO_BRIEFING_REMIND_DAYS = envint("CHIBO_BRIEFING_REMIND_DAYS", "3")

# Probation (chibo.probation, domain.md §2, HIGH): 12 months from the ceremony; reminders this many days
# before it ends; the cell votes within N working days after the end, the superior decides within N
# working days of the vote; after this many failed votes the case goes to the superior.
CHIBO_PROBATION_MONTHS = envint("CHIBO_PROBATION_MONTHS", "12")
CHIBO_PROBATION_REMIND_DAYS = envint("CHIBO_PROBATION_REMIND_DAYS", "30")
CHIBO_PROBATION_VOTE_WORKDAYS = envint("CHIBO_PROBATION_VOTE_WORKDAYS", "30")
CHIBO_PROBATION_DECISION_WORKDAYS = envint("CHIBO_PROBATION_DECISION_WORKDAYS", "30")
CHIBO_PROBATION_MAX_FAILED_VOTES = envint("CHIBO_PROBATION_MAX_FAILED_VOTES", "3")
# Transfers of party activity (24-QĐ/TW §6.3, HIGH; docs/architecture.md "Transfers"): the letter
# within 60 working days of the decision, presented at the new cell within 30 working days of the
# letter; a temporary transfer lasts from 3 months to under 12 (to 24 included for study).
CHIBO_TRANSFER_LETTER_WORKDAYS = envint("CHIBO_TRANSFER_LETTER_WORKDAYS", "60")
CHIBO_TRANSFER_PRESENT_WORKDAYS = envint("CHIBO_TRANSFER_PRESENT_WORKDAYS", "30")
CHIBO_TRANSFER_TEMP_MIN_MONTHS = envint("CHIBO_TRANSFER_TEMP_MIN_MONTHS", "3")
CHIBO_TRANSFER_TEMP_MAX_MONTHS = envint("CHIBO_TRANSFER_TEMP_MAX_MONTHS", "12")  # excluded
CHIBO_TRANSFER_STUDY_MAX_MONTHS = envint("CHIBO_TRANSFER_STUDY_MAX_MONTHS", "24")  # included
# Residence contact (213-QĐ/TW, docs/architecture.md): the month in which residence cells are reminded
# of the yearly comments still missing (the due date is not fixed by the texts read; LOW).
CHIBO_RESIDENCE_COMMENT_MONTH = envint("CHIBO_RESIDENCE_COMMENT_MONTH", "12")
# Exemption, removal and discipline (docs/architecture.md "Exemption, removal, discipline"): months in a
# year without meetings or without dues that make a ground of removal (24-QĐ/TW §8.1, 01-QĐ/TW, HIGH);
# how often a cell reconciles its records (01-HD/TW §8, HIGH); whether a probationary member can receive
# only a reprimand or a warning (domain.md §2, LOW: a versioned setting, enforced by default).
CHIBO_REMOVAL_MONTHS = envint("CHIBO_REMOVAL_MONTHS", "3")
CHIBO_RECONCILE_EVERY_MONTHS = envint("CHIBO_RECONCILE_EVERY_MONTHS", "6")
CHIBO_DISCIPLINE_PROBATIONARY_LIGHT_ONLY = [("2000-01-01", envbool("CHIBO_DISCIPLINE_PROBATIONARY_LIGHT_ONLY", "true"))]
# Party dues (chibo/dues; 01-QĐ/TW of 03/02/2026, domain.md §6, HIGH unless said). Versioned settings,
# read with chibo.core.rules.rule_on: lists of (ISO date, value), each value in force from its date. An
# environment variable of the same name may hold the list as JSON ([["2026-01-01", 10], ...]).
def envversions(name: str, default: list) -> list:
    value = os.getenv(name, "")
    if not value:
        return default
    try:
        parsed = json.loads(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a JSON list of [date, value] pairs, not {value!r}") from exc
    if not isinstance(parsed, list) or not all(isinstance(p, list) and len(p) == 2 for p in parsed):
        raise ImproperlyConfigured(f"{name} must be a JSON list of [date, value] pairs, not {value!r}")
    return [tuple(p) for p in parsed]


# Rates in per ten thousand (1% = 100, 0.3% = 30) of the base: the previous month's insured salary
# (members in compulsory social insurance), the pension, or the regional minimum monthly wage.
CHIBO_DUES_SALARY_RATE = envversions("CHIBO_DUES_SALARY_RATE", [("2026-01-01", 100)])
CHIBO_DUES_PENSION_RATE = envversions("CHIBO_DUES_PENSION_RATE", [("2026-01-01", 50)])
CHIBO_DUES_STUDENT_VND = envversions("CHIBO_DUES_STUDENT_VND", [("2026-01-01", 5000)])
CHIBO_DUES_OTHER_RATE = envversions("CHIBO_DUES_OTHER_RATE", [("2026-01-01", 30), ("2028-01-01", 50)])
CHIBO_DUES_OTHER_RETIRED_RATE = envversions("CHIBO_DUES_OTHER_RETIRED_RATE", [("2026-01-01", 20), ("2028-01-01", 30)])
# Regional minimum monthly wage, VND, regions I-IV: Decree 74/2024/NĐ-CP figures (from 01/07/2024).
# TO CHECK against the current decree (docs/architecture.md).
CHIBO_DUES_MIN_WAGE = envversions(
    "CHIBO_DUES_MIN_WAGE", [("2024-07-01", {"I": 4960000, "II": 4410000, "III": 3860000, "IV": 3450000})]
)
# The region of a cell when no organisation above it has its own (staff set one for a subtree).
CHIBO_DUES_DEFAULT_REGION = os.getenv("CHIBO_DUES_DEFAULT_REGION", "I")
# Retirement age in months, by sex (Labour Code 2019 Art. 169, Decree 135/2020: men +3 months a year up
# to 62, women +4 months a year up to 60; LOW): the age on the first day of the month counts.
CHIBO_DUES_RETIREMENT_AGE_MONTHS = envversions("CHIBO_DUES_RETIREMENT_AGE_MONTHS", [
    ("2025-01-01", {"male": 61 * 12 + 3, "female": 56 * 12 + 8}),
    ("2026-01-01", {"male": 61 * 12 + 6, "female": 57 * 12}),
    ("2027-01-01", {"male": 61 * 12 + 9, "female": 57 * 12 + 4}),
    ("2028-01-01", {"male": 62 * 12, "female": 57 * 12 + 8}),
    ("2029-01-01", {"male": 62 * 12, "female": 58 * 12}),
    ("2030-01-01", {"male": 62 * 12, "female": 58 * 12 + 4}),
])  # fmt: skip
# A month's amount is rounded up to a multiple of this many VND (a guessed rule: 01-QĐ/TW's text on
# rounding was not read).
CHIBO_DUES_ROUND_VND = envint("CHIBO_DUES_ROUND_VND", "1000")
# Party age that exempts from dues, in years (01-QĐ/TW: 50, HIGH).
CHIBO_DUES_EXEMPT_PARTY_YEARS = envint("CHIBO_DUES_EXEMPT_PARTY_YEARS", "50")
# The longest reduction recorded at a time, in months (01-QĐ/TW: 12, HIGH), and the reductions allowed.
CHIBO_DUES_REDUCTION_MAX_MONTHS = envint("CHIBO_DUES_REDUCTION_MAX_MONTHS", "12")
CHIBO_DUES_REDUCTION_PERCENTS = [30, 50, 70]
# The share of the dues collected that a cell keeps, in percent; the rest is passed to the level above.
# NOT FOUND in the sources (domain.md open question 4): a guessed default.
CHIBO_DUES_CELL_KEEPS = envversions("CHIBO_DUES_CELL_KEEPS", [("2026-01-01", 30)])
# Statuses that owe dues in a month (their status on the month's last day, or today in the current
# month): temporarily transferred members pay where they are (a guess), the others pay at their cell.
CHIBO_DUES_OWED_STATUSES = ["probationary", "official", "exempted"]
