from allauth.account.models import EmailAddress
from allauth.account.views import EmailView as AllauthEmailView
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from pghistory.models import MiddlewareEvents

from accounts import access
from accounts.forms import AccessRequestForm, RejectForm, SetPasswordForm, UserForm
from accounts.models import AccessRequest, Agency, Notification, OrgUnit, Province, User
from accounts.notifications import mark_all_read, mark_read, message_of
from accounts.roles import Role
from accounts.services import access_request_approve, access_request_reject, user_set_password
from tracking.history import object_history
from tracking.redirects import safe_next


def index(request):
    roles = [Role(code).label for code in sorted(access.roles(request.user)) if code in Role.values]
    return render(
        request,
        "accounts/index.html",
        {
            "roles": roles,
            "may_review": access.may_review_access_requests(request.user),
            "may_manage_users": access.may_manage_users(request.user),
            "sso_accounts": request.user.socialaccount_set.order_by("date_joined"),
        },
    )


@require_POST
def notification_email(request):
    """The switch on My account: notifications by e-mail as well, or in the site only."""
    wanted = request.POST.get("email_notifications") == "on"
    User.objects.filter(pk=request.user.pk).update(email_notifications=wanted)
    if wanted:
        messages.success(request, _("Your notifications will also be sent by e-mail."))
    else:
        messages.success(request, _("Your notifications will no longer be sent by e-mail."))
    return redirect("accounts:index")


# --- notifications (the bell) ----------------------------------------------------------


def notification_list(request):
    notifications = Notification.objects.visible_to(request.user).for_list()
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    for item in page:
        item.text = message_of(item)
    return render(request, "accounts/notification_list.html", {"page": page})


@require_GET
def notification_open(request, pk):
    """Opening a notification (a link in the list) marks it read and goes where it points.

    A GET, as it is followed from a link: marking one's own notification read changes nothing
    anyone else sees. The stored link is a local path (checked when written and by the
    database); it is checked again here so a bad row cannot send anyone off the site.
    """
    item = get_object_or_404(Notification.objects.visible_to(request.user, access.CHANGE), pk=pk)
    mark_read(item)
    return redirect(safe_next(request, item.url, "accounts:notifications"))


@require_POST
def notification_read_all(request):
    count = mark_all_read(request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("accounts:notifications")


@login_not_required
def request_access(request):
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            form.submit()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("accounts:request_access_sent")
    return render(request, "accounts/request_access.html", {"form": form})


@login_not_required
def request_access_sent(request):
    return render(request, "accounts/request_access_sent.html")


def _reviewer_only(request):
    if not access.may_review_access_requests(request.user):
        raise PermissionDenied


def access_request_list(request):
    _reviewer_only(request)
    requests = AccessRequest.objects.visible_to(request.user).for_review_list()
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/access_request_list.html", {"page": page})


def access_request_detail(request, pk):
    _reviewer_only(request)
    item = get_object_or_404(AccessRequest.objects.visible_to(request.user).for_review_list(), pk=pk)
    # The public form does not say a username is taken (it would tell which ones exist): the
    # reviewer sees it here and gives another.
    taken = (
        item.status == item.Status.PENDING and User.objects.filter(username__iexact=item.username).exists()
    )
    return render(
        request,
        "accounts/access_request_detail.html",
        {"item": item, "reject_form": RejectForm(), "username_taken": taken},
    )


def _decide(request, pk, decide):
    _reviewer_only(request)
    item = get_object_or_404(AccessRequest.objects.visible_to(request.user), pk=pk)
    try:
        decide(item)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("accounts:access_request_detail", pk=item.pk)


@require_POST
def access_request_approve_view(request, pk):
    def approve(item):
        user = access_request_approve(
            access_request=item, by=request.user, username=request.POST.get("username", "")
        )
        messages.success(request, _("Approved: %(username)s can now sign in.") % {"username": user.username})

    return _decide(request, pk, approve)


@require_POST
def access_request_reject_view(request, pk):
    def reject(item):
        form = RejectForm(request.POST)
        if not form.is_valid():
            if form.data.get("reason", "").strip():  # given, but e.g. too long: say what is wrong
                raise ValidationError(form.errors["reason"])
            raise ValidationError(_("Give the reason for the rejection."))
        access_request_reject(access_request=item, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The request has been rejected."))

    return _decide(request, pk, reject)


@login_not_required
def unit_options(request):
    """<option>s of the units of an agency and province, for the unit choosers (htmx)."""
    units = OrgUnit.objects.filter(is_active=True)
    agency = request.GET.get("agency", "")
    if agency in Agency.values:
        units = units.filter(agency=agency)
    province = request.GET.get("province", "")
    if province:
        units = units.filter(province__code=province)
    return render(request, "accounts/_unit_options.html", {"units": units.in_thai_order()})


@login_not_required
def sso_admins(request):
    """ตรวจสอบรายชื่อ SSO Admin: who manages the accounts of a province (public, from the login page)."""
    provinces = Province.objects.filter(is_bangkok=False)
    chosen = provinces.filter(code=request.GET.get("province", "")).first()
    admins = []
    if chosen is not None:
        admins = (
            User.objects.filter(access.province_sso_admins(chosen))
            .select_related("org_unit")
            .order_by("first_name", "last_name")
        )
    return render(
        request, "accounts/sso_admins.html", {"provinces": provinces, "chosen": chosen, "admins": admins}
    )


# --- managing accounts (super admins; a province's SSO admin for its province) ---


def _manager_only(request):
    if not access.may_manage_users(request.user):
        raise PermissionDenied


def user_list(request):
    _manager_only(request)
    users = (
        User.objects.visible_to(request.user, access.CHANGE)
        .select_related("org_unit")
        .prefetch_related("groups")
        .order_by("org_unit__name_sort", "first_name", "username")
    )
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(org_unit__name_th__icontains=query)
        )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "query": query})


