from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import ResetPasswordKeyForm as AllauthResetPasswordKeyForm
from allauth.account.forms import SetPasswordForm as AllauthSetPasswordForm
from allauth.account.models import EmailAddress
from django import forms
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.keyboard import TO_QWERTY, contains_thai
from accounts.models import Agency, OrgUnit, Province, User
from accounts.roles import Role, role_fits_unit
from accounts.services import USERNAME, access_request_submit, user_save
from tracking.forms import ThaiNameChoiceField, thai_mobile_field


class LoginForm(AllauthLoginForm):
    """allauth's login with a hint when the password was typed on the Thai layout.

    The first sign-in problem in the DLA manual: the keyboard is still in Thai
    mode, so the password arrives as Thai letters. After a failed attempt the
    form says so and how to switch. What the same keys give on the English
    layout is worked out in the browser (static/js/login.js, from
    `keyboard_map`) and shown only when the person asks: the server never
    writes it into the page, where it would sit in clear text (a near-certain
    password) in caches, screenshots and over-the-shoulder views.
    """

    thai_keyboard_hint = False

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            password = self.data.get("password", "")
            if not contains_thai(password) or not any(e.code in SIGN_IN_MISMATCH for e in error.error_list):
                raise
            self.thai_keyboard_hint = True
            hint = forms.ValidationError(
                _(
                    "The password you typed contains Thai letters: the keyboard was on the Thai "
                    "(Kedmanee) layout. Switch it to English and type the password again."
                ),
                code="thai_keyboard",
            )
            raise forms.ValidationError([*error.error_list, hint]) from error

    @property
    def keyboard_map(self) -> dict[str, str]:
        """Thai (Kedmanee) character → the US English character of the same key, for login.js."""
        return TO_QWERTY


# allauth's codes for "no such username and password" (accounts.adapters gives both one message).
SIGN_IN_MISMATCH = {"invalid_login", "username_password_mismatch"}


class PasswordRulesMixin:
    """A form where a password is chosen: the page lists the rules once (account/_password_rules.html)."""

    @property
    def password_rules(self) -> list[str]:
        return password_validators_help_texts()

    def describe_by_rules(self):
        if "password1" in self.fields:
            self.fields["password1"].widget.attrs["aria-describedby"] = "password-rules"


class NewPasswordFormMixin(PasswordRulesMixin):
    """allauth's password forms in the site's words: the rules listed once by the page, not as field help."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        new, again = self.fields["password1"], self.fields["password2"]
        new.label, again.label = _("New password"), _("New password again")
        new.help_text = ""
        self.describe_by_rules()
        for field in (new, again):
            field.widget.attrs["placeholder"] = field.label


class PasswordChangeForm(NewPasswordFormMixin, AllauthChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].label = _("Current password")
        self.fields["oldpassword"].widget.attrs["placeholder"] = self.fields["oldpassword"].label


class PasswordSetForm(NewPasswordFormMixin, AllauthSetPasswordForm):
    pass


class PasswordResetKeyForm(NewPasswordFormMixin, AllauthResetPasswordKeyForm):
    pass


class ResetPasswordForm(AllauthResetPasswordForm):
    """allauth's reset, mailed only to an address its owner verified; the page says the same either way."""

    def clean_email(self):
        email = super().clean_email()
        self.users = list(User.objects.with_verified_email(email).filter(is_active=True))
        return email


def unit_narrowing_fields() -> dict:
    """Agency and province pickers that narrow a long list of units (1,000+); not stored."""
    province = ThaiNameChoiceField(
        label=_("Province"), queryset=Province.objects.all(), required=False, to_field_name="code"
    )
    return {
        "agency": forms.ChoiceField(label=_("Agency"), choices=[("", "—"), *Agency.choices], required=False),
        "province": province,
    }


# Super Admin is given by hand by another super admin, never on request.
REQUESTABLE_ROLES = [(code, label) for code, label in Role.choices if code != Role.SUPER_ADMIN]


