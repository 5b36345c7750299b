"""Thai wording of a few of Django's own messages, overridden in our catalogue.

Our locale/ is searched before Django's, so a msgid listed here and translated
in locale/th wins. Django's Thai for "This field is required." reads as
machine-made ("ฟิลด์นี้จำเป็น"); civil servants expect a polite request.

The others are messages people meet on our forms that Django's Thai catalogue
leaves untranslated, so they would show in English: too long, too many digits
or decimal places, a database rule broken, a duplicate, a weak password, a
tampered page (tracking/tests/badinput.py lists where each is met).
"""

from django.utils.translation import gettext_noop, ngettext_lazy

OVERRIDDEN = [
    gettext_noop("This field is required."),
    gettext_noop("Null characters are not allowed."),
    gettext_noop("%(model_name)s with this %(field_labels)s already exists."),
    gettext_noop("Constraint “%(name)s” is violated."),
    gettext_noop("“%(pk)s” is not a valid value."),
    gettext_noop(
        "ManagementForm data is missing or has been tampered with. Missing fields: "
        "%(field_names)s. You may need to file a bug report if the issue persists."
    ),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    # allauth's Thai reads "รหัสปัจจุบันรหัสผ่านไม่ถูกต้อง", a garbled phrase.
    gettext_noop("Incorrect password."),
    # The password rules the password pages list (Django's Thai leaves them in English).
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    # allauth's Thai spells รีเซ็ต "รีเซ็ท", mixes English into its reset mail, and reads
    # "ยืนยันที่อยู่อีเมล AddrAccess" for "Confirm Access".
    gettext_noop("The password reset token was invalid."),
    gettext_noop("Password Reset"),
    gettext_noop(
        "You're receiving this email because you or someone else has requested a password reset for "
        "your user account.\nIt can be safely ignored if you did not request a password reset. Click "
        "the link below to reset your password."
    ),
    gettext_noop("Password Reset Email"),
    gettext_noop("Password Set"),
    gettext_noop("Reset My Password"),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop(
        "The password reset link was invalid, possibly because it has already been used.  Please "
        'request a <a href="%(passwd_reset_url)s">new password reset</a>.'
    ),
    gettext_noop("You must type the same password each time."),
    gettext_noop("Forgot your password?"),
    gettext_noop("Confirm Access"),
]

# Messages with a plural form (Thai has one form for both).
OVERRIDDEN_PLURALS = [
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        "max",
    ),
    ngettext_lazy("Please submit at most %(num)d form.", "Please submit at most %(num)d forms.", "num"),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        0,
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
]
