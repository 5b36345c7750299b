from django.urls import path

from progress import views

app_name = "progress"

urlpatterns = [
    path("", views.index, name="index"),
    path("calendar/", views.calendar, name="calendar"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("projects/<int:pk>/<str:tab>/", views.project, name="project_tab"),
    path("assignments/<int:au>/performance/<int:month>/", views.performance, name="performance"),
    path("assignments/<int:au>/disbursement/<int:month>/", views.disbursement, name="disbursement"),
    path("assignments/<int:au>/history/<int:month>/", views.assignment_history, name="history"),
    path("assignments/<int:au>/report/<int:month>/", views.report, name="report"),
    path("assignments/<int:au>/report/<int:month>/submit/", views.report_submit, name="report_submit"),
    path("assignments/<int:au>/report/<int:month>/accept/", views.report_accept, name="report_accept"),
    path(
        "assignments/<int:au>/report/<int:month>/send-back/", views.report_send_back, name="report_send_back"
    ),
    path("assignments/<int:au>/transfers/new/", views.transfer_new, name="transfer_new"),
    path("assignments/<int:au>/procurements/new/", views.procurement_edit, name="procurement_new"),
    path("assignments/<int:au>/procurements/<int:pk>/", views.procurement_edit, name="procurement_edit"),
    path("assignments/<int:au>/photos/new/", views.photo_new, name="photo_new"),
    path("photos/<int:pk>/<str:size>/", views.photo_file, name="photo_file"),
    path("closing/", views.closing, name="closing"),
    path("closing/<int:fy>/", views.closing, name="closing_year"),
    path("closing/<int:fy>/<int:month>/close/", views.close_month, name="close_month"),
    path("closing/<int:fy>/<int:month>/reopen/", views.reopen_month, name="reopen_month"),
]
