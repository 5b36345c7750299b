from django.urls import path

from news import views

app_name = "news"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.edit, name="create"),
    path("queue/", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/archive/", views.archive, name="archive"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/add/<str:kind>/", views.add_file, name="add_file"),
    path("<int:pk>/<str:decision>/", views.decide, name="decide"),
    path("<int:pk>/cover.jpg", views.cover_file, name="cover"),
    path("files/<int:pk>/", views.attachment_file, name="attachment"),
    path("images/<int:pk>/<str:size>/", views.image_file, name="image"),
]
