from __future__ import annotations

from django.urls import path

from chibo.api import views

app_name = "api"
urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("orgs/", views.OrgListView.as_view(), name="org-list"),
    path("orgs/<int:org_id>/", views.OrgDetailView.as_view(), name="org-detail"),
    path("orgs/<int:org_id>/children/", views.OrgChildrenView.as_view(), name="org-children"),
    path("members/", views.MemberListView.as_view(), name="member-list"),
    path("members/<int:member_id>/", views.MemberDetailView.as_view(), name="member-detail"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
]
