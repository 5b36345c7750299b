from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("budget/", views.budget, name="budget"),
    path("budget.xlsx", views.budget, {"as_xlsx": True}, name="budget_xlsx"),
    path("performance/", views.performance, name="performance"),
    path("performance.xlsx", views.performance, {"as_xlsx": True}, name="performance_xlsx"),
    path("assignments/<int:pk>/", views.assignment, name="assignment"),
    path("assignments/<int:pk>/check/", views.assignment_check, name="assignment_check"),
    path("assignments/<int:pk>.xlsx", views.assignment, {"as_xlsx": True}, name="assignment_xlsx"),
    path("workload/", views.workload_report, name="workload"),
    path("workload.xlsx", views.workload_report, {"as_xlsx": True}, name="workload_xlsx"),
    path("exports/new/<slug:kind>/", views.export_start, name="export_start"),
    path("exports/<int:pk>/", views.export, name="export"),
    path("exports/<int:pk>/file/", views.export_file, name="export_file"),
    path("targets/", views.targets, name="targets"),
    path("targets/<int:fy>/", views.targets_edit, name="targets_edit"),
    path("completeness/", views.completeness_national, name="completeness"),
    path("completeness/projects/<int:pk>/", views.completeness_project, name="completeness_project"),
    path("completeness/units/<int:pk>/", views.completeness_unit, name="completeness_unit"),
    path("completeness/provinces/<str:code>/", views.completeness_province, name="completeness_province"),
]
