from django.urls import path

from projects import views

app_name = "projects"

activity = "<int:pk>/activities/<int:aid>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("export.xlsx", views.export, name="export"),
    path("template.xlsx", views.template, name="template"),
    path("import/", views.import_upload, name="import"),
    path("import/apply/", views.import_apply, name="import_apply"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/copy-next-year/", views.copy_next_year, name="copy_next_year"),
    path("<int:pk>/activities/new/", views.activity_edit, name="activity_create"),
    path(activity, views.activity_edit, name="activity_edit"),
    path(activity + "delete/", views.activity_delete, name="activity_delete"),
    path(activity + "plan/", views.activity_plan, name="activity_plan"),
    path(activity + "budget/", views.activity_budget, name="activity_budget"),
    path(activity + "indicator-targets/", views.indicator_targets, name="indicator_targets"),
    path(activity + "history/", views.activity_history, name="activity_history"),
    path(activity + "<str:kind>/", views.activity_rows, name="activity_rows"),
]
