from django.urls import include, path

from workload import views

app_name = "workload"

office = "<int:fy>/office/<str:code>/"

urlpatterns = [
    path("", views.index, name="index"),
    path(office, views.status, name="status"),
    path(office + "contact/", views.contact, name="contact"),
    path(office + "aspect/<int:number>/", views.aspect, name="aspect"),
    path(office + "extras/", views.extras, name="extras"),
    path(office + "extras/new/", views.extra_edit, name="extra_new"),
    path(office + "extras/<int:pk>/", views.extra_edit, name="extra_edit"),
    path(office + "extras/<int:pk>/delete/", views.extra_delete, name="extra_delete"),
    path(office + "confirm/", views.confirm, name="confirm"),
    path(office + "reopen/", views.reopen, name="reopen"),
    path(office + "record/", views.record, name="record"),
    path(office + "answer-check/", views.answer_check, name="answer_check"),
    path(office + "history/", views.history, name="history"),
    path("<int:fy>/province/<str:code>/", views.province, name="province"),
    path(
        "<int:fy>/province/<str:code>/confirm-complete/",
        views.province_confirm_complete,
        name="confirm_complete",
    ),
    path("<int:fy>/province/<str:code>/remind/", views.province_remind, name="remind"),
    path("<int:fy>/national/", views.national, name="national"),
    path("<int:fy>/answers.xlsx", views.export, name="export"),
    # The coordination centre's pages: registry, toolkits, about, FAQ.
    path("", include("workload.centre.urls")),
    path("questionnaires/", views.questionnaires, name="questionnaires"),
    path("questionnaires/<int:fy>/", views.questionnaire, name="questionnaire"),
    path(
        "questionnaires/<int:fy>/aspect/<int:number>/",
        views.questionnaire_aspect,
        name="questionnaire_aspect",
    ),
]
