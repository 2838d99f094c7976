"""Importers of official files: one small module per file format; reading files safely and summing up an
import are shared with the councils importer (importing/files.py).

Management commands are thin shells around them: each file is read, checked and written in its own
transaction, and a file the importer cannot use is refused with a one-line ImportFileError.
"""
