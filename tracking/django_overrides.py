"""Thai wording of a few of Django's own messages, overridden in our catalogue.

Our locale/ is searched before Django's, so a msgid listed here and translated
in locale/th wins. Django's Thai for "This field is required." reads as
machine-made ("ฟิลด์นี้จำเป็น"); civil servants expect a polite request.
"""

from django.utils.translation import gettext_noop

OVERRIDDEN = [
    gettext_noop("This field is required."),
]
