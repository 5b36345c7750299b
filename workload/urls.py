from django.urls import path

from workload import views

app_name = "workload"

urlpatterns = [
    path("", views.index, name="index"),
]
