"""Django's PostgreSQL backend, with a limit on how long the app waits for the server to answer (base.py)."""