def _save_user(request, instance):
    form = UserForm(request.POST or None, actor=request.user, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            user = form.save()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The account %(username)s has been saved.") % {"username": user.username}
            )
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "instance": instance})


def user_create(request):
    _manager_only(request)
    return _save_user(request, None)


def _managed_user(request, pk) -> User:
    """An account the manager may change (else 404), never their own (403).

    Managers change their own roles and password through another manager.
    """
    _manager_only(request)
    user = get_object_or_404(User.objects.visible_to(request.user, access.CHANGE), pk=pk)
    if user.pk == request.user.pk:
        raise PermissionDenied
    return user


def user_edit(request, pk):
    return _save_user(request, _managed_user(request, pk))


def user_set_password_view(request, pk):
    target = _managed_user(request, pk)
    form = SetPasswordForm(request.POST or None, user=target)
    if request.method == "POST" and form.is_valid():
        user_set_password(actor=request.user, user=target, password=form.cleaned_data["password1"])
        messages.success(
            request, _("A new password has been set for %(username)s.") % {"username": target.username}
        )
        return redirect("accounts:user_list")
    return render(request, "accounts/user_password.html", {"form": form, "target": target})


def user_history(request, pk):
    """The account's changes and its roles granted and revoked, for those who may see the account."""
    user = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    crumbs = []
    if user.pk != request.user.pk:
        back = reverse("accounts:user_edit", args=[pk])
        crumbs = [(_("User accounts"), reverse("accounts:user_list"))]
    else:
        back = reverse("accounts:index")
    return object_history(
        request,
        user,
        back=back,
        crumbs=crumbs,
        events=MiddlewareEvents.objects.references(user).across(
            "accounts.UserEvent", "accounts.UserRoleEvent"
        ),
        present={Group: lambda group: Role(group.name).label if group.name in Role.values else group.name},
    )


class EmailView(AllauthEmailView):
    """allauth's e-mail page (one address an account, changed through a verification link).

    allauth lets an unverified address become primary while the account has no
    verified one, which made it the address the system mails and matches: here
    only a verified address can.
    """

    def post(self, request, *args, **kwargs):
        if "action_primary" in request.POST:
            verified = EmailAddress.objects.filter(
                user=request.user, email__iexact=request.POST.get("email", ""), verified=True
            )
            if not verified.exists():
                refusal = _(
                    "Only a verified address can be used: click the link in the verification e-mail first."
                )
                messages.error(request, refusal)
                return redirect("account_email")
        return super().post(request, *args, **kwargs)


email = EmailView.as_view()
