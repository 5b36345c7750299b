"""Writes that touch more than one row: access requests become accounts."""

import re

from allauth.account.internal.flows.email_verification import send_verification_email_to_address
from allauth.account.models import EmailAddress
from allauth.core import context
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import AccessRequest, User
from accounts.notifications import Kind, notify
from accounts.roles import ROLE_FUNDING_SOURCES, role_fits_unit


def access_request_submit(*, password_hash: str, **fields) -> AccessRequest:
    request = AccessRequest(password_hash=password_hash, **fields)
    request.funding_sources = [str(source) for source in ROLE_FUNDING_SOURCES.get(request.role, [])]
    request.full_clean(exclude=["password_hash"])
    if not role_fits_unit(request.role, request.org_unit):
        raise ValidationError({"role": _("This role does not fit the chosen unit.")})
    with transaction.atomic():
        request.save()
    return request


def _locked_pending(access_request: AccessRequest, by: User) -> AccessRequest:
    locked = AccessRequest.objects.select_for_update().select_related("org_unit").get(pk=access_request.pk)
    if not access.can(by, access.CHANGE, locked):
        raise PermissionDenied
    if locked.status != AccessRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    return locked


# What a username may be: the access-request form and the reviewer's replacement name.
USERNAME = re.compile(r"^[A-Za-z0-9._-]{4,150}$")


def access_request_approve(*, access_request: AccessRequest, by: User, username: str = "") -> User:
    """Create the account the request asks for, with its role and unit.

    ``username``: another one than asked for, given by the reviewer when the one asked for is taken
    (the public request form does not say so: it would tell anyone which usernames exist).
    """
    with transaction.atomic():
        req = _locked_pending(access_request, by)
        username = username.strip() or req.username
        if not USERNAME.match(username):
            raise ValidationError(_("Use English letters, digits and . _ - only, at least 4 characters."))
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(
                _("The username %(username)s is already taken. Give the applicant another one.")
                % {"username": username}
            )
        if not role_fits_unit(req.role, req.org_unit):
            raise ValidationError(_("This role does not fit the chosen unit."))
        user = User(
            username=username,
            password=req.password_hash,
            first_name=req.first_name,
            last_name=req.last_name,
            position=req.position,
            phone=req.phone,
            org_unit=req.org_unit,
            funding_sources=req.funding_sources,
        )
        user.full_clean(exclude=["password"])
        user.save()
        user_email_set(user=user, email=req.email)
        user.groups.add(Group.objects.get(name=req.role))
        req.status = AccessRequest.Status.APPROVED
        req.decided_by = by
        req.decided_at = timezone.now()
        req.user = user
        req.save()
        notify(
            [user],
            Kind.ACCESS_REQUEST_DECIDED,
            url=reverse("home"),
            params={"role": req.role, "unit": req.org_unit.name_th},
            event_key=f"access_request_decided:{req.pk}",
        )
    return user


def access_request_reject(*, access_request: AccessRequest, by: User, reason: str) -> AccessRequest:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"decision_note": _("Give the reason for the rejection.")})
    with transaction.atomic():
        req = _locked_pending(access_request, by)
        req.status = AccessRequest.Status.REJECTED
        req.decided_by = by
        req.decided_at = timezone.now()
        req.decision_note = reason
        req.save()
    return req


def user_save(
    *, actor: User, user: User | None, fields: dict, roles: list[str], password: str | None = None
) -> User:
    """Create or change an account within what the actor may manage.

    Roles the actor may not grant are left as they were; every role kept must
    fit the account's unit. The row is checked again inside the transaction so
    that a change can never move an account out of the actor's reach.
    """
    grantable = access.grantable_roles(actor)
    if not set(roles) <= grantable:
        raise PermissionDenied
    unit = fields.get("org_unit")
    if unit is None or not access.assignable_units(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied
    email = fields.pop("email", None)
    with transaction.atomic():
        if user is None:
            user = User(username=fields.pop("username"))
            kept = set()
        else:
            user = User.objects.select_for_update().get(pk=user.pk)
            if not access.can(actor, access.CHANGE, user):
                raise PermissionDenied
            fields.pop("username", None)
            kept = set(user.groups.exclude(name__in=grantable).values_list("name", flat=True))
        for name, value in fields.items():
            setattr(user, name, value)
        wanted = kept | set(roles)
        misfits = [role for role in wanted if not role_fits_unit(role, unit)]
        if misfits:
            raise ValidationError(
                {"roles": _("These roles do not fit the unit: %(roles)s") % {"roles": ", ".join(misfits)}}
            )
        user.funding_sources = sorted({str(s) for role in wanted for s in ROLE_FUNDING_SOURCES.get(role, [])})
        if password:
            user.set_password(password)
        elif user._state.adding:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        if email is not None:
            user_email_set(user=user, email=email)
        user.groups.set(Group.objects.filter(name__in=wanted))
        if not access.can(actor, access.CHANGE, user):
            # e.g. an SSO admin giving a role it may not manage: undo everything.
            raise PermissionDenied
    return user


def user_set_password(*, actor: User, user: User, password: str) -> None:
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not access.can(actor, access.CHANGE, locked) or locked.pk == actor.pk:
            raise PermissionDenied
        locked.set_password(password)
        locked.save(update_fields=["password"])


def user_email_set(*, user: User, email: str) -> EmailAddress | None:
    """Give an account the address someone typed for it (an administrator, an access request).

    The address is unverified until its owner clicks the link mailed to it
    (after commit). ``User.email``, which reset, reminders and notifications
    use, only ever holds a verified address: it keeps the old one, or stays
    empty, until then, and allauth's change flow swaps it in on verification.
    An empty ``email`` removes the account's addresses.
    """
    email = (email or "").strip().lower()
    with transaction.atomic():
        if not email:
            EmailAddress.objects.filter(user=user).delete()
            if user.email:
                user.email = ""
                user.save(update_fields=["email"])
            return None
        if EmailAddress.objects.filter(user=user, email__iexact=email).exists():
            return None  # already theirs, verified or waiting for the click
        EmailAddress.objects.filter(user=user, verified=False).delete()
        address = EmailAddress.objects.create(user=user, email=email)
    request = context.request
    if request is not None:
        # Outside a request (a management command) the owner asks for the link on /accounts/email/.
        def send():
            with context.request_context(request):
                send_verification_email_to_address(request, address)

        transaction.on_commit(send)
    return address
