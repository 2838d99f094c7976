"""The storage of collected static files: WhiteNoise's (hashed names, precompressed), hashed while debugging too.

Django's manifest storage links the plain names whenever DEBUG is on, so that a developer's edits show
without collecting again. `manage.py start` serves the collected files with DEBUG on (the local quick
start), and must link the names browsers may keep for a year, as production does.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class CollectedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url(self, name, force=False):
        return super().url(name, force=True)
