#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inspection_tracker.settings")
    # The database time limits protect web requests (gunicorn, inspection_tracker/wsgi.py). Commands do long work by
    # nature (imports, restore, migrations, the development server's first load), so they run without them
    # unless DATABASE_STATEMENT_TIMEOUT is set.
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
