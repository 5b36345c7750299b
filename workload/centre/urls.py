"""The centre's routes, included by workload/urls.py under the same paths and ``workload:`` names."""

from django.urls import path

from workload.centre import views

urlpatterns = [
    path("registry/", views.registry, name="registry"),
    path("registry/new/", views.registry_edit, name="registry_new"),
    path("registry/<int:pk>/", views.registry_edit, name="registry_edit"),
    path("registry/import/", views.registry_import, name="registry_import"),
    path("toolkits/", views.toolkits, name="toolkits"),
    path("toolkits/new/", views.link_edit, name="link_new"),
    path("toolkits/<int:pk>/", views.link_edit, name="link_edit"),
    path("about/", views.about, name="about"),
    path("about/edit/", views.about_edit, name="about_edit"),
    path("faq/", views.faq, name="faq"),
    path("faq/new/", views.faq_edit, name="faq_new"),
    path("faq/<int:pk>/", views.faq_edit, name="faq_edit"),
]
