from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from accounts import sso
from accounts import views as accounts_views
from tracking import views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("status/", views.status, name="status"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Before allauth's own: only a verified address may become the one the system uses.
    path("accounts/email/", accounts_views.email, name="account_email"),
    # Ahead of allauth's own: the same OpenID Connect views, a failing provider answered with a message.
    path("accounts/oidc/<str:provider_id>/login/", sso.login, name="openid_connect_login"),
    path("accounts/oidc/<str:provider_id>/login/callback/", sso.callback, name="openid_connect_callback"),
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("projects/", include("projects.urls")),
    path("progress/", include("progress.urls")),
    path("reports/", include("reports.urls")),
    path("news/", include("news.urls")),
    path("workload/", include("workload.urls")),
    path("admin/login/", views.admin_login),
    path("admin/", admin.site.urls),
]

handler500 = "tracking.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