class AccessRequestForm(PasswordRulesMixin, forms.Form):
    username = forms.RegexField(
        label=_("Username you want"),
        regex=USERNAME,
        max_length=150,
        help_text=_("English letters, digits and . _ - only, at least 4 characters."),
        error_messages={"invalid": _("Use English letters, digits and . _ - only, at least 4 characters.")},
    )
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=forms.PasswordInput)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=200)
    phone = thai_mobile_field()
    email = forms.EmailField(label=_("E-mail"), required=False)
    org_unit = ThaiNameChoiceField(label=_("Unit"), queryset=None)
    role = forms.ChoiceField(label=_("Role wanted"), choices=[("", "---------"), *REQUESTABLE_ROLES])
    note = forms.CharField(
        label=_("Reason for the request"), required=False, widget=forms.Textarea, max_length=2000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = OrgUnit.objects.filter(is_active=True).in_thai_order()
        self.fields.update(unit_narrowing_fields())
        self.describe_by_rules()

    # No "this username is taken" here: the form is public, and it would tell anyone which
    # usernames exist. A name already in use is seen by the reviewer, who gives another at approval.

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            probe = User(
                username=data.get("username", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        unit, role = data.get("org_unit"), data.get("role")
        if unit and role and not role_fits_unit(role, unit):
            self.add_error("role", _("This role does not fit the chosen unit."))
        return data

    def submit(self):
        data = dict(self.cleaned_data)
        password = data.pop("password1")
        for helper in ("password2", "agency", "province"):
            data.pop(helper)
        return access_request_submit(password_hash=make_password(password), **data)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the rejection"), widget=forms.Textarea, max_length=2000)


class NewPasswordMixin(PasswordRulesMixin):
    """Two password fields checked against each other and Django's validators."""

    def clean_new_password(self, data, user):
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)


class UserForm(NewPasswordMixin, forms.Form):
    """An account as a user manager sees it; choices narrowed to what the manager may give."""

    username = AccessRequestForm.base_fields["username"]
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    phone = thai_mobile_field()
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_(
            "A new address is used only after its owner clicks the link in the verification e-mail "
            "sent to it."
        ),
    )
    org_unit = ThaiNameChoiceField(label=_("Unit"), queryset=None)
    roles = forms.MultipleChoiceField(label=_("Roles"), widget=forms.CheckboxSelectMultiple, required=False)
    is_active = forms.BooleanField(label=_("Account in use"), required=False, initial=True)
    password1 = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, actor, instance=None, **kwargs):
        self.actor, self.instance = actor, instance
        pending = EmailAddress.objects.get_new(instance) if instance is not None else None
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "first_name": instance.first_name,
                    "last_name": instance.last_name,
                    "position": instance.position,
                    "phone": instance.phone,
                    "email": pending.email if pending else instance.email,
                    "org_unit": instance.org_unit_id,
                    "roles": list(instance.groups.values_list("name", flat=True)),
                    "is_active": instance.is_active,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = access.assignable_units(actor).in_thai_order()
        # Helpers to narrow a long unit list (super admins choose among 1,000+); not stored.
        self.narrow_units = self.fields["org_unit"].queryset.count() > 100
        if self.narrow_units:
            self.fields.update(unit_narrowing_fields())
        grantable = access.grantable_roles(actor)
        self.fields["roles"].choices = [(code, label) for code, label in Role.choices if code in grantable]
        self.fields["phone"].required = False
        if pending is not None:
            self.fields["email"].help_text = _(
                "Waiting for its owner to click the link in the verification e-mail; until then the "
                "system mails %(current)s."
            ) % {"current": instance.email or _("no address")}
        if instance is not None:
            for name in ("username", "password1", "password2"):
                del self.fields[name]
        else:
            self.fields["username"].label = _("Username")
            self.describe_by_rules()

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is already taken; choose another."))
        return username

    def clean(self):
        data = super().clean()
        if self.instance is None:
            probe = User(username=data.get("username", ""), first_name=data.get("first_name", ""))
            self.clean_new_password(data, probe)
        unit = data.get("org_unit")
        misfits = [str(Role(r).label) for r in data.get("roles", []) if unit and not role_fits_unit(r, unit)]
        if misfits:
            self.add_error(
                "roles", _("These roles do not fit the unit: %(roles)s") % {"roles": ", ".join(misfits)}
            )
        return data

    def save(self):
        data = dict(self.cleaned_data)
        roles = data.pop("roles")
        password = data.pop("password1", None)
        for helper in ("password2", "agency", "province"):
            data.pop(helper, None)
        return user_save(actor=self.actor, user=self.instance, fields=data, roles=roles, password=password)


class SetPasswordForm(NewPasswordMixin, forms.Form):
    password1 = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("New password again"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.describe_by_rules()

    def clean(self):
        data = super().clean()
        self.clean_new_password(data, self.user)
        return data
