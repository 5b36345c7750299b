from django.urls import path

from accounts import session, views

app_name = "accounts"

urlpatterns = [
    path("me/", views.index, name="index"),
    path("me/notification-email/", views.notification_email, name="notification_email"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read-all/", views.notification_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("session/keep-alive/", session.keep_alive, name="keep_alive"),
    path("request-access/", views.request_access, name="request_access"),
    path("request-access/sent/", views.request_access_sent, name="request_access_sent"),
    path("access-requests/", views.access_request_list, name="access_request_list"),
    path("access-requests/<int:pk>/", views.access_request_detail, name="access_request_detail"),
    path(
        "access-requests/<int:pk>/approve/", views.access_request_approve_view, name="access_request_approve"
    ),
    path("access-requests/<int:pk>/reject/", views.access_request_reject_view, name="access_request_reject"),
    path("sso-admins/", views.sso_admins, name="sso_admins"),
    path("units/options/", views.unit_options, name="unit_options"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", views.user_set_password_view, name="user_password"),
    path("users/<int:pk>/history/", views.user_history, name="user_history"),
]
