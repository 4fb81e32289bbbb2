from django.urls import path

from chibo.core import views, views_jobs

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("jobs/", views_jobs.jobs, name="jobs"),
]
