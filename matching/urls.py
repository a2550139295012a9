from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("<slug:slug>/matching/", views.home, name="home"),
    path("<slug:slug>/matching/runs/", views.start, name="start"),
    path("<slug:slug>/matching/runs/<int:pk>/", views.run_detail, name="run"),
    path("<slug:slug>/matching/runs/<int:pk>/status.json", views.run_status, name="status"),
    path("<slug:slug>/matching/runs/<int:pk>/approve/", views.approve, name="approve"),
    path("<slug:slug>/matching/runs/<int:pk>/proposals.csv", views.export, name="export"),
]
