from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from tracking import views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("status/", views.status, name="status"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # Before allauth's own: the accounts app replaces a few of allauth's pages under the same names.
    path("accounts/", include("accounts.allauth_urls")),
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
