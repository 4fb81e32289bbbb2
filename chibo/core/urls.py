from django.urls import path

from chibo.core import pickers, views, views_jobs

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("jobs/", views_jobs.jobs, name="jobs"),
    path("pick/orgs/<int:org_id>/", pickers.org_suggestions, name="pick_orgs"),
    path("pick/members/<int:org_id>/", pickers.member_suggestions, name="pick_members"),
]
